// The admin router as main.ts mounts it (dashboard included): a browser signed in to the dashboard can open
// the pages the dashboard links to (the process report, the queues board) with its session cookie — for
// reading only.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { createProcess } from '../support/fixtures.ts';
import { withQueues, type TestQueues } from '../domain/harness.ts';
import { DashboardClient } from './dashboard-support.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

const REDIS_URL = process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let t: AdminTest & { close(): Promise<void> };
let redis: Redis;
let queues: TestQueues;
const prefix = `plazatest-${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  redis = await connectRedis({ url: REDIS_URL });
  queues = await withQueues();
  t = await createAdminTest({
    routes: ({ domain, logger }) => [
      [
        '/admin',
        createAdminRouter({
          domain,
          logger,
          redis,
          redisPrefix: prefix,
          queues: [queues.moderation, queues.notifications, queues.broadcasts],
        }),
      ],
    ],
  });
});
afterAll(async () => {
  await t?.close();
  await queues?.cleanup();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 }))
    if (keys.length > 0) await redis.del(keys);
  await redis?.quit();
});

describe('the dashboard session on the admin API', () => {
  it('opens the report a signed-in staff member follows from the dashboard, and nothing that writes', async () => {
    const process = await createProcess(t.db, { title: 'Barrios' });
    const staff = await t.staffWithToken({ role: 'staff' });
    const browser = new DashboardClient(t.baseUrl);
    expect((await browser.request(`/admin/processes/${process.id}/report`)).status).toBe(401);
    expect((await browser.signIn(staff.token)).status).toBeLessThan(400);
    const dashboard = await browser.request('/admin');
    expect(dashboard.text).toContain(`/admin/processes/${process.id}/report`);

    const report = await browser.request(`/admin/processes/${process.id}/report`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
    expect(report.text).toContain('Barrios');

    // Writes need the token: the cookie alone does not authenticate a POST.
    const answer = await browser.request(`/admin/processes/${process.id}/advance-phase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.baseUrl },
    });
    expect(answer.status).toBe(401);
  });

  it('opens the queues board the dashboard links to, without the token in the address', async () => {
    const staff = await t.staffWithToken({ role: 'staff' });
    const browser = new DashboardClient(t.baseUrl);
    expect((await browser.request('/admin/queues/')).status).toBe(401);
    await browser.signIn(staff.token);
    expect((await browser.request('/admin')).text).toContain('/admin/queues');
    const board = await browser.request('/admin/queues/');
    expect(board.status).toBe(200);
    expect(board.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('keeps roles: a moderator signed in to the dashboard opens neither the report nor the board', async () => {
    const process = await createProcess(t.db);
    const moderator = await t.staffWithToken({ role: 'moderator' });
    const browser = new DashboardClient(t.baseUrl);
    await browser.signIn(moderator.token);
    expect((await browser.request(`/admin/processes/${process.id}/report`)).status).toBe(403);
    expect((await browser.request('/admin/queues/')).status).toBe(403);
  });
});
