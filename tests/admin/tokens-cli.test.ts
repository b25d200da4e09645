import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModeratorsCommand } from '../../src/admin/staff-cli.ts';
import { runTokensCommand } from '../../src/admin/tokens-cli.ts';
import { authenticateToken } from '../../src/domain/authenticate-token.ts';
import { hashToken } from '../../src/domain/staff-members.ts';
import { createDomainTest, DAY, type DomainTest } from '../domain/harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTokensCommand(args, t.deps, {
    log: (s) => out.push(s),
    error: (s) => err.push(s),
  });
  return { code, out, err };
}

const quiet = { log: () => {}, error: () => {} };
const tgId = () => String(randomInt(1, 2 ** 47));
const TOKEN = /plaza_[A-Za-z0-9_-]{43}/g;

/** The one token a successful `create` printed, and its id. */
function issued(out: string[]): { token: string; tokenId: string } {
  const tokens = out.join('\n').match(TOKEN);
  expect(tokens).toHaveLength(1);
  expect(out).toContain(tokens![0]);
  return { token: tokens![0]!, tokenId: /token id ([0-9a-f-]{36})/.exec(out.join('\n'))![1]! };
}

describe('plaza tokens create', () => {
  it('creates a staff member with the role and a token printed once, stored hashed, audited as cli', async () => {
    const r = await run('create', '--role', 'admin', '--name', 'Panel de datos', '--expires-in-days', '7');
    expect(r).toMatchObject({ code: 0, err: [] });
    expect(r.out[0]).toMatch(/^Added Panel de datos \(admin, id [0-9a-f-]{36}\)\.$/);
    expect(r.out.join('\n')).toMatch(/will not be shown again/);
    const { token, tokenId } = issued(r.out);

    const auth = await authenticateToken(t.deps, { token });
    expect(auth).toMatchObject({ ok: true, tokenId, staff: { name: 'Panel de datos', role: 'admin' } });
    const staffId = auth.ok ? auth.staff.id : '';
    expect(await t.db.staffMember.findUniqueOrThrow({ where: { id: staffId } })).toMatchObject({
      telegramUserId: null,
      disabledAt: null,
    });
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice('plaza_'.length));
    expect(Math.abs(row.expiresAt.getTime() - (Date.now() + 7 * DAY))).toBeLessThan(60_000);

    const audit = await t.db.auditLog.findMany({
      where: {
        OR: [
          { targetType: 'staff', targetId: staffId },
          { targetType: 'api-token', targetId: tokenId },
        ],
      },
      orderBy: { id: 'asc' },
    });
    expect(audit).toMatchObject([
      { actor: 'cli', action: 'staff.add', sourceIp: null, after: { name: 'Panel de datos', role: 'admin' } },
      { actor: 'cli', action: 'api-token.create', sourceIp: null, after: { staffMemberId: staffId } },
    ]);
    // Neither the token nor its digest is written to the log.
    const logged = JSON.stringify(audit.map((a) => [a.before, a.after, a.reason]));
    expect(logged).not.toContain(token.slice('plaza_'.length));
    expect(logged).not.toContain(row.tokenHash);
  });

  it('names the new member after the role without --name, and defaults to 90 days', async () => {
    const r = await run('create', '--role=moderator');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^Added API moderator \(moderator, id /);
    const { tokenId } = issued(r.out);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(Math.abs(row.expiresAt.getTime() - (Date.now() + 90 * DAY))).toBeLessThan(60_000);
  });

  it('with --staff, gives an existing member (by id or Telegram user id) another token, creating nobody', async () => {
    const tg = tgId();
    await runModeratorsCommand(['add', tg, '--name', 'Rosa', '--role', 'staff'], t.deps, quiet);
    const rosa = await t.db.staffMember.findUniqueOrThrow({ where: { telegramUserId: tg } });
    const before = await t.db.staffMember.count();

    const byId = await run('create', '--staff', rosa.id, '--role', 'staff');
    expect(byId).toMatchObject({ code: 0, err: [] });
    expect(byId.out[0]).toMatch(/^API token for Rosa \(staff, Telegram /);
    const byTelegram = await run('create', '--staff', tg, '--expires-in-days', '1');
    expect(byTelegram.code).toBe(0);
    for (const { token } of [issued(byId.out), issued(byTelegram.out)])
      expect(await authenticateToken(t.deps, { token })).toMatchObject({ ok: true, staff: { id: rosa.id } });
    expect(await t.db.staffMember.count()).toBe(before);
  });

  it('refuses with exit code 1 an unknown or disabled member, or a role that is not theirs', async () => {
    const tg = tgId();
    await runModeratorsCommand(['add', tg, '--name', 'Teo'], t.deps, quiet);
    const teo = await t.db.staffMember.findUniqueOrThrow({ where: { telegramUserId: tg } });
    const tokensBefore = await t.db.apiToken.count();
    const cases: [string[], RegExp][] = [
      [['create', '--staff', teo.id, '--role', 'admin'], /is not admin/],
      [['create', '--staff', '00000000-0000-4000-8000-000000000000'], /no staff member/],
      [['create', '--staff', tgId(), '--role', 'staff'], /no staff member/],
      [['create', '--staff', 'nadie'], /no staff member/],
    ];
    const refused = async ([args, message]: [string[], RegExp]) => {
      const r = await run(...args);
      expect(r, args.join(' ')).toMatchObject({ code: 1, out: [], err: [expect.stringMatching(message)] });
      expect(r.err[0]).toMatch(/^plaza tokens create: /);
    };
    for (const c of cases) await refused(c);
    await runModeratorsCommand(['remove', tg], t.deps, quiet);
    await refused([['create', '--staff', tg], /is disabled/]);
    expect(await t.db.apiToken.count()).toBe(tokensBefore);
  });
});

describe('plaza tokens list and revoke', () => {
  it('lists members holding working tokens; revoke stops a token at once, once', async () => {
    const created = await run('create', '--role', 'staff', '--name', 'Integración Padrón');
    const { token, tokenId } = issued(created.out);
    const second = issued((await run('create', '--staff', (await staffOf(token))!, '--role', 'staff')).out);

    const lines = async () => (await run('list')).out.filter((l) => l.endsWith('Integración Padrón'));
    const line = async () => (await lines()).join('\n') || 'not listed';
    const listed = await run('list');
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toMatch(/^TOKEN ID\s+ROLE\s+EXPIRES\s+LAST USED\s+STAFF ID\s+NAME$/);
    // One line per working token, newest first, with the id that revoke takes.
    const rows = await lines();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      new RegExp(
        `^${second.tokenId}\\s+staff\\s+\\d{4}-\\d{2}-\\d{2}\\s+-\\s+[0-9a-f-]{36}\\s+Integración Padrón$`,
      ),
    );
    expect(rows[1]).toMatch(new RegExp(`^${tokenId}\\s`));

    expect(await run('revoke', tokenId)).toMatchObject({ code: 0, out: [`Revoked API token ${tokenId}.`] });
    expect(await authenticateToken(t.deps, { token })).toEqual({ ok: false, reason: 'revoked' });
    expect(await authenticateToken(t.deps, { token: second.token })).toMatchObject({ ok: true });
    expect(await lines()).toHaveLength(1);
    expect(await line()).toMatch(new RegExp(`^${second.tokenId}\\s`));
    expect(await run('revoke', tokenId)).toMatchObject({ code: 0, out: ['That token was already revoked.'] });
    expect(
      await t.db.auditLog.count({
        where: { targetType: 'api-token', targetId: tokenId, action: 'api-token.revoke', actor: 'cli' },
      }),
    ).toBe(1);

    await run('revoke', second.tokenId);
    expect(await line()).toBe('not listed');
    expect(await run('revoke', '00000000-0000-4000-8000-000000000000')).toMatchObject({
      code: 1,
      out: [],
      err: ['plaza tokens revoke: no API token with id 00000000-0000-4000-8000-000000000000.'],
    });
  });
});

describe('plaza tokens usage', () => {
  it('answers bad usage with exit code 2 and one clear line, creating nothing', async () => {
    const staff = await t.db.staffMember.count();
    const tokens = await t.db.apiToken.count();
    for (const args of [
      [],
      ['frobnicate'],
      ['create'],
      ['create', '--name', 'Sin rol'],
      ['create', '--role', 'root'],
      ['create', '--role', 'admin', 'extra'],
      ['create', '--role', 'admin', '--name'],
      ['create', '--role', 'admin', '--name', ''],
      ['create', '--role', 'admin', '--name', 'a\nb'],
      ['create', '--role', 'admin', '--expires-in-days', '0'],
      ['create', '--role', 'admin', '--expires-in-days', '366'],
      ['create', '--role', 'admin', '--expires-in-days', 'ten'],
      ['create', '--role', 'admin', '--days', '3'],
      ['create', '--role', 'admin', '--role', 'staff'],
      ['create', '--staff', tgId(), '--name', 'Otro nombre'],
      ['list', 'extra'],
      ['revoke'],
      ['revoke', 'a', 'b'],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^plaza tokens: .+\. Run "plaza tokens help" for usage\.$/);
    }
    expect(await t.db.staffMember.count()).toBe(staff);
    expect(await t.db.apiToken.count()).toBe(tokens);
    expect(await run('help')).toMatchObject({
      code: 0,
      out: [expect.stringContaining('Usage: plaza tokens')],
    });
  });
});

async function staffOf(token: string): Promise<string | undefined> {
  const auth = await authenticateToken(t.deps, { token });
  return auth.ok ? auth.staff.id : undefined;
}
