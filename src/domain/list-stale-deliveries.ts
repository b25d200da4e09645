// Rows handed to a channel long ago and still not settled: their message was lost on the way (Redis was
// flushed or restarted without persistence, a process died holding it). The sender hands them again; the
// channel's once-per-delivery key makes that a no-op when the message is in fact still queued.
import type { DomainDeps } from './deps.ts';
import type { ClaimedDelivery } from './claim-broadcast-deliveries.ts';

export async function listStaleDeliveries(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { broadcastId: number; olderThanMs: number; max: number },
): Promise<(ClaimedDelivery & { queuedAt: Date })[]> {
  const before = new Date(deps.now().getTime() - input.olderThanMs);
  return deps.db.$queryRaw<(ClaimedDelivery & { queuedAt: Date })[]>`
    SELECT d.id, d."participantId"::text AS "participantId", d.channel, d.locale, a."externalId", d."queuedAt"
    FROM "BroadcastDelivery" d
    JOIN "ChannelAccount" a ON a."participantId" = d."participantId" AND a.channel = d.channel
    WHERE d."broadcastId" = ${input.broadcastId} AND d.status = 'queued' AND d."queuedAt" < ${before}
    ORDER BY d.id LIMIT ${input.max}`;
}
