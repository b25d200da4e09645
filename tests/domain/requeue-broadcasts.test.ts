// The repair sweep: every broadcast still scheduled or sending gets its job, also one whose job failed for
// good (kept by BullMQ for days under the same id): it runs again and resumes from the ledger.
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcast } from '../../src/domain/create-broadcast.ts';
import { requeueBroadcasts } from '../../src/domain/requeue-broadcasts.ts';
import { startBroadcast } from '../../src/domain/start-broadcast.ts';
import { BROADCASTS_QUEUE, broadcastJobId } from '../../src/queues/broadcasts/job.ts';
import { queuePrefix } from '../../src/queues/queues.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { createProcess, createStaffMember } from '../support/fixtures.ts';
import { createSubscriber } from '../support/subscribers.ts';
import { createDomainTest, withQueues, type DomainTest, type TestQueues } from './harness.ts';

let t: DomainTest;
let queues: TestQueues;
let redis: Redis;
beforeAll(async () => {
  t = await createDomainTest();
  queues = await withQueues();
  redis = await connectRedis({ url: process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
});
afterAll(async () => {
  await queues?.cleanup();
  await redis?.quit();
  await t?.cleanup();
});

describe('requeueBroadcasts', () => {
  it('runs again the job of a broadcast still sending whose job failed for good', async () => {
    const staff = await createStaffMember(t.db, { role: 'staff' });
    const p = await createProcess(t.db);
    await createSubscriber(t.db, p.id, { channel: 'telegram' });
    const deps = { ...t.deps, queues };
    const r = await createBroadcast(deps, {
      staffMemberId: staff.id,
      processId: p.id,
      texts: { es: 'Hola' },
    });
    if (!r.ok) throw new Error(r.reason);
    const broadcastId = r.broadcast.id;
    const id = broadcastJobId({ broadcastId });
    let runs = 0;
    const worker = new Worker(
      BROADCASTS_QUEUE,
      async (job) => {
        runs++;
        if (runs === 1) {
          // Started, then gave up for good (a long database outage, or stalled by workers that died).
          await startBroadcast(t.deps, { broadcastId: job.data.broadcastId });
          throw new UnrecoverableError('PostgreSQL was down for too long');
        }
        return 'done';
      },
      { connection: redis, prefix: queuePrefix(queues.prefix) },
    );
    try {
      await expect.poll(async () => queues.broadcasts.getJobState(id)).toBe('failed');
      expect((await t.db.broadcast.findUniqueOrThrow({ where: { id: broadcastId } })).status).toBe('sending');
      expect(await requeueBroadcasts(deps)).toBe(1);
      await expect.poll(async () => queues.broadcasts.getJobState(id)).toBe('completed');
      expect(runs).toBe(2);
    } finally {
      await worker.close();
    }
  });
});
