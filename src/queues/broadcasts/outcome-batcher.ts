// Telegram answers each broadcast message separately; the ledger is updated in batches (one UPDATE per
// outcome kind every `flushMs`), so a paid-rate broadcast does not cost a database round trip per message.
// A crash loses at most the last batch's outcomes: those rows stay `queued`, are handed over again after the
// stale delay, and the outbox's per-delivery key keeps that from sending twice while it remembers them.
import type { DomainDeps } from '../../domain/deps.ts';
import { settleBroadcastDeliveries } from '../../domain/settle-broadcast-deliveries.ts';
import type { Logger } from '../../logger.ts';

export class OutcomeBatcher {
  private sent: bigint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly domain: Pick<DomainDeps, 'db' | 'now'>,
    private readonly logger: Logger,
    private readonly flushMs = 200,
  ) {}

  /** A message went out. */
  sentOne(deliveryId: bigint): void {
    this.sent.push(deliveryId);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Failures are rare: settled at once, with their reason. */
  async failed(deliveryId: bigint, reason: string): Promise<void> {
    await settleBroadcastDeliveries(this.domain, { ids: [deliveryId], outcome: 'failed', error: reason });
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = this.sent;
    this.sent = [];
    this.flushing = this.flushing.then(async () => {
      if (ids.length === 0) return;
      try {
        await settleBroadcastDeliveries(this.domain, { ids, outcome: 'sent' });
      } catch (error) {
        this.logger.error(
          { err: error, count: ids.length },
          'broadcast outcomes not recorded; rows stay queued',
        );
      }
    });
    return this.flushing;
  }
}
