// Asked right before broadcast messages go out: which of these ledger rows are still waiting for their
// message? Not one whose person unsubscribed or withdrew consent meanwhile (row skipped), whose broadcast
// was cancelled, or that was settled already (a copy handed over twice). One query for a whole round of
// the outbox, so a paid-rate broadcast does not cost a database round trip per message.
import type { DomainDeps } from './deps.ts';

export async function listWantedDeliveries(
  deps: Pick<DomainDeps, 'db'>,
  input: { deliveryIds: bigint[] },
): Promise<Set<bigint>> {
  if (input.deliveryIds.length === 0) return new Set();
  const rows = await deps.db.$queryRaw<{ id: bigint }[]>`
    SELECT d.id FROM "BroadcastDelivery" d JOIN "Broadcast" b ON b.id = d."broadcastId"
    WHERE d.id = ANY(${input.deliveryIds}::bigint[]) AND d.status = 'queued' AND b.status = 'sending'`;
  return new Set(rows.map((r) => r.id));
}
