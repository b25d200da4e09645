// Exactly once, end to end, the way Telegram delivers: 100 people × 10 updates through the webhook, 20 chats
// at a time; in a chat each update is sent only after the previous one was answered 200. Telegram sends some
// updates twice (5 %), and some turns fail with an infrastructure error (1 %) — half before the engine ran
// the turn, half after it ran and wrote (the dangerous case) — so the webhook answers 503 and "Telegram"
// sends the same update again until it gets 200. Every person must end up with exactly one bot message per
// update, in order, one consent and one support: nothing lost, nothing doubled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketClosedUnexpectedlyError } from 'redis';
import type { Update } from 'telegraf/types';
import { isInfrastructureError } from '../../../src/engine/errors.ts';
import { createProcess, createProposals } from '../../support/fixtures.ts';
import { delivered, seededRandom, startTelegramPlaza, textUpdate, type TelegramPlaza } from './harness.ts';

const SEED = Number(process.env.PLAZA_TEST_SEED ?? 20_250_611);
const CHATS = 100;
const AT_ONCE = 20;

/** What each person says, and what the bot's answer to it must contain. */
const steps = (proposalId: number, n: number): [string, RegExp[]][] => [
  ['hola', [/Soy Plaza/, /idioma/]],
  ['Español', [/¿Tienes 14 años o más\?/]],
  ['Sí', [/¿Aceptas que tratemos tus datos/]],
  ['Sí, acepto', [/¡Gracias!/, /¿Qué quieres hacer\?/]],
  [
    `/start proposal_${proposalId}`,
    [new RegExp(`#${proposalId} Propuesta de prueba número ${n}\\b`), /0 apoyos/],
  ],
  ['Apoyar', [/¡Apoyo registrado!/, /1 apoyo\b/]],
  ['Retirar mi apoyo', [/Has retirado tu apoyo/, /0 apoyos/]],
  ['Apoyar', [/¡Apoyo registrado!/, /1 apoyo\b/]],
  ['ayuda', [/«menú» para volver/]],
  ['menú', [/¿Qué quieres hacer\?/]],
];

/**
 * What node-redis rejects a command in flight with when the connection drops: its own class, whose `name` is
 * left "Error" (tests/engine/errors.test.ts gets it from a real server going away). Not a lookalike with a
 * hand-set name, which the classification would recognise where the real error is missed.
 */
function infrastructureError(): Error {
  return new SocketClosedUnexpectedlyError();
}

const random = seededRandom(SEED);
/** Update ids whose first attempt fails, and when. */
const failFirst = new Map<string, 'before' | 'after'>();
const failed = new Set<string>();

let t: TelegramPlaza;
let proposalIds: number[];
beforeAll(async () => {
  t = await startTelegramPlaza({
    wrapEngine: (engine) => ({
      drain: () => engine.drain(),
      render: engine.render,
      async runTurn(activity) {
        const when = activity.id === undefined ? undefined : failFirst.get(activity.id);
        if (when === undefined || failed.has(activity.id!)) return engine.runTurn(activity);
        failed.add(activity.id!);
        if (when === 'before') throw infrastructureError();
        await engine.runTurn(activity);
        throw infrastructureError();
      },
    }),
  });
  const process = await createProcess(t.plaza.database.prisma, { phase: 'voting' });
  proposalIds = await createProposals(t.plaza.database.prisma, process, CHATS);
});
afterAll(() => t?.close());

describe('Telegram delivery, exactly once', () => {
  it('1,000 updates from 100 chats, 5 % delivered twice, 1 % failing first: every answer once, in order', async () => {
    expect(isInfrastructureError(infrastructureError())).toBe(true);
    const firstChat = 400_000_000 + Math.floor(random() * 100_000_000);
    const chats = Array.from({ length: CHATS }, (_, i) => {
      const proposalId = proposalIds[i]!;
      return { chatId: firstChat + i, proposalId, steps: steps(proposalId, i + 1), updates: [] as Update[] };
    });
    // Update ids grow over time, across chats, as Telegram's do.
    for (let s = 0; s < 10; s++)
      for (const chat of chats)
        chat.updates.push(textUpdate(chat.chatId, chat.steps[s]![0]) as unknown as Update);
    const all = chats.flatMap((c) =>
      c.updates.map((u, s) => ({ chat: c, step: s, id: String(u.update_id) })),
    );

    const twice = new Set(pick(all, 50).map((u) => u.id));
    // Failures after the turn ran go to the updates that write: consent, support, withdrawal, support again.
    const afterTurn = pick(chats, 5).map((c, i) => ({ chat: c, step: [3, 5, 6, 7, 3][i]! }));
    for (const { chat, step } of afterTurn) failFirst.set(String(chat.updates[step]!.update_id), 'after');
    for (const u of pick(all, 20)) {
      if (failFirst.size === 10) break;
      if (!failFirst.has(u.id)) failFirst.set(u.id, 'before');
    }
    expect(failFirst.size).toBe(10);

    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    /** Telegram: the same update until it is acknowledged. */
    const deliver = async (update: Update) => {
      for (let attempt = 1; ; attempt++) {
        const res = await t.post(update);
        count(res.status);
        if (res.status === 200) return;
        if (res.status !== 503 || attempt > 5)
          throw new Error(`update ${update.update_id}: ${res.status} ${res.body} (attempt ${attempt})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < chats.length) {
          const chat = chats[next++]!;
          for (const update of chat.updates) {
            await deliver(update);
            if (twice.has(String(update.update_id))) await deliver(update);
          }
        }
      }),
    );
    const answered = Date.now() - started;
    for (const chat of chats) await delivered(t, chat.chatId, 20_000);
    const elapsed = Date.now() - started;
    console.info(
      `exactly-once (seed ${SEED}): 1,000 updates + ${twice.size} repeats + ${failed.size} retries answered in ` +
        `${answered} ms, all delivered in ${elapsed} ms`,
    );

    expect(Object.fromEntries(statuses)).toEqual({ 200: 1000 + twice.size, 503: 10 });
    expect(failed.size).toBe(10);

    for (const chat of chats) {
      const texts = t.fake.texts(chat.chatId);
      expect(texts, `chat ${chat.chatId}`).toHaveLength(10);
      chat.steps.forEach(([said, expected], s) => {
        for (const e of expected) expect(texts[s], `chat ${chat.chatId}, step ${s + 1} "${said}"`).toMatch(e);
      });
    }

    const db = t.plaza.database.prisma;
    const participants = await db.participant.findMany({
      include: { accounts: true, consents: true, supports: true },
    });
    expect(participants).toHaveLength(CHATS);
    for (const chat of chats) {
      const p = participants.find((x) => x.accounts.some((a) => a.externalId === String(chat.chatId)));
      expect(p, `participant of chat ${chat.chatId}`).toBeDefined();
      expect(p!.accounts).toMatchObject([{ channel: 'telegram' }]);
      expect(p!.consents.map((c) => c.action)).toEqual(['given']);
      expect(p!.supports.map((s) => s.proposalId)).toEqual([chat.proposalId]);
    }
    expect(await db.support.count()).toBe(CHATS);
    expect(t.fake.parseErrors).toBe(0);
    expect(t.fake.calls.filter((c) => !c.response.ok)).toEqual([]);
  }, 60_000);
});

/** `n` distinct items chosen with the seeded PRNG. */
function pick<T>(items: T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
