import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateToken } from '../../src/domain/authenticate-token.ts';
import { createApiToken } from '../../src/domain/create-api-token.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import { revokeApiToken } from '../../src/domain/revoke-api-token.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function issue() {
  const s = await registerStaffMember(t.deps, {
    name: 'Hugo',
    telegramUserId: String(randomInt(1, 2 ** 47)),
    actor: 'cli',
  });
  if (!s.ok) throw new Error(s.reason);
  const r = await createApiToken(t.deps, { id: s.staff.id, actor: 'cli' });
  if (!r.ok) throw new Error(r.reason);
  return { staffId: s.staff.id, token: r.token, tokenId: r.tokenId };
}

describe('revokeApiToken', () => {
  it('revokes by id for good; a second revocation changes nothing and is not audited again', async () => {
    const { staffId, token, tokenId } = await issue();
    const now = new Date();
    expect(await revokeApiToken(t.at(now), { tokenId, actor: 'cli', sourceIp: '10.0.0.1' })).toEqual({
      ok: true,
      tokenId,
      staffMemberId: staffId,
      alreadyRevoked: false,
    });
    expect(await authenticateToken(t.deps, { token })).toEqual({ ok: false, reason: 'revoked' });
    expect(await revokeApiToken(t.deps, { tokenId, actor: 'cli' })).toMatchObject({
      ok: true,
      alreadyRevoked: true,
    });
    expect((await t.db.apiToken.findUniqueOrThrow({ where: { id: tokenId } })).revokedAt).toEqual(now);
    expect(
      await t.db.auditLog.findMany({
        where: { targetType: 'api-token', targetId: tokenId, action: 'api-token.revoke' },
      }),
    ).toMatchObject([{ actor: 'cli', sourceIp: '10.0.0.1', after: { staffMemberId: staffId } }]);
  });

  it('revokes by the token itself (signing out)', async () => {
    const { token, tokenId } = await issue();
    expect(await revokeApiToken(t.deps, { token, actor: 'cli' })).toMatchObject({
      ok: true,
      tokenId,
      alreadyRevoked: false,
    });
    expect(await authenticateToken(t.deps, { token })).toEqual({ ok: false, reason: 'revoked' });
  });

  it('answers not-found for unknown or malformed tokens and ids', async () => {
    for (const input of [
      { tokenId: randomUUID() },
      { tokenId: 'abc' },
      { token: 'plaza_nope' },
      { token: 'x'.repeat(500) },
    ])
      expect(await revokeApiToken(t.deps, { ...input, actor: 'cli' })).toEqual({
        ok: false,
        reason: 'not-found',
      });
  });
});
