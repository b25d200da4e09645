// The gate every turn passes: one turn at a time per conversation, and an activity id processed once.
// Within a process, turns of a conversation queue behind each other in arrival order; across processes a
// Redis lease (SET NX PX with a token, renewed while the turn runs) keeps others out until the turn is over
// or its process dies and the lease expires. Taking
// the lease also reads whether the activity was already processed and, when asked, the conversation's
// stored state; giving it back writes the state the turn left (compare-and-set on its eTag) and records the
// turn's replies — one round trip each way, so a turn's state costs no round trip of its own. A repeat gets
// the first turn's replies back; a turn that failed, whose lease ran out anyway, or whose state was changed
// meanwhile by someone else, is not recorded, so the channel's retry runs it again.
import { randomUUID } from 'node:crypto';
import type { Redis } from '../redis/client.ts';
import pLimit, { type LimitFunction } from 'p-limit';
import { RedisScript } from '../redis/script.ts';
import type { OutboundActivity } from './types.ts';

export class TurnLockTimeoutError extends Error {
  constructor(readonly conversationKey: string) {
    super('Timed out waiting for the turn lock of a conversation');
    this.name = 'TurnLockTimeoutError';
  }
}

// KEYS: lock, seen ('' = none), flood counter ('' = none), state ('' = none)
// ARGV: token, lease ms, flood max, flood window s
// → 0 busy | 1 acquired | {1, replies} already processed | {3, stored state or ''} acquired (state key given)
// | 2 or {2, stored state or ''} (state key given) the sender's first message over the flood limit in this
// window | 4 a later one (no lock taken for either). The state comes along so the "slow down" answer can be
// in the conversation's language without a round trip of its own.
// The flood counter is counted on the first attempt only (the caller passes '' as its key on retries).
const ACQUIRE = new RedisScript(`
if KEYS[3] ~= '' then
  local n = redis.call('INCR', KEYS[3])
  if n == 1 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[4])) end
  if n > tonumber(ARGV[3]) + 1 then return 4 end
  if n > tonumber(ARGV[3]) then
    if KEYS[4] ~= '' then return {2, redis.call('GET', KEYS[4]) or ''} end
    return 2
  end
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', tonumber(ARGV[2])) then return 0 end
if KEYS[2] ~= '' then
  local seen = redis.call('GET', KEYS[2])
  if seen then return {1, seen} end
end
if KEYS[4] ~= '' then return {3, redis.call('GET', KEYS[4]) or ''} end
return 1`);

// KEYS: lock ARGV: token, lease ms → 1 extended | 0 the lock is no longer this turn's.
const RENEW = new RedisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 0`);

// KEYS: lock, seen ('' = none), state ('' = none)
// ARGV: token, replies JSON ('' = none), seen ttl seconds, expected state eTag ('*' = any, '' = there was
// none), new state ('' = none), state ttl seconds, '1' = remove the state instead
// → 1 | 0 another turn holds the lock (this one's lease ran out and it was taken), or the stored state is
// not the one expected: nothing written, removed or recorded, lock freed if still ours. A lock that is gone
// (the person's data erased by this very turn, or an expired lease nobody took) stops nothing: the state's
// compare-and-set still guards what is written. A
// state that is gone (erased meanwhile, or expired) is written. State values are "<eTag> <JSON>"
// (turn-state.ts), so the eTag is compared without decoding the JSON.
const RELEASE = new RedisScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
if KEYS[3] ~= '' and (ARGV[5] ~= '' or ARGV[7] == '1') then
  local current = redis.call('GET', KEYS[3])
  if current and ARGV[4] ~= '*' and (ARGV[4] == '' or string.sub(current, 1, #ARGV[4] + 1) ~= ARGV[4] .. ' ') then
    if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
    return 0
  end
  if ARGV[7] == '1' then redis.call('DEL', KEYS[3]) else redis.call('SET', KEYS[3], ARGV[5], 'EX', tonumber(ARGV[6])) end
end
if KEYS[2] ~= '' and ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3])) end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`);

interface StateWrite {
  expected: string;
  value: string;
  ttl: number;
  remove: boolean;
}

/** The turn found the conversation's stored state changed by someone else: nothing of it was kept. */
export class StateConflictError extends Error {
  constructor(readonly conversationKey: string) {
    super('The conversation state changed during the turn');
    this.name = 'StateConflictError';
  }
}

/**
 * A conversation's stored state as the gate read it when the turn began; what the turn puts with `save` is
 * written (with `remove`, the state removed) when the gate is given back, if the stored value still carries
 * `expected` ('*' = any, '' = there was none).
 */
export interface StateSlot {
  /** The stored value ("<eTag> <JSON>"), or undefined when there is none. */
  readonly stored: string | undefined;
  save(expected: string, value: string, ttlSeconds: number): void;
  remove(expected: string): void;
}

export interface TurnGateOptions {
  prefix: string;
  /** Lease: a crashed process's lock frees itself after this long. Longer than any turn. */
  leaseMs?: number;
  /** How long a turn waits for another process's turn before giving up. */
  waitMs?: number;
  /** How long processed activity ids (and their replies) are remembered. */
  seenTtlSeconds?: number;
  /**
   * Messages a sender may send per window. The first one over it is answered with `onFlood` instead of
   * running; the rest of the window's are dropped (nothing runs, nothing is answered).
   */
  flood?: { max: number; windowSeconds: number };
  /**
   * Turns this process runs at once; the others wait, in order and before taking their conversation's lock
   * (so a wait never eats into a lease). Unset: no limit.
   */
  concurrency?: number;
}

export interface GateRequest {
  conversationKey: string;
  /** Set: a repeat of this key is not run again. */
  activityKey?: string;
  /** Set: counted against the flood limit of this sender. */
  senderKey?: string;
  /** Set: this Redis key is read with the lock and handed to the turn, and written back with its release. */
  stateKey?: string;
  /** Called once the turn is about to run, holding the lock (TurnHooks.onStart). */
  onStart?: () => void;
}

export class TurnGate {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly seenTtl: string;
  private readonly slots: LimitFunction | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly opts: TurnGateOptions,
  ) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.waitMs = opts.waitMs ?? 20_000;
    this.seenTtl = String(opts.seenTtlSeconds ?? 24 * 3600);
    this.slots = opts.concurrency !== undefined ? pLimit(opts.concurrency) : undefined;
  }

  /**
   * Runs `turn` holding the conversation's lock, unless the activity was processed already (resolves with
   * the replies recorded for it, without running `turn`) or the sender is over the flood limit (without
   * taking the lock: resolves with `onFlood(stored state)` for the first message over it in the window,
   * with nothing for the others).
   */
  run(
    request: GateRequest,
    turn: (state: StateSlot) => Promise<OutboundActivity[]>,
    onFlood: (stored: string | undefined) => OutboundActivity[] = () => [],
  ): Promise<OutboundActivity[]> {
    const key = request.conversationKey;
    const previous = this.tails.get(key) ?? Promise.resolve();
    // A conversation's next turn queues behind its previous one first, then for a slot: a slot is never
    // held by a turn that waits for another turn of this process.
    const gated = () => this.gated(request, turn, onFlood);
    const slots = this.slots;
    const current = previous.catch(() => undefined).then(() => (slots ? slots(gated) : gated()));
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }

  private async gated(
    request: GateRequest,
    turn: (state: StateSlot) => Promise<OutboundActivity[]>,
    onFlood: (stored: string | undefined) => OutboundActivity[],
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
        [...lockKeys, floodKey, request.stateKey ?? ''],
        [token, String(this.leaseMs), String(flood?.max ?? 0), String((flood?.windowSeconds ?? 1) * 2)],
      );
      if (acquired === 4) return [];
      if (acquired === 2) return onFlood(undefined);
      if (Array.isArray(acquired) && acquired[0] === 2)
        return onFlood(acquired[1] ? String(acquired[1]) : undefined);
      if (acquired !== 0) break;
      floodKey = '';
      if (Date.now() > deadline) throw new TurnLockTimeoutError(request.conversationKey);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
    if (Array.isArray(acquired) && acquired[0] === 1) {
      await this.release(lockKeys, token, '');
      return JSON.parse(String(acquired[1])) as OutboundActivity[];
    }
    const stored = Array.isArray(acquired) && acquired[1] ? String(acquired[1]) : undefined;
    let write: StateWrite | undefined;
    const slot: StateSlot = {
      stored,
      save: (expected, value, ttl) => {
        write = { expected, value, ttl, remove: false };
      },
      remove: (expected) => {
        write = { expected, value: '', ttl: 0, remove: true };
      },
    };
    let replies: OutboundActivity[];
    const lease = this.keepLease(lockKeys[0]!, token);
    try {
      request.onStart?.();
      replies = await turn(slot);
    } catch (error) {
      await lease.stop();
      await this.release(lockKeys, token, '').catch(() => undefined);
      throw error;
    }
    await lease.stop();
    let released: unknown;
    try {
      released = await this.release(
        lockKeys,
        token,
        JSON.stringify(replies),
        write && request.stateKey !== undefined ? { key: request.stateKey, ...write } : undefined,
      );
    } catch (error) {
      // Not recorded: free the lock at least, if Redis answers (otherwise the lease frees it).
      await this.release(lockKeys, token, '').catch(() => undefined);
      throw error;
    }
    if (released === 0) throw new StateConflictError(request.conversationKey);
    return replies;
  }

  /**
   * Extends the lease every third of it while the turn runs (a slow database can hold a turn past it), so
   * that no other process takes the conversation meanwhile. Renewals run one at a time and a failed one is
   * let be: if the lease does run out and another turn takes the lock, the release keeps nothing of this one.
   */
  private keepLease(lockKey: string, token: string): { stop(): Promise<void> } {
    let renewing: Promise<unknown> = Promise.resolve();
    const timer = setInterval(
      () => {
        renewing = renewing
          .then(() => RENEW.run(this.redis, [lockKey], [token, String(this.leaseMs)]))
          .catch(() => undefined);
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  private release(
    keys: string[],
    token: string,
    replies: string,
    state?: StateWrite & { key: string },
  ): Promise<unknown> {
    return RELEASE.run(
      this.redis,
      [...keys, state?.key ?? ''],
      [
        token,
        replies,
        this.seenTtl,
        state?.expected ?? '*',
        state?.value ?? '',
        String(state?.ttl ?? 0),
        state?.remove ? '1' : '',
      ],
    );
  }

  /** Waits for every turn in flight in this process (for a graceful shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
