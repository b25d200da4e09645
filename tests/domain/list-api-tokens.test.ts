import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/domain/create-api-token.ts';
import { disableStaffMember } from '../../src/domain/disable-staff-member.ts';
import { listApiTokens } from '../../src/domain/list-api-tokens.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import { revokeApiToken } from '../../src/domain/revoke-api-token.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function staffWithTokens(name: string, n: number, at = new Date()) {
  const s = await registerStaffMember(t.deps, {
    name,
    role: 'staff',
    telegramUserId: String(randomInt(1, 2 ** 47)),
    actor: 'cli',
  });
  if (!s.ok) throw new Error(s.reason);
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await createApiToken(t.at(new Date(at.getTime() + i)), {
      id: s.staff.id,
      days: 1,
      actor: 'cli',
    });
    if (!r.ok) throw new Error(r.reason);
    ids.push(r.tokenId);
  }
  return { staffId: s.staff.id, ids };
}

describe('listApiTokens', () => {
  it('lists the tokens that work, newest first, with their holder — not revoked, expired or disabled ones', async () => {
    const working = await staffWithTokens('Lucía', 2);
    const revoked = await staffWithTokens('Revocada', 1);
    await revokeApiToken(t.deps, { tokenId: revoked.ids[0]!, actor: 'cli' });
    const disabled = await staffWithTokens('Baja', 1);
    await disableStaffMember(t.deps, { id: disabled.staffId, actor: 'cli' });
    const expired = await staffWithTokens('Caducada', 1, new Date(Date.now() - 2 * 86_400_000));

    const rows = await listApiTokens(t.deps);
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(working.ids));
    expect(ids.indexOf(working.ids[1]!)).toBeLessThan(ids.indexOf(working.ids[0]!));
    for (const gone of [...revoked.ids, ...disabled.ids, ...expired.ids]) expect(ids).not.toContain(gone);
    expect(rows.find((r) => r.id === working.ids[0])).toMatchObject({
      staff: { id: working.staffId, name: 'Lucía', role: 'staff' },
      lastUsedAt: null,
    });
    expect(JSON.stringify(rows)).not.toMatch(/tokenHash|plaza_/);
  });
});
