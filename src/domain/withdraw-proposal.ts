// Its author withdraws a proposal that is still waiting for moderation: nobody but the author and the
// moderators has seen it, so it is simply not published. The proposal row stays, `withdrawn`, so the author
// still finds it in «¿Qué pasó con mi propuesta?» (an erasure deletes it with the rest of what never became
// public). Its open moderation case is deleted in the same transaction — there is nothing left to decide —
// and the audit log records the withdrawal (actor `author`: the proposal row names them until an erasure).
// A public proposal cannot be withdrawn this way: others may have supported or commented on it.
//
// The proposal's row is locked first, as decide-moderation locks it: an author withdrawing while a moderator
// decides makes exactly one of them count — a decision first, and the withdrawal is refused ('not-pending');
// the withdrawal first, and the decision finds no case. The moderators' room still shows the case's card:
// after commit, cards that were posted are edited to say the author withdrew it (notifications job
// `erased-cases` with `why: 'withdrawn'`); a failure to enqueue it is logged and the withdrawal stands.
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { audit, CARD_FINDABLE_MS } from './moderation-cases.ts';

export type WithdrawProposalResult =
  { ok: true; proposalId: number; title: string } | { ok: false; reason: 'not-found' | 'not-pending' };

export async function withdrawProposal(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: { participantId: string; proposalId: number },
): Promise<WithdrawProposalResult> {
  if (!isDbId(input.proposalId)) return { ok: false, reason: 'not-found' };
  const done = await deps.db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string; authorId: string | null; title: string }[]>`
      SELECT status::text AS status, "authorId"::text AS "authorId", title
      FROM "Proposal" WHERE id = ${input.proposalId} FOR UPDATE`;
    // Someone else's proposal is "not found": its existence is not the asker's business.
    if (!row || row.authorId !== input.participantId) return 'not-found' as const;
    if (row.status !== 'pending') return 'not-pending' as const;
    const now = deps.now();
    await tx.proposal.update({ where: { id: input.proposalId }, data: { status: 'withdrawn' } });
    const cases = await tx.moderationCase.findMany({
      where: { proposalId: input.proposalId, decidedAt: null },
      select: { id: true, announcedAt: true },
      orderBy: { id: 'asc' },
    });
    await tx.moderationCase.deleteMany({ where: { id: { in: cases.map((c) => c.id) } } });
    await audit(tx, {
      actor: 'author',
      action: 'proposal.withdraw',
      target: { kind: 'proposal', id: input.proposalId },
      before: { status: 'pending' },
      after: { status: 'withdrawn', casesClosed: cases.map((c) => c.id) },
      at: now,
    });
    const findable = now.getTime() - CARD_FINDABLE_MS;
    return {
      title: row.title,
      cardCaseIds: cases.filter((c) => c.announcedAt && c.announcedAt.getTime() > findable).map((c) => c.id),
    };
  });
  if (typeof done === 'string') return { ok: false, reason: done };
  if (done.cardCaseIds.length > 0)
    try {
      await deps.queues.notify({ kind: 'erased-cases', caseIds: done.cardCaseIds, why: 'withdrawn' });
    } catch (error) {
      // The cards keep showing the case; a moderator deciding it is told it no longer exists.
      deps.logger.error({ err: error }, "withdrawal: moderators' cards not queued for editing");
    }
  return { ok: true, proposalId: input.proposalId, title: done.title };
}
