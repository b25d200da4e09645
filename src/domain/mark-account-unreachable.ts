// A channel said the person cannot be reached (Telegram 403: they blocked the bot). Nothing is sent to that
// account again until they write (mark-account-reachable). Unknown accounts are ignored.
import type { DomainDeps } from './deps.ts';

export async function markAccountUnreachable(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { channel: string; externalId: string },
): Promise<{ ok: true; known: boolean }> {
  const { count } = await deps.db.channelAccount.updateMany({
    where: { channel: input.channel, externalId: input.externalId, unreachableAt: null },
    data: { unreachableAt: deps.now() },
  });
  return { ok: true, known: count > 0 };
}
