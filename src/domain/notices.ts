// Shared by the use cases that record notices (record-case-notices, record-comment-notices): who follows a
// proposal, and how a notice is recorded. Not a use case.
//
// A notice goes only to a participant whose participation consent stands, once per participant and event
// (unique row: recording twice records nothing new), on the channel chosen now — their Telegram account
// when it is reachable, otherwise web chat (shown at their next message).
import type { DomainDeps } from './deps.ts';
import type { Prisma } from '../generated/prisma/client.ts';

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

/** Records the events' notices and returns those of these events not delivered yet. */
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
      (SELECT a.channel FROM "ChannelAccount" a WHERE a."participantId" = p.id
        AND (a.channel <> 'telegram' OR a."unreachableAt" IS NULL)
        ORDER BY (a.channel = 'telegram') DESC, a."createdAt" DESC LIMIT 1) AS channel
    FROM "Participant" p WHERE p.id = ANY(${[...new Set(events.map((e) => e.participantId))]}::uuid[])`;
  const reachable = new Map(
    people.filter((p) => p.consent === 'given' && p.channel).map((p) => [p.id, p.channel!]),
  );
  await deps.db.notice.createMany({
    data: events
      .filter((e) => reachable.has(e.participantId))
      .map((e) => ({ ...e, channel: reachable.get(e.participantId)! })),
    skipDuplicates: true,
  });
  const keys = [...new Set(events.map((e) => e.eventKey))];
  return deps.db.$queryRaw<PendingNotice[]>`
    SELECT n.id, n."participantId"::text AS "participantId", n.channel, a."externalId"
    FROM "Notice" n JOIN "ChannelAccount" a ON a."participantId" = n."participantId" AND a.channel = n.channel
    WHERE n."eventKey" = ANY(${keys}) AND n."deliveredAt" IS NULL
      AND n."participantId" = ANY(${[...reachable.keys()]}::uuid[])
    ORDER BY n.id`;
}
