// Shared by the use cases that record notices (record-case-notices, record-comment-notices): who follows a
// proposal, and how a notice is recorded. Not a use case.
//
// A notice goes only to a participant whose participation consent stands, once per participant and event
// (unique row: recording twice records nothing new), on the channel chosen now: their Telegram account when
// it is reachable (pushed); otherwise their web chat (shown at their next message); otherwise their Telegram
// account all the same — a person who blocked the bot is not pushed to (find-pushable-notices), but the
// notice waits and is shown at the head of their next turn when they write again, like a web chat one.
// Nothing promised is dropped for want of a reachable channel.
import type { DomainDeps } from './deps.ts';
import { Prisma } from '../generated/prisma/client.ts';

export interface NoticeEvent {
  participantId: string;
  kind:
    | 'moderation-outcome'
    | 'comment-published'
    | 'proposal-outcome'
    | 'commitment-changed'
    | 'event-reminder'
    | 'event-changed'
    | 'event-cancelled'
    | 'event-promoted'
    | 'retention-warning';
  eventKey: string;
  payload: Record<string, number>;
}

export interface PendingNotice {
  id: bigint;
  participantId: string;
  channel: string;
  externalId: string;
}

/**
 * The channel a notice to a participant goes to, by the rule above (an SQL expression; NULL for someone with
 * no account). Also used when a notice that could not be shown is made to wait again (mark-notice-undelivered).
 */
export function noticeChannel(participantId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT a.channel FROM "ChannelAccount" a WHERE a."participantId" = ${participantId}
    ORDER BY (a."unreachableAt" IS NULL) DESC, (a.channel = 'telegram') DESC, a."createdAt" DESC LIMIT 1)`;
}

/** A newly public comment, for everyone following its proposal except its author. */
export async function followerEvents(
  deps: Pick<DomainDeps, 'db'>,
  comment: { id: number; proposalId: number; authorId: string | null },
): Promise<NoticeEvent[]> {
  const followers = await deps.db.proposalFollow.findMany({
    where: { proposalId: comment.proposalId, participantId: { not: comment.authorId ?? undefined } },
    select: { participantId: true },
  });
  return followers.map((f) => ({
    participantId: f.participantId,
    kind: 'comment-published',
    eventKey: `comment:${comment.id}`,
    payload: { commentId: comment.id, proposalId: comment.proposalId },
  }));
}

/**
 * Records the events' notices and returns those of these events not delivered yet, with the account each
 * goes to — reachable or not: whoever pushes them asks find-pushable-notices right before.
 */
export async function recordNotices(
  // A transaction's client too: the retention warning records its notices with the warning itself.
  deps: { db: Prisma.TransactionClient },
  events: NoticeEvent[],
): Promise<PendingNotice[]> {
  if (events.length === 0) return [];
  const people = await deps.db.$queryRaw<{ id: string; consent: string | null; channel: string | null }[]>`
    SELECT p.id::text AS id,
      (SELECT c.action::text FROM "ConsentRecord" c
        WHERE c."participantId" = p.id AND c.purpose = 'participation' ORDER BY c.id DESC LIMIT 1) AS consent,
      ${noticeChannel(Prisma.sql`p.id`)} AS channel
    FROM "Participant" p WHERE p.id = ANY(${[...new Set(events.map((e) => e.participantId))]}::uuid[])`;
  const channels = new Map(
    people.filter((p) => p.consent === 'given' && p.channel).map((p) => [p.id, p.channel!]),
  );
  await deps.db.notice.createMany({
    data: events
      .filter((e) => channels.has(e.participantId))
      .map((e) => ({ ...e, channel: channels.get(e.participantId)! })),
    skipDuplicates: true,
  });
  const keys = [...new Set(events.map((e) => e.eventKey))];
  return deps.db.$queryRaw<PendingNotice[]>`
    SELECT n.id, n."participantId"::text AS "participantId", n.channel, a."externalId"
    FROM "Notice" n JOIN "ChannelAccount" a ON a."participantId" = n."participantId" AND a.channel = n.channel
    WHERE n."eventKey" = ANY(${keys}) AND n."deliveredAt" IS NULL
      AND n."participantId" = ANY(${[...channels.keys()]}::uuid[])
    ORDER BY n.id`;
}
