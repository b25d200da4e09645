// After a moderation decision: who must hear about it. The author, when the decision changed what the
// public sees of their item (a pre-moderated item decided, a post-moderated one taken down or redacted, a
// reported one restored or taken down); and, when a comment becomes public, the followers of its proposal
// (not the comment's own author). Only participants whose participation consent stands. One Notice row
// per participant and event (unique), so running this twice records nothing new; the channel is chosen now:
// their Telegram account when it is reachable, otherwise web chat (shown at their next message).
// Returns the notices of this decision not delivered yet.
import type { DomainDeps } from './deps.ts';

export interface PendingNotice {
  id: bigint;
  participantId: string;
  channel: string;
  externalId: string;
}

export async function recordCaseNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { caseId: number },
): Promise<PendingNotice[]> {
  const c = await deps.db.moderationCase.findUnique({
    where: { id: input.caseId },
    select: {
      decision: true,
      reason: true,
      itemKind: true,
      proposal: { select: { authorId: true, process: { select: { moderationMode: true } } } },
      comment: {
        select: {
          id: true,
          authorId: true,
          proposalId: true,
          proposal: { select: { process: { select: { moderationMode: true } } } },
        },
      },
    },
  });
  if (!c?.decision) return [];
  const item = c.proposal ?? c.comment;
  if (!item) return [];
  const mode = (c.proposal?.process ?? c.comment!.proposal.process).moderationMode;
  const visibleChange = c.reason === 'reported' || mode === 'pre' || c.decision !== 'approve';
  const events: { participantId: string; kind: string; eventKey: string; payload: object }[] = [];
  if (item.authorId && visibleChange)
    events.push({
      participantId: item.authorId,
      kind: 'moderation-outcome',
      eventKey: `case:${input.caseId}`,
      payload: { caseId: input.caseId },
    });
  if (c.comment && c.decision !== 'reject' && c.reason === 'submitted' && mode === 'pre') {
    const followers = await deps.db.proposalFollow.findMany({
      where: { proposalId: c.comment.proposalId, participantId: { not: c.comment.authorId ?? undefined } },
      select: { participantId: true },
    });
    for (const f of followers)
      events.push({
        participantId: f.participantId,
        kind: 'comment-published',
        eventKey: `comment:${c.comment.id}`,
        payload: { commentId: c.comment.id, proposalId: c.comment.proposalId },
      });
  }
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
