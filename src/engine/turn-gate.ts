// The gate every turn passes: one turn at a time per conversation, and an activity id processed once.
// Within a process, turns of a conversation queue behind each other in arrival order; across processes a
// Redis lease (SET NX PX with a token) keeps others out until the turn is over or the lease expires. Taking
// the lease also reads whether the activity was already processed, and giving it back records the turn's
// replies — one round trip each way. A repeat gets the first turn's replies back; a turn that failed is not
// recorded, so the channel's retry runs it again.
import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis/client.ts';
import { RedisScript } from '../redis/script.ts';
import type { OutboundActivity } from './types.ts';

export class TurnLockTimeoutError extends Error {
  constructor(readonly conversationKey: string) {
    super('Timed out waiting for the turn lock of a conversation');
    this.name = 'TurnLockTimeoutError';
  }
}

// KEYS: lock, seen ('' = none), flood counter ('' = none)  ARGV: token, lease ms, flood max, flood window s
// → 0 busy | 1 acquired | {1, replies} already processed | 2 sender over the flood limit (no lock taken).
// The flood counter is counted on the first attempt only (the caller passes '' as its key on retries).
const ACQUIRE = new RedisScript(`
if KEYS[3] ~= '' then
  local n = redis.call('INCR', KEYS[3])
  if n == 1 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[4])) end
  if n > tonumber(ARGV[3]) then return 2 end
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', tonumber(ARGV[2])) then return 0 end
if KEYS[2] ~= '' then
  local seen = redis.call('GET', KEYS[2])
  if seen then return {1, seen} end
end
return 1`);

// KEYS: lock, seen ('' = none)  ARGV: token, replies JSON ('' = none), seen ttl seconds
const RELEASE = new RedisScript(`
if KEYS[2] ~= '' and ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3])) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`);

export interface TurnGateOptions {
  prefix: string;
  /** Lease: a crashed process's lock frees itself after this long. Longer than any turn. */
  leaseMs?: number;
  /** How long a turn waits for another process's turn before giving up. */
  waitMs?: number;
  /** How long processed activity ids (and their replies) are remembered. */
  seenTtlSeconds?: number;
  /** Messages a sender may send per window before `run` answers with `onFlood` instead of running. */
  flood?: { max: number; windowSeconds: number };
}

export interface GateRequest {
  conversationKey: string;
  /** Set: a repeat of this key is not run again. */
  activityKey?: string;
  /** Set: counted against the flood limit of this sender. */
  senderKey?: string;
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
   * Runs `turn` holding the conversation's lock, unless the activity was processed already (resolves with
   * the replies recorded for it, without running `turn`) or the sender is over the flood limit (resolves
   * with `onFlood()`, without taking the lock).
   */
  run(
    request: GateRequest,
    turn: () => Promise<OutboundActivity[]>,
    onFlood: () => OutboundActivity[] = () => [],
  ): Promise<OutboundActivity[]> {
    const key = request.conversationKey;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.gated(request, turn, onFlood));
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }

  private async gated(
    request: GateRequest,
    turn: () => Promise<OutboundActivity[]>,
    onFlood: () => OutboundActivity[],
  ): Promise<OutboundActivity[]> {
    const p = this.opts.prefix;
    const lockKeys = [
      `${p}:lock:${request.conversationKey}`,
      request.activityKey !== undefined ? `${p}:seen:${request.activityKey}` : '',
    ];
    const flood = this.opts.flood;
    const window = flood ? Math.floor(Date.now() / 1000 / flood.windowSeconds) : 0;
    let floodKey =
      flood && request.senderKey !== undefined ? `${p}:flood:${request.senderKey}:${window}` : '';
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    let delay = 5;
    let acquired: unknown;
    for (;;) {
      acquired = await ACQUIRE.run(
        this.redis,
        [...lockKeys, floodKey],
        [token, String(this.leaseMs), String(flood?.max ?? 0), String((flood?.windowSeconds ?? 1) * 2)],
      );
      if (acquired === 2) return onFlood();
      if (acquired !== 0) break;
      floodKey = '';
      if (Date.now() > deadline) throw new TurnLockTimeoutError(request.conversationKey);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
    if (Array.isArray(acquired)) {
      await this.release(lockKeys, token, '');
      return JSON.parse(String(acquired[1])) as OutboundActivity[];
    }
    let replies: OutboundActivity[];
    try {
      replies = await turn();
    } catch (error) {
      await this.release(lockKeys, token, '').catch(() => undefined);
      throw error;
    }
    await this.release(lockKeys, token, JSON.stringify(replies));
    return replies;
  }

  private release(keys: string[], token: string, replies: string): Promise<unknown> {
    return RELEASE.run(this.redis, keys, [token, replies, this.seenTtl]);
  }

  /** Waits for every turn in flight in this process (for a graceful shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
