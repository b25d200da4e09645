// bull-board at /admin/queues: staff and admins only; the token once in the address, then a cookie that
// scripts cannot read, other sites cannot send, and the rest of the admin API does not accept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import { withQueues, type TestQueues } from '../domain/harness.ts';
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
});
