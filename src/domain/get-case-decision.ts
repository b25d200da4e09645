// Whether a moderation case is decided, and by whom: what a moderator is told before being asked for a
// reason to reject a case a colleague (or the web) has decided meanwhile. A case closed without a decision
// because reports hid its item while it waited (wasSuperseded) names the reported case opened in its place,
// where the item is reviewed now. Undefined: no such case.
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import type { ModerationDecision } from '../generated/prisma/enums.ts';
import { wasSuperseded } from './moderation-cases.ts';

export interface CaseDecision {
  decidedAt: Date | null;
  decision: ModerationDecision | null;
  /** The deciding staff member's name and id. */
  decidedBy: string | null;
  decidedById: string | null;
  /**
   * Closed without a decision (reports hid its item: reopenAsReported): the reported case opened in its
   * place, null if it cannot be found (erased since); undefined for any other case.
   */
  supersededBy?: number | null;
}

export async function getCaseDecision(
  deps: Pick<DomainDeps, 'db'>,
  input: { caseId: number },
): Promise<CaseDecision | undefined> {
  if (!isDbId(input.caseId)) return undefined;
  const c = await deps.db.moderationCase.findUnique({
    where: { id: input.caseId },
    select: {
      decidedAt: true,
      decision: true,
      decidedById: true,
      decidedBy: { select: { name: true } },
      itemKind: true,
      proposalId: true,
      commentId: true,
    },
  });
  if (!c) return undefined;
  const view: CaseDecision = {
    decidedAt: c.decidedAt,
    decision: c.decision,
    decidedBy: c.decidedBy?.name ?? null,
    decidedById: c.decidedById,
  };
  if (!wasSuperseded(c)) return view;
  // reopenAsReported opens the reported case in the same transaction, dated as the close: the item's first
  // reported case opened since then (still open, or decided since).
  const next = await deps.db.moderationCase.findFirst({
    where: {
      itemKind: c.itemKind,
      ...(c.itemKind === 'proposal' ? { proposalId: c.proposalId } : { commentId: c.commentId }),
      reason: 'reported',
      openedAt: { gte: c.decidedAt! },
      id: { not: input.caseId },
    },
    orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
    select: { id: true },
  });
  return { ...view, supersededBy: next?.id ?? null };
}
