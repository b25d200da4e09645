// Staff give a public proposal the administration's answer: an official answer text, and — when voting is
// over — selected or not selected. Audited (before/after). Its author, supporters and followers are told
// (a `proposal-outcome` notification per change, ids only).
//
// A change of status waits for the process to be done with its proposals (`too-early`): until its last
// voting phase has ended (the moment get-results.ts shows results from), or, for a process without a voting
// phase, until its last phase that accepts proposals has ended; a process with neither has nothing to wait
// for. An answer text alone may be given, or changed, at any time. A proposal that commitments were linked
// to (only selected ones can be: commitments.ts) is not turned `not_selected` under them
// (`has-commitments`): the commitments are unlinked first.
import { acceptsProposals, type PhaseLike } from './current-phase.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import { isPublic } from './proposal-visibility.ts';

export const MAX_ANSWER = 2000;

export type AnswerProposalResult =
  | { ok: true; proposal: { id: number; status: string; answer: string | null; answeredAt: Date } }
  | {
      ok: false;
      reason:
        | 'not-allowed'
        | 'not-found'
        | 'nothing-to-change'
        | 'answer-too-long'
        | 'too-early'
        | 'has-commitments';
    };

export async function answerProposal(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    staffMemberId: string;
    proposalId: number;
    status?: 'selected' | 'not_selected';
    answer?: string;
    sourceIp?: string;
  },
): Promise<AnswerProposalResult> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: input.staffMemberId },
    select: { role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt || (staff.role !== 'staff' && staff.role !== 'admin'))
    return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.proposalId)) return { ok: false, reason: 'not-found' };
  const answer = input.answer?.trim() || undefined;
  if (answer && [...answer].length > MAX_ANSWER) return { ok: false, reason: 'answer-too-long' };
  if (!answer && !input.status) return { ok: false, reason: 'nothing-to-change' };
  const now = deps.now();
  const result = await deps.db.$transaction(async (tx): Promise<AnswerProposalResult> => {
    // The lock also waits for a commitment being linked to it (commitments.ts locks it FOR SHARE).
    const [p] = await tx.$queryRaw<{ status: string; answer: string | null; processId: number }[]>`
      SELECT status::text AS status, answer, "processId" FROM "Proposal"
      WHERE id = ${input.proposalId} FOR UPDATE`;
    if (!p || !isPublic(p.status as never)) return { ok: false, reason: 'not-found' };
    const status = input.status ?? p.status;
    const next = answer ?? p.answer;
    if (status === p.status && next === p.answer) return { ok: false, reason: 'nothing-to-change' };
    if (status !== p.status) {
      const phases = await tx.phase.findMany({
        where: { processId: p.processId },
        select: { kind: true, position: true, startsAt: true, endsAt: true, acceptsProposals: true },
      });
      if (!proposalsAreDone(phases, now)) return { ok: false, reason: 'too-early' };
      if (status === 'not_selected') {
        const linked = await tx.commitmentProposal.count({ where: { proposalId: input.proposalId } });
        if (linked > 0) return { ok: false, reason: 'has-commitments' };
      }
    }
    await tx.proposal.update({
      where: { id: input.proposalId },
      data: { status: status as 'selected' | 'not_selected' | 'published', answer: next, answeredAt: now },
    });
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'proposal.answer',
      target: { kind: 'proposal', id: input.proposalId },
      before: { status: p.status, answer: p.answer },
      after: { status, answer: next },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, proposal: { id: input.proposalId, status, answer: next, answeredAt: now } };
  });
  if (result.ok) {
    try {
      await deps.queues.notify({ kind: 'proposal-outcome', proposalId: input.proposalId, at: now.getTime() });
    } catch (error) {
      deps.logger.error({ err: error, proposalId: input.proposalId }, 'outcome notification not enqueued');
    }
  }
  return result;
}

/**
 * Whether a process with these phases is done with its proposals at `now`: every voting phase has ended,
 * or, with no voting phase, every phase that accepts proposals has (see the header).
 */
function proposalsAreDone(phases: PhaseLike[], now: Date): boolean {
  const voting = phases.filter((ph) => ph.kind === 'voting');
  const waitFor = voting.length > 0 ? voting : phases.filter((ph) => acceptsProposals(ph));
  return waitFor.every((ph) => ph.endsAt.getTime() <= now.getTime());
}
