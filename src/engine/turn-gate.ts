// The gate every turn passes: one turn at a time per conversation, and an activity id processed once.
// Within a process, turns of a conversation queue behind each other in arrival order; across processes a
// Redis lease (SET NX PX with a token) keeps others out until the turn is over or the lease expires. Taking
// the lease also reads whether the activity was already processed, and giving it back records the turn's
// replies — one round trip each way. A repeat gets the first turn's replies back; a turn that failed is not
// recorded, so the channel's retry runs it again.
import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis/client.ts';
import type { OutboundActivity } from './types.ts';

export class TurnLockTimeoutError extends Error {
  constructor(readonly conversationKey: string) {
    super('Timed out waiting for the turn lock of a conversation');
    this.name = 'TurnLockTimeoutError';
  }
}

// KEYS: lock, seen (optional)  ARGV: token, lease ms  →  0 busy | 1 acquired | {1, replies} already processed
const ACQUIRE = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', tonumber(ARGV[2])) then return 0 end
if KEYS[2] then
  local seen = redis.call('GET', KEYS[2])
  if seen then return {1, seen} end
end
return 1`;

// KEYS: lock, seen (optional)  ARGV: token, replies JSON ('' = none), seen ttl seconds
const RELEASE = `
if KEYS[2] and ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3])) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

export interface TurnGateOptions {
  prefix: string;
  /** Lease: a crashed process's lock frees itself after this long. Longer than any turn. */
  leaseMs?: number;
  /** How long a turn waits for another process's turn before giving up. */
  waitMs?: number;
  /** How long processed activity ids (and their replies) are remembered. */
  seenTtlSeconds?: number;
}

export class TurnGate {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly seenTtl: string;

  constructor(
    private readonly redis: Redis,
    private readonly opts: TurnGateOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.waitMs = opts.waitMs ?? 20_000;
    this.seenTtl = String(opts.seenTtlSeconds ?? 24 * 3600);
  }

  /**
   * Runs `turn` holding the conversation's lock, unless `activityKey` was processed already: then resolves
   * with the replies recorded for it, without running `turn`.
   */
  run(
    conversationKey: string,
    activityKey: string | undefined,
    turn: () => Promise<OutboundActivity[]>,
  ): Promise<OutboundActivity[]> {
    const previous = this.tails.get(conversationKey) ?? Promise.resolve();
    const current = previous
      .catch(() => undefined)
      .then(() => this.gated(conversationKey, activityKey, turn));
    const tail = current.catch(() => undefined);
    this.tails.set(conversationKey, tail);
    void tail.then(() => {
      if (this.tails.get(conversationKey) === tail) this.tails.delete(conversationKey);
    });
    return current;
  }

  private async gated(
    conversationKey: string,
    activityKey: string | undefined,
    turn: () => Promise<OutboundActivity[]>,
  ): Promise<OutboundActivity[]> {
    const keys = [`${this.opts.prefix}:lock:${conversationKey}`];
    if (activityKey !== undefined) keys.push(`${this.opts.prefix}:seen:${activityKey}`);
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 5;
    let acquired: unknown;
    while (
      (acquired = await this.redis.eval(ACQUIRE, { keys, arguments: [token, String(this.leaseMs)] })) === 0
    ) {
      if (Date.now() > deadline) throw new TurnLockTimeoutError(conversationKey);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
    if (Array.isArray(acquired)) {
      await this.release(keys, token, '');
      return JSON.parse(String(acquired[1])) as OutboundActivity[];
    }
    let replies: OutboundActivity[];
    try {
      replies = await turn();
    } catch (error) {
      await this.release(keys, token, '').catch(() => undefined);
      throw error;
    }
    await this.release(keys, token, JSON.stringify(replies));
    return replies;
  }

  private release(keys: string[], token: string, replies: string): Promise<unknown> {
    return this.redis.eval(RELEASE, { keys, arguments: [token, replies, this.seenTtl] });
  }

  /** Waits for every turn in flight in this process (for a graceful shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
