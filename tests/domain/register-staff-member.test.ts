import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableStaffMember } from '../../src/domain/disable-staff-member.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

const tgId = () => String(randomInt(1, 2 ** 47));
const auditOf = (id: string) =>
  t.db.auditLog.findMany({ where: { targetType: 'staff', targetId: id }, orderBy: { id: 'asc' } });

describe('registerStaffMember', () => {
  it('adds a moderator bound to a Telegram user, and audits it with the given actor', async () => {
    const tg = tgId();
    const now = new Date('2026-03-01T10:00:00Z');
    const result = await registerStaffMember(t.at(now), { name: ' Ana ', telegramUserId: tg, actor: 'cli' });
    expect(result).toEqual({
      ok: true,
      outcome: 'created',
      staff: {
        id: expect.any(String),
        name: 'Ana',
        role: 'moderator',
        telegramUserId: tg,
        createdAt: now,
        disabledAt: null,
      },
    });
    const id = (result as { staff: { id: string } }).staff.id;
    expect(await auditOf(id)).toMatchObject([
      {
        actor: 'cli',
        action: 'staff.add',
        before: null,
        after: { name: 'Ana', role: 'moderator', telegramUserId: tg, disabled: false },
        createdAt: now,
      },
    ]);
  });

  it('re-registering the same Telegram user updates name and role, re-enables, and keeps one row', async () => {
    const tg = tgId();
    const first = await registerStaffMember(t.deps, { name: 'Bea', telegramUserId: tg, actor: 'cli' });
    const id = (first as { staff: { id: string } }).staff.id;
    await disableStaffMember(t.deps, { telegramUserId: tg, actor: 'cli' });

    const again = await registerStaffMember(t.deps, {
      name: 'Beatriz',
      role: 'admin',
      telegramUserId: tg,
      actor: 'cli',
    });
    expect(again).toMatchObject({
      ok: true,
      outcome: 're-enabled',
      staff: { id, name: 'Beatriz', role: 'admin', disabledAt: null },
    });
    expect(await t.db.staffMember.count({ where: { telegramUserId: tg } })).toBe(1);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['staff.add', 'staff.disable', 'staff.enable']);
    expect((await auditOf(id))[2]).toMatchObject({
      before: { name: 'Bea', role: 'moderator', disabled: true },
      after: { name: 'Beatriz', role: 'admin', disabled: false },
    });

    // Absent name and role are kept.
    const kept = await registerStaffMember(t.deps, { telegramUserId: tg, actor: 'cli' });
    expect(kept).toMatchObject({ ok: true, outcome: 'updated', staff: { name: 'Beatriz', role: 'admin' } });
  });

  it('names a new Telegram member after the id when no name is given', async () => {
    const tg = tgId();
    expect(await registerStaffMember(t.deps, { telegramUserId: tg, actor: 'cli' })).toMatchObject({
      ok: true,
      staff: { name: `Telegram ${tg}`, role: 'moderator' },
    });
  });

  it('adds a member without Telegram each time it is asked, and then needs a name', async () => {
    const a = await registerStaffMember(t.deps, { name: 'Carla', role: 'staff', actor: 'cli' });
    const b = await registerStaffMember(t.deps, { name: 'Carla', role: 'staff', actor: 'cli' });
    expect(a).toMatchObject({ ok: true, outcome: 'created', staff: { telegramUserId: null, role: 'staff' } });
    expect(b).toMatchObject({ ok: true, outcome: 'created' });
    expect((a as { staff: { id: string } }).staff.id).not.toBe((b as { staff: { id: string } }).staff.id);
    expect(await registerStaffMember(t.deps, { role: 'staff', actor: 'cli' })).toEqual({
      ok: false,
      reason: 'invalid-name',
    });
  });

  it('refuses bad input and writes nothing', async () => {
    const before = await t.db.staffMember.count();
    const audits = await t.db.auditLog.count();
    for (const telegramUserId of ['0', '-5', '012', 'abc', '1.5', ' 12', '1e5', '9007199254740993', ''])
      expect(await registerStaffMember(t.deps, { name: 'X', telegramUserId, actor: 'cli' })).toEqual({
        ok: false,
        reason: 'invalid-telegram-user-id',
      });
    for (const name of ['', '   ', 'a\nb', 'tab\there', 'x'.repeat(101)])
      expect(await registerStaffMember(t.deps, { name, telegramUserId: tgId(), actor: 'cli' })).toEqual({
        ok: false,
        reason: 'invalid-name',
      });
    expect(await registerStaffMember(t.deps, { name: 'X', role: 'root', actor: 'cli' })).toEqual({
      ok: false,
      reason: 'invalid-role',
    });
    expect(await t.db.staffMember.count()).toBe(before);
    expect(await t.db.auditLog.count()).toBe(audits);
  });

  it('two registrations of one new Telegram user at once make one member', async () => {
    const tg = tgId();
    const results = await Promise.all(
      ['Dani', 'Daniel', 'Dan'].map((name) =>
        registerStaffMember(t.deps, { name, telegramUserId: tg, actor: 'cli' }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.outcome === 'created')).toHaveLength(1);
    expect(await t.db.staffMember.count({ where: { telegramUserId: tg } })).toBe(1);
  });
});
