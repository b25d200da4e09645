import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModeratorsCommand } from '../../src/admin/staff-cli.ts';
import { authenticateToken } from '../../src/domain/authenticate-token.ts';
import { createDomainTest, DAY, type DomainTest } from '../domain/harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runModeratorsCommand(args, t.deps, {
    log: (s) => out.push(s),
    error: (s) => err.push(s),
  });
  return { code, out, err };
}

const tgId = () => String(randomInt(1, 2 ** 47));

describe('plaza moderators', () => {
  it('add, list, token (printed once, and it works), remove (disables and the token stops working)', async () => {
    const tg = tgId();
    const added = await run('add', tg, '--name', 'Nuria Gil');
    expect(added).toMatchObject({ code: 0, err: [] });
    expect(added.out).toEqual([
      expect.stringMatching(
        new RegExp(`^Added Nuria Gil \\(moderator, Telegram ${tg}, id [0-9a-f-]{36}\\)\\.$`),
      ),
    ]);
    const staff = await t.db.staffMember.findUniqueOrThrow({ where: { telegramUserId: tg } });
    expect(staff).toMatchObject({ name: 'Nuria Gil', role: 'moderator', disabledAt: null });
    expect(
      await t.db.auditLog.findFirst({ where: { targetType: 'staff', targetId: staff.id } }),
    ).toMatchObject({
      actor: 'cli',
      action: 'staff.add',
    });

    const listed = await run('list');
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toMatch(/^TELEGRAM\s+ROLE\s+STATUS\s+TOKENS\s+ID\s+NAME$/);
    expect(listed.out.find((l) => l.startsWith(tg))).toMatch(
      new RegExp(`^${tg}\\s+moderator\\s+active\\s+0\\s+${staff.id}\\s+Nuria Gil$`),
    );

    const issued = await run('token', tg, '--days', '30');
    expect(issued).toMatchObject({ code: 0, err: [] });
    const tokens = issued.out.join('\n').match(/plaza_[A-Za-z0-9_-]{43}/g);
    expect(tokens).toHaveLength(1);
    const token = tokens![0]!;
    expect(issued.out).toContain(token);
    expect(issued.out.join('\n')).toMatch(/will not be shown again/);
    const expiry = /valid until (\S+) /.exec(issued.out[0]!)![1]!;
    expect(Math.abs(Date.parse(expiry) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    expect(await authenticateToken(t.deps, { token })).toMatchObject({
      ok: true,
      staff: { id: staff.id, name: 'Nuria Gil', role: 'moderator' },
    });
    expect((await run('list')).out.find((l) => l.startsWith(tg))).toMatch(/\sactive\s+1\s/);

    const removed = await run('remove', tg);
    expect(removed).toMatchObject({ code: 0, err: [] });
    expect(removed.out).toEqual([expect.stringMatching(/^Disabled Nuria Gil .*; 1 API token revoked\.$/)]);
    expect(await authenticateToken(t.deps, { token })).toEqual({ ok: false, reason: 'disabled' });
    expect((await run('list')).out.find((l) => l.startsWith(tg))).toMatch(/\sdisabled\s+0\s/);
    expect((await run('remove', tg)).out).toEqual([expect.stringMatching(/was already disabled\.$/)]);

    // A disabled member gets no token until added again.
    expect(await run('token', tg)).toMatchObject({
      code: 1,
      out: [],
      err: [expect.stringMatching(/is disabled/)],
    });
    expect((await run('add', tg, '--role=staff')).out).toEqual([
      expect.stringMatching(/^Re-enabled Nuria Gil \(staff, /),
    ]);
    expect(await authenticateToken(t.deps, { token })).toEqual({ ok: false, reason: 'revoked' });
  });

  it('says when `add` changes nothing, and writes nothing', async () => {
    const tg = tgId();
    await run('add', tg, '--name', 'Pilar', '--role', 'staff');
    const staff = await t.db.staffMember.findUniqueOrThrow({ where: { telegramUserId: tg } });
    const audited = () => t.db.auditLog.count({ where: { targetType: 'staff', targetId: staff.id } });
    const before = await audited();
    for (const args of [
      ['--name', 'Pilar'],
      ['--name', 'Pilar', '--role', 'staff'],
      ['--role', 'staff'],
      [],
    ]) {
      expect(await run('add', tg, ...args), args.join(' ')).toEqual({
        code: 0,
        out: [
          `Nothing changed: Pilar (staff, Telegram ${tg}, id ${staff.id}) is already registered with that name and role.`,
        ],
        err: [],
      });
    }
    expect(await audited()).toBe(before);
    // A change is still one.
    expect((await run('add', tg, '--name', 'Pilar Ruiz')).out).toEqual([
      expect.stringMatching(/^Updated Pilar Ruiz \(staff, /),
    ]);
    expect(await audited()).toBe(before + 1);
  });

  it('revokes one token by id', async () => {
    const tg = tgId();
    await run('add', tg, '--name', 'Olga');
    const issued = await run('token', tg);
    const tokenId = /token id ([0-9a-f-]{36})/.exec(issued.out[0]!)![1]!;
    const token = issued.out[1]!;
    expect(await run('revoke', tokenId)).toMatchObject({ code: 0, out: [`Revoked API token ${tokenId}.`] });
    expect(await authenticateToken(t.deps, { token })).toEqual({ ok: false, reason: 'revoked' });
    expect(await run('revoke', tokenId)).toMatchObject({ code: 0, out: ['That token was already revoked.'] });
  });

  it('answers unknown people with exit code 1 and one line', async () => {
    const tg = tgId();
    for (const args of [
      ['remove', tg],
      ['token', tg],
      ['revoke', '00000000-0000-4000-8000-000000000000'],
    ]) {
      const r = await run(...args);
      expect(r, args.join(' ')).toMatchObject({
        code: 1,
        out: [],
        err: [expect.stringMatching(/^plaza moderators \w+: no /)],
      });
      expect(r.err[0]).not.toContain('\n');
    }
  });

  it('answers bad usage with exit code 2 and one clear line, changing nothing', async () => {
    const before = await t.db.staffMember.count();
    for (const args of [
      [],
      ['frobnicate'],
      ['add'],
      ['add', 'abc'],
      ['add', '0'],
      ['add', '-12'],
      ['add', '12', '13'],
      ['add', tgId(), '--name'],
      ['add', tgId(), '--name', ''],
      ['add', tgId(), '--name', 'a\nb'],
      ['add', tgId(), '--role', 'root'],
      ['add', tgId(), '--bogus', 'x'],
      ['add', tgId(), '--name', 'A', '--name', 'B'],
      ['list', 'extra'],
      ['remove'],
      ['token', tgId(), '--days', '0'],
      ['token', tgId(), '--days', '366'],
      ['token', tgId(), '--days', 'ten'],
      ['revoke'],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^plaza moderators: .+\. Run "plaza moderators help" for usage\.$/);
    }
    expect(await t.db.staffMember.count()).toBe(before);
    expect(await run('help')).toMatchObject({
      code: 0,
      out: [expect.stringContaining('Usage: plaza moderators')],
    });
  });
});
