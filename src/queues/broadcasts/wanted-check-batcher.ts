// The outbox asks, message by message, whether a broadcast delivery is still wanted; it asks for a whole
// round of messages in the same tick. The questions asked within one tick are answered together by one
// query (listWantedDeliveries). A failed query answers "not now" by throwing to every asker, as a single
// query would.
import type { DomainDeps } from '../../domain/deps.ts';
import { listWantedDeliveries } from '../../domain/list-wanted-deliveries.ts';

export class WantedCheckBatcher {
  private waiting = new Map<bigint, { resolve: (v: boolean) => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;

  constructor(private readonly domain: Pick<DomainDeps, 'db'>) {}

  isWanted(deliveryId: bigint): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const askers = this.waiting.get(deliveryId) ?? [];
      askers.push({ resolve, reject });
      this.waiting.set(deliveryId, askers);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    try {
      const wanted = await listWantedDeliveries(this.domain, { deliveryIds: [...batch.keys()] });
      for (const [id, askers] of batch) for (const a of askers) a.resolve(wanted.has(id));
    } catch (error) {
      for (const askers of batch.values()) for (const a of askers) a.reject(error);
    }
  }
}
