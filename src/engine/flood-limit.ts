// A fixed-window message counter per sender. Over the limit, the engine answers "slow down" instead of
// running the turn (cheap, and the person is not left in silence).
import type { Redis } from '../redis/client.ts';

export class FloodLimit {
  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix: string; max: number; windowSeconds: number },
  ) {}

  /** Counts one message; true when the sender is over the limit in the current window. */
  async exceeded(senderKey: string): Promise<boolean> {
    const window = Math.floor(Date.now() / 1000 / this.opts.windowSeconds);
    const key = `${this.opts.prefix}:flood:${senderKey}:${window}`;
    const [count] = (await this.redis
      .multi()
      .incr(key)
      .expire(key, this.opts.windowSeconds * 2)
      .exec()) as unknown as [number];
    return count > this.opts.max;
  }
}
