// kill -9 of the worker process halfway through a 2,000-recipient broadcast, then a new worker: every
// recipient gets the message, and only messages in flight at the crash may go twice (at most the outbox's
// concurrency). Real processes (`plaza worker`), real PostgreSQL and Redis, the fake Bot API.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcast } from '../../src/domain/create-broadcast.ts';
import { createLogger } from '../../src/logger.ts';
import { createQueues, type Queues } from '../../src/queues/queues.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { startFakeBotApi, type FakeBotApi, type FakeCall } from '../fakes/telegram-bot-api.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createProcess, createStaffMember, createSubscribers } from '../support/fixtures.ts';
import { deleteKeys, REDIS_URL } from '../support/plaza.ts';
import { BOT_TOKEN } from '../channels/telegram/harness.ts';

const RECIPIENTS = 2000;
/** Chats the outbox sends to at once in one process (outbox.ts default): the most that can be in flight. */
const OUTBOX_CONCURRENCY = 50;

let fake: FakeBotApi;
let testDb: TestDatabase;
let redis: Redis;
let queues: Queues;
const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeBotApi({ token: BOT_TOKEN, globalPerSecond: 200, perChatPerSecond: 1 });
  testDb = await createTestDatabase();
  redis = await connectRedis({ url: REDIS_URL });
  queues = createQueues({ redis, prefix });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await queues?.broadcasts.obliterate({ force: true }).catch(() => undefined);
  await queues?.close();
  if (redis) await deleteKeys({ redis }, `${prefix}:*`);
  await redis?.quit();
  await testDb?.drop();
  await fake?.close();
});

function startWorkerProcess(): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ['bin/plaza.mjs', 'worker'], {
    env: {
      ...process.env,
      DATABASE_URL: testDb.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MESSAGES_PER_SECOND: '200',
      TELEGRAM_CHAT_INTERVAL_MS: '1000',
      TELEGRAM_OUTBOX_LEASE_MS: '2000',
      TELEGRAM_OUTBOX_CONCURRENCY: String(OUTBOX_CONCURRENCY),
      QUEUE_STALLED_INTERVAL_MS: '2000',
      BROADCAST_STALE_MS: '3000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const ready = (async () => {
    const deadline = Date.now() + 45_000;
    while (!output.includes('workers ready')) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`worker did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { child, output: () => output, ready };
}

const textOf = (c: FakeCall) => String((c.response.result as { text?: string }).text ?? '');

describe('a worker killed mid-broadcast', () => {
  it(
    'is replaced and every recipient is reached, duplicates only for messages in flight',
    { timeout: 180_000 },
    async () => {
      const db = testDb.prisma;
      const process_ = await createProcess(db, { title: 'Crash' });
      const people = await createSubscribers(db, process_, RECIPIENTS);
      const staff = await createStaffMember(db, { role: 'staff' });
      const first = startWorkerProcess();
      await first.ready;
      const created = await createBroadcast(
        {
          db,
          now: () => new Date(),
          logger: createLogger('silent'),
          queues: {
            moderateCase: async () => undefined,
            notify: async () => undefined,
            startBroadcast: (id, at) => queues.startBroadcast(id, at),
          },
        },
        { staffMemberId: staff.id, processId: process_.id, texts: { es: 'Aviso K9: se amplía el plazo' } },
      );
      if (!created.ok) throw new Error(created.reason);
      const sent = () => fake.sent().filter((c) => textOf(c).includes('K9'));
      while (sent().length < RECIPIENTS / 2) await new Promise((r) => setTimeout(r, 20));
      first.child.kill('SIGKILL');
      const atCrash = sent().length;

      const second = startWorkerProcess();
      await second.ready;
      const deadline = Date.now() + 120_000;
      for (;;) {
        const b = await db.broadcast.findUniqueOrThrow({ where: { id: created.broadcast.id } });
        if (b.status === 'done') break;
        if (Date.now() > deadline) throw new Error(`not done:\n${second.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const sends = sent();
      const chats = new Set(sends.map((c) => String(c.params.chat_id)));
      for (const p of people) expect(chats.has(p.externalId)).toBe(true);
      const duplicates = sends.length - chats.size;
      expect(duplicates).toBeLessThanOrEqual(OUTBOX_CONCURRENCY);
      expect(atCrash).toBeLessThan(RECIPIENTS);
      expect(
        await db.broadcastDelivery.count({ where: { broadcastId: created.broadcast.id, status: 'sent' } }),
      ).toBe(RECIPIENTS);
      expect(second.output()).not.toContain('Aviso K9'); // no message text in the logs
    },
  );
});
