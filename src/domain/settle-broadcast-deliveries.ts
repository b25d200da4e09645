// What happened to ledger rows handed to a channel: sent, waiting (web chat: kept for their next visit),
// failed (with the channel's reason, after its retries) or blocked (the person blocked the bot: they are
// also unsubscribed from every process, so nothing is tried again). Only rows still `queued` change: a
// late report never undoes a cancellation or a skip. Batched: the sender reports many at once.
import type { DomainDeps } from './deps.ts';

export type DeliveryOutcome = 'sent' | 'waiting' | 'failed' | 'blocked';

export async function settleBroadcastDeliveries(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { ids: bigint[]; outcome: DeliveryOutcome; error?: string },
): Promise<number> {
  if (input.ids.length === 0) return 0;
  const now = deps.now();
  const sentAt = input.outcome === 'sent' || input.outcome === 'waiting' ? now : null;
  const error = input.error?.slice(0, 200) ?? null;
  return deps.db.$executeRaw`
    UPDATE "BroadcastDelivery"
    SET status = ${input.outcome}::"DeliveryStatus", "sentAt" = ${sentAt}, error = ${error}
    WHERE id = ANY(${input.ids}::bigint[]) AND status = 'queued'`;
}
