// The person wrote again: their account can be reached again.
import type { DomainDeps } from './deps.ts';

export async function markAccountReachable(
  deps: Pick<DomainDeps, 'db'>,
  input: { channel: string; externalId: string },
): Promise<{ ok: true }> {
  await deps.db.channelAccount.updateMany({
    where: { channel: input.channel, externalId: input.externalId, unreachableAt: { not: null } },
    data: { unreachableAt: null },
  });
  return { ok: true };
}
