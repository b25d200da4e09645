// The admin API answers in its own shape, `{ error: '<code>' }`, to the end: a path it does not serve and a
// store that is down included (not the app's `{ error: { code, message } }`, nor a 500 for an outage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { TcpHop } from '../engine/outage-servers.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
let hop: TcpHop;
let viaHop: Database;
let token: string;

beforeAll(async () => {
  // A second admin API on the same database, reached through a hop the test can cut (its client is opened
  // once the test's database exists: read when a request comes).
  t = await createAdminTest({
    routes: ({ domain, logger }) => {
      const cut: DomainDeps = { ...domain };
      Object.defineProperty(cut, 'db', { get: () => viaHop.prisma });
      return [
        ['/admin', createAdminRouter({ domain, logger })],
        ['/cut-admin', createAdminRouter({ domain: cut, logger })],
      ];
    },
  });
  const url = new URL(t.testDb.url);
  hop = await TcpHop.create({ host: url.hostname, port: Number(url.port || 5432) });
  viaHop = await openDatabase({
    databaseUrl: hop.through(t.testDb.url),
    dataDir: '',
    poolSize: 2,
    connectTimeoutMs: 2000,
  });
});

afterAll(async () => {
  await viaHop?.close();
  await hop?.cut();
  await t?.close();
});

describe('admin API answers', () => {
  beforeAll(async () => {
    token = (await t.staffWithToken({ role: 'admin' })).token;
  });

  it('a path or method it does not serve: 404 in its own shape, after the token', async () => {
    for (const [path, method] of [
      ['/admin/nonsense', 'GET'],
      ['/admin/processes/1/nonsense', 'GET'],
      ['/admin/processes', 'DELETE'],
    ] as const) {
      const res = await t.request(path, { token, method });
      expect(res, `${method} ${path}`).toMatchObject({ status: 404, body: { error: 'no-such-route' } });
    }
    // Without a token, nothing is said about which paths exist.
    expect(await t.request('/admin/nonsense')).toMatchObject({
      status: 401,
      body: { error: 'unauthorized' },
    });
    // Outside /admin, the app's own answer stays.
    expect(await t.request('/nonsense')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });

  it('PostgreSQL down: 503 `unavailable` with Retry-After, not 500; back once it is', async () => {
    const res = await t.request('/cut-admin/processes', { token });
    expect(res.status).toBe(200);
    await hop.cut();
    const down = await t.request('/cut-admin/processes', { token });
    expect(down).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
    await hop.restore();
    await expect
      .poll(async () => (await t.request('/cut-admin/processes', { token })).status, { timeout: 10_000 })
      .toBe(200);
  });
});
