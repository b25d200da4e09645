// One turn at a time per conversation. Within a process, turns of a conversation queue behind each other in
// arrival order; across processes, a Redis lock (SET NX PX with a token, released by compare-and-delete)
// keeps a second process out until the first is done or its lease expires.
import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis/client.ts';

export class TurnLockTimeoutError extends Error {
  constructor(readonly conversationKey: string) {
    super(`Timed out waiting for the turn lock of a conversation`);
    this.name = 'TurnLockTimeoutError';
  }
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface TurnLockOptions {
  prefix: string;
  /** Lease: a crashed process's lock frees itself after this long. Longer than any turn. */
  leaseMs?: number;
  /** How long a turn waits for another process's turn before giving up. */
  waitMs?: number;
}

export class TurnLock {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly opts: TurnLockOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.waitMs = opts.waitMs ?? 20_000;
  }

  /** Runs `fn` holding the conversation's lock. */
  run<T>(conversationKey: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationKey) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.withRedisLock(conversationKey, fn));
    const tail = current.catch(() => undefined);
    this.tails.set(conversationKey, tail);
    void tail.then(() => {
      if (this.tails.get(conversationKey) === tail) this.tails.delete(conversationKey);
    });
    return current;
  }

  private async withRedisLock<T>(conversationKey: string, fn: () => Promise<T>): Promise<T> {
    const key = `${this.opts.prefix}:lock:${conversationKey}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 5;
    while (
      (await this.redis.set(key, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: this.leaseMs },
      })) !== 'OK'
    ) {
      if (Date.now() > deadline) throw new TurnLockTimeoutError(conversationKey);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE, { keys: [key], arguments: [token] }).catch(() => undefined);
    }
  }

  /** Waits for every turn in flight in this process (for a graceful shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
