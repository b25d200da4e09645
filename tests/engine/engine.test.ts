import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposals, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, deleteKeys, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let process_: ProcessFixture;
let proposalIds: number[];
const prefixes: string[] = [];

beforeAll(async () => {
  plaza = await createTestPlaza();
  process_ = await createProcess(plaza.database.prisma, { phase: 'voting' });
  proposalIds = await createProposals(plaza.database.prisma, process_, 2);
});
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(plaza, `${p}:*`);
  await plaza?.cleanup();
});

/** An engine of its own on the test's database and Redis, with options a test can vary. */
function engineWith(
  opts: {
    domain?: Partial<DomainDeps>;
    floodMax?: number;
    floodWindowSeconds?: number;
    turnConcurrency?: number;
    logger?: Logger;
  } = {},
): Engine {
  const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return createEngine({
    redis: plaza.redis,
    domain: { ...plaza.domain, ...opts.domain },
    logger: opts.logger ?? createLogger('silent'),
    prefix,
    flood: { max: opts.floodMax ?? 1000, windowSeconds: opts.floodWindowSeconds ?? 10 },
    stateTtlSeconds: 600,
    turnConcurrency: opts.turnConcurrency,
  });
}

/** A logger whose lines the test reads (raw, and parsed). */
function capture() {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void raw.push(line) });
  const lines = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, raw, lines };
}

describe('the engine', () => {
  it('runs at most turnConcurrency turns at once; the others wait their turn and all are answered', async () => {
    let inFlight = 0;
    let most = 0;
    const db = plaza.domain.db;
    // Every turn starts by reading who is writing: count the turns inside at once, each held a while.
    const slowDb = new Proxy(db, {
      get(target, key, receiver) {
        if (key !== '$queryRaw') return Reflect.get(target, key, receiver) as unknown;
        return async (...args: Parameters<typeof db.$queryRaw>) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 30));
          try {
            return await target.$queryRaw(...args);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const engine = engineWith({ domain: { db: slowDb }, turnConcurrency: 2 });
    const chats = Array.from({ length: 6 }, () => new Chat(engine));
    const replies = await Promise.all(chats.map((c) => c.say('hola')));
    expect(most).toBe(2);
    for (const r of replies) expect(r.length).toBeGreaterThan(0);
  });

  it('records that a participant was seen (retention counts from there), at most once an hour', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const account = await plaza.database.prisma.channelAccount.findFirstOrThrow({
      where: { channel: chat.channelId, externalId: chat.userId },
    });
    const db = plaza.database.prisma;
    const longAgo = new Date(Date.now() - 200 * 86_400_000);
    await db.participant.update({
      where: { id: account.participantId },
      data: { lastSeenAt: longAgo, retentionWarnedAt: new Date() },
    });
    await chat.say('menú');
    const seen = await db.participant.findUniqueOrThrow({ where: { id: account.participantId } });
    expect(seen.lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.retentionWarnedAt).toBeNull();
    // Seen a minute ago: the next turn writes nothing.
    const recent = new Date(Date.now() - 60_000);
    await db.participant.update({ where: { id: account.participantId }, data: { lastSeenAt: recent } });
    await chat.say('menú');
    expect(
      (await db.participant.findUniqueOrThrow({ where: { id: account.participantId } })).lastSeenAt,
    ).toEqual(recent);
  });

  it('processes a repeated activity id once, answering repeats with the same replies', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [...consentSteps, [`/start proposal_${proposalIds[0]}`, /número 1/]]);
    const activity = {
      id: `repeat-${randomBytes(4).toString('hex')}`,
      type: 'message',
      text: 'Apoyar',
      channelId: chat.channelId,
      conversation: { id: chat.conversationId },
      from: { id: chat.userId },
      locale: 'es-ES',
    };
    const [first, again, third] = await Promise.all([
      plaza.engine.runTurn(activity),
      plaza.engine.runTurn(activity),
      plaza.engine.runTurn(activity),
    ]);
    expect(first!.map((r) => r.text).join('\n')).toMatch(/Apoyo registrado/);
    expect(again).toEqual(first);
    expect(third).toEqual(first);
    expect(await plaza.database.prisma.support.count({ where: { proposalId: proposalIds[0] } })).toBe(1);
  });

  it('runs many simultaneous messages of one conversation one at a time, answering each', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const turns = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        plaza.engine.runTurn({
          id: `${chat.conversationId}-burst-${i}`,
          type: 'message',
          text: 'ayuda',
          channelId: chat.channelId,
          conversation: { id: chat.conversationId },
          from: { id: chat.userId },
        }),
      ),
    );
    for (const replies of turns) expect(replies.map((r) => r.text).join('\n')).toMatch(/«menú» para volver/);
  });

  it('asks a flooding sender to slow down instead of going silent', async () => {
    const engine = engineWith({ floodMax: 3 });
    const chat = new Chat(engine);
    await chat.say('hola');
    await chat.say('1');
    await chat.say('sí');
    await chat.say('sí');
    expect(chat.text()).toMatch(/Vas muy rápido/);
  });

  it("logs a flood without the Telegram chat's id, under a tag that stays the same for the conversation", async () => {
    const log = capture();
    // Two engines (their own flood counters) in one process: the same conversation has the same tag in both.
    // A window that does not end during the test.
    const engine = engineWith({ floodMax: 1, floodWindowSeconds: 3600, logger: log.logger });
    const again = engineWith({ floodMax: 1, floodWindowSeconds: 3600, logger: log.logger });
    // A Telegram private chat: its id is the person's Telegram id.
    const telegramId = String(700_000_000 + Math.floor(Math.random() * 99_999_999));
    const ids = { channelId: 'telegram', userId: telegramId, conversationId: telegramId };
    const chat = new Chat(engine, ids);
    const chatAgain = new Chat(again, ids);
    const other = new Chat(engine, { channelId: 'telegram' });
    for (const c of [chat, chat, chatAgain, chatAgain, other, other]) await c.say('hola');
    expect(chat.text()).toMatch(/Vas muy rápido/);
    // Logged once per window and sender, as it is answered.
    await chat.say('hola');
    expect(chat.replies).toEqual([]);
    const floods = log.lines().filter((l) => l.msg === 'flood limit');
    expect(floods).toHaveLength(3);
    expect(log.raw.join('')).not.toContain(telegramId);
    for (const line of floods) {
      expect(line).not.toHaveProperty('conversationId');
      expect(line).toMatchObject({
        channelId: 'telegram',
        conversationTag: expect.stringMatching(/^[\w-]{12}$/),
      });
    }
    expect(floods[0]!.conversationTag).toBe(floods[1]!.conversationTag);
    expect(floods[2]!.conversationTag).not.toBe(floods[0]!.conversationTag);
  });

  it('apologises for an unexpected failure, resets the dialog and keeps stored data', async () => {
    let explode = false;
    let calls = 0;
    const log = capture();
    const engine = engineWith({
      logger: log.logger,
      domain: {
        // Once armed, the clock fails from its second reading on: the turn's first (who is writing, before
        // any flow runs) works, the flow's (the process phase) fails.
        now: () => {
          if (explode && ++calls > 1) throw new Error('unexpected bug');
          return new Date();
        },
      },
    });
    const chat = new Chat(engine);
    await script(chat, [...consentSteps, [`/start process_${process_.slug}`, /Fases/]]);
    explode = true;
    await chat.press('Ranking'); // reads the process phase, which asks the clock
    expect(chat.text()).toMatch(/algo ha fallado por nuestra parte/);
    expect(chat.text()).not.toMatch(/unexpected bug|at \w+ \(/);
    const [failed] = log.lines().filter((l) => l.msg === 'turn failed; dialog reset');
    expect(failed).not.toHaveProperty('conversationId');
    expect(failed).toMatchObject({
      channelId: chat.channelId,
      conversationTag: expect.stringMatching(/^[\w-]{12}$/),
      // The flow's error, as botbuilder wraps it.
      err: { type: 'DialogContextError', message: 'unexpected bug', cause: { type: 'Error' } },
    });
    explode = false;
    await script(chat, [['hola', /¿Qué quieres hacer\?/]]);
    expect(
      await plaza.database.prisma.channelAccount.count({ where: { externalId: chat.userId } }),
      'the participant survives the reset',
    ).toBe(1);
  });

  it('refuses to run a turn while the database is unreachable, so the channel can retry', async () => {
    const unreachable = new PrismaClient({
      adapter: new PrismaPg({
        connectionString: 'postgresql://postgres@127.0.0.1:1/none',
        connectionTimeoutMillis: 500,
      }),
    });
    const engine = engineWith({ domain: { db: unreachable } });
    const chat = new Chat(engine);
    await expect(chat.say('hola')).rejects.toBeTruthy();
    await unreachable.$disconnect();
  });

  it('answers unknown activity types politely, ignores typing, and greets on join', async () => {
    const chat = new Chat(plaza.engine);
    expect(await chat.send({ type: 'typing' })).toEqual([]);
    await chat.send({ type: 'somethingNew' });
    expect(chat.text()).toMatch(/solo entiendo mensajes de texto y botones/);
    await chat.send({ type: 'event', name: 'webchat/join' });
    expect(chat.text()).toMatch(/Soy Plaza/);
    await chat.send({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'x' }] });
    expect(chat.text()).toMatch(/solo entiendo mensajes de texto[\s\S]*idioma/);
  });

  it('refuses a 100 KB message with a friendly answer and keeps the pending question', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps.slice(0, 2));
    await chat.say('x'.repeat(100_000));
    expect(chat.text()).toMatch(/demasiado largo \(máximo 4096 caracteres\)/);
    expect(chat.text()).toMatch(/¿Tienes 14 años o más\?/);
    await script(chat, [[press('Sí'), /¿Aceptas/]]);
  });

  it('rejects activities without the identifiers a turn needs', async () => {
    await expect(
      plaza.engine.runTurn({
        type: 'message',
        channelId: 'webchat',
        conversation: { id: '' },
        from: { id: 'u' },
      } as never),
    ).rejects.toThrow(/conversation\.id/);
  });
});
