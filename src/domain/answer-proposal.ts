// Staff give a public proposal the administration's answer: an official answer text, and — when voting is
// over — selected or not selected. Audited (before/after). Its author, supporters and followers are told
// (a `proposal-outcome` notification per change, ids only).
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { audit } from './moderation-cases.ts';
import { isPublic } from './proposal-visibility.ts';

export const MAX_ANSWER = 2000;

export type AnswerProposalResult =
  | { ok: true; proposal: { id: number; status: string; answer: string | null; answeredAt: Date } }
  | { ok: false; reason: 'not-allowed' | 'not-found' | 'nothing-to-change' | 'answer-too-long' };

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
    const [p] = await tx.$queryRaw<{ status: string; answer: string | null }[]>`
      SELECT status::text AS status, answer FROM "Proposal" WHERE id = ${input.proposalId} FOR UPDATE`;
    if (!p || !isPublic(p.status as never)) return { ok: false, reason: 'not-found' };
    const status = input.status ?? p.status;
    const next = answer ?? p.answer;
    if (status === p.status && next === p.answer) return { ok: false, reason: 'nothing-to-change' };
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
