// Test support for the domain use cases: a database of the test file's own (cloned template), a real clock
// unless a test passes its own, a silent logger and a recording moderation queue. Use `withQueues()` to
// feed a real BullMQ queue on a random Redis prefix instead.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import type { NotificationJob } from '../../src/queues/notifications/job.ts';
import { createLogger } from '../../src/logger.ts';
import { createQueues, type Queues } from '../../src/queues/queues.ts';
import { connectRedis } from '../../src/redis/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const REDIS_URL = process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface DomainTest {
  testDb: TestDatabase;
  db: Db;
  deps: DomainDeps;
  /** Case ids passed to `deps.queues.moderateCase`, in order. */
  enqueued: number[];
  /** Jobs passed to `deps.queues.notify`, in order. */
  notified: NotificationJob[];
  /** Broadcasts passed to `deps.queues.startBroadcast`, with their time. */
  broadcastsStarted: { broadcastId: number; at?: Date }[];
  /** The same deps with a fixed clock. */
  at(now: Date): DomainDeps;
  cleanup(): Promise<void>;
}

export async function createDomainTest(): Promise<DomainTest> {
  const testDb = await createTestDatabase();
  const enqueued: number[] = [];
  const notified: NotificationJob[] = [];
  const broadcastsStarted: { broadcastId: number; at?: Date }[] = [];
  const deps: DomainDeps = {
    db: testDb.prisma,
    queues: {
      async moderateCase(id) {
        enqueued.push(id);
      },
      async notify(job) {
        notified.push(job);
      },
      async startBroadcast(broadcastId, at) {
        broadcastsStarted.push({ broadcastId, at });
      },
    },
    now: () => new Date(),
    logger: createLogger('silent'),
  };
  return {
    testDb,
    db: testDb.prisma,
    deps,
    enqueued,
    notified,
    broadcastsStarted,
    at: (now) => ({ ...deps, now: () => now }),
    cleanup: () => testDb.drop(),
  };
}

export interface TestQueues extends Queues {
  prefix: string;
  cleanup(): Promise<void>;
}

/** Real BullMQ producers on a Redis prefix of their own; `cleanup()` obliterates and removes every key. */
export async function withQueues(): Promise<TestQueues> {
  const redis = await connectRedis({ url: REDIS_URL });
  const prefix = `plazatest-${randomBytes(5).toString('hex')}`;
  const queues = createQueues({ redis, prefix });
  return {
    ...queues,
    prefix,
    async cleanup() {
      await queues.moderation.obliterate({ force: true }).catch(() => undefined);
      await queues.notifications.obliterate({ force: true }).catch(() => undefined);
      await queues.broadcasts.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
        if (keys.length > 0) await redis.del(keys);
      }
      await redis.quit().catch(() => undefined);
    },
  };
}

export const DAY = 24 * 3600 * 1000;
