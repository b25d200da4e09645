// The notices of one retention warning (warn-inactive-participants, `at` its time) not delivered yet, with
// the account each goes to, for the notifications worker to hand to their channel. Recorded with the
// warning itself, so there is nothing to record here.
import type { DomainDeps } from './deps.ts';
import type { PendingNotice } from './notices.ts';
import { retentionWarningKey } from './retention.ts';

export async function findPendingRetentionWarnings(
  deps: Pick<DomainDeps, 'db'>,
  input: { at: number },
): Promise<PendingNotice[]> {
  return deps.db.$queryRaw<PendingNotice[]>`
    SELECT n.id, n."participantId"::text AS "participantId", n.channel, a."externalId"
    FROM "Notice" n JOIN "ChannelAccount" a ON a."participantId" = n."participantId" AND a.channel = n.channel
    WHERE n."eventKey" = ${retentionWarningKey(new Date(input.at))} AND n."deliveredAt" IS NULL
    ORDER BY n.id`;
}
