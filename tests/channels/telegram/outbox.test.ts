// The paced, durable way out: order per chat, Telegram's limits (the group's 20 a minute too), 429 / 403 /
// 5xx / 400, the moderators' room that must not lose cards.
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBotApi } from '../../../channels/telegram/bot-api.ts';
import { ButtonStore } from '../../../channels/telegram/buttons.ts';
import { GROUP_LIMIT, TelegramOutbox, type OutboxOptions } from '../../../channels/telegram/outbox.ts';
import { createLogger } from '../../../src/logger.ts';
import { connectRedis, type Redis } from '../../../src/redis/client.ts';
import { deleteKeys, REDIS_URL } from '../../support/plaza.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';

let redis: Redis;
let fake: FakeBotApi;
const prefixes: string[] = [];
const outboxes: TelegramOutbox[] = [];

beforeAll(async () => {
  redis = await connectRedis({ url: REDIS_URL });
  fake = await startFakeBotApi({ globalPerSecond: 30, perChatPerSecond: 1 });
});
afterEach(async () => {
  for (const o of outboxes.splice(0)) await o.stop();
  fake.reset();
  fake.limits.globalPerSecond = 30;
  fake.limits.perChatPerSecond = 1;
  fake.latencyMs = 0;
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeys({ redis }, `${p}:*`);
  await redis.quit();
  await fake.close();
});

function outbox(opts: Partial<OutboxOptions> = {}, start = true): TelegramOutbox {
  const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  const api = createBotApi({ token: fake.token, apiRoot: fake.apiRoot });
  const o = new TelegramOutbox({
    redis,
    prefix,
    callApi: api.callApi,
    logger: createLogger('silent'),
    perSecond: 25,
    chatIntervalMs: 1000,
    ...opts,
  });
  outboxes.push(o);
  if (start) o.start();
  return o;
}

const message = (chatId: number, text: string) => ({
  method: 'sendMessage' as const,
  params: { chat_id: chatId, text, parse_mode: 'HTML' },
});

/** A logger whose lines (parsed) land in `lines`. */
function capture(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the Telegram outbox', () => {
  it('delivers a chat’s messages in order, one per second, without a 429', async () => {
    const o = outbox();
    await o.enqueue('u1', '501', [message(501, 'uno'), message(501, 'dos')]);
    await o.enqueue('u2', '501', [message(501, 'tres')]);
    await until(() => fake.texts(501).length === 3);
    expect(fake.texts(501)).toEqual(['uno', 'dos', 'tres']);
    expect(fake.rateLimited).toBe(0);
    const at = fake.sent(501).map((c) => c.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(990);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(990);
  });

  it('keeps a chat’s one-second spacing when its queue empties in between (no 429 for a quick second message)', async () => {
    const o = outbox();
    await o.enqueue('first', '511', [message(511, 'uno')]);
    await until(() => fake.texts(511).length === 1);
    // The queue is empty now; a message queued 200 ms later must still wait for the chat's second.
    await new Promise((r) => setTimeout(r, 200));
    await o.enqueue('second', '511', [message(511, 'dos')]);
    await until(() => fake.texts(511).length === 2);
    const at = fake.sent(511).map((c) => c.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(990);
    expect(fake.rateLimited).toBe(0);
  });

  it('remembers a recorded call as sent once Telegram took it (wasSent)', async () => {
    const o = outbox({ chatIntervalMs: 0 });
    expect(await o.wasSent('rec-1')).toBe(false);
    await o.enqueue('r1', '512', [{ ...message(512, 'con registro'), record: 'rec-1' }]);
    await until(() => o.wasSent('rec-1'));
    expect(fake.texts(512)).toEqual(['con registro']);
  });

  it('saves the keyboard its messages carry in the same round trip, and only with them', async () => {
    const o = outbox({ chatIntervalMs: 0 }, false);
    const prefix = prefixes.at(-1)!;
    const buttons = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const commands: string[] = [];
    const count = (m: unknown) => commands.push(String((m as { command?: unknown }).command));
    const ignore = () => undefined;
    const subscribers = { start: count, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore };
    const channel = diagnostics.tracingChannel('node-redis:command');
    const turn = buttons.prepare('531', 20, ['Sí', 'No']);
    channel.subscribe(subscribers);
    try {
      expect(await o.enqueue('u20', '531', [message(531, '¿Sí o no?')], turn.write)).toBe(true);
    } finally {
      channel.unsubscribe(subscribers);
    }
    expect(commands).toEqual(['EVALSHA']);
    // A repeat of the update queues nothing and saves nothing; an older update never replaces the keyboard.
    const other = buttons.prepare('531', 20, ['Otra']);
    expect(await o.enqueue('u20', '531', [message(531, 'otra')], other.write)).toBe(false);
    const older = buttons.prepare('531', 19, ['Vieja']);
    expect(await o.enqueue('u19', '531', [message(531, 'vieja')], older.write)).toBe(true);
    expect(await buttons.resolve('531', turn.data[1]!, { pressId: '21' })).toEqual({ ok: true, title: 'No' });
    expect(await buttons.resolve('531', older.data[0]!, { pressId: '22' })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('settles the answers that arrive together in one round trip', async () => {
    const api = createBotApi({ token: fake.token, apiRoot: fake.apiRoot });
    // Telegram's five answers come in together (released at once when the fifth is in).
    const waiting: (() => void)[] = [];
    const callApi: OutboxOptions['callApi'] = async (method, params) => {
      const result = await api.callApi(method, params);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 5) for (const release of waiting.splice(0)) release();
      });
      return result;
    };
    const o = outbox({ chatIntervalMs: 0, callApi }, false);
    for (let i = 0; i < 5; i++) await o.enqueue(`s${i}`, String(540 + i), [message(540 + i, `m${i}`)]);
    const commands: string[] = [];
    const count = (m: unknown) => commands.push(String((m as { command?: unknown }).command));
    const ignore = () => undefined;
    const subscribers = { start: count, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore };
    const channel = diagnostics.tracingChannel('node-redis:command');
    channel.subscribe(subscribers);
    try {
      expect(await o.tick()).toBe(true);
    } finally {
      channel.unsubscribe(subscribers);
    }
    // One to claim the five chats, one to settle them.
    expect(commands).toEqual(['EVALSHA', 'EVALSHA']);
    for (let i = 0; i < 5; i++) {
      expect(fake.texts(540 + i)).toEqual([`m${i}`]);
      expect(await o.pending(String(540 + i))).toBe(0);
    }
    expect(await o.tick()).toBe(false);
  });

  it('abandons a call Telegram leaves unanswered and sends it again, without waiting minutes', async () => {
    const { logger, lines } = capture();
    const o = outbox({ chatIntervalMs: 0, sendTimeoutMs: 200, logger });
    fake.latencyMs = 4000; // the connection hangs
    const queuedAt = Date.now();
    await o.enqueue('hang', '551', [message(551, 'al fin')]);
    await until(() =>
      lines.some((l) => String(l.msg).startsWith('telegram Bot API failing') && l.timeoutMs === 200),
    );
    fake.latencyMs = 0;
    await until(() => fake.texts(551).length > 0);
    // The retry (after 200 ms and a 1 s back-off), not the hung call (answered after 4 s).
    expect(fake.sent(551)[0]!.at - queuedAt).toBeLessThan(3000);
    expect(fake.texts(551)[0]).toBe('al fin');
    await until(async () => (await o.pending('551')) === 0);
  });

  it('holds up only the chat whose answer is slow', async () => {
    const api = createBotApi({ token: fake.token, apiRoot: fake.apiRoot });
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const callApi: OutboxOptions['callApi'] = async (method, params, options) => {
      if (params.chat_id === 561) await slow; // an upload on a slow link, say
      return api.callApi(method, params, options);
    };
    const o = outbox({ chatIntervalMs: 0, callApi });
    await o.enqueue('slow', '561', [message(561, 'lento')]);
    for (let i = 0; i < 3; i++) await o.enqueue(`quick-${i}`, '562', [message(562, `rápido ${i}`)]);
    await until(() => fake.texts(562).length === 3, 5000);
    expect(fake.texts(561)).toEqual([]);
    release();
    await until(() => fake.texts(561).length === 1);
    expect(fake.texts(562)).toEqual(['rápido 0', 'rápido 1', 'rápido 2']);
  });

  it('queues an update once, however often it is enqueued', async () => {
    const o = outbox({ chatIntervalMs: 0 });
    expect(await o.enqueue('same', '502', [message(502, 'una vez')])).toBe(true);
    expect(await o.enqueue('same', '502', [message(502, 'una vez')])).toBe(false);
    await until(() => fake.texts(502).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.texts(502)).toEqual(['una vez']);
  });

  it('keeps under the global limit across many chats (busiest second ≤ 30, no 429)', async () => {
    const o = outbox({ perSecond: 28, chatIntervalMs: 0 });
    await Promise.all(
      Array.from({ length: 70 }, (_, i) => o.enqueue(`g${i}`, String(600 + i), [message(600 + i, `m${i}`)])),
    );
    await until(() => fake.sent().length === 70, 20_000);
    expect(fake.busiestSecond()).toBeLessThanOrEqual(30);
    expect(fake.rateLimited).toBe(0);
  });

  it('honours 429 retry_after: nothing is sent in that window, then everything arrives', async () => {
    const o = outbox({ chatIntervalMs: 0 });
    fake.failNext('sendMessage', { error_code: 429, retry_after: 1 });
    const start = Date.now();
    await o.enqueue('r1', '701', [message(701, 'a')]);
    await until(() => fake.rateLimited === 1);
    // Queued after the 429: it must wait for the pause too (a send already in flight cannot be recalled).
    await o.enqueue('r2', '702', [message(702, 'b')]);
    await until(() => fake.sent().length === 2);
    const refused = fake.calls.find((c) => c.response.error_code === 429)!;
    for (const ok of fake.sent()) expect(ok.at - refused.at).toBeGreaterThanOrEqual(990);
    expect(Date.now() - start).toBeGreaterThanOrEqual(990);
  });

  it('on 403 drops the chat’s queue, reports it once, and sends nothing more to it', async () => {
    const blocked: string[] = [];
    const o = outbox({ chatIntervalMs: 0, onBlocked: async (chat) => void blocked.push(chat) });
    fake.forbid(801);
    await o.enqueue('b1', '801', [message(801, 'x'), message(801, 'y'), message(801, 'z')]);
    await until(() => blocked.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === 801)).toHaveLength(1);
    expect(await o.pending('801')).toBe(0);
  });

  it('on 403 tells onBlocked which recorded calls it dropped, and frees their keys to be queued again', async () => {
    const blocked: { chat: string; records: (string | undefined)[] }[] = [];
    const o = outbox({
      chatIntervalMs: 0,
      onBlocked: async (chat, dropped) => void blocked.push({ chat, records: dropped.map((c) => c.record) }),
    });
    fake.forbid(802);
    await o.enqueue('reply', '802', [message(802, 'respuesta')]);
    await o.enqueue('notice-7', '802', [
      { ...message(802, 'primera parte'), partOf: 'notice:7' },
      { ...message(802, 'aviso'), record: 'notice:7' },
    ]);
    await until(() => blocked.length === 1);
    expect(blocked).toEqual([{ chat: '802', records: ['notice:7'] }]);
    expect(await o.pending('802')).toBe(0);
    // The person is back: the notice can be queued again under its key (a reply's key stays taken).
    fake.unforbid(802);
    expect(await o.enqueue('reply', '802', [message(802, 'respuesta')])).toBe(false);
    expect(await o.enqueue('notice-7', '802', [{ ...message(802, 'aviso'), record: 'notice:7' }])).toBe(true);
    await until(() => fake.texts(802).length === 1);
    expect(fake.texts(802)).toEqual(['aviso']);
  });

  it('keeps messages through a Telegram outage longer than a few tries, saying so once, and once it is over', async () => {
    const { logger, lines } = capture();
    const o = outbox({ chatIntervalMs: 0, logger, sendRetry: { baseMs: 10, maxMs: 40 } });
    fake.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 20);
    await o.enqueue('outage', '903', [message(903, 'aguanta')]);
    await until(() => fake.texts(903).length === 1);
    expect(fake.texts(903)).toEqual(['aguanta']);
    // The fake records the call when it answers; the outbox logs once that answer has reached it.
    await until(() => lines.some((l) => String(l.msg).startsWith('telegram Bot API answering again')));
    const said = lines.map((l) => String(l.msg));
    expect(said.filter((m) => m.startsWith('telegram Bot API failing'))).toHaveLength(1);
    expect(said.filter((m) => m.startsWith('telegram Bot API answering again'))).toHaveLength(1);
    expect(said).not.toContain('telegram message dropped');
    // Nothing of the message in the log: the error's name and code only.
    expect(JSON.stringify(lines)).not.toContain('aguanta');
  });

  it('retries server errors with backoff and drops a malformed message (400) without blocking the next', async () => {
    const o = outbox({ chatIntervalMs: 0 });
    fake.failNext('sendMessage', { error_code: 500 }, 2);
    await o.enqueue('e1', '901', [message(901, 'llega')]);
    await until(() => fake.texts(901).length === 1);
    await o.enqueue('e2', '902', [message(902, '<b>roto'), message(902, 'después')]);
    await until(() => fake.texts(902).length === 1);
    expect(fake.texts(902)).toEqual(['después']);
  });
});

describe('groups and the moderators’ room', () => {
  const ROOM = -1001234567890;

  it('sends at most 20 messages a minute to a group, while private chats go on at once', async () => {
    fake.limits.perChatPerSecond = null;
    const o = outbox({ chatIntervalMs: 0 });
    expect(GROUP_LIMIT).toEqual({ messages: 20, perMs: 60_000 });
    await o.enqueue(
      'cards',
      String(ROOM),
      Array.from({ length: 22 }, (_, i) => message(ROOM, `tarjeta ${i}`)),
    );
    await until(() => fake.texts(ROOM).length === 20);
    await o.enqueue('citizen', '521', [message(521, 'hola')]);
    await until(() => fake.texts(521).length === 1, 1000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.texts(ROOM)).toHaveLength(20);
    expect(await o.pending(String(ROOM))).toBe(2);
  });

  it('spaces a group’s messages by its own window, kept across an emptied queue', async () => {
    fake.limits.perChatPerSecond = null;
    const o = outbox({ chatIntervalMs: 0, groupLimit: { messages: 3, perMs: 1500 } });
    await o.enqueue('a', String(ROOM), [message(ROOM, '1'), message(ROOM, '2'), message(ROOM, '3')]);
    await until(() => fake.texts(ROOM).length === 3);
    // The queue is empty; the fourth, queued now, waits for the first to leave the window.
    await o.enqueue('b', String(ROOM), [message(ROOM, '4'), message(ROOM, '5')]);
    await until(() => fake.texts(ROOM).length === 5, 5000);
    const at = fake.sent(ROOM).map((c) => c.at);
    expect(at[3]! - at[0]!).toBeGreaterThanOrEqual(1490);
    expect(at[4]! - at[1]!).toBeGreaterThanOrEqual(1490);
    expect(fake.texts(ROOM)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('a 429 in a group pauses that group only: a citizen’s reply is not held', async () => {
    const o = outbox({ chatIntervalMs: 0 });
    fake.failNext('sendMessage', { error_code: 429, retry_after: 2 });
    await o.enqueue('card', String(ROOM), [message(ROOM, 'tarjeta')]);
    await until(() => fake.rateLimited === 1);
    const asked = Date.now();
    await o.enqueue('reply', '531', [message(531, 'respuesta')]);
    await until(() => fake.texts(531).length === 1, 1000);
    expect(Date.now() - asked).toBeLessThan(900);
    await until(() => fake.texts(ROOM).length === 1, 5000);
    const refused = fake.calls.find((c) => c.response.error_code === 429)!;
    expect(fake.sent(ROOM)[0]!.at - refused.at).toBeGreaterThanOrEqual(1990);
  });

  it('on 403 keeps a kept chat’s queue, says so as an error, tells onBlocked nothing, and sends once allowed', async () => {
    const blocked: string[] = [];
    const { logger, lines } = capture();
    const o = outbox({
      chatIntervalMs: 0,
      logger,
      keptChats: { [String(ROOM)]: 'moderators’ room' },
      keptChatRetryMs: 300,
      onBlocked: async (chat) => void blocked.push(chat),
    });
    fake.forbid(ROOM);
    await o.enqueue('cards', String(ROOM), [
      { ...message(ROOM, 'uno'), record: 'case:1' },
      { ...message(ROOM, 'dos'), record: 'case:2' },
    ]);
    await until(() => lines.some((l) => String(l.msg).startsWith('telegram 403')));
    expect(lines.find((l) => String(l.msg).startsWith('telegram 403'))).toMatchObject({
      level: 50,
      chat: 'moderators’ room',
      record: 'case:1',
      waiting: 2,
      msg: 'telegram 403: the bot cannot write to the moderators’ room; its messages stay queued',
    });
    expect(await o.pending(String(ROOM))).toBe(2);
    expect(await o.holds(String(ROOM), 'case:2')).toBe(true);
    // The bot is added back: the cards go out, in order.
    fake.reset();
    await until(() => fake.texts(ROOM).length === 2, 5000);
    expect(fake.texts(ROOM)).toEqual(['uno', 'dos']);
    expect(blocked).toEqual([]);
    // Settled once Telegram's answer is back (the fake has the text a moment before the outbox knows).
    await until(async () => !(await o.holds(String(ROOM), 'case:2')), 5000);
  });

  it('a dropped recorded call is logged with its chat and record, and frees its key to be queued again', async () => {
    const { logger, lines } = capture();
    const dropped: string[] = [];
    const o = outbox({
      chatIntervalMs: 0,
      logger,
      keptChats: { [String(ROOM)]: 'moderators’ room' },
      onDropped: async (call) => void dropped.push(call.record!),
    });
    const card = { ...message(ROOM, 'tarjeta'), record: 'case:7' };
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    await o.enqueue('case-7', String(ROOM), [card]);
    await until(() => dropped.length === 1);
    expect(lines.find((l) => l.msg === 'telegram message dropped')).toMatchObject({
      level: 50,
      chat: 'moderators’ room',
      record: 'case:7',
      code: 400,
    });
    expect(await o.enqueue('case-7', String(ROOM), [card])).toBe(true);
    await until(() => fake.texts(ROOM).length === 1);
    expect(await o.wasSent('case:7')).toBe(true);
    // Once sent, the key holds again.
    expect(await o.enqueue('case-7', String(ROOM), [card])).toBe(false);
  });

  it('tells whether a recorded call waits in a chat’s queue (holds)', async () => {
    const o = outbox({}, false);
    await o.enqueue('x', String(ROOM), [
      { ...message(ROOM, '"record":"case:4"'), record: 'case:41' },
      message(ROOM, 'sin registro'),
    ]);
    expect(await o.holds(String(ROOM), 'case:41')).toBe(true);
    expect(await o.holds(String(ROOM), 'case:4')).toBe(false);
    expect(await o.holds(String(ROOM), 'case:1')).toBe(false);
    expect(await o.holds('999', 'case:41')).toBe(false);
  });
});
