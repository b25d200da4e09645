// Asked right before a broadcast message goes out: is its ledger row still waiting for it? Not when the
// person unsubscribed or withdrew consent meanwhile (row skipped), the broadcast was cancelled, or it was
// settled already (a copy handed over twice).
import type { DomainDeps } from './deps.ts';

export async function isDeliveryWanted(
  deps: Pick<DomainDeps, 'db'>,
  input: { deliveryId: bigint },
): Promise<boolean> {
  const [row] = await deps.db.$queryRaw<{ wanted: boolean }[]>`
    SELECT d.status = 'queued' AND b.status = 'sending' AS wanted
    FROM "BroadcastDelivery" d JOIN "Broadcast" b ON b.id = d."broadcastId" WHERE d.id = ${input.deliveryId}`;
  return row?.wanted === true;
}
