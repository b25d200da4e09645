// The role matrix, cell by cell, against the real HTTP app: every endpoint admin-router.ts mounts (its
// ADMIN_ROUTES, the queues board included) × anonymous, moderator, staff, admin. Each cell sends a request
// that is well formed up to the role check but harmless past it: path parameters name a row that does not
// exist, bodies are `{}`. So an allowed call ends in its handler's 2xx, 404 or 422, and nothing is written. Then
// docs/ADMIN-ROLES.md must be what the specs render (`npm run docs:roles` rewrites it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROUTES, createAdminRouter } from '../../src/admin/admin-router.ts';
import {
  expectedAccess,
  MATRIX_CALLERS,
  renderRoleMatrix,
  type AdminRouteSpec,
  type MatrixCaller,
} from '../../src/admin/route-spec.ts';
import { MAX_DB_ID } from '../../src/domain/ids.ts';
import { withQueues, type TestQueues } from '../domain/harness.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
let queues: TestQueues;
const tokens = new Map<MatrixCaller, string | undefined>();
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
  tokens.set('anonymous', undefined);
  for (const role of ['moderator', 'staff', 'admin'] as const)
    tokens.set(role, (await t.staffWithToken({ role, name: `Matriz ${role}` })).token);
});
afterAll(async () => {
  await t?.close();
  await queues?.cleanup();
});

/** The spec's path with every parameter naming a row that cannot exist in this test's database. */
const probePath = (spec: AdminRouteSpec) =>
  `/admin${spec.path.replace(/:[A-Za-z0-9_]+/g, String(MAX_DB_ID))}`;

async function probe(spec: AdminRouteSpec, caller: MatrixCaller) {
  return t.request(probePath(spec), {
    method: spec.method.toUpperCase(),
    token: tokens.get(caller),
    json: spec.method === 'get' ? undefined : {},
  });
}

describe('the role matrix', () => {
  it('covers every endpoint once, for the three roles', () => {
    const keys = ADMIN_ROUTES.map((s) => `${s.method} ${s.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    // The routers of this issue; a router added later adds its rows, and these stay.
    expect(keys).toEqual(
      expect.arrayContaining([
        'get /queues',
        'get /openapi.json',
        'get /moderation',
        'get /moderation/:id',
        'post /moderation/:id/decision',
        'post /broadcasts',
        'get /broadcasts',
        'get /broadcasts/:id',
        'post /broadcasts/:id/cancel',
        'post /proposals/:id/answer',
      ]),
    );
    for (const spec of ADMIN_ROUTES) expect(spec.roles.length, spec.path).toBeGreaterThan(0);
  });

  it.each(ADMIN_ROUTES.map((spec) => [`${spec.method.toUpperCase()} /admin${spec.path}`, spec] as const))(
    '%s answers each caller as its spec says',
    async (_name, spec) => {
      const auditRows = await t.db.auditLog.count();
      for (const caller of MATRIX_CALLERS) {
        const res = await probe(spec, caller);
        const expected = expectedAccess(spec, caller);
        const cell = `${spec.method} ${spec.path} as ${caller}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`;
        if (expected === 'allow') {
          expect([401, 403], cell).not.toContain(res.status);
          expect(res.status, cell).toBeLessThan(500);
          // A handler answered, not the fallback 404: the spec's path is one the router serves.
          expect(res.body, cell).not.toEqual({ error: 'no-such-route' });
        } else {
          expect(res.status, cell).toBe(expected);
        }
      }
      // Harmless: no probe changed anything.
      expect(await t.db.auditLog.count()).toBe(auditRows);
    },
  );

  it('refuses an authenticated request to a path no spec declares (404), after authentication (401)', async () => {
    const admin = tokens.get('admin');
    for (const [method, path] of [
      ['DELETE', '/admin/broadcasts/1'],
      ['PUT', '/admin/moderation/1/decision'],
      ['GET', '/admin/proposals/1'],
    ] as const) {
      expect((await t.request(path, { method })).status, path).toBe(401);
      expect((await t.request(path, { method, token: admin })).status, path).toBe(404);
    }
  });
});

describe('docs/ADMIN-ROLES.md', () => {
  it('is the matrix the specs say (regenerate with npm run docs:roles)', async () => {
    await expect(renderRoleMatrix(ADMIN_ROUTES)).toMatchFileSnapshot('../../docs/ADMIN-ROLES.md');
  });

  it('renders each cell from the roles: allow, deny (401), deny (403)', () => {
    const spec: AdminRouteSpec = {
      method: 'delete',
      path: '/things/:id',
      summary: 'Remove a thing',
      roles: ['admin'],
      responses: {},
    };
    expect(renderRoleMatrix([spec])).toMatch(
      /^\| `DELETE \/admin\/things\/:id` \| deny \(401\) +\| deny \(403\) +\| deny \(403\) +\| allow +\|$/m,
    );
    expect(() => renderRoleMatrix([{ ...spec, roles: ['root' as 'admin'] }])).toThrow(/root/);
  });
});
