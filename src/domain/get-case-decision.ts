// Whether a moderation case is decided, and by whom: what a moderator is told before being asked for a
// reason to reject a case a colleague (or the web) has decided meanwhile. Undefined: no such case.
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import type { ModerationDecision } from '../generated/prisma/enums.ts';

export interface CaseDecision {
  decidedAt: Date | null;
  decision: ModerationDecision | null;
  /** The deciding staff member's name and id. */
  decidedBy: string | null;
  decidedById: string | null;
}

export async function getCaseDecision(
  deps: Pick<DomainDeps, 'db'>,
  input: { caseId: number },
): Promise<CaseDecision | undefined> {
  if (!isDbId(input.caseId)) return undefined;
  const c = await deps.db.moderationCase.findUnique({
    where: { id: input.caseId },
    select: { decidedAt: true, decision: true, decidedById: true, decidedBy: { select: { name: true } } },
  });
  if (!c) return undefined;
  return {
    decidedAt: c.decidedAt,
    decision: c.decision,
    decidedBy: c.decidedBy?.name ?? null,
    decidedById: c.decidedById,
  };
}
