// Broadcasts end to end through the fake Bot API holding Telegram's limits (30 messages/s overall, 1/s per
// chat): the ledger is the truth, no second exceeds the limit, a 429 pauses every send for its retry_after,
// a 403 recipient gets exactly one attempt and is unsubscribed, an unsubscribe during the broadcast is
// honoured, web chat recipients read it at their next message, the staff chat shows progress, and a Redis
// wipe mid-broadcast loses nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcast } from '../../src/domain/create-broadcast.ts';
import { getBroadcastProgress } from '../../src/domain/get-broadcast-progress.ts';
import { startWorker } from '../../src/main.ts';
import type { Workers } from '../../src/queues/workers.ts';
import { Chat } from '../support/conversation.ts';
import {
  createProcess,
  createStaffMember,
  createSubscribers,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { REDIS_URL } from '../support/plaza.ts';
import type { FakeCall } from '../fakes/telegram-bot-api.ts';
import { startTelegramPlaza, type TelegramPlaza } from '../channels/telegram/harness.ts';

const WIPEABLE_REDIS = `${REDIS_URL}/9`;
let t: TelegramPlaza;
let workers: Workers;
let staff: { id: string; telegramUserId: string };
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  t = await startTelegramPlaza({
    env: {
      // A Redis database of this file's own, so the wipe below can be a real, atomic FLUSHDB.
      REDIS_URL: WIPEABLE_REDIS,
      TELEGRAM_MESSAGES_PER_SECOND: '30',
      TELEGRAM_CHAT_INTERVAL_MS: '1000',
      TELEGRAM_OUTBOX_LEASE_MS: '3000',
      TELEGRAM_OUTBOX_CONCURRENCY: '50',
    },
    fake: { globalPerSecond: 30, perChatPerSecond: 1 },
  });
  workers = await startWorker(t.plaza, t.telegram, { stalledIntervalMs: 5000, broadcastStaleMs: 2000 });
  staff = await createStaffMember(db(), { role: 'staff', name: 'Marta' });
});
afterAll(async () => {
  await workers?.close();
  await t?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const progressOf = (id: number) => getBroadcastProgress(t.plaza.domain, { broadcastId: id });
const done = (id: number) =>
  until(`broadcast ${id} done`, async () => {
    const p = await progressOf(id);
    return p?.status === 'done' ? p : undefined;
  });
const textOf = (c: FakeCall) => String((c.response.result as { text?: string }).text ?? '');
const sendsWith = (marker: string) => t.fake.sent().filter((c) => textOf(c).includes(marker));

async function broadcast(process: ProcessFixture, marker: string, extra: { progressChatId?: string } = {}) {
  const r = await createBroadcast(t.plaza.domain, {
    staffMemberId: staff.id,
    processId: process.id,
    texts: { es: `Novedades ${marker}: abre la fase de votación`, en: `News ${marker}: voting opens` },
    ...extra,
  });
  if (!r.ok) throw new Error(`broadcast refused: ${r.reason}`);
  return r.broadcast.id;
}

describe('broadcasts at Telegram’s limit', () => {
  it(
    'reaches every subscriber once, within 30/s, pausing on 429, one try on 403, honouring unsubscribes',
    { timeout: 120_000 },
    async () => {
      const process = await createProcess(db(), { title: 'Barrios' });
      const people = await createSubscribers(db(), process, 240);
      const english = await createSubscribers(db(), process, 20, { locale: 'en' });
      const blocked = people.slice(0, 5);
      for (const p of blocked) t.fake.forbid(p.externalId);
      const leaving = people.slice(-10);
      t.fake.failNext('sendMessage', {
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        retry_after: 1,
      });

      const id = await broadcast(process, 'B1', { progressChatId: staff.telegramUserId });
      // They leave while it is sending: at once, before their turn comes.
      await until('sending', async () => (await progressOf(id))?.status === 'sending');
      await db().subscription.deleteMany({ where: { participantId: { in: leaving.map((p) => p.id) } } });

      const final = await done(id);
      expect(final).toMatchObject({ recipients: 260, blocked: 5, failed: 0, remaining: 0 });
      expect(final.sent + final.skipped).toBe(255);
      expect(await db().broadcastDelivery.count({ where: { broadcastId: id } })).toBe(260);

      const sends = sendsWith('B1');
      const perChat = new Map<string, number>();
      for (const c of sends)
        perChat.set(String(c.params.chat_id), (perChat.get(String(c.params.chat_id)) ?? 0) + 1);
      expect([...perChat.values()].every((n) => n === 1)).toBe(true);
      for (const p of leaving) expect(perChat.has(p.externalId)).toBe(false);
      expect(sends.length).toBe(final.sent);
      expect(final.sent).toBeGreaterThanOrEqual(245 - leaving.length);
      for (const p of english)
        expect(
          sends.find((c) => c.params.chat_id === p.externalId || String(c.params.chat_id) === p.externalId)
            ?.params.text,
        ).toMatch(/^📣 .*\n\nNews B1: voting opens$/s);

      // 403: exactly one attempt answered 403 each, and nothing tried after it.
      for (const p of blocked) {
        const calls = t.fake.calls.filter(
          (c) => c.method === 'sendMessage' && String(c.params.chat_id) === p.externalId,
        );
        const forbidden = calls.filter((c) => c.response.error_code === 403);
        expect(forbidden).toHaveLength(1);
        expect(calls.at(-1)).toBe(forbidden[0]);
      }
      expect(
        await db().subscription.count({ where: { participantId: { in: blocked.map((p) => p.id) } } }),
      ).toBe(0);

      // The limit: no rolling second above 30, and the fake never had to refuse a send for flooding.
      expect(t.fake.busiestSecond()).toBeLessThanOrEqual(30);
      expect(t.fake.maxPerChatInSecond()).toBeLessThanOrEqual(1);
      // The 429 pauses every send for its retry_after. The outbox sends a round of chats at once (at most the
      // 30 the window allows), so the rest of the 429's round was already on its way when the answer came
      // back, and on a loaded machine it may arrive a while later; the next round only starts once the pause
      // is set. So within the pause: fewer than one round's worth of sends, never a second round.
      const refused = t.fake.calls.filter((c) => c.response.error_code === 429);
      expect(refused).toHaveLength(1);
      const r = refused[0]!;
      const pause = (r.response.parameters?.retry_after ?? 1) * 1000;
      const after = t.fake.calls.filter(
        (c) => c.response.ok && c.method === 'sendMessage' && c.at > r.at && c.at < r.at + pause - 50,
      );
      expect(after.length).toBeLessThan(30);

      // The staff member watched it: a progress message, edited, then a summary.
      await until('the summary', async () =>
        t.fake.sent(staff.telegramUserId).some((c) => /terminada/.test(textOf(c))),
      );
      const staffChat = t.fake.sent(staff.telegramUserId).map(textOf);
      expect(staffChat[0]).toMatch(/📣 Difusión #\d+ · enviándose/);
      // Counts as labels («Enviados: 1»), never «1 enviados».
      expect(staffChat.at(-1)).toMatch(/✅ Difusión #\d+ terminada\. Destinatarios: \d+ · Enviados: \d+/);
      expect(
        t.fake.callsOf('editMessageText').some((c) => String(c.params.chat_id) === staff.telegramUserId),
      ).toBe(true);
    },
  );

  it('retries server errors, and records the reason of a message Telegram refuses for good', async () => {
    const process = await createProcess(db(), { title: 'Errores' });
    await createSubscribers(db(), process, 3);
    t.fake.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 2);
    t.fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' }, 1);
    const id = await broadcast(process, 'E1');
    const final = await done(id);
    expect(final).toMatchObject({ recipients: 3, sent: 2, failed: 1 });
    expect(sendsWith('E1')).toHaveLength(2);
    const failed = await db().broadcastDelivery.findFirstOrThrow({
      where: { broadcastId: id, status: 'failed' },
    });
    expect(failed.error).toMatch(/400 Bad Request: chat not found/);
  }, 60_000);

  it('keeps it for web chat recipients, shown once at their next message', async () => {
    const process = await createProcess(db(), { title: 'Parques' });
    const [reader] = await createSubscribers(db(), process, 1, { channel: 'webchat' });
    const id = await broadcast(process, 'W1');
    // Recorded for them: delivered on Plaza's side, and waiting until they come back.
    expect(await done(id)).toMatchObject({ recipients: 1, sent: 1, waiting: 1, remaining: 0 });
    const chat = new Chat(t.plaza.engine, { userId: reader!.externalId });
    await chat.say('hola');
    expect(chat.replies[0]?.text).toBe('📣 Parques\n\nNovedades W1: abre la fase de votación');
    expect(await progressOf(id)).toMatchObject({ recipients: 1, sent: 1, waiting: 0 });
    await chat.say('hola');
    expect(chat.text()).not.toContain('W1');
  });

  it(
    'loses nobody when Redis is wiped mid-broadcast (resumes from the ledger)',
    { timeout: 120_000 },
    async () => {
      const process = await createProcess(db(), { title: 'Mercados' });
      const people = await createSubscribers(db(), process, 150);
      const id = await broadcast(process, 'R1');
      await until('a third sent', async () => ((await progressOf(id))?.sent ?? 0) >= 50);
      await t.plaza.redis.flushDb();
      await done(id);
      const sends = sendsWith('R1');
      const chats = new Set(sends.map((c) => String(c.params.chat_id)));
      for (const p of people) expect(chats.has(p.externalId)).toBe(true);
      // Duplicates only for messages in flight at the wipe (at most the channel's concurrency).
      expect(sends.length - chats.size).toBeLessThanOrEqual(50);
    },
  );
});
