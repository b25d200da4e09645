// The durable way out to Telegram. A handled update's messages are queued in Redis (once per update, in
// order, per chat) before Telegram is acknowledged; a delivery loop — in any number of processes — sends them
// at Telegram's pace: at most `perSecond` messages per rolling second overall (a sliding window in Redis) and
// one message per chat every `chatIntervalMs`, in order. A 429 pauses every send for its `retry_after`; a 403
// (the person blocked the bot) drops that chat's queue and reports it; other failures retry with backoff and
// are dropped (and logged by id) after `maxAttempts`. Delivery is at least once: a process that dies
// mid-send leaves its chat leased for `leaseMs`, after which another process sends that message again.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from '../../src/logger.ts';
import type { Redis } from '../../src/redis/client.ts';

export interface OutgoingCall {
  /** Unique per message, to pop exactly the message that was sent. */
  id: string;
  method: 'sendMessage' | 'editMessageText' | 'sendDocument' | 'sendPhoto';
  params: Record<string, unknown>;
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
  /** Called when Telegram says a chat cannot be reached (403). */
  onBlocked?: (chatId: string) => Promise<void>;
  maxAttempts?: number;
  leaseMs?: number;
  /** Chats handled at once by one loop. */
  concurrency?: number;
}

const ENQUEUE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', 86400) then return 0 end
for i = 3, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
if #ARGV >= 3 then redis.call('ZADD', KEYS[3], 'NX', ARGV[1], ARGV[2]) end
return 1`;

const CLAIM = `
local chats = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, chat in ipairs(chats) do redis.call('ZADD', KEYS[1], ARGV[2], chat) end
return chats`;

// KEYS: list, due, attempts  ARGV: chat, next due, id of the message sent
const FINISH = `
-- Match the id as plain text (ids are UUIDs): cjson refuses some valid JSON (a lone surrogate escape),
-- and a head that cannot be decoded must still be popped, or it would be sent forever.
local head = redis.call('LINDEX', KEYS[1], 0)
if head and ARGV[3] ~= '' and string.find(head, '"id":"' .. ARGV[3] .. '"', 1, true) then redis.call('LPOP', KEYS[1]) end
redis.call('DEL', KEYS[3])
if redis.call('LLEN', KEYS[1]) > 0 then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) else redis.call('ZREM', KEYS[2], ARGV[1]) end
return 1`;

// Sliding one-second window. KEYS: window  ARGV: now, limit, member. Returns ms to wait (0 = go).
const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - 1000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + 1000 - tonumber(ARGV[1]))
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], 2000)
return 0`;

interface ApiError {
  code?: number;
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

export class TelegramOutbox {
  private readonly k: (s: string) => string;
  private readonly wake = new EventEmitter();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;

  constructor(private readonly opts: OutboxOptions) {
    this.k = (s) => `${opts.prefix}:tg:${s}`;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.concurrency = opts.concurrency ?? 50;
  }

  /** Queues a handled update's messages for a chat, once per update key. Resolves false for a repeat. */
  async enqueue(updateKey: string, chatId: string, calls: Omit<OutgoingCall, 'id'>[]): Promise<boolean> {
    const queued = await this.opts.redis.eval(ENQUEUE, {
      keys: [this.k(`enq:${updateKey}`), this.k(`out:${chatId}`), this.k('due')],
      arguments: [
        String(Date.now()),
        chatId,
        ...calls.map((c) => JSON.stringify({ ...c, id: randomUUID() })),
      ],
    });
    this.wake.emit('work');
    return queued === 1;
  }

  /** Messages still waiting for a chat (for tests and readiness checks). */
  pending(chatId: string): Promise<number> {
    return this.opts.redis.lLen(this.k(`out:${chatId}`));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming new work and waits for the sends in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake.emit('work');
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.tick();
      } catch (error) {
        this.opts.logger.warn({ err: error }, 'telegram delivery loop: retrying');
        await this.sleep(500);
      }
      if (!worked && this.running) await this.idle(50);
    }
  }

  /** One round: claim due chats and send the head message of each. True when something was claimed. */
  async tick(): Promise<boolean> {
    const pause = Number((await this.opts.redis.get(this.k('pause'))) ?? 0);
    if (pause > Date.now()) {
      await this.sleep(Math.min(pause - Date.now(), 1000));
      return true;
    }
    const now = Date.now();
    const chats = (await this.opts.redis.eval(CLAIM, {
      keys: [this.k('due')],
      arguments: [String(now), String(now + this.leaseMs), String(this.concurrency)],
    })) as string[];
    if (chats.length === 0) return false;
    await Promise.all(chats.map((chat) => this.sendHead(chat)));
    return true;
  }

  private async sendHead(chatId: string): Promise<void> {
    const list = this.k(`out:${chatId}`);
    const head = await this.opts.redis.lIndex(list, 0);
    if (head === null) {
      await this.finish(chatId, '', 0);
      return;
    }
    const call = JSON.parse(head) as OutgoingCall;
    const slot = await this.takeGlobalSlot();
    try {
      await this.opts.callApi(call.method, call.params);
      await this.releaseSlotAt(slot);
      await this.finish(chatId, call.id, Date.now() + this.opts.chatIntervalMs);
    } catch (error) {
      await this.releaseSlotAt(slot);
      await this.failed(chatId, call, error as ApiError);
    }
  }

  private async takeGlobalSlot(): Promise<string> {
    const slot = randomUUID();
    for (;;) {
      const wait = Number(
        await this.opts.redis.eval(TAKE, {
          keys: [this.k('window')],
          arguments: [String(Date.now()), String(this.opts.perSecond), slot],
        }),
      );
      if (wait === 0) return slot;
      await this.sleep(wait);
    }
  }

  /**
   * A send occupies its slot from before the request until a second after the answer: Telegram counts the
   * request when it arrives, somewhere in between, so the next second's sends can never overlap its window.
   */
  private releaseSlotAt(slot: string): Promise<unknown> {
    return this.opts.redis.zAdd(this.k('window'), { score: Date.now(), value: slot }, { XX: true });
  }

  private finish(chatId: string, sentId: string, nextAt: number): Promise<unknown> {
    return this.opts.redis.eval(FINISH, {
      keys: [this.k(`out:${chatId}`), this.k('due'), this.k(`att:${chatId}`)],
      arguments: [chatId, String(nextAt), sentId],
    });
  }

  private async failed(chatId: string, call: OutgoingCall, error: ApiError): Promise<void> {
    const code = error.response?.error_code ?? error.code;
    const redis = this.opts.redis;
    if (code === 429) {
      const retryAfterMs = Math.max(1, error.response?.parameters?.retry_after ?? 1) * 1000;
      // Telegram's flood control: nothing is sent by anyone until it has passed.
      await redis.set(this.k('pause'), String(Date.now() + retryAfterMs), {
        expiration: { type: 'PX', value: retryAfterMs },
      });
      await redis.zAdd(this.k('due'), { score: Date.now() + retryAfterMs, value: chatId });
      this.opts.logger.warn({ retryAfterMs }, 'telegram 429: pausing sends');
      return;
    }
    if (code === 403) {
      await redis
        .multi()
        .del(this.k(`out:${chatId}`))
        .del(this.k(`att:${chatId}`))
        .zRem(this.k('due'), chatId)
        .exec();
      this.opts.logger.info({ chatId }, 'telegram 403: chat unreachable, its queue dropped');
      await this.opts
        .onBlocked?.(chatId)
        .catch((e) => this.opts.logger.error({ err: e }, 'onBlocked failed'));
      return;
    }
    const permanent = code === 400;
    const attempts = await redis.incr(this.k(`att:${chatId}`));
    if (permanent || attempts >= this.maxAttempts) {
      this.opts.logger.error(
        { chatId, method: call.method, code, attempts, description: error.response?.description },
        'telegram message dropped',
      );
      await this.finish(chatId, call.id, Date.now() + this.opts.chatIntervalMs);
      return;
    }
    const backoff = Math.min(30_000, 500 * 2 ** attempts);
    await redis.zAdd(this.k('due'), { score: Date.now() + backoff, value: chatId });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off('work', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.once('work', done);
    });
  }
}
