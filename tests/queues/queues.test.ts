// The producers: asking again for a notification or moderation job that is over runs it again (a moderation
// job whether it failed or completed: the start-up requeue asks only for cases that still need it); the
// jobs that wait for the moderators' room's cards try for long enough.
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROADCASTS_QUEUE, broadcastJobId } from '../../src/queues/broadcasts/job.ts';
import { MODERATION_QUEUE, moderationJobId } from '../../src/queues/moderation/job.ts';
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

describe('moderateCase', () => {
  it('runs a case’s job again when asked after it completed or failed, with all its tries; not while it waits', async () => {
    const caseId = 424242;
    const id = moderationJobId({ caseId });
    const outcomes = ['completed', 'failed', 'completed'];
    let runs = 0;
    let release: () => void = () => undefined;
    const worker = new Worker(
      MODERATION_QUEUE,
      async () => {
        const outcome = outcomes[runs++];
        if (runs === 3) await new Promise<void>((r) => (release = r));
        if (outcome === 'failed') throw new UnrecoverableError('the room was unreachable for too long');
        return 'announced';
      },
      { connection: redis, prefix: queuePrefix(queues.prefix) },
    );
    try {
      await queues.moderateCase(caseId);
      await expect.poll(async () => queues.moderation.getJobState(id)).toBe('completed');
      await queues.moderateCase(caseId);
      await expect.poll(async () => queues.moderation.getJobState(id)).toBe('failed');
      await queues.moderateCase(caseId);
      await expect.poll(() => runs).toBe(3);
      expect((await queues.moderation.getJob(id))?.attemptsMade).toBe(0);
      await queues.moderateCase(caseId);
      release();
      await expect.poll(async () => queues.moderation.getJobState(id)).toBe('completed');
      expect(runs).toBe(3);
    } finally {
      await worker.close();
    }
  });

  it('gives a case’s job about 50 minutes of tries (its card may wait behind others, or for the room)', async () => {
    await queues.moderateCase(515151);
    const queued = await queues.moderation.getJob(moderationJobId({ caseId: 515151 }));
    expect(queued?.opts).toMatchObject({ attempts: 11, backoff: { type: 'exponential', delay: 3000 } });
  });

  it('gives a decided case’s card edit an hour of tries', async () => {
    const job = { kind: 'case-decided' as const, caseId: 616161 };
    await queues.notify(job);
    const queued = await queues.notifications.getJob(notificationJobId(job));
    expect(queued?.opts).toMatchObject({ attempts: 60, backoff: { type: 'fixed', delay: 60_000 } });
  });
});

describe('startBroadcast', () => {
  it('runs a broadcast’s job again when asked after it failed for good or completed, with all its tries; not while it runs', async () => {
    const broadcastId = 737373;
    const id = broadcastJobId({ broadcastId });
    const outcomes = ['failed', 'completed', 'completed'];
    let runs = 0;
    let release: () => void = () => undefined;
    const worker = new Worker(
      BROADCASTS_QUEUE,
      async () => {
        const outcome = outcomes[runs++];
        if (runs === 3) await new Promise<void>((r) => (release = r));
        // A job that gave up (a database outage longer than its tries, or stalled by dying workers).
        if (outcome === 'failed') throw new UnrecoverableError('PostgreSQL was down for too long');
        return 'done';
      },
      { connection: redis, prefix: queuePrefix(queues.prefix) },
    );
    try {
      await queues.startBroadcast(broadcastId);
      await expect.poll(async () => queues.broadcasts.getJobState(id)).toBe('failed');
      // The requeue sweep asks again for a broadcast still `sending`: it resumes from the ledger.
      await queues.startBroadcast(broadcastId);
      await expect.poll(async () => queues.broadcasts.getJobState(id)).toBe('completed');
      expect(runs).toBe(2);
      await queues.startBroadcast(broadcastId);
      await expect.poll(() => runs).toBe(3);
      expect((await queues.broadcasts.getJob(id))?.attemptsMade).toBe(0);
      // While it runs, asking again adds nothing.
      await queues.startBroadcast(broadcastId);
      release();
      await expect.poll(async () => queues.broadcasts.getJobState(id)).toBe('completed');
      expect(runs).toBe(3);
    } finally {
      await worker.close();
    }
  });

  it('asked again for a job that is over, with a time still to come, runs it at that time', async () => {
    const broadcastId = 747474;
    const id = broadcastJobId({ broadcastId });
    const worker = new Worker(
      BROADCASTS_QUEUE,
      async () => {
        throw new UnrecoverableError('PostgreSQL was down for too long');
      },
      { connection: redis, prefix: queuePrefix(queues.prefix) },
    );
    try {
      await queues.startBroadcast(broadcastId);
      await expect.poll(async () => queues.broadcasts.getJobState(id)).toBe('failed');
    } finally {
      await worker.close();
    }
    const at = new Date(Date.now() + 3600_000);
    await queues.startBroadcast(broadcastId, at);
    expect(await queues.broadcasts.getJobState(id)).toBe('delayed');
    const job = await queues.broadcasts.getJob(id);
    expect(job!.timestamp + job!.delay).toBeGreaterThanOrEqual(at.getTime() - 1000);
    expect(job!.attemptsMade).toBe(0);
    // Asked again while it waits: it stays as it is.
    await queues.startBroadcast(broadcastId, at);
    expect(await queues.broadcasts.getJobState(id)).toBe('delayed');
  });
});
