import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateToken } from '../../src/domain/authenticate-token.ts';
import { createApiToken } from '../../src/domain/create-api-token.ts';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { disableStaffMember } from '../../src/domain/disable-staff-member.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import { createProcess, createProposal } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

const tgId = () => String(randomInt(1, 2 ** 47));

async function moderator(tg = tgId()) {
  const r = await registerStaffMember(t.deps, { name: 'Eva', telegramUserId: tg, actor: 'cli' });
  if (!r.ok) throw new Error(r.reason);
  return r.staff;
}

async function token(staffId: string) {
  const r = await createApiToken(t.deps, { id: staffId, actor: 'cli' });
  if (!r.ok) throw new Error(r.reason);
  return r.token;
}

describe('disableStaffMember', () => {
  it('disables by Telegram user id: tokens stop working, decisions are refused, audited once', async () => {
    const staff = await moderator();
    const [a, b] = [await token(staff.id), await token(staff.id)];
    const now = new Date();
    const result = await disableStaffMember(t.at(now), {
      telegramUserId: staff.telegramUserId!,
      actor: 'cli',
    });
    expect(result).toEqual({
      ok: true,
      alreadyDisabled: false,
      tokensRevoked: 2,
      staff: { ...staff, disabledAt: now },
    });
    expect(await authenticateToken(t.deps, { token: a })).toEqual({ ok: false, reason: 'disabled' });
    expect(await authenticateToken(t.deps, { token: b })).toEqual({ ok: false, reason: 'disabled' });

    const process = await createProcess(t.db, { phase: 'proposals' });
    const proposalId = await createProposal(t.db, process, { status: 'pending' });
    const c = await t.db.moderationCase.create({
      data: { processId: process.id, itemKind: 'proposal', proposalId, reason: 'submitted' },
    });
    expect(
      await decideModeration(t.deps, { caseId: c.id, staffMemberId: staff.id, decision: 'approve' }),
    ).toEqual({ ok: false, reason: 'not-allowed' });

    const again = await disableStaffMember(t.deps, { id: staff.id, actor: 'cli' });
    expect(again).toMatchObject({ ok: true, alreadyDisabled: true, tokensRevoked: 0 });
    const audits = await t.db.auditLog.findMany({
      where: { targetType: 'staff', targetId: staff.id, action: 'staff.disable' },
    });
    expect(audits).toMatchObject([{ actor: 'cli', after: { disabled: true, tokensRevoked: 2 } }]);
  });

  it('re-enabling by registering again does not bring the old tokens back', async () => {
    const staff = await moderator();
    const old = await token(staff.id);
    await disableStaffMember(t.deps, { id: staff.id, actor: 'cli' });
    await registerStaffMember(t.deps, { telegramUserId: staff.telegramUserId!, actor: 'cli' });
    expect(await authenticateToken(t.deps, { token: old })).toEqual({ ok: false, reason: 'revoked' });
    const fresh = await token(staff.id);
    expect(await authenticateToken(t.deps, { token: fresh })).toMatchObject({
      ok: true,
      staff: { id: staff.id },
    });
  });

  it('answers not-found for unknown or malformed references', async () => {
    for (const ref of [
      { telegramUserId: tgId() },
      { telegramUserId: 'nope' },
      { id: randomUUID() },
      { id: 'not-a-uuid' },
    ])
      expect(await disableStaffMember(t.deps, { ...ref, actor: 'cli' })).toEqual({
        ok: false,
        reason: 'not-found',
      });
  });
});
