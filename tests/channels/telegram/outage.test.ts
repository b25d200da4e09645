// While PostgreSQL or Redis is down, Telegram's updates must not be lost: the webhook answers 503 (so Telegram
// sends the update again) or, with TELEGRAM_WEBHOOK_ACK=queued, keeps it queued and retries it, and once the
// store is back every update gets exactly one answer. A real Plaza (harness.ts) whose stores really go away:
// PostgreSQL behind a TCP hop the test cuts (connections reset, new ones refused), a database refusing
// connections, a database connection killed in the middle of a dialog step, a redis-server of the test's own
// shut down. Never the shared servers.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { TelegramInbox } from '../../../channels/telegram/inbox.ts';
import { t as translate } from '../../../src/i18n/index.ts';
import { createLogger } from '../../../src/logger.ts';
import { createProcess, createProposals } from '../../support/fixtures.ts';
import { ADMIN_URL } from '../../support/global-setup.ts';
import { consentSteps, script, type ChatLike } from '../../support/conversation.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { OwnRedis, TcpHop } from '../../engine/outage-servers.ts';
import {
  callbackUpdate,
  delivered,
  startTelegramPlaza,
  TelegramChat,
  textUpdate,
  type TelegramPlaza,
} from './harness.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const APOLOGY = translate('es', 'engine.error');

/** Telegram while the store is down: every attempt at the update is answered 503, none 200. */
async function refusedWhileDown(t: TelegramPlaza, updates: unknown[], attempts = 2): Promise<void> {
  for (const update of updates)
    for (let i = 0; i < attempts; i++) {
      const res = await t.post(update);
      expect(res.status, `update ${(update as Update).update_id}, attempt ${i + 1}`).toBe(503);
    }
}

/** Telegram once the store is back: the same update again until it is acknowledged (503 meanwhile). */
async function resendUntilAcknowledged(t: TelegramPlaza, update: unknown, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.post(update);
    if (res.status === 200) return;
    expect(res.status).toBe(503);
    if (Date.now() > deadline) throw new Error(`update still refused after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The texts a chat received after `from` (an index into fake.texts). */
const textsSince = (t: TelegramPlaza, chat: { chatId: number }, from: number) =>
  t.fake.texts(chat.chatId).slice(from);

describe('PostgreSQL down (TELEGRAM_WEBHOOK_ACK=processed)', () => {
  let t: TelegramPlaza;
  let db: TestDatabase;
  let hop: TcpHop;
  let proposalIds: number[];
  beforeAll(async () => {
    // Plaza reaches its database only through the hop.
    db = await createTestDatabase();
    const url = new URL(db.url);
    hop = await TcpHop.create({ host: url.hostname, port: Number(url.port || 5432) });
    t = await startTelegramPlaza({ env: { DATABASE_URL: hop.through(db.url) } });
    const process = await createProcess(t.plaza.database.prisma, { phase: 'voting' });
    proposalIds = await createProposals(t.plaza.database.prisma, process, 3);
  });
  afterAll(async () => {
    await hop?.restore();
    try {
      await t?.close();
    } finally {
      await hop?.cut();
      await db?.drop();
    }
  });

  it('every update is answered 503 while it is down; once back, each resend gets exactly one answer', async () => {
    const newcomer = new TelegramChat(t); // says "hola" for the first time during the outage
    const onboarding = new TelegramChat(t); // mid-onboarding: chooses the language during the outage
    await onboarding.say('hola');
    const member = new TelegramChat(t); // consented: asks for help during the outage
    await script(member, consentSteps);
    const supporter = new TelegramChat(t); // presses "Apoyar" on a proposal during the outage
    await script(supporter, consentSteps);
    await supporter.say(`/start proposal_${proposalIds[0]}`);
    const support = supporter.keyboard().find((b) => b.text.includes('Apoyar'))!;

    const chats = [newcomer, onboarding, member, supporter];
    const updates = [
      textUpdate(newcomer.chatId, 'hola'),
      textUpdate(onboarding.chatId, 'Español'),
      textUpdate(member.chatId, 'ayuda'),
      callbackUpdate(supporter.chatId, support.callback_data),
    ];
    const expected = [/idioma/, /¿Tienes 14 años o más\?/, /«menú» para volver/, /¡Apoyo registrado!/];
    const before = chats.map((c) => t.fake.texts(c.chatId).length);

    await hop.cut();
    try {
      await refusedWhileDown(t, updates);
      await sleep(300);
      for (const [i, chat] of chats.entries()) {
        expect(textsSince(t, chat, before[i]!), `chat ${i} during the outage`).toEqual([]);
        expect(await t.telegram.channel.outbox.pending(String(chat.chatId))).toBe(0);
      }
    } finally {
      await hop.restore();
    }

    for (const update of updates) await resendUntilAcknowledged(t, update);
    // Telegram may still repeat one it has had acknowledged: nothing more is said.
    for (const update of updates) expect((await t.post(update)).status).toBe(200);
    for (const chat of chats) await delivered(t, chat.chatId);
    for (const [i, chat] of chats.entries()) {
      const said = textsSince(t, chat, before[i]!);
      expect(said, `chat ${i}`).toHaveLength(1);
      expect(said[0], `chat ${i}`).toMatch(expected[i]!);
      expect(said[0], `chat ${i}`).not.toContain(APOLOGY);
    }
    // Nothing of the turns was lost or half-kept: the conversations go on where they were.
    await onboarding.say('Sí');
    expect(onboarding.text()).toMatch(/¿Aceptas que tratemos tus datos/);
    const supports = await t.plaza.database.prisma.support.count({ where: { proposalId: proposalIds[0] } });
    expect(supports).toBe(1);
  });

  it('a connection killed inside a dialog step is not apologised for: 503, then answered once', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    await chat.say(`/start proposal_${proposalIds[1]}`);
    const support = chat.keyboard().find((b) => b.text.includes('Apoyar'))!;
    // The first support written from now on kills its own connection (a sequence: not rolled back with it).
    const sql = t.plaza.database.prisma;
    await sql.$executeRawUnsafe('CREATE SEQUENCE outage_once');
    await sql.$executeRawUnsafe(`CREATE FUNCTION outage_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('outage_once') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
        RETURN NEW;
      END $$`);
    await sql.$executeRawUnsafe(
      'CREATE TRIGGER outage_once AFTER INSERT ON "Support" FOR EACH ROW EXECUTE FUNCTION outage_once()',
    );
    try {
      const before = t.fake.texts(chat.chatId).length;
      const press = callbackUpdate(chat.chatId, support.callback_data);
      expect((await t.post(press)).status).toBe(503);
      await resendUntilAcknowledged(t, press);
      await delivered(t, chat.chatId);
      const said = textsSince(t, chat, before);
      expect(said).toHaveLength(1);
      expect(said[0]).not.toContain(APOLOGY);
      expect(said[0]).toMatch(/¡Apoyo registrado!/);
      expect(said[0]).toMatch(/1 apoyo\b/);
    } finally {
      await sql.$executeRawUnsafe('DROP TRIGGER outage_once ON "Support"');
      await sql.$executeRawUnsafe('DROP FUNCTION outage_once()');
      await sql.$executeRawUnsafe('DROP SEQUENCE outage_once');
    }
  });
});

describe('PostgreSQL refusing connections (TELEGRAM_WEBHOOK_ACK=queued)', () => {
  let t: TelegramPlaza;
  let consumers: TelegramInbox;
  let admin: pg.Client;
  let name: string;
  beforeAll(async () => {
    t = await startTelegramPlaza({ env: { TELEGRAM_WEBHOOK_ACK: 'queued' } });
    consumers = new TelegramInbox({
      redis: t.plaza.redis,
      prefix: t.plaza.config.REDIS_PREFIX,
      channel: t.telegram.channel,
      logger: createLogger('silent'),
      retryBaseMs: 20,
      retryMaxMs: 200,
    });
    consumers.start({ concurrency: 4 });
    name = new URL(t.plaza.testDb.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await consumers?.stop();
    await t?.close();
  });

  /** Waits until the consumers have handled the chat's queued updates and their answers went out. */
  async function handled(chatId: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await consumers.pending(String(chatId))) > 0) {
      if (Date.now() > deadline) throw new Error(`chat ${chatId}: updates still queued`);
      await sleep(10);
    }
    await delivered(t, chatId);
  }

  /** A person writing through the queued webhook (a button pressed = its title typed, as the channel does). */
  class QueuedChat implements ChatLike {
    readonly chatId = 100_000_000 + Math.floor(Math.random() * 800_000_000);
    private said: string[] = [];
    async say(text: string): Promise<void> {
      const before = t.fake.texts(this.chatId).length;
      expect((await t.post(textUpdate(this.chatId, text))).status).toBe(200);
      await handled(this.chatId);
      this.said = t.fake.texts(this.chatId).slice(before);
    }
    press(title: string): Promise<void> {
      return this.say(title);
    }
    text(): string {
      return this.said.join('\n');
    }
    buttons(): string[] {
      return [];
    }
  }

  it('acknowledged updates are kept and retried, not dropped, and answered once when it is back', async () => {
    const onboarding = new QueuedChat();
    await onboarding.say('hola');
    const member = new QueuedChat();
    await script(member, consentSteps);
    const chats = [onboarding, member];
    const updates = [textUpdate(onboarding.chatId, 'Español'), textUpdate(member.chatId, 'ayuda')];
    const expected = [/¿Tienes 14 años o más\?/, /«menú» para volver/];
    const before = chats.map((c) => t.fake.texts(c.chatId).length);

    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    try {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      for (const update of updates) expect((await t.post(update)).status).toBe(200);
      // Several failed attempts (every 20 ms … 200 ms): still queued, nothing said.
      await sleep(800);
      for (const [i, chat] of chats.entries()) {
        expect(await consumers.pending(String(chat.chatId)), `chat ${i} during the outage`).toBe(1);
        expect(textsSince(t, chat, before[i]!)).toEqual([]);
      }
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }

    for (const [i, chat] of chats.entries()) {
      await handled(chat.chatId);
      const said = textsSince(t, chat, before[i]!);
      expect(said, `chat ${i}`).toHaveLength(1);
      expect(said[0], `chat ${i}`).toMatch(expected[i]!);
    }
    await onboarding.say('Sí');
    expect(onboarding.text()).toMatch(/¿Aceptas que tratemos tus datos/);
  });
});

describe('Redis down (TELEGRAM_WEBHOOK_ACK=processed), on a redis-server of the test’s own', () => {
  let t: TelegramPlaza;
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await OwnRedis.create();
    t = await startTelegramPlaza({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    try {
      await redis?.start().catch(() => undefined);
      // Plaza's client reconnects with a back-off (up to 2 s): its cleanup needs Redis.
      const deadline = Date.now() + 10_000;
      while (t && (await t.plaza.redis.ping().catch(() => 'down')) !== 'PONG' && Date.now() < deadline)
        await sleep(50);
      await t?.close();
    } finally {
      redis?.remove();
    }
  });

  it('every update is answered 503 while it is down; once back, each resend gets exactly one answer', async () => {
    const newcomer = new TelegramChat(t);
    const onboarding = new TelegramChat(t);
    await onboarding.say('hola');
    const member = new TelegramChat(t);
    await script(member, consentSteps);
    const chats = [newcomer, onboarding, member];
    const updates = [
      textUpdate(newcomer.chatId, 'hola'),
      textUpdate(onboarding.chatId, 'Español'),
      textUpdate(member.chatId, 'ayuda'),
    ];
    const expected = [/idioma/, /¿Tienes 14 años o más\?/, /«menú» para volver/];
    const before = chats.map((c) => t.fake.texts(c.chatId).length);

    // A restart that keeps the data (as Redis with persistence does): conversation state survives it.
    redis.stop({ save: true });
    try {
      await refusedWhileDown(t, updates);
      await sleep(300);
      for (const [i, chat] of chats.entries())
        expect(textsSince(t, chat, before[i]!), `chat ${i} during the outage`).toEqual([]);
    } finally {
      await redis.start();
    }

    for (const update of updates) await resendUntilAcknowledged(t, update);
    for (const update of updates) expect((await t.post(update)).status).toBe(200);
    for (const chat of chats) await delivered(t, chat.chatId);
    for (const [i, chat] of chats.entries()) {
      const said = textsSince(t, chat, before[i]!);
      expect(said, `chat ${i}`).toHaveLength(1);
      expect(said[0], `chat ${i}`).toMatch(expected[i]!);
    }
    await onboarding.say('Sí');
    expect(onboarding.text()).toMatch(/¿Aceptas que tratemos tus datos/);
  });
});
