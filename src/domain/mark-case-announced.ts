// The moderators' room has the case's card (Telegram took it). Conditional: a repeated job announces once.
import type { DomainDeps } from './deps.ts';

export async function markCaseAnnounced(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { caseId: number },
): Promise<{ first: boolean }> {
  const { count } = await deps.db.moderationCase.updateMany({
    where: { id: input.caseId, announcedAt: null },
    data: { announcedAt: deps.now() },
  });
  return { first: count === 1 };
}
