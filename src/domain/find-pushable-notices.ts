// Asked right before notices are pushed (the notifications worker): which of them may go out now — those
// still not delivered whose account on their channel is reachable. A Telegram account whose person blocked
// the bot (mark-account-unreachable) gets nothing pushed: its notices wait, and the engine shows them at the
// head of the person's next turn (take-pending-notices), when writing again has made the account reachable.
// Also read anew after quiet hours, so a block reported overnight is honoured in the morning.
import type { DomainDeps } from './deps.ts';
import type { PendingNotice } from './notices.ts';

export async function findPushableNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { noticeIds: bigint[] },
): Promise<PendingNotice[]> {
  if (input.noticeIds.length === 0) return [];
  return deps.db.$queryRaw<PendingNotice[]>`
    SELECT n.id, n."participantId"::text AS "participantId", n.channel, a."externalId"
    FROM "Notice" n JOIN "ChannelAccount" a ON a."participantId" = n."participantId" AND a.channel = n.channel
    WHERE n.id = ANY(${input.noticeIds.map(String)}::bigint[]) AND n."deliveredAt" IS NULL
      AND a."unreachableAt" IS NULL
    ORDER BY n.id, a."createdAt"`;
}
