// The sender takes the next recipients of a broadcast from the ledger: rows still `pending` become
// `queued` (handed to the channel) — except those who meanwhile unsubscribed from the process or withdrew
// their `updates` consent, who become `skipped`. Row locks (SKIP LOCKED) let several senders share a
// broadcast without taking a row twice.
import type { DomainDeps } from './deps.ts';

export interface ClaimedDelivery {
  id: bigint;
  participantId: string;
  channel: string;
  locale: string;
  /** The account to send to on that channel (a Telegram chat id), null if it is gone. */
  externalId: string | null;
}

export async function claimBroadcastDeliveries(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { broadcastId: number; max: number },
): Promise<ClaimedDelivery[]> {
  const now = deps.now();
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<(ClaimedDelivery & { still: boolean })[]>`
      SELECT d.id, d."participantId"::text AS "participantId", d.channel, d.locale,
        (SELECT a."externalId" FROM "ChannelAccount" a
          WHERE a."participantId" = d."participantId" AND a.channel = d.channel LIMIT 1) AS "externalId",
        (EXISTS (SELECT 1 FROM "Subscription" s
            WHERE s."participantId" = d."participantId" AND s."processId" = b."processId")
         AND (SELECT c.action::text FROM "ConsentRecord" c WHERE c."participantId" = d."participantId"
            AND c.purpose = 'updates' ORDER BY c.id DESC LIMIT 1) = 'given') AS still
      FROM "BroadcastDelivery" d JOIN "Broadcast" b ON b.id = d."broadcastId"
      WHERE d."broadcastId" = ${input.broadcastId} AND d.status = 'pending'
      ORDER BY d.id LIMIT ${input.max}
      FOR UPDATE OF d SKIP LOCKED`;
    const go = rows.filter((r) => r.still && r.externalId !== null);
    const skip = rows.filter((r) => !r.still || r.externalId === null);
    if (skip.length > 0)
      await tx.$executeRaw`UPDATE "BroadcastDelivery" SET status = 'skipped'
        WHERE id = ANY(${skip.map((r) => r.id)}::bigint[])`;
    if (go.length > 0)
      await tx.$executeRaw`UPDATE "BroadcastDelivery"
        SET status = 'queued', "queuedAt" = ${now}, attempts = attempts + 1
        WHERE id = ANY(${go.map((r) => r.id)}::bigint[])`;
    return go.map(({ still: _still, ...d }) => d);
  });
}
