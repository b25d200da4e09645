import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/domain/create-api-token.ts';
import { disableStaffMember } from '../../src/domain/disable-staff-member.ts';
import { listStaffMembers } from '../../src/domain/list-staff-members.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import { revokeApiToken } from '../../src/domain/revoke-api-token.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function add(name: string, telegramUserId: string, at: Date) {
  const r = await registerStaffMember(t.at(at), { name, telegramUserId, actor: 'cli' });
  if (!r.ok) throw new Error(r.reason);
  return r.staff;
}

describe('listStaffMembers', () => {
  it('lists oldest first with the count of tokens that still work; optionally without the disabled', async () => {
    const t0 = Date.now() - 10 * DAY;
    const ana = await add('Ana', '1001', new Date(t0));
    const ben = await add('Ben', '1002', new Date(t0 + 1000));
    const cai = await add('Cai', '1003', new Date(t0 + 2000));
    await createApiToken(t.deps, { id: ana.id, actor: 'cli' });
    const revoked = await createApiToken(t.deps, { id: ana.id, actor: 'cli' });
    await revokeApiToken(t.deps, { tokenId: (revoked as { tokenId: string }).tokenId, actor: 'cli' });
    // Issued 5 days ago for 1 day: expired.
    await createApiToken(t.at(new Date(Date.now() - 5 * DAY)), { id: ben.id, days: 1, actor: 'cli' });
    await disableStaffMember(t.deps, { id: cai.id, actor: 'cli' });

    const all = await listStaffMembers(t.deps);
    expect(all.map((s) => [s.name, s.telegramUserId, s.role, s.activeTokens, s.disabledAt !== null])).toEqual(
      [
        ['Ana', '1001', 'moderator', 1, false],
        ['Ben', '1002', 'moderator', 0, false],
        ['Cai', '1003', 'moderator', 0, true],
      ],
    );
    expect((await listStaffMembers(t.deps, { includeDisabled: false })).map((s) => s.name)).toEqual([
      'Ana',
      'Ben',
    ]);
  });
});
