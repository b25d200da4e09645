// The retention sweep end to end, with the Telegram channel against the fake Bot API: a worker started by
// `startWorker` warns a person not seen for 336 days at once — one notice, delivered to their Telegram
// chat by the notifications worker —; two sweeps at once and later sweeps warn nobody twice; a person who
// writes after the warning keeps everything; one warned 30 days before and not seen for 365 days is erased
// with their Redis traces; the queue's jobs carry no personal data. Times are fixed relative to the start of
// the file (the engine, which records people's activity, runs on the real clock).
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainDeps } from '../../../src/domain/deps.ts';
import { parseQuietHours } from '../../../src/domain/quiet-hours.ts';
import { createRedisParticipantTraces } from '../../../src/redis/participant-traces.ts';
import { startWorker } from '../../../src/main.ts';
import { sweepRetention } from '../../../src/queues/retention/retention-sweep.ts';
import { handleNotificationJob } from '../../../src/queues/notifications/handler.ts';
import type { Workers } from '../../../src/queues/workers.ts';
import {
  delivered,
  startTelegramPlaza,
  textUpdate,
  type TelegramPlaza,
} from '../../channels/telegram/harness.ts';

const DAY = 24 * 3600 * 1000;
const NOW = new Date();
const day = (n: number) => new Date(NOW.getTime() + n * DAY);

let t: TelegramPlaza;
beforeAll(async () => {
  t = await startTelegramPlaza();
});
afterAll(() => t?.close());

const db = () => t.plaza.database.prisma;
const at = (when: Date): DomainDeps => ({ ...t.plaza.domain, now: () => when });
const traces = () => createRedisParticipantTraces(t.plaza.redis, { prefix: t.plaza.config.REDIS_PREFIX });
const send = (noticeId: bigint, chatId: string) => t.telegram.channel.deliverNotice(noticeId, chatId);

/** A consented Telegram participant last seen at `seenAt` (a private chat: chat id = external id). */
async function person(seenAt: Date, locale: 'es' | 'en' = 'es') {
  const chatId = randomInt(1e9, 2e9);
  const p = await db().participant.create({
    data: {
      locale,
      createdAt: seenAt,
      lastSeenAt: seenAt,
      accounts: { create: { channel: 'telegram', externalId: String(chatId) } },
      consents: {
        create: { purpose: 'participation', action: 'given', noticeVersion: 1, channel: 'telegram' },
      },
    },
  });
  return { id: p.id, chatId };
}

async function waitFor<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every BullMQ job's data under this installation's prefix, as stored in Redis. */
async function jobPayloads(): Promise<string[]> {
  const found: string[] = [];
  for await (const keys of t.plaza.redis.scanIterator({
    MATCH: `${t.plaza.config.REDIS_PREFIX}:bull:*`,
    COUNT: 500,
  }))
    for (const key of keys as unknown as string[])
      if ((await t.plaza.redis.type(key)) === 'hash') {
        const data = await t.plaza.redis.hGet(key, 'data');
        if (data !== null && data !== undefined) found.push(data);
      }
  return found;
}

describe('the retention sweep', () => {
  it('a worker warns a person not seen for 336 days once, on Telegram, in their language; later sweeps add nothing', async () => {
    const es = await person(day(-336));
    const en = await person(day(-340), 'en');
    const recent = await person(day(-300));
    const workers: Workers = await startWorker(t.plaza, t.telegram);
    try {
      // The sweep runs as the worker starts; the notifications worker delivers its job.
      await waitFor(
        () => t.fake.texts(String(es.chatId)).length + t.fake.texts(String(en.chatId)).length,
        (n) => n === 2,
      );
    } finally {
      await workers.close();
    }
    const notices = await db().notice.findMany({
      where: { participantId: { in: [es.id, en.id, recent.id] } },
      orderBy: { id: 'asc' },
    });
    expect(notices.map((n) => [n.participantId, n.kind, n.channel, n.deliveredVia])).toEqual(
      expect.arrayContaining([
        [es.id, 'retention-warning', 'telegram', 'telegram'],
        [en.id, 'retention-warning', 'telegram', 'telegram'],
      ]),
    );
    expect(notices).toHaveLength(2);
    const warnedAt = (await db().participant.findUniqueOrThrow({ where: { id: es.id } })).retentionWarnedAt!;
    expect(notices[0]!.eventKey).toBe(`retention-warning:${warnedAt.toISOString()}`);
    const date = (locale: string) =>
      new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'Europe/Madrid',
      }).format(new Date(warnedAt.getTime() + 30 * DAY));
    expect(t.fake.texts(String(es.chatId))).toEqual([
      `⏳ Hace mucho que no te vemos por aquí. Para no guardar datos más tiempo del necesario, borramos los de quien no participa en 365 días: los tuyos se borrarán a partir del ${date('es-ES')}, salvo que nos escribas cualquier cosa antes (basta con un «hola»).\n\nSi se borran, tus propuestas y comentarios públicos se quedan, pero sin nada que los relacione contigo, y tus apoyos siguen contando, de forma anónima. Todo lo demás (tu cuenta, suscripciones, seguimientos e inscripciones) desaparece.`,
    ]);
    expect(t.fake.texts(String(en.chatId))[0]).toContain(`yours will be erased from ${date('en-GB')}`);
    expect(t.fake.texts(String(recent.chatId))).toEqual([]);

    // Two sweeps at once, then another a day later: nobody warned twice, nothing sent again.
    const [a, b] = await Promise.all([
      sweepRetention(at(day(0.5)), { traces: traces() }),
      sweepRetention(at(day(0.5)), { traces: traces() }),
    ]);
    expect(a.warned + b.warned).toBe(0);
    expect((await sweepRetention(at(day(1)), { traces: traces() })).warned).toBe(0);
    await handleNotificationJob(
      { domain: at(day(1)), senders: { telegram: send } },
      { kind: 'retention-warning', at: warnedAt.getTime() },
    );
    await delivered(t, es.chatId);
    expect(await db().notice.count({ where: { participantId: { in: [es.id, en.id] } } })).toBe(2);
    expect(t.fake.texts(String(es.chatId))).toHaveLength(1);
    expect(
      await t.plaza.queues.notifications.getJob(`retention-warning-${warnedAt.getTime()}`),
    ).toMatchObject({ data: { kind: 'retention-warning', at: warnedAt.getTime() } });
  });

  it('warns each due person once when two sweeps run at once, batch after batch', async () => {
    const when = day(3);
    const due = await Promise.all(
      Array.from({ length: 7 }, () => person(new Date(when.getTime() - 340 * DAY))),
    );
    const [a, b] = await Promise.all([
      sweepRetention(at(when), { traces: traces(), batchSize: 2 }),
      sweepRetention(at(when), { traces: traces(), batchSize: 2 }),
    ]);
    expect(a.warned + b.warned).toBeGreaterThanOrEqual(due.length);
    for (const p of due)
      expect(
        await db().notice.count({ where: { participantId: p.id, kind: 'retention-warning' } }),
        p.id,
      ).toBe(1);
  });

  it('stops between two erasures when the worker is stopping, and erases the rest next time', async () => {
    const when = day(400);
    const gone = await Promise.all(
      Array.from({ length: 3 }, () => person(new Date(when.getTime() - 400 * DAY))),
    );
    await db().participant.updateMany({
      where: { id: { in: gone.map((p) => p.id) } },
      data: { retentionWarnedAt: new Date(when.getTime() - 31 * DAY) },
    });
    let asked = 0;
    const first = await sweepRetention(at(when), { traces: traces(), stopping: () => ++asked > 3 });
    expect(first.erased).toBe(1);
    const rest = await sweepRetention(at(when), { traces: traces() });
    expect(rest.erased).toBeGreaterThanOrEqual(2);
    expect(await db().participant.count({ where: { id: { in: gone.map((p) => p.id) } } })).toBe(0);
  });

  it('keeps everything of a person who writes after the warning', async () => {
    const back = await person(day(-336));
    const warnedAt = day(-0.001);
    const sweep = await sweepRetention(at(warnedAt), { traces: traces() });
    expect(sweep.warned).toBeGreaterThanOrEqual(1);
    expect(await db().notice.count({ where: { participantId: back.id, kind: 'retention-warning' } })).toBe(1);
    // They write before the notice went out: shown in the turn, saying their data stays.
    expect((await t.post(textUpdate(back.chatId, 'hola'))).status).toBe(200);
    await delivered(t, back.chatId);
    expect(t.fake.texts(String(back.chatId))[0]).toMatch(/^👋 ¡Qué bien verte de nuevo!/);
    const row = await db().participant.findUniqueOrThrow({ where: { id: back.id } });
    expect(row.retentionWarnedAt).toBeNull();
    expect(row.lastSeenAt.getTime()).toBeGreaterThan(warnedAt.getTime());

    // (The people of the first test, warned then and silent since, go in this sweep.)
    await sweepRetention(at(day(31)), { traces: traces() });
    expect(await db().channelAccount.count({ where: { participantId: back.id } })).toBe(1);
    expect(await db().participant.findUnique({ where: { id: back.id } })).not.toBeNull();
  });

  it('erases a person warned 30 days before and not seen for 365 days, with their Redis traces', async () => {
    const gone = await person(day(-335));
    const stays = await person(day(-100));
    expect((await sweepRetention(at(NOW), { traces: traces() })).warned).toBeGreaterThanOrEqual(1);
    const prefix = t.plaza.config.REDIS_PREFIX;
    const stateKey = `${prefix}:state:telegram/conversations/${gone.chatId}/`;
    const keyboardKey = `${prefix}:tg:kb:${gone.chatId}`;
    await t.plaza.redis.set(stateKey, '* {"dialogState":{}}');
    await t.plaza.redis.set(keyboardKey, '["Menú"]');

    expect((await sweepRetention(at(day(29.9)), { traces: traces() })).erased).toBe(0);
    expect(await db().participant.findUnique({ where: { id: gone.id } })).not.toBeNull();
    const erased = await sweepRetention(at(day(30)), { traces: traces() });
    expect(erased).toMatchObject({ erased: 1, kept: 0, failed: 0, tracesLeft: 0 });
    for (const count of [
      db().participant.count({ where: { id: gone.id } }),
      db().channelAccount.count({ where: { participantId: gone.id } }),
      db().channelAccount.count({ where: { externalId: String(gone.chatId) } }),
      db().notice.count({ where: { participantId: gone.id } }),
      db().consentRecord.count({ where: { participantId: gone.id } }),
      db().subscription.count({ where: { participantId: gone.id } }),
      db().proposalFollow.count({ where: { participantId: gone.id } }),
    ])
      expect(await count).toBe(0);
    expect(await t.plaza.redis.exists([stateKey, keyboardKey])).toBe(0);
    expect(await db().channelAccount.count({ where: { participantId: stays.id } })).toBe(1);
  });

  it('queues jobs that carry no personal data: no participant ids, no chat ids, no text', async () => {
    const people = await db().channelAccount.findMany({ select: { participantId: true, externalId: true } });
    const payloads = await jobPayloads();
    expect(payloads.some((p) => p.includes('retention-warning'))).toBe(true);
    for (const p of payloads) {
      for (const a of people) {
        expect(p).not.toContain(a.participantId);
        expect(p).not.toContain(a.externalId);
      }
      expect(p).not.toMatch(/Hace mucho|long time|hola/);
    }
    const retentionJobs = payloads.filter((p) => p.includes('retention-warning'));
    for (const p of retentionJobs)
      expect(Object.keys(JSON.parse(p) as object).sort()).toEqual(['at', 'kind']);
  });
});

describe('retention warnings at night', () => {
  it('are recorded at once and wait for the end of quiet hours (Madrid time)', async () => {
    // 23:30 in Madrid.
    const night = new Date('2030-03-04T22:30:00Z');
    const p = await person(new Date(night.getTime() - 336 * DAY));
    await sweepRetention(at(night), { traces: traces() });
    expect(await db().notice.count({ where: { participantId: p.id, deliveredAt: null } })).toBe(1);
    const outcome = await handleNotificationJob(
      { domain: at(night), senders: { telegram: send }, quietHours: parseQuietHours('22:00-09:00') },
      { kind: 'retention-warning', at: night.getTime() },
    );
    expect(outcome).toMatchObject({ delivered: 0, deferUntil: new Date('2030-03-05T08:00:00Z') });
    expect(outcome.waiting).toBeGreaterThanOrEqual(1);
    expect(t.fake.texts(String(p.chatId))).toEqual([]);
  });
});
