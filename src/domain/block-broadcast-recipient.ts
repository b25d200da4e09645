// A person blocked the bot (Telegram answered 403): whatever broadcasts still hold for them is marked
// `blocked` and they are unsubscribed from every process — never retried. (Their account is marked
// unreachable by mark-account-unreachable; writing to the bot again makes it reachable, not subscribed.)
import type { DomainDeps } from './deps.ts';

export async function blockBroadcastRecipient(
  deps: Pick<DomainDeps, 'db'>,
  input: { channel: string; externalId: string },
): Promise<{ deliveries: number; subscriptions: number }> {
  const account = await deps.db.channelAccount.findUnique({
    where: { channel_externalId: { channel: input.channel, externalId: input.externalId } },
    select: { participantId: true },
  });
  if (!account) return { deliveries: 0, subscriptions: 0 };
  return deps.db.$transaction(async (tx) => {
    const deliveries = await tx.$executeRaw`
      UPDATE "BroadcastDelivery" SET status = 'blocked', error = '403'
      WHERE "participantId" = ${account.participantId}::uuid AND channel = ${input.channel}
        AND status IN ('pending', 'queued')`;
    const { count } = await tx.subscription.deleteMany({ where: { participantId: account.participantId } });
    return { deliveries, subscriptions: count };
  });
}
