import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import { bearerAuth, requireRole, staffOf } from '../../src/admin/auth.ts';
import { disableStaffMember } from '../../src/domain/disable-staff-member.ts';
import { revokeApiToken } from '../../src/domain/revoke-api-token.ts';
import { DAY } from '../domain/harness.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
beforeAll(async () => {
  // The admin router, plus an admin-only route to see roles refused.
  t = await createAdminTest({
    routes: ({ domain, logger }) => {
      const adminOnly = express.Router();
      adminOnly.use(bearerAuth({ domain, logger }), requireRole(['admin']));
      adminOnly.get('/whoami', (_req, res) => {
        res.json(staffOf(res));
      });
      return [
        ['/admin', createAdminRouter({ domain, logger })],
        ['/only-admins', adminOnly],
      ];
    },
  });
});
afterAll(() => t?.close());

function expectUnauthorized(res: { status: number; headers: Headers; body: unknown }) {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: 'unauthorized' });
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="plaza-admin"/);
}

const refusals = () => t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'admin request refused');

describe('admin API authentication', () => {
  it('refuses a request without a token, or with another scheme, with a Bearer challenge', async () => {
    const none = await t.request('/admin/moderation');
    expectUnauthorized(none);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="plaza-admin"');
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'plaza_abc'])
      expectUnauthorized(await t.request('/admin/moderation', { headers: { authorization } }));
    expect(refusals().at(-1)).toMatchObject({ reason: 'malformed' });
  });

  it('refuses a wrong, expired, revoked or disabled token alike, and logs why', async () => {
    const wrong = `plaza_${'A'.repeat(43)}`;
    const expired = await t.staffWithToken({ at: new Date(Date.now() - 3 * DAY), days: 1 });
    const revoked = await t.staffWithToken();
    await revokeApiToken(t.deps, { tokenId: revoked.tokenId, actor: 'test' });
    const disabled = await t.staffWithToken();
    await disableStaffMember(t.deps, { id: disabled.id, actor: 'test' });
    // Disabled directly too (tokens not revoked): still refused.
    const switchedOff = await t.staffWithToken();
    await t.db.staffMember.update({ where: { id: switchedOff.id }, data: { disabledAt: new Date() } });

    for (const [token, reason] of [
      [wrong, 'invalid'],
      ['short', 'invalid'],
      [expired.token, 'expired'],
      [revoked.token, 'revoked'],
      [disabled.token, 'disabled'],
      [switchedOff.token, 'disabled'],
    ] as const) {
      const res = await t.request('/admin/moderation', { token });
      expectUnauthorized(res);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="plaza-admin", error="invalid_token"');
      expect(refusals().at(-1), reason).toMatchObject({ reason, path: '/moderation' });
    }
  });

  it('lets a valid token in, case-insensitive scheme, without caching, before any route or 404', async () => {
    const { token } = await t.staffWithToken();
    const ok = await t.request('/admin/moderation', { headers: { authorization: `bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expectUnauthorized(await t.request('/admin/no-such-thing'));
    expect(await t.request('/admin/no-such-thing', { token })).toMatchObject({ status: 404 });
  });

  it('answers 403 to a role the route does not admit', async () => {
    const moderator = await t.staffWithToken({ role: 'moderator' });
    const staff = await t.staffWithToken({ role: 'staff' });
    const admin = await t.staffWithToken({ role: 'admin', name: 'Jefa' });
    expect(await t.request('/only-admins/whoami', { token: moderator.token })).toMatchObject({
      status: 403,
      body: { error: 'forbidden' },
    });
    expect(await t.request('/only-admins/whoami', { token: staff.token })).toMatchObject({ status: 403 });
    expect(await t.request('/only-admins/whoami', { token: admin.token })).toMatchObject({
      status: 200,
      body: { id: admin.id, name: 'Jefa', role: 'admin' },
    });
    // Every role may use the moderation routes.
    for (const who of [moderator, staff, admin])
      expect((await t.request('/admin/moderation', { token: who.token })).status).toBe(200);
  });

  it('never writes a token to the log', async () => {
    const valid = await t.staffWithToken();
    const revoked = await t.staffWithToken();
    await revokeApiToken(t.deps, { tokenId: revoked.tokenId, actor: 'test' });
    await t.request('/admin/moderation', { token: valid.token });
    await t.request('/admin/moderation/1/decision', { token: valid.token, json: { decision: 'approve' } });
    await t.request('/admin/moderation', { token: revoked.token });
    await t.request('/admin/moderation', { headers: { authorization: `Basic ${valid.token}` } });
    expect(t.logs.length).toBeGreaterThan(3);
    const all = t.logs.join('\n');
    for (const token of [valid.token, revoked.token]) expect(all).not.toContain(token.slice('plaza_'.length));
  });
});
