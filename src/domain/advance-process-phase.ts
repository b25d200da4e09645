// Staff move a process to its next phase now: the phase under way (if any) ends now and the next one starts
// now, keeping its end. Between phases (or before the first), the next one to come starts now. Its
// announcement goes out at once (the one scheduled for its old start is cancelled); the other phases and
// their announcements are untouched. With no phase after the current one there is nothing to advance to:
// `no-next-phase` (to end the last phase, set the phases). Audited (the phases before and after).
// The caller names the phase it means to end (`from`: its position, null when none is under way): a request
// sent twice (a double click, a client's retry) must not end the next phase too — the second finds another
// phase under way and is refused (`phase-changed`), since an ended phase can never be given back.
import type { PhaseKind } from '../generated/prisma/enums.ts';
import { currentPhase } from './current-phase.ts';
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
import { isActiveStaff } from './process-rules.ts';

export type AdvanceProcessPhaseResult =
  | {
      ok: true;
      /** The phase that ended now; null when none was under way. */
      ended: { position: number; kind: PhaseKind } | null;
      started: { position: number; kind: PhaseKind; endsAt: Date };
      /** The announcement sent at once. */
      announcementId: number;
      phases: StoredPhase[];
    }
  | { ok: false; reason: 'not-allowed' | 'not-found' | 'no-next-phase' }
  /** The current phase started this very millisecond: ending it now would leave it empty. */
  | { ok: false; reason: 'phase-just-started' }
  /** The phase under way is not the one the caller meant to end (`from`): it is `current`. */
  | { ok: false; reason: 'phase-changed'; current: { position: number; kind: PhaseKind } | null };

export async function advanceProcessPhase(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    staffMemberId: string;
    processId: number;
    /** The position of the phase the caller sees under way and means to end; null: none is under way. */
    from: number | null;
    announce: PhaseAnnouncementTexts;
    sourceIp?: string;
  },
): Promise<AdvanceProcessPhaseResult> {
  if (!(await isActiveStaff(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.processId)) return { ok: false, reason: 'not-found' };
  const now = deps.now();
  const t = now.getTime();
  const actor = `staff:${input.staffMemberId}`;
  const result = await deps.db.$transaction(async (tx) => {
    const process = await lockProcess(tx, input.processId);
    if (!process) return { ok: false, reason: 'not-found' } as const;
    const current = currentPhase(process.phases, now);
    if ((current?.position ?? null) !== input.from)
      return {
        ok: false,
        reason: 'phase-changed',
        current: current ? { position: current.position, kind: current.kind } : null,
      } as const;
    const next = current
      ? process.phases.find((p) => p.position > current.position)
      : process.phases.find((p) => p.startsAt.getTime() > t);
    if (!next) return { ok: false, reason: 'no-next-phase' } as const;
    if (current && current.startsAt.getTime() >= t)
      return { ok: false, reason: 'phase-just-started' } as const;
    const phases: PhaseWrite[] = process.phases.map((p) => {
      if (p === current) return { ...p, endsAt: now };
      if (p === next) return { ...p, startsAt: now, announceNow: true };
      return p;
    });
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
      action: 'process.phase.advance',
      target: { kind: 'process', id: input.processId },
      before: { phases: phaseSummary(process.phases) },
      after: { phases: phaseSummary(written.phases) },
      sourceIp: input.sourceIp,
      at: now,
    });
    const started = written.phases.find((p) => p.position === next.position)!;
    return { ok: true, current, started, written } as const;
  });
  if (!result.ok) return result;
  await enqueueAnnouncements(deps, result.written.created);
  return {
    ok: true,
    ended: result.current ? { position: result.current.position, kind: result.current.kind } : null,
    started: { position: result.started.position, kind: result.started.kind, endsAt: result.started.endsAt },
    announcementId: result.started.announcementId!,
    phases: result.written.phases,
  };
}
