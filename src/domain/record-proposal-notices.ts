// A proposal got the administration's answer (selected, not selected, an official answer): its author, its
// supporters and its followers are told — each once per change (the change's time is in the event key).
// Supporters and followers who said «baja» (their `updates` consent withdrawn) hear nothing; the author
// hears about their own proposal while their participation consent stands. Recording and channel: notices.ts.
import type { DomainDeps } from './deps.ts';
import { recordNotices, type NoticeEvent, type PendingNotice } from './notices.ts';

export async function recordProposalNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { proposalId: number; at: number },
): Promise<PendingNotice[]> {
  const people = await deps.db.$queryRaw<{ id: string; author: boolean }[]>`
    WITH p AS (SELECT id, "authorId" FROM "Proposal" WHERE id = ${input.proposalId}),
    everyone AS (
      SELECT p."authorId" AS id, true AS author FROM p WHERE p."authorId" IS NOT NULL
      UNION SELECT s."participantId", false FROM "Support" s, p WHERE s."proposalId" = p.id
      UNION SELECT f."participantId", false FROM "ProposalFollow" f, p WHERE f."proposalId" = p.id)
    SELECT e.id::text AS id, bool_or(e.author) AS author FROM everyone e
    WHERE NOT EXISTS (SELECT 1 FROM p WHERE p."authorId" = e.id AND NOT e.author)
    GROUP BY e.id
    HAVING bool_or(e.author) OR coalesce((SELECT c.action::text FROM "ConsentRecord" c
      WHERE c."participantId" = e.id AND c.purpose = 'updates' ORDER BY c.id DESC LIMIT 1), '') <> 'withdrawn'`;
  const events: NoticeEvent[] = people.map((p) => ({
    participantId: p.id,
    kind: 'proposal-outcome',
    eventKey: `outcome:${input.proposalId}:${input.at}`,
    payload: { proposalId: input.proposalId, author: p.author ? 1 : 0 },
  }));
  return recordNotices(deps, events);
}
