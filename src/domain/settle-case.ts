// Everything a decision had to set in motion is done (room card edited, people told): the worker's
// start-up requeue (requeue-open-cases) stops looking at this case.
import type { DomainDeps } from './deps.ts';

export async function settleCase(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { caseId: number },
): Promise<void> {
  await deps.db.moderationCase.updateMany({
    where: { id: input.caseId, settledAt: null, decidedAt: { not: null } },
    data: { settledAt: deps.now() },
  });
}
