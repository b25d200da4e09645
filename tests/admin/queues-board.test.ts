// bull-board at /admin/queues: staff and admins only; the token once in the address, then a cookie that
// scripts cannot read, other sites cannot send, and the rest of the admin API does not accept. Read-only:
// actions on jobs and queues would not be in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import { createQueues } from '../../src/queues/queues.ts';
import { connectRedis } from '../../src/redis/client.ts';
import { withQueues, type TestQueues } from '../domain/harness.ts';
import { OwnRedis } from '../engine/outage-servers.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
let queues: TestQueues;
beforeAll(async () => {
  queues = await withQueues();
  t = await createAdminTest({
    routes: ({ domain, logger }) => [
      [
        '/admin',
        createAdminRouter({
          domain,
          logger,
          queues: [queues.moderation, queues.notifications, queues.broadcasts],
        }),
      ],
    ],
  });
});
afterAll(async () => {
  await t?.close();
  await queues?.cleanup();
});

const open = (path: string, headers: Record<string, string> = {}) =>
  fetch(t.baseUrl + path, { headers, redirect: 'manual' });

describe('the queues board', () => {
  it('refuses anonymous visitors and moderators', async () => {
    const anonymous = await open('/admin/queues/');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/\/admin\/queues\?token=/);
    const moderator = await t.staffWithToken({ role: 'moderator' });
    expect((await open(`/admin/queues?token=${moderator.token}`)).status).toBe(403);
    expect((await open('/admin/queues/?token=plaza_forged')).status).toBe(401);
  });

  it('reads a cookie that is not valid percent-encoding as no sign-in: 401, not 500', async () => {
    for (const cookie of ['plaza_board=%', 'plaza_board=%E0%A4%A', 'other=%; plaza_board=%zz']) {
      const answer = await open('/admin/queues/', { cookie });
      expect(answer.status, cookie).toBe(401);
      expect(await answer.text()).toMatch(/\/admin\/queues\?token=/);
    }
  });

  it('lets staff in with the token once, then by a strict, HttpOnly cookie scoped to the board', async () => {
    const staff = await t.staffWithToken({ role: 'staff' });
    const entry = await open(`/admin/queues?token=${staff.token}`);
    expect(entry.status).toBe(303);
    expect(entry.headers.get('location')).toBe('/admin/queues/');
    const cookie = entry.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^plaza_board=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    const sent = { cookie: cookie.split(';')[0]! };

    const page = await open('/admin/queues/', sent);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await open('/admin/queues/api/queues', sent);
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['broadcasts', 'moderation', 'notifications']);

    // The cookie is the board's only: the admin API still wants its Bearer header.
    expect((await open('/admin/moderation', sent)).status).toBe(401);
    expect(t.logs.join('')).not.toContain(staff.token);
  });

  it('is read-only: no action on jobs or queues, for anyone (they would escape the audit log)', async () => {
    const staff = await t.staffWithToken({ role: 'admin' });
    await queues.moderation.add('case-1', { caseId: 1 }, { jobId: 'case-1', delay: 60_000 });
    const auth = { authorization: `Bearer ${staff.token}` };
    const act = (method: string, path: string, headers: Record<string, string> = auth) =>
      fetch(t.baseUrl + '/admin/queues/api/queues/moderation' + path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ name: 'x', data: {} }) : undefined,
      });
    for (const [method, path] of [
      ['PUT', '/pause'],
      ['PUT', '/empty'],
      ['PUT', '/clean/delayed'],
      ['PUT', '/case-1/promote'],
      ['DELETE', '/case-1'],
      ['POST', '/add'],
    ] as const) {
      const res = await act(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(await res.json()).toEqual({ error: 'read-only' });
    }
    // Authentication still comes first.
    expect((await act('PUT', '/pause', {})).status).toBe(401);
    expect(await queues.moderation.isPaused()).toBe(false);
    expect(await queues.moderation.getJobState('case-1')).toBe('delayed');
    expect(await queues.moderation.count()).toBe(1);
    // bull-board itself refuses too, should a request get past this check: every queue is read-only.
    const listed = await fetch(t.baseUrl + '/admin/queues/api/queues', { headers: auth });
    const board = (await listed.json()) as { queues: { readOnlyMode: boolean }[] };
    expect(board.queues.map((q) => q.readOnlyMode)).toEqual([true, true, true]);
  });
});

describe('the queues board while Redis is down', () => {
  it('answers 503 `unavailable` with Retry-After, as the rest of the admin API, and logs it once', async () => {
    const own = await OwnRedis.create();
    const redis = await connectRedis({ url: own.url });
    const down = createQueues({ redis, prefix: 'plazatest-board' });
    const b = await createAdminTest({
      routes: ({ domain, logger }) => [
        [
          '/admin',
          createAdminRouter({
            domain,
            logger,
            queues: [down.moderation, down.notifications, down.broadcasts],
          }),
        ],
      ],
    });
    try {
      const staff = await b.staffWithToken({ role: 'staff' });
      const auth = { authorization: `Bearer ${staff.token}` };
      expect((await fetch(`${b.baseUrl}/admin/queues/api/queues`, { headers: auth })).status).toBe(200);
      own.stop();
      for (let i = 0; i < 3; i++) {
        const answer = await fetch(`${b.baseUrl}/admin/queues/api/queues`, { headers: auth });
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(await answer.json()).toEqual({ error: 'unavailable' });
      }
      const lines = b.logs.map((l) => JSON.parse(l) as { level: number; msg: string; module?: string });
      const told = lines.filter((l) => l.level >= 40);
      expect(told).toEqual([
        expect.objectContaining({
          level: 40,
          module: 'queues-board',
          msg: 'queues board answering 503: a store is unreachable',
        }),
      ]);
      // The page itself needs no Redis.
      expect((await fetch(`${b.baseUrl}/admin/queues/`, { headers: auth })).status).toBe(200);

      await own.start();
      for (let i = 0; i < 100 && !redis.isReady; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await fetch(`${b.baseUrl}/admin/queues/api/queues`, { headers: auth })).status).toBe(200);
      expect(b.logs.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContainEqual(
        expect.stringMatching(/^queues board answering again after \d+ s$/),
      );
    } finally {
      await b.close();
      await down.close();
      redis.destroy();
      own.remove();
    }
  }, 30_000);
});
