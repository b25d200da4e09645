// The durable way out to Telegram. A handled update's messages are queued in Redis (once per update, in
// order, per chat) before Telegram is acknowledged; a delivery loop — in any number of processes — sends them
// at Telegram's pace: at most `perSecond` messages per rolling second overall (a sliding window in Redis),
// one message per chat every `chatIntervalMs`, in order, and to a group (a negative chat id) at most
// `groupLimit` messages a minute (Telegram's 20; a sliding window per group, kept by the script that settles
// each send, so private chats cost nothing more). A 429 in a private chat pauses every send for its
// `retry_after` (there it most likely means the global limit); a 429 in a group pauses that group only (its
// own limit). A 403 (the person blocked the bot) drops that chat's queue and reports it, with the recorded
// calls it held (their update keys freed, so a notice can be queued again) — except in a `keptChats` chat
// (the moderators' room, the bot removed from it): its messages stay queued, retried every few minutes, each
// refusal logged as an error. A 400 (a malformed message) is dropped at once. Other
// failures — Telegram answering 5xx, the connection failing, no answer in time — keep the message queued,
// retried with back-off up to a minute apart, for about an hour (`maxAttempts`; Telegram failing is logged
// once, with reminders, not per message) before it is dropped, logged as an error with the chat's name and
// the record; a dropped recorded call frees its update key, so its sender can queue it again. Delivery is at least once: a process that dies mid-send
// leaves its chat leased for `leaseMs`, after which another process sends that message again.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../src/logger.ts';
import { backoffMs, OutageLog } from '../../src/outage-log.ts';
import type { Redis } from '../../src/redis/client.ts';
import { RedisScript } from '../../src/redis/script.ts';
import { SAVE_KEYBOARD_LUA, type KeyboardWrite } from './buttons.ts';

export interface OutgoingCall {
  /** Unique per message, to pop exactly the message that was sent. */
  id: string;
  method: 'sendMessage' | 'editMessageText' | 'sendDocument' | 'sendPhoto';
  params: Record<string, unknown>;
  /** A name under which the sender wants to learn the result (onSent), e.g. a case card's message id. */
  record?: string;
  /** Set by the outbox on recorded calls: the update key they were queued under (freed if they are dropped). */
  once?: string;
  /**
   * Without a record of its own, asked about under this one right before sending (shouldSend) all the same:
   * the earlier parts of a long recorded message, not sent either once it is no longer wanted.
   */
  partOf?: string;
}

/**
 * A file to upload (sendPhoto's `photo`), JSON-safe so it can wait in Redis. It becomes telegraf's InputFile
 * (`{ source: Buffer, filename }`, sent as multipart/form-data) only when the call goes out.
 */
export interface QueuedUpload {
  base64: string;
  filename: string;
}

const UPLOAD_FIELDS = ['photo', 'document'] as const;

/** The call's parameters as the Bot API client takes them: queued uploads turned into file contents. */
export function withUploads(params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  for (const field of UPLOAD_FIELDS) {
    const value = out[field] as Partial<QueuedUpload> | undefined;
    if (value && typeof value === 'object' && typeof value.base64 === 'string')
      out[field] = {
        source: Buffer.from(value.base64, 'base64'),
        filename: value.filename ?? `${field}.dat`,
      };
  }
  return out;
}

/** What the delivery loop needs from the Bot API client: throws TelegramError-like errors. */
export type CallApi = (
  method: string,
  params: Record<string, unknown>,
  options?: { signal?: AbortSignal },
) => Promise<unknown>;

export interface OutboxOptions {
  redis: Redis;
  prefix: string;
  callApi: CallApi;
  logger: Logger;
  perSecond: number;
  chatIntervalMs: number;
  /**
   * Called when Telegram says a chat cannot be reached (403), with the recorded calls its dropped queue held
   * (the refused one among them), so their senders learn they did not go out (a notice waits for the
   * person's return). Their update keys are freed, as for calls given up.
   */
  onBlocked?: (chatId: string, dropped: OutgoingCall[]) => Promise<void>;
  /** Called after a call with `record` succeeded, with Telegram's result. */
  onSent?: (call: OutgoingCall, result: unknown) => Promise<void>;
  /** Called when a call with `record` is given up (a 400, or retries exhausted), with the reason. */
  onDropped?: (call: OutgoingCall, reason: string) => Promise<void>;
  /** Asked right before sending a call with `record`: false drops it unsent (e.g. the person unsubscribed). */
  shouldSend?: (call: OutgoingCall) => Promise<boolean>;
  /**
   * Tries of one message before it is given up (a 400 is at once; a 403 and a 429 are not failures of the
   * message). Default 64: with the default back-off, about an hour of Telegram failing or unreachable.
   */
  maxAttempts?: number;
  /** Waits between the tries of a failed message: doubling from `baseMs` up to `maxMs` (1 s to 60 s). */
  sendRetry?: { baseMs: number; maxMs: number };
  leaseMs?: number;
  /** Messages on their way at once from one process. */
  concurrency?: number;
  /**
   * A call Telegram has not answered in this long is abandoned and retried like a 5xx (it may have arrived:
   * delivery is at least once). Default half the lease, which must outlast it.
   */
  sendTimeoutMs?: number;
  /** At most `messages` per `perMs` to one group (negative chat id). Default: Telegram's 20 a minute. */
  groupLimit?: { messages: number; perMs: number };
  /**
   * Chats whose messages a 403 must not drop, by the name the log gives them (the moderators' room: the bot
   * was removed from the group, and is added back). Their queue is kept and retried, and never reported to
   * onBlocked (which is about people).
   */
  keptChats?: Readonly<Record<string, string>>;
  /** How long a kept chat waits after its first 403; doubled after each one, up to 16 times as long. */
  keptChatRetryMs?: number;
  /**
   * The delivery loop's back-off when a round fails (Redis or the database down): the first wait, doubled
   * after each failure in a row up to the maximum. Default 0.5 s to 30 s; Redis coming back ends a wait.
   */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** Telegram: "no more than 20 messages per minute in the same group". */
export const GROUP_LIMIT = { messages: 20, perMs: 60_000 } as const;

/** Groups and channels have negative ids; a private chat's id is the person's (positive). */
const isGroup = (chatId: string): boolean => chatId.startsWith('-');

// Queue items are "<id> <json>": the id is read without decoding the JSON (Redis's cjson refuses some valid
// JSON, such as a lone surrogate escape, and an item that cannot be popped would be sent forever).

// A chat's first message waits for its "not before" key (set when its previous message went out), so a
// message queued right after the chat's queue emptied still keeps the per-chat interval. The chat's latest
// keyboard, when the messages carry one, is saved by the same script (buttons.ts), and only with them: a
// repeated update key saves nothing, as it queues nothing (its first time did both).
// KEYS: marker, chat list, due, not before, keyboard ('' = none)
// ARGV: now, chat, keyboard id, keyboard JSON, keyboard ttl, items…
const ENQUEUE = new RedisScript(`${SAVE_KEYBOARD_LUA}
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', 86400) then return 0 end
if KEYS[5] ~= '' then save_keyboard(KEYS[5], ARGV[3], ARGV[4], ARGV[5]) end
for i = 6, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
if #ARGV >= 6 then
  local wait = math.max(0, redis.call('PTTL', KEYS[4]))
  redis.call('ZADD', KEYS[3], 'NX', tonumber(ARGV[1]) + wait, ARGV[2])
end
return 1`);

// One round trip per round: honours the 429 pause, makes room in the sliding one-second window, takes up to
// `max` due chats that fit in it, leases them, reserves a window slot for each head message and returns
// {0, chat, item, chat, item…}, or {-1, ms to wait}. Chat lists are addressed as <prefix>out:<chat> (keys
// built in the script: Plaza runs on one Redis, not a cluster).
// A slot reserved for a message in flight is scored at the lease's end, so it counts in every window until
// the answer (Telegram counts the request when it arrives, which may be long after the claim on a busy
// machine); a process that dies mid-send frees it when the lease ends.
// KEYS: due, window, pause  ARGV: now, lease until, max, per second, list prefix
const CLAIM = new RedisScript(`
local now = tonumber(ARGV[1])
if #redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1) == 0 then return {0} end
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
if pause > now then return {-1, pause - now} end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 1000)
local room = tonumber(ARGV[4]) - redis.call('ZCARD', KEYS[2])
if room <= 0 then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {-1, math.min(1000, math.max(1, tonumber(oldest[2]) + 1000 - now))}
end
local chats = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, math.min(tonumber(ARGV[3]), room))
local out = {0}
for _, chat in ipairs(chats) do
  local item = redis.call('LINDEX', ARGV[5] .. chat, 0)
  if item then
    redis.call('ZADD', KEYS[1], ARGV[2], chat)
    redis.call('ZADD', KEYS[2], ARGV[2], string.sub(item, 1, string.find(item, ' ', 1, true) - 1))
    out[#out + 1] = chat
    out[#out + 1] = item
  else
    redis.call('ZREM', KEYS[1], chat)
  end
end
if #chats > 0 then redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]) - now + 1000) end
return out`);

// After an answer. The sent message's window slot now counts from `windowAt` (when Telegram counted it).
// With pop = 1 the head is removed if it is that message, and with sent = 1 a recorded call's "sent" marker
// (KEYS[7]) is set for a day. A group (limit > 0) keeps the messages Telegram took in its own sliding window
// (KEYS[6], counted = 1 adds this one): once full, the group waits for its oldest to leave. The chat is due
// again at `next` (or then) if anything is left; if not, it leaves the due set and its "not before" key keeps
// that time for ENQUEUE.
// settle(KEYS, k, ARGV, a): this chat's keys from KEYS[k + 1] (list, due, window, attempts, not before, group
// window, sent marker) and arguments from ARGV[a + 1] (chat, next, id, windowAt, pop, sent, group limit,
// group span ms, counted).
const SETTLE_LUA = `
local function settle(K, k, A, a)
  local at = tonumber(A[a + 4])
  redis.call('ZADD', K[k + 3], 'XX', at, A[a + 3])
  if A[a + 5] == '1' then
    local head = redis.call('LINDEX', K[k + 1], 0)
    if head and string.sub(head, 1, #A[a + 3] + 1) == A[a + 3] .. ' ' then redis.call('LPOP', K[k + 1]) end
    redis.call('DEL', K[k + 4])
    if A[a + 6] == '1' then redis.call('SET', K[k + 7], '1', 'EX', 86400) end
  end
  local nextAt = tonumber(A[a + 2])
  local limit = tonumber(A[a + 7])
  if limit > 0 then
    local span = tonumber(A[a + 8])
    redis.call('ZREMRANGEBYSCORE', K[k + 6], '-inf', at - span)
    if A[a + 9] == '1' then
      redis.call('ZADD', K[k + 6], at, A[a + 3])
      redis.call('PEXPIRE', K[k + 6], span)
    end
    if redis.call('ZCARD', K[k + 6]) >= limit then
      local oldest = redis.call('ZRANGE', K[k + 6], 0, 0, 'WITHSCORES')
      nextAt = math.max(nextAt, tonumber(oldest[2]) + span)
    end
  end
  local wait = nextAt - at
  if wait > 0 then redis.call('SET', K[k + 5], '1', 'PX', math.ceil(wait)) end
  if redis.call('LLEN', K[k + 1]) > 0 then redis.call('ZADD', K[k + 2], nextAt, A[a + 1]) else redis.call('ZREM', K[k + 2], A[a + 1]) end
end
`;

// One chat. KEYS: its 7 keys  ARGV: its 9 arguments (see settle).
const SETTLE = new RedisScript(`${SETTLE_LUA}
settle(KEYS, 0, ARGV, 0)
return 1`);

// Several chats' settlements in one round trip: 7 keys and 9 arguments per chat, one chat after another.
const SETTLE_MANY = new RedisScript(`${SETTLE_LUA}
for i = 0, #ARGV / 9 - 1 do settle(KEYS, i * 7, ARGV, i * 9) end
return 1`);

// Whether a chat's queue (the message in flight included: it leaves the list once settled) holds a call
// with this record. Items are "<id> <json>"; the needle is `"record":"<record>"`, which cannot occur inside a
// JSON string (quotes there are escaped).
// KEYS: chat list  ARGV: needle
const HOLDS = new RedisScript(`
for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if string.find(item, ARGV[1], 1, true) then return 1 end
end
return 0`);

/** The calls with a record among a chat's queue items ("<id> <json>"); an item that does not parse is skipped. */
function recordedCalls(items: string[]): OutgoingCall[] {
  const calls: OutgoingCall[] = [];
  for (const item of items) {
    const space = item.indexOf(' ');
    try {
      const call = JSON.parse(item.slice(space + 1)) as Omit<OutgoingCall, 'id'>;
      if (call.record) calls.push({ ...call, id: item.slice(0, space) });
    } catch {
      // Not a call this outbox queued: nothing to report.
    }
  }
  return calls;
}

interface ApiError {
  code?: number;
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

/** One chat's settlement: its 7 keys and 9 arguments for SETTLE_LUA. */
interface Settlement {
  keys: string[];
  args: string[];
}

const isNotModified = (error: ApiError) =>
  (error.response?.error_code ?? error.code) === 400 &&
  /message is not modified/i.test(error.response?.description ?? '');

export class TelegramOutbox {
  private readonly k: (s: string) => string;
  private readonly wake = new EventEmitter();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly maxAttempts: number;
  private readonly sendRetry: { baseMs: number; maxMs: number };
  /** Telegram answering 5xx, not at all, or not in time: one line when it starts, one when it ends. */
  private readonly apiOutage: OutageLog;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly sendTimeoutMs: number;
  /** Sends on their way: the loop claims more while there are fewer than `concurrency`. */
  private readonly inFlight = new Set<Promise<void>>();
  /** A send's failure to reach Redis (or the database): the loop backs off as for a failed claim. */
  private sendFailure: { error: unknown } | undefined;
  private readonly groupLimit: { messages: number; perMs: number };
  private readonly keptChatRetryMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  /** The loop's failures in a row are told once, then once a minute, and their end once. */
  private readonly outage: OutageLog;
  private readonly onRedisReady = () => this.wake.emit('work');
  /** Until when Telegram's flood control holds every send, as this process last learnt it (epoch ms). */
  private pausedUntil = 0;
  /** Settlements waiting for this I/O round's one SETTLE_MANY (see settle). */
  private readonly settling: (Settlement & { resolve: () => void; reject: (e: unknown) => void })[] = [];

  constructor(private readonly opts: OutboxOptions) {
    this.k = (s) => `${opts.prefix}:tg:${s}`;
    this.maxAttempts = opts.maxAttempts ?? 64;
    this.sendRetry = opts.sendRetry ?? { baseMs: 1000, maxMs: 60_000 };
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.concurrency = opts.concurrency ?? 100;
    this.sendTimeoutMs = opts.sendTimeoutMs ?? Math.floor(this.leaseMs / 2);
    this.groupLimit = opts.groupLimit ?? GROUP_LIMIT;
    this.keptChatRetryMs = opts.keptChatRetryMs ?? 30_000;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    this.apiOutage = new OutageLog({
      logger: opts.logger,
      level: 'warn',
      down: 'telegram Bot API failing (5xx, network error or no answer in time); messages stay queued and are retried',
      up: 'telegram Bot API answering again',
    });
    this.outage = new OutageLog({
      logger: opts.logger,
      level: 'warn',
      down: 'telegram delivery loop failing; retrying with back-off',
      up: 'telegram delivery loop resumed',
    });
  }

  /**
   * Queues a handled update's messages for a chat, once per update key. Resolves false for a repeat.
   * `keyboard`: the keyboard the messages carry, saved as the chat's latest in the same round trip.
   */
  async enqueue(
    updateKey: string,
    chatId: string,
    calls: Omit<OutgoingCall, 'id'>[],
    keyboard?: KeyboardWrite,
  ): Promise<boolean> {
    const queued = await ENQUEUE.run(
      this.opts.redis,
      [
        this.k(`enq:${updateKey}`),
        this.k(`out:${chatId}`),
        this.k('due'),
        this.k(`nb:${chatId}`),
        keyboard?.key ?? '',
      ],
      [
        String(Date.now()),
        chatId,
        keyboard?.id ?? '',
        keyboard?.value ?? '',
        keyboard?.ttlSeconds ?? '',
        ...calls.map((c) => `${randomUUID()} ${JSON.stringify(c.record ? { ...c, once: updateKey } : c)}`),
      ],
    );
    this.wake.emit('work');
    return queued === 1;
  }

  /** Whether a recorded call went out (within the last day). */
  async wasSent(record: string): Promise<boolean> {
    return (await this.opts.redis.exists(this.k(`sent:${record}`))) === 1;
  }

  /** Whether a call with this record waits in the chat's queue, or is on its way (not yet answered). */
  async holds(chatId: string, record: string): Promise<boolean> {
    const needle = `"record":${JSON.stringify(record)}`;
    return (await HOLDS.run(this.opts.redis, [this.k(`out:${chatId}`)], [needle])) === 1;
  }

  /** Messages still waiting for a chat (for tests and readiness checks). */
  /**
   * Whether a 429 (Telegram's flood control) holds every send now, as far as this process knows (from its
   * own 429s and its delivery loop's last claim): calls outside the outbox that can wait (a "typing…") wait.
   */
  paused(): boolean {
    return this.pausedUntil > Date.now();
  }

  pending(chatId: string): Promise<number> {
    return this.opts.redis.lLen(this.k(`out:${chatId}`));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Redis reconnected: a loop backing off looks again at once.
    this.opts.redis.on('ready', this.onRedisReady);
    this.loop = this.run();
  }

  /** Stops claiming new work and waits for the sends in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.opts.redis.off('ready', this.onRedisReady);
    this.wake.emit('work');
    await this.loop;
  }

  /**
   * Claims due chats while fewer than `concurrency` sends are on their way, and starts each send without
   * waiting for the others: a slow answer (an upload, a connection Telegram left hanging until the send's
   * timeout) holds up its own chat only. Answers that arrive together are settled together (settle) and
   * the claim after them waits until they all have been handled.
   */
  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const room = this.concurrency - this.inFlight.size;
      if (room <= 0) {
        await this.idle(1000, 'sent');
        continue;
      }
      let more: boolean;
      try {
        const failed = this.sendFailure;
        this.sendFailure = undefined;
        if (failed) throw failed.error;
        more = await this.claimAndSend(room);
        if (failures > 0) {
          failures = 0;
          this.outage.recovered();
        }
      } catch (error) {
        // Redis (or, through shouldSend, the database) is down: one line, not one per round; the rounds
        // back off 0.5 s, 1 s, 2 s… up to 30 s, cut short by new messages, Redis reconnecting, or stop.
        failures++;
        const wait = backoffMs(failures, this.retryBaseMs, this.retryMaxMs);
        this.outage.failed(error, { retryInMs: wait });
        await this.idle(wait);
        continue;
      }
      // All that was due is on its way: look again when new messages are queued here, or in 50 ms (what
      // another process queued, a chat due again, a retry).
      if (!more && this.running) await this.idle(50);
      // Sends that end in the same I/O round are all settled before the next claim.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(this.inFlight);
  }

  /**
   * Claims up to `max` due chats and starts sending the head message of each, tracked in `inFlight`. True
   * when more may be due at once: `max` were claimed, or a pause or a full window was waited out.
   */
  private async claimAndSend(max: number): Promise<boolean> {
    const claimed = await this.claim(max);
    if (claimed === 'waited') return true;
    for (const [chatId, item] of claimed) {
      const sending: Promise<void> = this.send(chatId, item)
        .catch((error: unknown) => {
          // Redis (or the database, through shouldSend) failed around the send: the loop backs off.
          this.sendFailure ??= { error };
        })
        .finally(() => {
          this.inFlight.delete(sending);
          this.wake.emit('sent');
        });
      this.inFlight.add(sending);
    }
    return claimed.length === max;
  }

  /**
   * One round, for tests: claim due chats, send the head message of each and wait for all of them. True
   * when something was claimed.
   */
  async tick(): Promise<boolean> {
    const claimed = await this.claim(this.concurrency);
    if (claimed === 'waited') return true;
    await Promise.all(claimed.map(([chatId, item]) => this.send(chatId, item)));
    return claimed.length > 0;
  }

  /** Claims up to `max` due chats: their ids and head messages, or 'waited' (a 429 pause, a full window). */
  private async claim(max: number): Promise<[string, string][] | 'waited'> {
    const now = Date.now();
    const claimed = (await CLAIM.run(
      this.opts.redis,
      [this.k('due'), this.k('window'), this.k('pause')],
      [String(now), String(now + this.leaseMs), String(max), String(this.opts.perSecond), this.k('out:')],
    )) as (number | string)[];
    if (claimed[0] === -1) {
      this.pausedUntil = now + Number(claimed[1]);
      await this.sleep(Math.min(Number(claimed[1]), 1000));
      return 'waited';
    }
    const chats: [string, string][] = [];
    for (let i = 1; i < claimed.length; i += 2) chats.push([String(claimed[i]), String(claimed[i + 1])]);
    return chats;
  }

  private async send(chatId: string, item: string): Promise<void> {
    const space = item.indexOf(' ');
    const call = {
      ...(JSON.parse(item.slice(space + 1)) as Omit<OutgoingCall, 'id'>),
      id: item.slice(0, space),
    };
    const asked = call.record ?? call.partOf;
    if (asked && this.opts.shouldSend && !(await this.opts.shouldSend({ ...call, record: asked }))) {
      await this.settle(chatId, call.id, Date.now(), { pop: true });
      return;
    }
    let result: unknown;
    // The slot counts from the answer (Telegram counted the request on arrival, somewhere before), taken
    // as soon as it comes — not after the bookkeeping below, which would leave part of the rate unused.
    let windowAt: number;
    try {
      // Abandoned well before the lease ends, so no other process sends it while this one still might.
      result = await this.opts.callApi(call.method, withUploads(call.params), {
        signal: AbortSignal.timeout(this.sendTimeoutMs),
      });
      windowAt = Date.now();
      this.apiOutage.recovered();
    } catch (error) {
      if (isNotModified(error as ApiError)) {
        // Editing a message to the text it already has (a repeated edit): done.
        await this.settle(chatId, call.id, Date.now() + this.opts.chatIntervalMs, { pop: true });
        return;
      }
      await this.failed(chatId, call, error as ApiError);
      return;
    }
    if (call.record)
      await this.opts
        .onSent?.(call, result)
        .catch((e) => this.opts.logger.error({ err: e, record: call.record }, 'onSent failed'));
    // A recorded call is remembered as sent for a day (set by the same script): a sender that lost track
    // of the outcome can ask (wasSent).
    await this.settle(chatId, call.id, Date.now() + this.opts.chatIntervalMs, {
      pop: true,
      windowAt,
      sent: call.record,
      counted: true,
    });
  }

  /**
   * `windowAt`: when the message counts in the rolling second (default: now); `sent`: its record;
   * `counted`: Telegram took it (a group's minute counts it). Settlements asked for while the same I/O
   * events are handled (the answers of a round arrive together) go in one round trip: resolves once it ran.
   */
  private settle(
    chatId: string,
    id: string,
    nextAt: number,
    how: { pop: boolean; windowAt?: number; sent?: string; counted?: boolean },
  ): Promise<void> {
    const settlement = this.settlement(chatId, id, nextAt, how);
    return new Promise((resolve, reject) => {
      if (this.settling.length === 0) setImmediate(() => this.flushSettlements());
      this.settling.push({ ...settlement, resolve, reject });
    });
  }

  private flushSettlements(): void {
    const batch = this.settling.splice(0);
    const [one] = batch;
    const done =
      batch.length === 1
        ? SETTLE.run(this.opts.redis, one!.keys, one!.args)
        : SETTLE_MANY.run(
            this.opts.redis,
            batch.flatMap((x) => x.keys),
            batch.flatMap((x) => x.args),
          );
    done.then(
      () => batch.forEach((x) => x.resolve()),
      (error: unknown) => batch.forEach((x) => x.reject(error)),
    );
  }

  /** The keys and arguments of one chat's settlement (SETTLE_LUA). */
  private settlement(
    chatId: string,
    id: string,
    nextAt: number,
    how: { pop: boolean; windowAt?: number; sent?: string; counted?: boolean },
  ): Settlement {
    const group = isGroup(chatId) && this.groupLimit.messages > 0;
    return {
      keys: [
        this.k(`out:${chatId}`),
        this.k('due'),
        this.k('window'),
        this.k(`att:${chatId}`),
        this.k(`nb:${chatId}`),
        this.k(`gw:${chatId}`),
        this.k(`sent:${how.sent ?? ''}`),
      ],
      args: [
        chatId,
        String(nextAt),
        id,
        String(how.windowAt ?? Date.now()),
        how.pop ? '1' : '0',
        how.sent ? '1' : '0',
        String(group ? this.groupLimit.messages : 0),
        String(this.groupLimit.perMs),
        how.counted ? '1' : '0',
      ],
    };
  }

  /** How logs name a chat: a kept chat by its name, a group by its id, a private chat not at all (a person). */
  private chatTag(chatId: string): { chat?: string } {
    const name = this.opts.keptChats?.[chatId];
    return name !== undefined ? { chat: name } : isGroup(chatId) ? { chat: chatId } : {};
  }

  private async failed(chatId: string, call: OutgoingCall, error: ApiError): Promise<void> {
    const code = error.response?.error_code ?? error.code;
    const redis = this.opts.redis;
    const log = this.opts.logger;
    if (code === 429) {
      const retryAfterMs = Math.max(1, error.response?.parameters?.retry_after ?? 1) * 1000;
      if (isGroup(chatId)) {
        // A group's own limit (20 a minute): only that group waits.
        await this.settle(chatId, call.id, Date.now() + retryAfterMs, { pop: false });
        log.warn({ ...this.chatTag(chatId), retryAfterMs }, 'telegram 429 in a group: pausing that chat');
        return;
      }
      // Telegram's flood control: nothing is sent by anyone until it has passed.
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
      await redis.set(this.k('pause'), String(Date.now() + retryAfterMs), {
        expiration: { type: 'PX', value: retryAfterMs },
      });
      await this.settle(chatId, call.id, Date.now() + retryAfterMs, { pop: false });
      log.warn({ retryAfterMs }, 'telegram 429: pausing sends');
      return;
    }
    const kept = this.opts.keptChats?.[chatId];
    if (code === 403 && kept !== undefined) {
      // The bot was removed from a chat that must not lose messages: they wait until it is added back.
      // Its own counter (an hour long), so the retries after a 5xx are not used up by refusals.
      const [refusals] = (await redis
        .multi()
        .incr(this.k(`fb:${chatId}`))
        .pExpire(this.k(`fb:${chatId}`), 3_600_000)
        .exec()) as unknown as [number];
      const retryInMs = this.keptChatRetryMs * 2 ** Math.min(Number(refusals) - 1, 4);
      await this.settle(chatId, call.id, Date.now() + retryInMs, { pop: false });
      log.error(
        {
          chat: kept,
          chatId,
          record: call.record,
          waiting: await this.pending(chatId),
          retryInMs,
          description: error.response?.description,
        },
        `telegram 403: the bot cannot write to the ${kept}; its messages stay queued`,
      );
      return;
    }
    if (code === 403) {
      await this.settle(chatId, call.id, Date.now(), { pop: false });
      const [items] = (await redis
        .multi()
        .lRange(this.k(`out:${chatId}`), 0, -1)
        .del(this.k(`out:${chatId}`))
        .del(this.k(`att:${chatId}`))
        .zRem(this.k('due'), chatId)
        .exec()) as unknown as [string[]];
      const dropped = recordedCalls(items ?? []);
      const freed = dropped.flatMap((c) => (c.once ? [this.k(`enq:${c.once}`)] : []));
      if (freed.length > 0) await redis.del(freed);
      // No chat id in the log for a private chat: it is the person's Telegram id.
      log.info(
        { ...this.chatTag(chatId), recorded: dropped.length },
        'telegram 403: chat unreachable, its queue dropped',
      );
      await this.opts.onBlocked?.(chatId, dropped).catch((e) => log.error({ err: e }, 'onBlocked failed'));
      return;
    }
    const permanent = code === 400;
    const attempts = await redis.incr(this.k(`att:${chatId}`));
    // Telegram (or the way to it) failing: told once, with reminders, not once per message. Only the
    // error's name and code: a Bot API error carries the call's parameters, the person's text among them.
    if (!permanent)
      this.apiOutage.failed(
        { name: (error as { name?: string }).name, code },
        {
          method: call.method,
          description: error.response?.description,
          ...((error as { name?: string }).name === 'AbortError' ? { timeoutMs: this.sendTimeoutMs } : {}),
        },
      );
    if (permanent || attempts >= this.maxAttempts) {
      log.error(
        {
          ...this.chatTag(chatId),
          record: call.record,
          method: call.method,
          code,
          attempts,
          description: error.response?.description,
        },
        'telegram message dropped',
      );
      await this.settle(chatId, call.id, Date.now() + this.opts.chatIntervalMs, { pop: true });
      if (call.record) {
        // Given up: its sender may queue it again under the same key (a case card is posted again).
        if (call.once) await redis.del(this.k(`enq:${call.once}`));
        await this.opts
          .onDropped?.(call, `${code ?? 'error'} ${error.response?.description ?? ''}`.trim())
          .catch((e) => log.error({ err: e, record: call.record }, 'onDropped failed'));
      }
      return;
    }
    const backoff = backoffMs(attempts, this.sendRetry.baseMs, this.sendRetry.maxMs);
    await this.settle(chatId, call.id, Date.now() + backoff, { pop: false });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Waits `ms`, cut short by new work (or stop), or by `also` ('sent': a send ended). */
  private idle(ms: number, also?: 'sent'): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off('work', done);
        if (also) this.wake.off(also, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.once('work', done);
      if (also) this.wake.once(also, done);
    });
  }
}
