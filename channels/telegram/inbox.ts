// The Telegram inbox (TELEGRAM_WEBHOOK_ACK=queued): the webhook acknowledges an update as soon as Redis holds
// it, and consumers in the same process run the turns afterwards, so Telegram never waits for a turn and a
// burst is absorbed in Redis.
//
// Contract:
// - `accept(update)` resolves once the update is in Redis ("durably queued": Redis as configured, the same
//   store the outbox and the turn gate rely on), or resolves false for an update_id accepted within the last
//   `seenTtlSeconds` (1 h: Telegram repeats an unacknowledged update within minutes; past that the engine's
//   turn gate still applies a turn once for 24 h). It rejects with InboxUnavailableError
//   when Redis cannot take it, and the webhook answers 503 so that Telegram sends it again. An update that
//   cannot be serialised (JSON.stringify throws) is the update's fault, not the store's: that error is
//   thrown as it is, before Redis is called, and the webhook answers 400.
// - Updates are queued per chat — the chat the channel orders by (the message's chat; the user for updates
//   without one) — and handled one at a time per chat, in order, through `channel.handleUpdate`. An update
//   leaves its list only after it was handled (its replies queued in the outbox).
// - A consumer holds a chat under a lease (a token, `leaseMs`), renewed every leaseMs/3 while it handles an
//   update (however long the turn) and with every update. A consumer that dies leaves its chat leased; once
//   the lease has expired any consumer claims it and handles the head update again. That repeat is applied
//   once all the same: the engine's turn gate returns the recorded replies of a processed activity id and
//   the outbox queues an update's messages once.
// - handleUpdate failing with an infrastructure error (a store down) leaves the update at the head and the
//   chat waits 1 s, 2 s, 4 s… up to 30 s before it is tried again — 120 times (about an hour), after which it
//   is logged (update id) and dropped; any other error is logged (update id, error name and code, no content)
//   and the update dropped, as the webhook does: a bug must not block a chat for good.
// - `stop()` lets every consumer finish the update it is handling and returns; what is still queued stays in
//   Redis for the next `start()` (of this or another process).
// - Acknowledged updates exist only in Redis: run it with `maxmemory-policy noeviction` (the lists and leases
//   carry TTLs, so a volatile-* policy may evict them) and `appendonly yes`. `start()` warns otherwise.
//
// Personal data: the lists hold raw Telegram updates (names, texts). They live only until handled — every
// item is removed once its update was handled or dropped — and a chat's list expires `listTtlSeconds` (24 h)
// after its last update (Telegram itself keeps undelivered updates no longer). Erasure removes a chat's list
// (src/redis/participant-traces.ts). Logs carry update ids only.
//
// Keys (prefix `<REDIS_PREFIX>:tg:`):
//   inbox:<chat>        the chat's updates, oldest first: "<update_id> <update JSON>"
//   inbox-ready         sorted set: chats with updates, scored by when they may be claimed (now; the end of a
//                       consumer's lease; the end of a back-off)
//   inbox-lease:<chat>  the token of the consumer holding the chat (PX lease)
//   inbox-att:<chat>    infrastructure failures of the chat's head update (its back-off)
//   inbox-seen:<update> accepted update ids (seenTtlSeconds, 1 h)
//   inbox-wake          wake-ups for idle consumers: one per chat that became ready (capped)
import { randomUUID } from 'node:crypto';
import type { Update } from 'telegraf/types';
import { isInfrastructureError } from '../../src/engine/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { backoffMs, OutageLog } from '../../src/outage-log.ts';
import type { Redis } from '../../src/redis/client.ts';
import { RedisScript } from '../../src/redis/script.ts';
import type { TelegramChannel } from './telegram-channel.ts';

/** Redis did not take the update: the webhook answers 503 and Telegram sends it again. */
export class InboxUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The Telegram inbox could not queue the update', { cause });
    this.name = 'InboxUnavailableError';
  }
}

export interface InboxOptions {
  redis: Redis;
  prefix: string;
  channel: Pick<TelegramChannel, 'handleUpdate'>;
  logger: Logger;
  /** How long a consumer holds a chat without news (renewed every leaseMs/3 in a turn, and per update). */
  leaseMs?: number;
  /** How long an accepted update_id is remembered (repeats dropped). Default 1 h. */
  seenTtlSeconds?: number;
  /** How long a chat's list is kept after its last update. Default 24 h. */
  listTtlSeconds?: number;
  /** Back-off after an infrastructure error: first wait, doubled per failure up to the maximum. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

// Items are "<update_id> <json>": the id is compared without decoding the JSON (as in the outbox).

// KEYS: seen, list, ready, wake  ARGV: now, chat, item, seen ttl seconds, wake cap, list ttl seconds
const ACCEPT = new RedisScript(`
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[4])) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
if redis.call('ZADD', KEYS[3], 'NX', tonumber(ARGV[1]), ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[4], '1')
  redis.call('LTRIM', KEYS[4], -tonumber(ARGV[5]), -1)
  redis.call('EXPIRE', KEYS[4], 3600)
end
return 1`);

// Takes the first chat whose time has come (ready, or its holder's lease or back-off over): sets the lease
// token and scores the chat at the lease's end in the same step, and returns {1, chat, head item}. Chats
// whose list is gone (erased, expired) are dropped on the way. Nothing due: {0, ms until the next chat is
// due, or -1 when there is none}. Chat keys are built here (Plaza runs on one Redis, not a cluster).
// KEYS: ready  ARGV: now, lease ms, token, key prefix
const CLAIM = new RedisScript(`
local now = tonumber(ARGV[1])
for _ = 1, 20 do
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
  if #due == 0 then
    local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    if #nxt == 0 then return {0, -1} end
    return {0, math.max(1, tonumber(nxt[2]) - now)}
  end
  local chat = due[1]
  local head = redis.call('LINDEX', ARGV[4] .. 'inbox:' .. chat, 0)
  if head then
    redis.call('SET', ARGV[4] .. 'inbox-lease:' .. chat, ARGV[3], 'PX', tonumber(ARGV[2]))
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), chat)
    return {1, chat, head}
  end
  redis.call('ZREM', KEYS[1], chat)
  redis.call('DEL', ARGV[4] .. 'inbox-lease:' .. chat, ARGV[4] .. 'inbox-att:' .. chat)
end
return {0, 0}`);

// The head update was handled (or dropped): removes it if it is still that update, and — holder only —
// either keeps the chat (lease renewed) and returns {1, next item}, or gives it back: {0}. A holder whose
// lease was taken over gets {-1} and touches nothing; the new holder handles the chat from its head.
// KEYS: list, ready, lease, attempts, wake  ARGV: chat, token, update id, now, lease ms, keep (1/0)
const DONE = new RedisScript(`
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return {-1} end
local head = redis.call('LINDEX', KEYS[1], 0)
if head and string.sub(head, 1, #ARGV[3] + 1) == ARGV[3] .. ' ' then redis.call('LPOP', KEYS[1]) end
redis.call('DEL', KEYS[4])
local nxt = redis.call('LINDEX', KEYS[1], 0)
if not nxt then
  redis.call('DEL', KEYS[3])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {0}
end
if ARGV[6] == '1' then
  redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[5]))
  redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[5]), ARGV[1])
  return {1, nxt}
end
redis.call('DEL', KEYS[3])
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]), ARGV[1])
redis.call('RPUSH', KEYS[5], '1')
redis.call('EXPIRE', KEYS[5], 3600)
return {0}`);

// While a turn runs: the holder keeps its lease and pushes the chat's claim time on. Returns 1, or 0 when
// the lease is no longer this consumer's.
// KEYS: lease, ready  ARGV: token, chat, now, lease ms
const RENEW = new RedisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('ZADD', KEYS[2], 'XX', tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[2])
return 1`);

// The head update hit an infrastructure error: it stays, the chat is given back and due after a back-off
// that doubles with each failure of that update. Returns the wait in ms, -1 (no longer the holder), or -2
// when that was its `max attempts`-th failure: the caller drops it (DONE), the lease still held.
// KEYS: ready, lease, attempts  ARGV: chat, token, now, base ms, max ms, max attempts
const RETRY = new RedisScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return -1 end
local n = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], 86400)
if n >= tonumber(ARGV[6]) then return -2 end
local wait = math.min(tonumber(ARGV[5]), tonumber(ARGV[4]) * 2 ^ math.min(n - 1, 30))
redis.call('DEL', KEYS[2])
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]) + wait, ARGV[1])
return wait`);

const WAKE_CAP = 1000;
/** Infrastructure failures of one update before it is dropped: about an hour at the 30 s back-off cap. */
export const MAX_INFRA_ATTEMPTS = 120;
/** The longest an idle consumer waits before looking again (wake-ups from other processes may be missed). */
const IDLE_MAX_MS = 2000;

type Json = Record<string, unknown>;

/** What a log line may carry of an error: its name and code (messages may quote values, user text). */
const errorSummary = (error: unknown): { name?: string; code?: string | number } => {
  const e = (error ?? {}) as { name?: unknown; code?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : undefined,
    code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
  };
};

const idOf = (value: unknown): string | undefined => {
  const id = (value as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' || (typeof id === 'string' && /^-?\d{1,20}$/.test(id))
    ? String(id)
    : undefined;
};

/**
 * The chat an update belongs to, as the channel orders turns: the chat of its message (a button press: the
 * chat of the message that carried the button), of a member update; otherwise its sender, which in a private
 * chat is the chat id. Updates with neither share one lane, `_`. A group is one lane (in the moderators'
 * group, members' turns run one after another; the engine would serialise only each member's own).
 */
export function inboxChatKey(update: Update): string {
  for (const [field, value] of Object.entries(update as unknown as Json)) {
    if (field === 'update_id' || !value || typeof value !== 'object') continue;
    const v = value as Json;
    const chat = idOf(v.chat) ?? idOf((v.message as Json | undefined)?.chat) ?? idOf(v.from) ?? idOf(v.user);
    if (chat !== undefined) return chat;
  }
  return '_';
}

export class TelegramInbox {
  private readonly k: (s: string) => string;
  private readonly leaseMs: number;
  private readonly seenTtl: string;
  private readonly listTtl: string;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly log: Logger;
  private running = false;
  private loops: Promise<void>[] = [];
  private waker: Redis | undefined;
  /** Consumers waiting for work: each entry wakes one. */
  private idlers: (() => void)[] = [];
  /** Consumers backing off after a failure: stop ends their wait. */
  private readonly sleepers = new Set<() => void>();
  private warnedEviction = false;
  /** The consumers' failing claims (Redis down), told once for all of them, and their end once. */
  private readonly claims: OutageLog;
  /** Updates left at their chat's head by an infrastructure error, told once while it lasts. */
  private readonly turns: OutageLog;
  private readonly onRedisReady = () => {
    for (const wake of [...this.sleepers]) wake();
  };

  constructor(private readonly opts: InboxOptions) {
    this.k = (s) => `${opts.prefix}:tg:${s}`;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.seenTtl = String(opts.seenTtlSeconds ?? 3600);
    this.listTtl = String(opts.listTtlSeconds ?? 24 * 3600);
    this.retryBaseMs = opts.retryBaseMs ?? 1000;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    this.log = opts.logger.child({ module: 'telegram-inbox' });
    this.claims = new OutageLog({
      logger: this.log,
      level: 'warn',
      down: 'inbox consumers cannot claim chats; retrying with back-off',
      up: 'inbox consumers resumed',
    });
    this.turns = new OutageLog({
      logger: this.log,
      level: 'warn',
      down: 'inbox updates not processed (infrastructure error); their chats retry with back-off',
      up: 'inbox updates processed again',
    });
  }

  /**
   * Queues the update for its chat, once per update_id. Resolves true when queued, false for a repeat;
   * rejects with InboxUnavailableError when Redis did not take it (down, read-only, out of memory).
   */
  async accept(update: Update): Promise<boolean> {
    const chat = inboxChatKey(update);
    const id = String(update.update_id);
    const item = `${id} ${JSON.stringify(update)}`;
    try {
      const queued = await ACCEPT.run(
        this.opts.redis,
        [this.k(`inbox-seen:${id}`), this.k(`inbox:${chat}`), this.k('inbox-ready'), this.k('inbox-wake')],
        [String(Date.now()), chat, item, this.seenTtl, String(WAKE_CAP), this.listTtl],
      );
      return queued === 1;
    } catch (error) {
      throw new InboxUnavailableError(error);
    }
  }

  /** Updates waiting for a chat, the one being handled included (for tests and benchmarks). */
  pending(chatId: string): Promise<number> {
    return this.opts.redis.lLen(this.k(`inbox:${chatId}`));
  }

  /** Chats with updates waiting or being handled: 0 when everything accepted has been handled. */
  backlog(): Promise<number> {
    return this.opts.redis.zCard(this.k('inbox-ready'));
  }

  /** Runs `concurrency` consumers in this process (each handles one chat at a time). */
  start(opts: { concurrency: number }): void {
    if (this.running) return;
    this.running = true;
    // Redis reconnected: consumers backing off look again at once.
    this.opts.redis.on('ready', this.onRedisReady);
    void this.checkEviction();
    this.loops = [this.wakeLoop()];
    for (let i = 0; i < opts.concurrency; i++) this.loops.push(this.consume());
  }

  /** Stops claiming; waits for the updates being handled. What is still queued stays for the next start. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.opts.redis.off('ready', this.onRedisReady);
    for (const wake of [...this.idlers.splice(0), ...this.sleepers]) wake();
    // Ends a blocking pop in progress at once (its loop sees `running` false and leaves).
    this.waker?.destroy();
    await Promise.all(this.loops);
    this.loops = [];
    this.waker = undefined;
  }

  /**
   * Acknowledged updates live only in Redis: an eviction policy other than noeviction may drop them (their
   * keys carry TTLs, so volatile-* ones too). Warns once; a Redis that refuses CONFIG is not checked.
   */
  private async checkEviction(): Promise<void> {
    if (this.warnedEviction) return;
    let policy: string | undefined;
    try {
      const reply = (await this.opts.redis.configGet('maxmemory-policy')) as unknown;
      const value =
        reply instanceof Map
          ? (reply.get('maxmemory-policy') as unknown)
          : (reply as Record<string, unknown> | undefined)?.['maxmemory-policy'];
      policy = value === undefined || value === null ? undefined : String(value);
    } catch {
      return;
    }
    if (policy === undefined || policy === 'noeviction' || this.warnedEviction) return;
    this.warnedEviction = true;
    this.log.warn(
      { maxmemoryPolicy: policy },
      'Redis may evict queued Telegram updates: run it with maxmemory-policy noeviction (and appendonly yes)',
    );
  }

  /**
   * Blocks on the wake-up list over a connection of its own (a blocking pop holds its connection) and
   * wakes one idle consumer per wake-up; accepts in any process push them.
   */
  private async wakeLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!this.waker) {
          const waker = this.opts.redis.duplicate();
          waker.on('error', () => undefined);
          this.waker = waker as Redis;
          await waker.connect();
        }
        const popped = await this.waker.blPop(this.k('inbox-wake'), 1);
        failures = 0;
        if (popped) this.wakeOne();
      } catch {
        if (!this.running) break;
        this.waker?.destroy();
        this.waker = undefined;
        await this.pause(backoffMs(++failures, this.retryBaseMs, this.retryMaxMs));
      }
    }
  }

  private wakeOne(): void {
    this.idlers.shift()?.();
  }

  private async consume(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const token = randomUUID();
      let waitMs: number;
      try {
        const claimed = (await CLAIM.run(
          this.opts.redis,
          [this.k('inbox-ready')],
          [String(Date.now()), String(this.leaseMs), token, this.k('')],
        )) as (number | string)[];
        if (failures > 0) {
          failures = 0;
          this.claims.recovered();
        }
        if (claimed[0] === 1) {
          // There may be more: another idle consumer looks too.
          this.wakeOne();
          await this.drain(String(claimed[1]), token, String(claimed[2]));
          continue;
        }
        waitMs = Number(claimed[1]);
      } catch (error) {
        // Redis is down (or the lease bookkeeping failed): the chat, if any, is taken again when its lease
        // ends; this consumer waits 1 s, 2 s… up to 30 s (Redis reconnecting ends the wait). One line for
        // all the consumers, not one per attempt.
        const wait = backoffMs(++failures, this.retryBaseMs, this.retryMaxMs);
        this.claims.failed(error, { retryInMs: wait });
        await this.pause(wait);
        continue;
      }
      await this.idle(waitMs < 0 ? IDLE_MAX_MS : Math.min(waitMs, IDLE_MAX_MS));
    }
  }

  /** Handles a claimed chat's updates in order until it is empty, lost, waiting to retry, or we stop. */
  private async drain(chat: string, token: string, first: string): Promise<void> {
    let item: string | undefined = first;
    while (item !== undefined) {
      const space = item.indexOf(' ');
      const updateId = item.slice(0, space);
      try {
        await this.handle(chat, token, updateId, JSON.parse(item.slice(space + 1)) as Update);
        this.turns.recovered();
      } catch (error) {
        const err = errorSummary(error);
        if (!isInfrastructureError(error)) {
          this.log.error(
            { updateId: Number(updateId), err },
            'update failed; dropped to keep the chat moving',
          );
        } else {
          const wait = Number(
            await RETRY.run(
              this.opts.redis,
              [this.k('inbox-ready'), this.k(`inbox-lease:${chat}`), this.k(`inbox-att:${chat}`)],
              [
                chat,
                token,
                String(Date.now()),
                String(this.retryBaseMs),
                String(this.retryMaxMs),
                String(MAX_INFRA_ATTEMPTS),
              ],
            ),
          );
          if (wait !== -2) {
            // The store is down for every chat alike: told once (and once a minute), not per update and try.
            this.turns.failed(err, { updateId: Number(updateId), retryInMs: wait });
            this.log.debug(
              { updateId: Number(updateId), err, retryInMs: wait },
              'update not processed; retrying later',
            );
            return;
          }
          this.log.error(
            { updateId: Number(updateId), err, attempts: MAX_INFRA_ATTEMPTS },
            'update still not processed after every retry; dropped',
          );
        }
      }
      const next = (await DONE.run(
        this.opts.redis,
        [
          this.k(`inbox:${chat}`),
          this.k('inbox-ready'),
          this.k(`inbox-lease:${chat}`),
          this.k(`inbox-att:${chat}`),
          this.k('inbox-wake'),
        ],
        [chat, token, updateId, String(Date.now()), String(this.leaseMs), this.running ? '1' : '0'],
      )) as (number | string)[];
      item = next[0] === 1 ? String(next[1]) : undefined;
    }
  }

  /**
   * Runs one update, renewing the chat's lease every leaseMs/3 meanwhile so that no other consumer takes the
   * chat over (and runs the update again, or the next ones before it) while a long turn is still running.
   */
  private async handle(chat: string, token: string, updateId: string, update: Update): Promise<void> {
    let renewing: Promise<void> = Promise.resolve();
    let lost = false;
    const renew = () => {
      renewing = renewing
        .then(() =>
          RENEW.run(
            this.opts.redis,
            [this.k(`inbox-lease:${chat}`), this.k('inbox-ready')],
            [token, chat, String(Date.now()), String(this.leaseMs)],
          ),
        )
        .then((held) => {
          if (held === 1 || lost) return;
          lost = true;
          this.log.warn({ updateId: Number(updateId) }, 'inbox lease lost during a turn');
        })
        // Redis unreachable: the next renewal tries again; the lease may lapse meanwhile.
        .catch(() => undefined);
    };
    const timer = setInterval(renew, Math.max(1, Math.floor(this.leaseMs / 3)));
    try {
      await this.opts.channel.handleUpdate(update);
    } finally {
      clearInterval(timer);
      await renewing;
    }
  }

  /** Waits for a wake-up, `ms`, or stop. */
  private idle(ms: number): Promise<void> {
    // stop() may already have woken the idle consumers: this one would wait its full `ms`.
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const i = this.idlers.indexOf(done);
        if (i >= 0) this.idlers.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.idlers.push(done);
    });
  }

  /** Sleeps `ms` (a back-off: wake-ups do not end it), cut short by stop. */
  private pause(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
