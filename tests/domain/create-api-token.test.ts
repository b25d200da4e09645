import { createHash, randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/domain/create-api-token.ts';
import { disableStaffMember } from '../../src/domain/disable-staff-member.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function moderator() {
  const r = await registerStaffMember(t.deps, {
    name: 'Flor',
    telegramUserId: String(randomInt(1, 2 ** 47)),
    actor: 'cli',
  });
  if (!r.ok) throw new Error(r.reason);
  return r.staff;
}

describe('createApiToken', () => {
  it('returns the token once and stores only its SHA-256; expires in 90 days; audited without it', async () => {
    const staff = await moderator();
    const now = new Date('2026-04-01T08:00:00Z');
    const result = await createApiToken(t.at(now), { telegramUserId: staff.telegramUserId!, actor: 'cli' });
    expect(result).toMatchObject({
      ok: true,
      staff: { id: staff.id },
      expiresAt: new Date(now.getTime() + 90 * DAY),
    });
    const { token, tokenId } = result as { token: string; tokenId: string };
    expect(token).toMatch(/^plaza_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice('plaza_'.length), 'base64url')).toHaveLength(32);

    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(row).toMatchObject({
      staffMemberId: staff.id,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      createdAt: now,
      revokedAt: null,
      lastUsedAt: null,
    });
    const audits = await t.db.auditLog.findMany({ where: { targetType: 'api-token', targetId: tokenId } });
    expect(audits).toMatchObject([
      { actor: 'cli', action: 'api-token.create', after: { staffMemberId: staff.id } },
    ]);
    // Nowhere in the audit log, neither the token nor its digest.
    const [dump] = await t.db.$queryRaw<{ written: string }[]>`
      SELECT string_agg(a::text, ' ') AS written FROM "AuditLog" a`;
    expect(dump!.written).not.toContain(token.slice('plaza_'.length));
    expect(dump!.written).not.toContain(row.tokenHash);
  });

  it('makes a different token each time, for 1 to 365 days', async () => {
    const staff = await moderator();
    const now = new Date();
    const a = await createApiToken(t.at(now), { id: staff.id, days: 1, actor: 'cli' });
    const b = await createApiToken(t.at(now), { id: staff.id, days: 365, actor: 'cli' });
    expect(a).toMatchObject({ ok: true, expiresAt: new Date(now.getTime() + DAY) });
    expect(b).toMatchObject({ ok: true, expiresAt: new Date(now.getTime() + 365 * DAY) });
    expect((a as { token: string }).token).not.toBe((b as { token: string }).token);
  });

  it('refuses other durations, unknown people and disabled people, and stores nothing', async () => {
    const staff = await moderator();
    const before = await t.db.apiToken.count();
    for (const days of [0, -1, 366, 1.5, Number.NaN])
      expect(await createApiToken(t.deps, { id: staff.id, days, actor: 'cli' })).toEqual({
        ok: false,
        reason: 'invalid-days',
      });
    expect(await createApiToken(t.deps, { id: randomUUID(), actor: 'cli' })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await createApiToken(t.deps, { telegramUserId: 'x', actor: 'cli' })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    await disableStaffMember(t.deps, { id: staff.id, actor: 'cli' });
    expect(await createApiToken(t.deps, { id: staff.id, actor: 'cli' })).toEqual({
      ok: false,
      reason: 'disabled',
    });
    expect(await t.db.apiToken.count()).toBe(before);
  });
});
