// The admin router as main.ts mounts it (dashboard included): a browser signed in to the dashboard can open
// the pages the dashboard links to (the process report, the queues board) with its session cookie — for
// reading only.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import { revokeApiToken } from '../../src/domain/revoke-api-token.ts';
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

describe('the report and open data in a browser', () => {
  const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

  function expectPage(answer: { status: number; headers: Headers; text: string }, status: number) {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(answer.headers.get('content-security-policy')).not.toMatch(/script-src/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.text).toContain('<a href="/admin?lang=');
  }

  it('sends a browser without a working session to the sign-in form; API clients still get 401 JSON', async () => {
    const process = await createProcess(t.db);
    const anonymous = new DashboardClient(t.baseUrl);
    const report = `/admin/processes/${process.id}/report`;
    const first = await anonymous.request(report, { headers: html });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/ui/login?lang=es');

    // Signed in, then the token revoked: the session ends, the next reload goes to sign in.
    const staff = await t.staffWithToken({ role: 'staff' });
    const browser = new DashboardClient(t.baseUrl);
    await browser.signIn(staff.token);
    expect((await browser.request(report, { headers: html })).status).toBe(200);
    await revokeApiToken(t.deps, { tokenId: staff.tokenId, actor: 'test' });
    const ended = await browser.request(`${report}?locale=en`, { headers: html });
    expect(ended.status).toBe(303);
    expect(ended.headers.get('location')).toBe('/admin/ui/login?lang=en');

    // Not a browser's navigation, or a Bearer header: the API's answers, unchanged.
    const json = await anonymous.request(report);
    expect(json.status).toBe(401);
    expect(JSON.parse(json.text)).toEqual({ error: 'unauthorized' });
    const bearer = await anonymous.request(report, {
      headers: { ...html, authorization: `Bearer ${staff.token}` },
    });
    expect(bearer.status).toBe(401);
    expect(JSON.parse(bearer.text)).toEqual({ error: 'unauthorized' });
  });

  it("answers a moderator's browser 403 with a page in its language, not JSON", async () => {
    const process = await createProcess(t.db);
    const moderator = await t.staffWithToken({ role: 'moderator' });
    const browser = new DashboardClient(t.baseUrl);
    await browser.signIn(moderator.token);
    const page = await browser.request(`/admin/processes/${process.id}/report`, { headers: html });
    expectPage(page, 403);
    expect(page.text).toContain('Tu papel (moderator) no da acceso a esta página.');
    const csv = await browser.request(`/admin/processes/${process.id}/open-data.csv?table=proposals`, {
      headers: { ...html, 'accept-language': 'en' },
    });
    expectPage(csv, 403);
    expect(csv.text).toContain('Your role (moderator) gives no access to this page.');
    // The same session asking for JSON, and a moderator's token: JSON.
    expect(JSON.parse((await browser.request(`/admin/processes/${process.id}/report`)).text)).toEqual({
      error: 'forbidden',
    });
  });

  it('answers bad addresses and unknown processes with pages that lead on, the API with JSON', async () => {
    const process = await createProcess(t.db);
    const staff = await t.staffWithToken({ role: 'staff' });
    const browser = new DashboardClient(t.baseUrl);
    await browser.signIn(staff.token);
    const base = `/admin/processes/${process.id}`;

    const locale = await browser.request(`${base}/report?locale=fr`, { headers: html });
    expectPage(locale, 422);
    expect(locale.text).toContain('el idioma puede ser es o en');
    expect(locale.text).toContain(`href="${base}/report"`);
    expect(locale.text).toContain(`href="${base}/report?locale=en"`);

    const missing = await browser.request('/admin/processes/99999999/report', { headers: html });
    expectPage(missing, 404);
    expect(missing.text).toContain('Ese proceso no existe.');
    expectPage(await browser.request('/admin/processes/abc/open-data.json', { headers: html }), 404);

    const noTable = await browser.request(`${base}/open-data.csv`, { headers: html });
    expectPage(noTable, 422);
    expect(noTable.text).toContain('Elige una tabla de datos abiertos (CSV):');
    expect(noTable.text).toContain(`href="${base}/open-data.csv?table=proposals"`);
    expect(noTable.text).toContain(`href="${base}/open-data.json"`);

    // The token, or no Accept for HTML: JSON as ever.
    const api = await t.request(`${base}/open-data.csv`, { token: staff.token, headers: html });
    expect(api.status).toBe(422);
    expect(api.body).toMatchObject({ error: 'invalid-request' });
    const plain = await browser.request('/admin/processes/99999999/report');
    expect(plain.status).toBe(404);
    expect(JSON.parse(plain.text)).toEqual({ error: 'not-found' });
  });
});
