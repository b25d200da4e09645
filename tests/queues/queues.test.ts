// The producers: asking again for a notification job that failed for good runs it again.
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS_QUEUE, notificationJobId } from '../../src/queues/notifications/job.ts';
import { queuePrefix } from '../../src/queues/queues.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { withQueues, type TestQueues } from '../domain/harness.ts';

let queues: TestQueues;
let redis: Redis;
beforeAll(async () => {
  queues = await withQueues();
  redis = await connectRedis({ url: process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
});
afterAll(async () => {
  await queues?.cleanup();
  await redis?.quit();
});

describe('notify', () => {
  it('runs a job that failed for good again when asked for it again, and adds nothing while it waits', async () => {
    const job = { kind: 'retention-warning', at: Date.now() } as const;
    const id = notificationJobId(job);
    let runs = 0;
    const worker = new Worker(
      NOTIFICATIONS_QUEUE,
      async () => {
        runs++;
        if (runs === 1) throw new UnrecoverableError('PostgreSQL was down for too long');
        return 'sent';
      },
      { connection: redis, prefix: queuePrefix(queues.prefix) },
    );
    try {
      await queues.notify(job);
      await expect.poll(async () => queues.notifications.getJobState(id)).toBe('failed');
      await queues.notify(job);
      await expect.poll(async () => queues.notifications.getJobState(id)).toBe('completed');
      expect(runs).toBe(2);
      await queues.notify(job);
      expect(await queues.notifications.getJobState(id)).toBe('completed');
      expect(runs).toBe(2);
    } finally {
      await worker.close();
    }
  });

  it('gives the withdrawal of erased cards an hour of tries', async () => {
    const job = { kind: 'erased-cases' as const, caseIds: [987654] };
    await queues.notify(job);
    const queued = await queues.notifications.getJob(notificationJobId(job));
    expect(queued?.opts).toMatchObject({ attempts: 60, backoff: { type: 'fixed', delay: 60_000 } });
  });
});
