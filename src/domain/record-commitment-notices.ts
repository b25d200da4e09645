// A commitment was made or its status or progress changed: the authors, supporters and followers of the
// proposals it answers are told — each person once per update (the update's id is in the event key), even
// when they are linked to several of its proposals. As for proposal answers, supporters and followers who
// said «baja» (their `updates` consent withdrawn) hear nothing; an author hears about their own proposal
// while their participation consent stands. Recording and channel: notices.ts.
import type { DomainDeps } from './deps.ts';
import { recordNotices, type NoticeEvent, type PendingNotice } from './notices.ts';

export async function recordCommitmentNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { commitmentId: number; updateId: number },
): Promise<PendingNotice[]> {
  const update = await deps.db.commitmentUpdate.findUnique({
    where: { id: BigInt(input.updateId) },
    select: { commitmentId: true },
  });
  if (update?.commitmentId !== input.commitmentId) return [];
  const people = await deps.db.$queryRaw<{ id: string; author: boolean; proposalId: number }[]>`
    WITH lp AS (
      SELECT p.id, p."authorId" FROM "CommitmentProposal" cp JOIN "Proposal" p ON p.id = cp."proposalId"
      WHERE cp."commitmentId" = ${input.commitmentId}),
    everyone AS (
      SELECT lp."authorId" AS id, lp.id AS proposal, true AS author FROM lp WHERE lp."authorId" IS NOT NULL
      UNION SELECT s."participantId", s."proposalId", false FROM "Support" s JOIN lp ON s."proposalId" = lp.id
      UNION SELECT f."participantId", f."proposalId", false FROM "ProposalFollow" f JOIN lp ON f."proposalId" = lp.id)
    SELECT e.id::text AS id, bool_or(e.author) AS author,
      (array_agg(e.proposal ORDER BY e.author DESC, e.proposal))[1] AS "proposalId"
    FROM everyone e
    GROUP BY e.id
    HAVING bool_or(e.author) OR coalesce((SELECT c.action::text FROM "ConsentRecord" c
      WHERE c."participantId" = e.id AND c.purpose = 'updates' ORDER BY c.id DESC LIMIT 1), '') <> 'withdrawn'`;
  const events: NoticeEvent[] = people.map((p) => ({
    participantId: p.id,
    kind: 'commitment-changed',
    eventKey: `commitment:${input.commitmentId}:${input.updateId}`,
    payload: {
      commitmentId: input.commitmentId,
      updateId: input.updateId,
      proposalId: p.proposalId,
      author: p.author ? 1 : 0,
    },
  }));
  return recordNotices(deps, events);
}

/** The time zone of a commitment's process (Europe/Madrid when unknown), for quiet hours. */
export async function commitmentTimeZone(
  deps: Pick<DomainDeps, 'db'>,
  input: { commitmentId: number },
): Promise<string> {
  const c = await deps.db.commitment.findUnique({
    where: { id: input.commitmentId },
    select: { process: { select: { timeZone: true } } },
  });
  return c?.process.timeZone ?? 'Europe/Madrid';
}
