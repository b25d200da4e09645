// Staff replace a process's phases with an ordered list (kinds from PhaseKind; each starts before it ends,
// none before the previous one ends). What has happened stays as it happened:
//   - a phase that has ended must come back unchanged, in its place at the head of the list (it cannot be
//     moved, edited or removed: citizens took part under it, and its announcement went out);
//   - the phase under way keeps its kind and start (its announcement went out) and its place; its end may
//     move, not into the past (to end it now, advance the process: advance-process-phase), and whether it
//     accepts proposals may change;
//   - every other phase must start in the future.
// Announcements follow (process-phase-announcements.ts): phases that have not started get one scheduled for
// their start, ones no longer right are cancelled. Audited with the phases before and after.
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';
import {
  enqueueAnnouncements,
  lockProcess,
  phaseSummary,
  replacePhases,
  type PhaseAnnouncementTexts,
  type PhaseWrite,
  type StoredPhase,
} from './process-phase-announcements.ts';
import { checkPhaseList, isActiveStaff, type PhaseInput, type PhaseListProblem } from './process-rules.ts';

export type PhaseHistoryProblem = {
  ok: false;
  reason:
    'ended-phase-changed' | 'started-phase-changed' | 'phase-ends-in-the-past' | 'phase-starts-in-the-past';
  index: number;
};

export type SetProcessPhasesResult =
  | {
      ok: true;
      phases: StoredPhase[];
      /** Announcements created (scheduled for their phase's start) and cancelled. */
      announcements: { created: number[]; cancelled: number[] };
    }
  | { ok: false; reason: 'not-allowed' | 'not-found' }
  | PhaseListProblem
  | PhaseHistoryProblem;

export async function setProcessPhases(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    staffMemberId: string;
    processId: number;
    phases: PhaseInput[];
    announce: PhaseAnnouncementTexts;
    sourceIp?: string;
  },
): Promise<SetProcessPhasesResult> {
  if (!(await isActiveStaff(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.processId)) return { ok: false, reason: 'not-found' };
  const problem = checkPhaseList(input.phases);
  if (problem) return problem;
  const now = deps.now();
  const actor = `staff:${input.staffMemberId}`;
  const result = await deps.db.$transaction(async (tx) => {
    const process = await lockProcess(tx, input.processId);
    if (!process) return { ok: false, reason: 'not-found' } as const;
    const history = checkHistory(process.phases, input.phases, now);
    if (history) return history;
    const phases: PhaseWrite[] = input.phases.map((p, i) => ({
      ...p,
      // Only phases that have started keep theirs (the same phase, by the check above).
      announcementId: process.phases[i]?.announcementId ?? null,
    }));
    const written = await replacePhases(
      tx,
      {
        processId: input.processId,
        timeZone: process.timeZone,
        now,
        actor,
        sourceIp: input.sourceIp,
        announce: input.announce,
      },
      process.phases,
      phases,
    );
    await audit(tx, {
      actor,
      action: 'process.phases.set',
      target: { kind: 'process', id: input.processId },
      before: { phases: phaseSummary(process.phases) },
      after: { phases: phaseSummary(written.phases) },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, written } as const;
  });
  if (!result.ok) return result;
  await enqueueAnnouncements(deps, result.written.created);
  return {
    ok: true,
    phases: result.written.phases,
    announcements: {
      created: result.written.created.map((a) => a.broadcastId),
      cancelled: result.written.cancelled,
    },
  };
}

/** Whether the new list keeps what has happened (see the rules above); the first problem, if any. */
function checkHistory(
  previous: readonly StoredPhase[],
  next: readonly PhaseInput[],
  now: Date,
): PhaseHistoryProblem | undefined {
  const t = now.getTime();
  const started = previous.filter((p) => p.startsAt.getTime() <= t);
  for (const [index, old] of started.entries()) {
    const ended = old.endsAt.getTime() <= t;
    const p = next[index];
    const sameStart =
      p !== undefined && p.kind === old.kind && p.startsAt.getTime() === old.startsAt.getTime();
    if (ended) {
      if (
        !sameStart ||
        p.endsAt.getTime() !== old.endsAt.getTime() ||
        (p.acceptsProposals ?? false) !== old.acceptsProposals
      )
        return { ok: false, reason: 'ended-phase-changed', index };
    } else {
      if (!sameStart) return { ok: false, reason: 'started-phase-changed', index };
      if (p.endsAt.getTime() <= t) return { ok: false, reason: 'phase-ends-in-the-past', index };
    }
  }
  for (let index = started.length; index < next.length; index++)
    if (next[index]!.startsAt.getTime() <= t) return { ok: false, reason: 'phase-starts-in-the-past', index };
  return undefined;
}
