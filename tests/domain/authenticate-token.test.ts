import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateToken } from '../../src/domain/authenticate-token.ts';
import { createApiToken } from '../../src/domain/create-api-token.ts';
import { disableStaffMember } from '../../src/domain/disable-staff-member.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import { revokeApiToken } from '../../src/domain/revoke-api-token.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function issue(opts: { at?: Date; days?: number; role?: 'admin' | 'staff' | 'moderator' } = {}) {
  const s = await registerStaffMember(t.deps, {
    name: 'Gala',
    role: opts.role,
    telegramUserId: String(randomInt(1, 2 ** 47)),
    actor: 'cli',
  });
  if (!s.ok) throw new Error(s.reason);
  const r = await createApiToken(opts.at ? t.at(opts.at) : t.deps, {
    id: s.staff.id,
    days: opts.days,
    actor: 'cli',
  });
  if (!r.ok) throw new Error(r.reason);
  return { staff: s.staff, token: r.token, tokenId: r.tokenId };
}

const lastUsed = async (id: string) => (await t.db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt;

describe('authenticateToken', () => {
  it('names the staff member and records the use at most once a minute', async () => {
    const { staff, token, tokenId } = await issue({ role: 'staff' });
    const t0 = new Date();
    expect(await authenticateToken(t.at(t0), { token })).toEqual({
      ok: true,
      tokenId,
      staff: { id: staff.id, name: 'Gala', role: 'staff' },
    });
    expect(await lastUsed(tokenId)).toEqual(t0);
    await authenticateToken(t.at(new Date(t0.getTime() + 59_000)), { token });
    expect(await lastUsed(tokenId)).toEqual(t0);
    const t1 = new Date(t0.getTime() + 61_000);
    await authenticateToken(t.at(t1), { token });
    expect(await lastUsed(tokenId)).toEqual(t1);
  });

  it('refuses unknown and malformed tokens as invalid', async () => {
    const { token } = await issue();
    const unknown = `plaza_${randomBytes(32).toString('base64url')}`;
    for (const candidate of [
      unknown,
      '',
      'plaza_',
      token.slice(0, -1),
      `${token}x`,
      token.toUpperCase(),
      ` ${token}`,
      'x'.repeat(10_000),
    ])
      expect(await authenticateToken(t.deps, { token: candidate })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses an expired token from the moment it expires', async () => {
    const issued = new Date(Date.now() - 2 * DAY);
    const { token } = await issue({ at: issued, days: 1 });
    const expiry = new Date(issued.getTime() + DAY);
    expect(await authenticateToken(t.at(new Date(expiry.getTime() - 1)), { token })).toMatchObject({
      ok: true,
    });
    expect(await authenticateToken(t.at(expiry), { token })).toEqual({ ok: false, reason: 'expired' });
    expect(await authenticateToken(t.deps, { token })).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a revoked token, and any token of a disabled member', async () => {
    const a = await issue();
    await revokeApiToken(t.deps, { tokenId: a.tokenId, actor: 'cli' });
    expect(await authenticateToken(t.deps, { token: a.token })).toEqual({ ok: false, reason: 'revoked' });

    const b = await issue();
    await t.db.staffMember.update({ where: { id: b.staff.id }, data: { disabledAt: new Date() } });
    expect(await authenticateToken(t.deps, { token: b.token })).toEqual({ ok: false, reason: 'disabled' });
    await disableStaffMember(t.deps, { id: b.staff.id, actor: 'cli' });
    expect(await authenticateToken(t.deps, { token: b.token })).toEqual({ ok: false, reason: 'disabled' });
  });
});
