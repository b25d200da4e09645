// TELEGRAM_WEBHOOK_ACK=queued: the webhook answers 200 once the update is in the Redis inbox, and consumers
// run the turns afterwards. Through the real webhook route (secret header) against real Redis and the fake
// Bot API: every update applied exactly once and in order per chat, Telegram's repeats dropped, a Redis
// failure answered 503 with nothing lost, a consumer that dies mid-chat replaced by another (not one whose turn
// merely outlasts the lease), infrastructure errors retried (and given up after MAX_INFRA_ATTEMPTS),
// updates left queued by stop() handled by the next start, and an inbox drained after a switch to processed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { MAX_INFRA_ATTEMPTS, TelegramInbox, inboxChatKey } from '../../../channels/telegram/inbox.ts';
import type { TelegramChannel } from '../../../channels/telegram/telegram-channel.ts';
import { createLogger } from '../../../src/logger.ts';
import type { Redis } from '../../../src/redis/client.ts';
import type { ChatLike } from '../../support/conversation.ts';
import { script } from '../../support/conversation.ts';
import { createProcess, createProposals } from '../../support/fixtures.ts';
import { consentSteps, supportSteps } from '../../support/scripts.ts';
import type { FakeCall } from '../../fakes/telegram-bot-api.ts';
import {
  callbackUpdate,
  delivered,
  seededRandom,
  startTelegramPlaza,
  textUpdate,
  type TelegramPlaza,
} from './harness.ts';

const random = seededRandom(Number(process.env.PLAZA_TEST_SEED ?? 20_261_127));
/** Turns the echo engine ran, per update id (texts starting with "n:" are echoed, not run by Plaza). */
const echoTurns = new Map<string, number>();

let t: TelegramPlaza;
let proposalIds: number[];
beforeAll(async () => {
  t = await startTelegramPlaza({
    env: { TELEGRAM_WEBHOOK_ACK: 'queued' },
    wrapEngine: (engine) => ({
      drain: () => engine.drain(),
      render: engine.render,
      async runTurn(activity) {
        if (!activity.text?.startsWith('n:')) return engine.runTurn(activity);
        echoTurns.set(activity.id!, (echoTurns.get(activity.id!) ?? 0) + 1);
        return [{ type: 'message', text: `eco ${activity.text}` }];
      },
    }),
  });
  const process = await createProcess(t.plaza.database.prisma, { phase: 'voting' });
  proposalIds = await createProposals(t.plaza.database.prisma, process, 3);
});
afterAll(() => t?.close());

const channel = () => t.telegram.channel;
const randomChat = () => 500_000_000 + Math.floor(random() * 400_000_000);

/** An inbox on the test's Redis; `handleUpdate` defaults to the real channel's. */
function inbox(opts: Partial<ConstructorParameters<typeof TelegramInbox>[0]> = {}): TelegramInbox {
  return new TelegramInbox({
    redis: t.plaza.redis,
    prefix: t.plaza.config.REDIS_PREFIX,
    channel: channel(),
    logger: createLogger('silent'),
    retryBaseMs: 20,
    retryMaxMs: 200,
    ...opts,
  });
}

/** A logger whose lines (parsed) the test reads. */
function capture(level = 'warn') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every accepted update handled, and every reply sent. */
async function settled(chats: number[]) {
  await until('the inbox to empty', async () => (await t.telegram.inbox!.backlog()) === 0);
  for (const chat of chats) await delivered(t, chat);
}

async function postOk(update: unknown) {
  const res = await t.post(update);
  expect(res.status, res.body).toBe(200);
}

const texts = (chat: number) => t.fake.texts(chat);

describe('the Telegram inbox (TELEGRAM_WEBHOOK_ACK=queued)', () => {
  it('is wired by the config: the webhook queues instead of running the turn', () => {
    expect(t.telegram.inbox).toBeInstanceOf(TelegramInbox);
  });

  it('checks the secret and the body before queueing anything', async () => {
    const chat = randomChat();
    expect((await t.post(textUpdate(chat, 'n:x'), 'wrong-secret-0123456789')).status).toBe(401);
    expect((await t.post(textUpdate(chat, 'n:x'), null)).status).toBe(401);
    expect((await t.post({ message: { chat: { id: chat } } })).status).toBe(400);
    expect((await t.post('{not json')).status).toBe(400);
    expect(await t.telegram.inbox!.pending(String(chat))).toBe(0);
    expect(await t.telegram.inbox!.backlog()).toBe(0);
  });

  it("refuses an update nested 5,000 deep with 400, queues nothing, and takes the chat's next update", async () => {
    const chat = randomChat();
    // A raw body: JSON.stringify in the test would itself overflow on such an update.
    const deep = JSON.stringify(textUpdate(chat, 'n:deep')).replace(
      /}}$/,
      `,"reply_markup":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await t.post(deep);
      expect(res.status, res.body).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'bad_update' } });
    }
    expect(await t.telegram.inbox!.pending(String(chat))).toBe(0);
    // 20 levels, well past any real update, are still taken.
    const nested = JSON.stringify(textUpdate(chat, 'n:nested')).replace(
      /}}$/,
      `,"reply_markup":${'['.repeat(20)}${']'.repeat(20)}}}`,
    );
    const consumers = inbox();
    consumers.start({ concurrency: 2 });
    try {
      expect((await t.post(nested)).status).toBe(200);
      await postOk(textUpdate(chat, 'n:next'));
      await settled([chat]);
    } finally {
      await consumers.stop();
    }
    expect(texts(chat)).toEqual(['eco n:nested', 'eco n:next']);

    // accept itself tells the update's fault from the store's: not InboxUnavailableError, nothing queued.
    let value: unknown = [];
    for (let i = 0; i < 20_000; i++) value = [value];
    const unserialisable = { ...textUpdate(chat, 'n:deep'), reply_markup: value } as unknown as Update;
    const refused = await inbox()
      .accept(unserialisable)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(RangeError);
    expect(await t.telegram.inbox!.pending(String(chat))).toBe(0);
  });

  it('keys an update by the chat the channel orders by, the user when there is no chat', () => {
    const text = textUpdate(-1001, 'hola') as unknown as Update;
    expect(inboxChatKey(text)).toBe('-1001');
    expect(inboxChatKey(callbackUpdate(77, 'x') as unknown as Update)).toBe('77');
    const inline = { update_id: 1, callback_query: { id: 'q', from: { id: 88 }, data: 'x' } };
    expect(inboxChatKey(inline as unknown as Update)).toBe('88');
    const member = { update_id: 2, my_chat_member: { chat: { id: 99 }, from: { id: 5 } } };
    expect(inboxChatKey(member as unknown as Update)).toBe('99');
    expect(inboxChatKey({ update_id: 3 } as unknown as Update)).toBe('_');
  });

  it('1,000 updates from 50 chats, 5 % sent twice: each applied once, replies in order per chat', async () => {
    const consumers = inbox();
    consumers.start({ concurrency: 16 });
    try {
      const chats = Array.from({ length: 50 }, () => randomChat());
      const updates = new Map(
        chats.map((chat) => [chat, Array.from({ length: 20 }, (_, i) => textUpdate(chat, `n:${chat}:${i}`))]),
      );
      // Telegram sends a chat's next update once the previous one was acknowledged; a repeat comes later.
      let repeats = 0;
      await Promise.all(
        chats.map(async (chat) => {
          const mine = updates.get(chat)!;
          for (let i = 0; i < mine.length; i++) {
            await postOk(mine[i]);
            if (random() < 0.05) {
              repeats++;
              await postOk(mine[Math.floor(random() * (i + 1))]);
            }
          }
        }),
      );
      expect(repeats).toBeGreaterThan(20);
      await settled(chats);
      for (const chat of chats) {
        expect(texts(chat)).toEqual(updates.get(chat)!.map((_, i) => `eco n:${chat}:${i}`));
        for (const u of updates.get(chat)!) expect(echoTurns.get(String(u.update_id))).toBe(1);
      }
    } finally {
      await consumers.stop();
    }
  });

  it('answers 503 when Redis does not take the update, and applies it once after the retry', async () => {
    const consumers = inbox();
    consumers.start({ concurrency: 2 });
    const redis = t.plaza.redis as unknown as { evalSha: (...args: unknown[]) => Promise<unknown> };
    const original = redis.evalSha;
    try {
      const chat = randomChat();
      const lost = textUpdate(chat, `n:${chat}:lost`);
      const unanswered = textUpdate(chat, `n:${chat}:unanswered`);
      let failing: 'before' | 'after' | undefined;
      redis.evalSha = async function (this: unknown, ...args: unknown[]) {
        const keys = (args[1] as { keys?: string[] } | undefined)?.keys ?? [];
        if (failing && keys[0]?.includes(':tg:inbox-seen:')) {
          const when = failing;
          failing = undefined;
          // Redis went away before running the script, or after it ran but before its answer arrived.
          if (when === 'after') await original.apply(this, args);
          throw Object.assign(new Error('injected: socket closed'), {
            name: 'SocketClosedUnexpectedlyError',
          });
        }
        return original.apply(this, args);
      };
      failing = 'before';
      expect((await t.post(lost)).status).toBe(503);
      expect(await consumers.pending(String(chat))).toBe(0);
      await postOk(lost); // Telegram's retry
      failing = 'after';
      expect((await t.post(unanswered)).status).toBe(503);
      await postOk(unanswered);
      await settled([chat]);
      expect(texts(chat)).toEqual([`eco n:${chat}:lost`, `eco n:${chat}:unanswered`]);
      expect(echoTurns.get(String(lost.update_id))).toBe(1);
      expect(echoTurns.get(String(unanswered.update_id))).toBe(1);
    } finally {
      redis.evalSha = original;
      await consumers.stop();
    }
  });

  it('a consumer that dies mid-chat: another takes the chat over when its lease ends, nothing twice', async () => {
    const chat = randomChat();
    const said = ['hola', 'Español', 'Sí', 'Sí, acepto', 'ayuda'];
    const updates = said.map((text) => textUpdate(chat, text));
    // The first consumer applies the second update and then hangs with its Redis connection gone, as if its
    // process had died before it could remove the update from the inbox (no more lease renewals).
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const dyingRedis = t.plaza.redis.duplicate();
    dyingRedis.on('error', () => undefined);
    await dyingRedis.connect();
    const dying = inbox({
      redis: dyingRedis as Redis,
      leaseMs: 300,
      channel: {
        async handleUpdate(update) {
          await channel().handleUpdate(update);
          if (update.update_id === updates[1]!.update_id) {
            dyingRedis.destroy();
            await hung;
          }
        },
      },
    });
    const successor = inbox({ leaseMs: 300 });
    dying.start({ concurrency: 1 });
    try {
      for (const u of updates) await postOk(u);
      await until('the second answer', () => texts(chat).length >= 2);
      expect(await successor.pending(String(chat))).toBe(4);
      successor.start({ concurrency: 1 });
      await settled([chat]);
      const answers = texts(chat);
      expect(answers).toHaveLength(5);
      [/idioma/, /¿Tienes 14 años o más\?/, /¿Aceptas/, /¡Gracias!/, /«menú» para volver/].forEach((re, i) =>
        expect(answers[i]).toMatch(re),
      );
      const account = await t.plaza.database.prisma.channelAccount.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'telegram', externalId: String(chat) } },
        include: { participant: { include: { consents: true } } },
      });
      expect(account.participant.consents).toHaveLength(1);
    } finally {
      release();
      await successor.stop();
      await dying.stop();
    }
    // The dead consumer's late "done" changed nothing.
    expect(texts(chat)).toHaveLength(5);
    expect(await t.telegram.inbox!.backlog()).toBe(0);
  });

  it('keeps the chat while a turn outlasts the lease: no one else runs it, later updates wait', async () => {
    const chat = randomChat();
    const updates = ['slow', 'b', 'c'].map((s) => textUpdate(chat, `n:${chat}:${s}`));
    const started: number[] = [];
    const slowTurns = {
      async handleUpdate(update: Update) {
        if (inboxChatKey(update) === String(chat)) started.push(update.update_id);
        // A turn four times as long as the lease (an erasure, a slow database), in the handler itself.
        if (update.update_id === updates[0]!.update_id) await sleep(1200);
        await channel().handleUpdate(update);
      },
    };
    const a = inbox({ leaseMs: 300, channel: slowTurns });
    const b = inbox({ leaseMs: 300, channel: slowTurns });
    a.start({ concurrency: 2 });
    b.start({ concurrency: 2 });
    try {
      for (const u of updates) await postOk(u);
      await settled([chat]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(started).toEqual(updates.map((u) => u.update_id));
    expect(texts(chat)).toEqual(['slow', 'b', 'c'].map((s) => `eco n:${chat}:${s}`));
    for (const u of updates) expect(echoTurns.get(String(u.update_id))).toBe(1);
  });

  it('retries an update whose turn hit an infrastructure error, then applies it once; later ones wait', async () => {
    const chat = randomChat();
    const updates = ['a', 'b', 'c', 'd'].map((s) => textUpdate(chat, `n:${chat}:${s}`));
    const attempts = new Map<number, number>();
    const infra = () =>
      Object.assign(new Error('injected: database unreachable'), { code: 'P1001', name: 'Error' });
    const consumers = inbox({
      channel: {
        async handleUpdate(update) {
          const n = (attempts.get(update.update_id) ?? 0) + 1;
          attempts.set(update.update_id, n);
          // The first fails before the turn ran; the third after it ran (the dangerous case), twice.
          if (update.update_id === updates[0]!.update_id && n === 1) throw infra();
          if (update.update_id === updates[2]!.update_id && n <= 2) {
            await channel().handleUpdate(update);
            throw infra();
          }
          await channel().handleUpdate(update);
        },
      } satisfies Pick<TelegramChannel, 'handleUpdate'>,
    });
    consumers.start({ concurrency: 4 });
    try {
      for (const u of updates) await postOk(u);
      await settled([chat]);
      expect(texts(chat)).toEqual(['a', 'b', 'c', 'd'].map((s) => `eco n:${chat}:${s}`));
      expect(updates.map((u) => attempts.get(u.update_id))).toEqual([2, 1, 3, 1]);
    } finally {
      await consumers.stop();
    }
    // The echo engine has no turn gate: the repeats of "c" after it ran reached it; Plaza's engine dedupes
    // them by activity id, and the outbox queued its reply once.
    expect(echoTurns.get(String(updates[2]!.update_id))).toBe(3);
  });

  it('logs (name and code, never the message) and drops an update that fails for another reason', async () => {
    const chat = randomChat();
    const updates = ['a', 'b'].map((s) => textUpdate(chat, `n:${chat}:${s}`));
    const { logger, lines } = capture();
    const consumers = inbox({
      logger,
      channel: {
        async handleUpdate(update) {
          // A database error quoting a value: the user's text.
          if (update.update_id === updates[0]!.update_id)
            throw Object.assign(new Error('value "Vivo en la calle Mayor 3" too long'), {
              name: 'PrismaClientKnownRequestError',
              code: 'P2000',
            });
          await channel().handleUpdate(update);
        },
      },
    });
    consumers.start({ concurrency: 1 });
    try {
      for (const u of updates) await postOk(u);
      await settled([chat]);
      expect(texts(chat)).toEqual([`eco n:${chat}:b`]);
    } finally {
      await consumers.stop();
    }
    const failed = lines.filter((l) => l.updateId === updates[0]!.update_id);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.level).toBe(50);
    expect(failed[0]!.err).toEqual({ name: 'PrismaClientKnownRequestError', code: 'P2000' });
    expect(JSON.stringify(lines)).not.toContain('Mayor');
  });

  it('tells an infrastructure outage once for every chat and try, and its end once', async () => {
    const chats = [randomChat(), randomChat(), randomChat()];
    const updates = chats.flatMap((chat) => ['a', 'b'].map((s) => textUpdate(chat, `n:${chat}:${s}`)));
    let failing = true;
    let attempts = 0;
    const { logger, lines } = capture('info');
    const consumers = inbox({
      logger,
      retryBaseMs: 10,
      retryMaxMs: 40,
      channel: {
        async handleUpdate(update) {
          if (failing) {
            attempts++;
            throw Object.assign(new Error('injected: database unreachable'), { code: 'P1001' });
          }
          await channel().handleUpdate(update);
        },
      },
    });
    consumers.start({ concurrency: 4 });
    try {
      for (const u of updates) await postOk(u);
      await until('several tries of every chat', () => attempts >= 30);
      failing = false;
      await settled(chats);
    } finally {
      await consumers.stop();
    }
    for (const chat of chats) expect(texts(chat)).toEqual(['a', 'b'].map((s) => `eco n:${chat}:${s}`));
    const messages = lines.map((l) => String(l.msg));
    expect(messages).toEqual([
      'inbox updates not processed (infrastructure error); their chats retry with back-off',
      expect.stringMatching(/^inbox updates processed again after \d+ s$/),
    ]);
    expect(lines[0]).toMatchObject({ level: 40, err: { code: 'P1001' } });
    expect(JSON.stringify(lines)).not.toContain('n:');
  });

  it(`gives up an update after ${MAX_INFRA_ATTEMPTS} infrastructure failures; the chat moves on`, async () => {
    const chat = randomChat();
    const updates = ['stuck', 'next'].map((s) => textUpdate(chat, `n:${chat}:${s}`));
    let attempts = 0;
    const { logger, lines } = capture('error');
    const consumers = inbox({
      logger,
      retryBaseMs: 1,
      retryMaxMs: 2,
      channel: {
        async handleUpdate(update) {
          if (update.update_id === updates[0]!.update_id) {
            attempts++;
            throw Object.assign(new Error('injected: database unreachable'), { code: 'P1001' });
          }
          await channel().handleUpdate(update);
        },
      },
    });
    consumers.start({ concurrency: 2 });
    try {
      for (const u of updates) await postOk(u);
      await settled([chat]);
    } finally {
      await consumers.stop();
    }
    expect(attempts).toBe(MAX_INFRA_ATTEMPTS);
    expect(texts(chat)).toEqual([`eco n:${chat}:next`]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ updateId: updates[0]!.update_id, attempts: MAX_INFRA_ATTEMPTS });
    expect(JSON.stringify(lines)).not.toContain('n:');
    expect(await t.plaza.redis.exists(`${t.plaza.config.REDIS_PREFIX}:tg:inbox-att:${chat}`)).toBe(0);
  });

  it('remembers an update_id for an hour, and keeps a chat list for a day', async () => {
    const chat = randomChat();
    const u = textUpdate(chat, `n:${chat}:ttl`);
    await postOk(u);
    const p = t.plaza.config.REDIS_PREFIX;
    const seen = await t.plaza.redis.ttl(`${p}:tg:inbox-seen:${u.update_id}`);
    expect(seen).toBeGreaterThan(3500);
    expect(seen).toBeLessThanOrEqual(3600);
    expect(await t.plaza.redis.ttl(`${p}:tg:inbox:${chat}`)).toBeGreaterThan(23 * 3600);
    const consumers = inbox();
    consumers.start({ concurrency: 1 });
    try {
      await settled([chat]);
    } finally {
      await consumers.stop();
    }
  });

  it('warns once at start when Redis may evict the inbox, and not when CONFIG is refused', async () => {
    const redis = t.plaza.redis as unknown as { configGet: (...args: unknown[]) => Promise<unknown> };
    const original = redis.configGet;
    let reply: () => Promise<unknown> = async () => ({ 'maxmemory-policy': 'volatile-lru' });
    let calls = 0;
    redis.configGet = async () => {
      calls++;
      return reply();
    };
    const startStop = async (consumers: TelegramInbox, reads = true) => {
      const before = calls;
      consumers.start({ concurrency: 1 });
      if (reads) await until('the policy to be read', () => calls > before);
      await sleep(20);
      await consumers.stop();
    };
    try {
      const evicting = capture();
      const consumers = inbox({ logger: evicting.logger });
      await startStop(consumers);
      await startStop(consumers, false); // already warned: not read again
      const warned = evicting.lines.filter((l) => l.maxmemoryPolicy !== undefined);
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({ level: 40, maxmemoryPolicy: 'volatile-lru' });

      reply = async () => ({ 'maxmemory-policy': 'noeviction' });
      const safe = capture();
      await startStop(inbox({ logger: safe.logger }));
      expect(safe.lines).toEqual([]);

      reply = () => Promise.reject(new Error("ERR unknown command 'CONFIG'"));
      const refused = capture();
      const consumers2 = inbox({ logger: refused.logger });
      await startStop(consumers2);
      expect(refused.lines).toEqual([]);
    } finally {
      redis.configGet = original;
    }
  });

  it('stop() right after start() returns at once (no consumer left waiting in idle)', async () => {
    for (let i = 0; i < 5; i++) {
      const consumers = inbox();
      consumers.start({ concurrency: 4 });
      const begun = Date.now();
      await consumers.stop();
      expect(Date.now() - begun).toBeLessThan(1000);
    }
  });

  it('stop() finishes the update in hand and leaves the rest queued for the next start', async () => {
    const chat = randomChat();
    const updates = Array.from({ length: 6 }, (_, i) => textUpdate(chat, `n:${chat}:${i}`));
    let handled = 0;
    const slow = {
      async handleUpdate(update: Update) {
        await new Promise((r) => setTimeout(r, 50));
        await channel().handleUpdate(update);
        handled++;
      },
    };
    for (const u of updates) await postOk(u);
    const first = inbox({ channel: slow });
    first.start({ concurrency: 2 });
    await until('a first update handled', () => handled >= 1);
    await first.stop();
    const left = await first.pending(String(chat));
    expect(left).toBeGreaterThan(0);
    expect(handled + left).toBe(6);
    expect(await t.telegram.inbox!.backlog()).toBe(1);
    const next = inbox({ channel: slow });
    next.start({ concurrency: 2 });
    try {
      await settled([chat]);
    } finally {
      await next.stop();
    }
    expect(texts(chat)).toEqual(updates.map((_, i) => `eco n:${chat}:${i}`));
  });

  it('runs a whole conversation script when the replies come after the acknowledgement', async () => {
    const consumers = inbox();
    consumers.start({ concurrency: 4 });
    try {
      const chat = new QueuedChat(t);
      await script(chat, [...consentSteps, ...supportSteps(proposalIds[0]!)]);
      expect(await t.plaza.database.prisma.support.count({ where: { proposalId: proposalIds[0] } })).toBe(1);
    } finally {
      await consumers.stop();
    }
  });
});

describe('the Telegram inbox after a switch to TELEGRAM_WEBHOOK_ACK=processed', () => {
  let p: TelegramPlaza;
  beforeAll(async () => {
    p = await startTelegramPlaza({ env: { TELEGRAM_WEBHOOK_ACK: 'processed' } });
  });
  afterAll(() => p?.close());

  it('the webhook runs turns itself, and the inbox still drains what a queued run left', async () => {
    const inbox = p.telegram.inbox!;
    expect(inbox).toBeInstanceOf(TelegramInbox);
    // Acknowledged by an earlier queued run, not handled yet.
    const leftChat = randomChat();
    await inbox.accept(textUpdate(leftChat, 'hola') as unknown as Update);
    // Processed: answered once handled, nothing queued.
    const chat = randomChat();
    const res = await p.post(textUpdate(chat, 'hola'));
    expect(res.status, res.body).toBe(200);
    expect(await inbox.pending(String(chat))).toBe(0);
    await delivered(p, chat);
    expect(p.fake.texts(chat)).toHaveLength(1);
    expect(await inbox.pending(String(leftChat))).toBe(1);
    inbox.start({ concurrency: 2 });
    try {
      await until('the left update to be handled', async () => (await inbox.backlog()) === 0);
      await delivered(p, leftChat);
    } finally {
      await inbox.stop();
    }
    expect(p.fake.texts(leftChat)).toHaveLength(1);
    expect(p.fake.texts(leftChat)[0]).toMatch(/idioma/);
  });
});

type InlineButton = { text: string; callback_data: string };

/** A person in a private chat who, after each 200, waits until the update was handled and answered. */
class QueuedChat implements ChatLike {
  private answer: FakeCall[] = [];
  private lastKeyboard: InlineButton[] = [];
  readonly chatId = randomChat();

  constructor(private readonly t: TelegramPlaza) {}

  private async send(update: { update_id: number }): Promise<void> {
    const before = this.t.fake.sent(this.chatId).length;
    await postOk(update);
    await until(
      'the update to be handled',
      async () => (await this.t.telegram.inbox!.pending(String(this.chatId))) === 0,
    );
    await delivered(this.t, this.chatId);
    this.answer = this.t.fake.sent(this.chatId).slice(before);
    const keyboards = this.answer.map(keyboardOf).filter((k) => k.length > 0);
    if (keyboards.length > 0) this.lastKeyboard = keyboards[keyboards.length - 1]!;
  }

  say(text: string): Promise<void> {
    return this.send(textUpdate(this.chatId, text));
  }

  press(title: string): Promise<void> {
    const button = this.lastKeyboard.find((b) => b.text.includes(title));
    if (!button)
      throw new Error(`No button "${title}": ${JSON.stringify(this.lastKeyboard.map((b) => b.text))}`);
    return this.send(callbackUpdate(this.chatId, button.callback_data));
  }

  text(): string {
    return this.answer
      .map((c) => String((c.response.result as { text?: string } | undefined)?.text ?? ''))
      .join('\n');
  }

  buttons(): string[] {
    return this.lastKeyboard.map((b) => b.text.replace(/^\d+\. /, ''));
  }
}

function keyboardOf(call: FakeCall): InlineButton[] {
  const markup = call.params.reply_markup as { inline_keyboard?: InlineButton[][] } | string | undefined;
  const parsed =
    typeof markup === 'string' ? (JSON.parse(markup) as { inline_keyboard?: InlineButton[][] }) : markup;
  return (parsed?.inline_keyboard ?? []).flat();
}
