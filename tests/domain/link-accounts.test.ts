import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkCode } from '../../src/domain/create-link-code.ts';
import { hashLinkCode } from '../../src/domain/link-codes.ts';
import { claimLinkCode } from '../../src/domain/claim-link-code.ts';
import { confirmLinkClaim } from '../../src/domain/confirm-link-claim.ts';
import { findLinkClaim } from '../../src/domain/find-link-claim.ts';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { refuseLinkClaim } from '../../src/domain/refuse-link-claim.ts';
import { createProcess, createProposals } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';
import { seedPerson } from './participant-data-seed.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

/** A consenting participant with one account, created at `createdAt`. */
async function person(channel: 'telegram' | 'webchat', createdAt = new Date(), locale = 'es') {
  const id = randomUUID();
  await t.db.participant.create({
    data: {
      id,
      createdAt,
      locale,
      accounts: { create: { channel, externalId: `${channel}-${randomUUID()}` } },
      consents: {
        create: { purpose: 'participation', action: 'given', noticeVersion: 1, channel, createdAt },
      },
    },
  });
  return id;
}

async function code(participantId: string, channel = 'telegram', deps = t.deps) {
  const r = await createLinkCode(deps, { participantId, channel });
  if (!r.ok) throw new Error(r.reason);
  return r.code;
}

/** The whole linking: `typer` types `owner`'s code on `typerChannel`, the owner confirms the digits. */
async function link(
  input: { typer: string; typerChannel: string; owner: string; ownerChannel: string; code: string },
  deps = t.deps,
) {
  const claim = await claimLinkCode(deps, {
    participantId: input.typer,
    channel: input.typerChannel,
    code: input.code,
  });
  if (!claim.ok) return claim;
  return confirmLinkClaim(deps, {
    participantId: input.owner,
    channel: input.ownerChannel,
    digits: claim.checkDigits,
  });
}

/** A Telegram participant's code, claimed on the web chat by another participant. */
async function claimed() {
  const owner = await person('telegram');
  const typer = await person('webchat');
  const claim = await claimLinkCode(t.deps, {
    participantId: typer,
    channel: 'webchat',
    code: await code(owner),
  });
  if (!claim.ok) throw new Error(claim.reason);
  return { owner, typer, claim };
}

/** The claim is spent: even the right digits link nothing now, and both participants remain. */
async function expectNothingLinked(owner: string, typer: string, digits: string) {
  expect(await confirmLinkClaim(t.deps, { participantId: owner, channel: 'telegram', digits })).toEqual({
    ok: false,
    reason: 'no-claim',
  });
  expect(await t.db.participant.count({ where: { id: { in: [owner, typer] } } })).toBe(2);
}

const wrongOf = (c: string) => String((Number(c) + 1) % 1_000_000).padStart(6, '0');

describe('createLinkCode', () => {
  it('gives six digits valid for ten minutes, stores only a digest, and ends earlier unused codes', async () => {
    const me = await person('telegram');
    const now = new Date();
    const first = await createLinkCode(t.at(now), { participantId: me, channel: 'telegram' });
    expect(first).toEqual({
      ok: true,
      code: expect.stringMatching(/^[0-9]{6}$/),
      expiresAt: new Date(now.getTime() + 600_000),
    });
    if (!first.ok) return;
    const rows = await t.db.linkCode.findMany({ where: { participantId: me } });
    expect(rows).toEqual([
      expect.objectContaining({ codeHash: hashLinkCode(first.code), channel: 'telegram' }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(first.code);
    const second = await code(me);
    const other = await person('webchat');
    const claim = (c: string) => claimLinkCode(t.deps, { participantId: other, channel: 'webchat', code: c });
    expect(await claim(first.code)).toEqual({ ok: false, reason: 'code-wrong' });
    expect(await claim(second)).toEqual({
      ok: true,
      checkDigits: expect.stringMatching(/^[1-9][0-9]$/),
      ownerChannel: 'telegram',
      expiresAt: expect.any(Date),
    });
  });
});

describe('claimLinkCode', () => {
  it('gives one answer for a wrong, an expired, a claimed and a same-channel code', async () => {
    const shown = await person('telegram');
    const typer = await person('webchat');
    const now = new Date();
    const c = await code(shown, 'telegram', t.at(now));
    const claim = (typed: string, channel = 'webchat', at = now, who = typer) =>
      claimLinkCode(t.at(at), { participantId: who, channel, code: typed });
    expect(await claim(wrongOf(c))).toEqual({ ok: false, reason: 'code-wrong' });
    expect(await claim('12ab')).toEqual({ ok: false, reason: 'code-wrong' });
    expect(await claim(c, 'telegram')).toEqual({ ok: false, reason: 'code-wrong' });
    expect(await claim(c, 'webchat', new Date(now.getTime() + 10 * 60_000))).toEqual({
      ok: false,
      reason: 'code-wrong',
    });
    const third = await person('webchat');
    expect(await claim(c, 'webchat', now, third)).toMatchObject({ ok: true });
    const fourth = await person('webchat');
    expect(await claim(` ${c.slice(0, 3)} ${c.slice(3)} `, 'webchat', now, fourth)).toEqual({
      ok: false,
      reason: 'code-wrong',
    });
    // Nothing merged yet: the owner has not confirmed.
    expect(await t.db.participant.count({ where: { id: { in: [shown, third] } } })).toBe(2);
  });

  it('refuses the sixth code typed in ten minutes, even a right one, and counts again after', async () => {
    const shown = await person('telegram');
    const typer = await person('webchat');
    const now = new Date();
    const c = await code(shown, 'telegram', t.at(now));
    for (let i = 0; i < 5; i++)
      expect(
        await claimLinkCode(t.at(now), { participantId: typer, channel: 'webchat', code: wrongOf(c) }),
      ).toEqual({ ok: false, reason: 'code-wrong' });
    expect(await claimLinkCode(t.at(now), { participantId: typer, channel: 'webchat', code: c })).toEqual({
      ok: false,
      reason: 'too-many-attempts',
    });
    expect(await t.db.linkCodeAttempt.count({ where: { participantId: typer } })).toBe(5);
    const later = new Date(now.getTime() + 9 * 60_000 + 59_000);
    const fresh = await code(shown, 'telegram', t.at(later));
    const afterWindow = new Date(now.getTime() + 10 * 60_000 + 1);
    expect(
      await claimLinkCode(t.at(afterWindow), { participantId: typer, channel: 'webchat', code: fresh }),
    ).toMatchObject({ ok: true });
  });

  it('pauses after 100 failed codes in ten minutes, however many people typed them, but not for the long-standing', async () => {
    // A clock of its own, far from the other tests' attempts.
    const now = new Date(Date.now() + 400 * DAY);
    const guessers = await Promise.all(Array.from({ length: 20 }, () => person('webchat')));
    await t.db.linkCodeAttempt.createMany({
      data: guessers.flatMap((participantId) =>
        Array.from({ length: 5 }, (_, i) => ({
          participantId,
          succeeded: false,
          createdAt: new Date(now.getTime() - i * 60_000),
        })),
      ),
    });
    const shown = await person('telegram');
    const honest = await person('webchat', now);
    const c = await code(shown, 'telegram', t.at(now));
    expect(await claimLinkCode(t.at(now), { participantId: honest, channel: 'webchat', code: c })).toEqual({
      ok: false,
      reason: 'paused',
    });
    // Someone who has taken part for a day and failed no code today still gets their try.
    const veteran = await person('webchat', new Date(now.getTime() - 2 * DAY));
    const other = await person('telegram');
    const theirs = await code(other, 'telegram', t.at(now));
    expect(
      await claimLinkCode(t.at(now), { participantId: veteran, channel: 'webchat', code: theirs }),
    ).toMatchObject({ ok: true });
    const later = new Date(now.getTime() + 10 * 60_000);
    const fresh = await code(shown, 'telegram', t.at(later));
    expect(
      await claimLinkCode(t.at(later), { participantId: honest, channel: 'webchat', code: fresh }),
    ).toMatchObject({ ok: true });
  });

  it('cannot be pushed past the pause by guesses at once from many people', async () => {
    const now = new Date(Date.now() + 800 * DAY);
    const seeders = await Promise.all(Array.from({ length: 20 }, () => person('webchat')));
    await t.db.linkCodeAttempt.createMany({
      data: seeders.flatMap((participantId, i) =>
        Array.from({ length: i === 0 ? 4 : 5 }, () => ({ participantId, succeeded: false, createdAt: now })),
      ),
    });
    const guessers = await Promise.all(Array.from({ length: 10 }, () => person('webchat', now)));
    const results = await Promise.all(
      guessers.map((participantId) =>
        claimLinkCode(t.at(now), { participantId, channel: 'webchat', code: '000001' }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'paused')).toHaveLength(9);
    expect(await t.db.linkCodeAttempt.count({ where: { succeeded: false, createdAt: now } })).toBe(100);
  });

  it("says 'own-code' for a code of the same participant (already linked, or the same channel)", async () => {
    const me = await person('telegram');
    const c = await code(me);
    expect(await claimLinkCode(t.deps, { participantId: me, channel: 'webchat', code: c })).toEqual({
      ok: false,
      reason: 'own-code',
    });
  });

  it('lets one of two claims of the same code at once succeed, and only its digits link', async () => {
    const shown = await person('telegram');
    const typers = [await person('webchat'), await person('webchat')];
    const c = await code(shown);
    const results = await Promise.all(
      typers.map((participantId) => claimLinkCode(t.deps, { participantId, channel: 'webchat', code: c })),
    );
    const won = results.find((r) => r.ok);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'code-wrong' }]);
    if (!won?.ok) throw new Error('no claim succeeded');
    expect(
      await confirmLinkClaim(t.deps, { participantId: shown, channel: 'telegram', digits: won.checkDigits }),
    ).toMatchObject({ ok: true, participantId: shown, linkedChannel: 'webchat' });
    expect(await t.db.channelAccount.count({ where: { participantId: shown } })).toBe(2);
  });
});

describe('confirmLinkClaim', () => {
  it('asks the owner only on the channel the code was shown in, until confirmed', async () => {
    const owner = await person('telegram');
    const typer = await person('webchat');
    const account = await t.db.channelAccount.findFirstOrThrow({ where: { participantId: owner } });
    const view = () => findParticipant(t.deps, { channel: 'telegram', externalId: account.externalId });
    expect((await view())?.pendingLinkClaim).toBe(false);
    const claim = await claimLinkCode(t.deps, {
      participantId: typer,
      channel: 'webchat',
      code: await code(owner),
    });
    if (!claim.ok) throw new Error(claim.reason);
    expect((await view())?.pendingLinkClaim).toBe(true);
    expect(await findLinkClaim(t.deps, { participantId: owner, channel: 'telegram' })).toEqual({
      claimedChannel: 'webchat',
    });
    expect(await findLinkClaim(t.deps, { participantId: owner, channel: 'webchat' })).toBeUndefined();
    expect(
      await confirmLinkClaim(t.deps, { participantId: owner, channel: 'webchat', digits: claim.checkDigits }),
    ).toEqual({ ok: false, reason: 'no-claim' });
    expect(
      await confirmLinkClaim(t.deps, {
        participantId: owner,
        channel: 'telegram',
        digits: claim.checkDigits,
      }),
    ).toMatchObject({ ok: true });
    expect((await view())?.pendingLinkClaim).toBe(false);
  });

  it('spends the code on wrong digits: one try, nothing merged', async () => {
    const { owner, typer, claim } = await claimed();
    const wrong = String(((Number(claim.checkDigits) - 9) % 90) + 10);
    expect(
      await confirmLinkClaim(t.deps, { participantId: owner, channel: 'telegram', digits: wrong }),
    ).toEqual({
      ok: false,
      reason: 'digits-wrong',
    });
    await expectNothingLinked(owner, typer, claim.checkDigits);
  });

  it('lets the owner refuse ("that was not me"): the code is spent, nothing merged', async () => {
    const { owner, typer, claim } = await claimed();
    expect(await refuseLinkClaim(t.deps, { participantId: owner, channel: 'telegram' })).toEqual({
      ok: true,
      refused: true,
    });
    await expectNothingLinked(owner, typer, claim.checkDigits);
  });

  it('refuses a claim confirmed after its ten minutes', async () => {
    const owner = await person('telegram');
    const typer = await person('webchat');
    const now = new Date();
    const c = await code(owner, 'telegram', t.at(now));
    const claim = await claimLinkCode(t.at(new Date(now.getTime() + 9 * 60_000)), {
      participantId: typer,
      channel: 'webchat',
      code: c,
    });
    if (!claim.ok) throw new Error(claim.reason);
    // The claim has ten minutes of its own from the moment it was made.
    const late = new Date(now.getTime() + 19 * 60_000 + 1);
    expect(
      await confirmLinkClaim(t.at(late), {
        participantId: owner,
        channel: 'telegram',
        digits: claim.checkDigits,
      }),
    ).toEqual({ ok: false, reason: 'no-claim' });
  });
});

describe('linking (claim, then confirm) merges', () => {
  it('merges into the older participant: accounts, ledger, proposals, one support per proposal', async () => {
    const process = await createProcess(t.db, { supportsPerParticipant: 3 });
    const [a, b, c] = await createProposals(t.db, process, 3);
    const older = await person('telegram', new Date(Date.now() - 30 * DAY));
    const newer = await person('webchat');
    await t.db.support.createMany({
      data: [
        { proposalId: a!, participantId: older },
        { proposalId: b!, participantId: older },
        { proposalId: b!, participantId: newer },
        { proposalId: c!, participantId: newer },
      ],
    });
    const mine = await t.db.proposal.create({
      data: {
        processId: process.id,
        categoryId: process.categories[0]!.id,
        authorId: newer,
        title: 'Mía',
        body: 'Texto suficiente de la propuesta.',
        locale: 'es',
      },
    });
    await t.db.subscription.create({ data: { participantId: newer, processId: process.id } });
    await t.db.consentRecord.create({
      data: {
        participantId: newer,
        purpose: 'updates',
        action: 'given',
        noticeVersion: 1,
        channel: 'webchat',
      },
    });
    const ledgerBefore = await t.db.consentRecord.count({ where: { participantId: { in: [older, newer] } } });
    // The newer one shows the code on the web chat, the older one types it on Telegram.
    const c1 = await code(newer, 'webchat');
    const result = await link({
      typer: older,
      typerChannel: 'telegram',
      owner: newer,
      ownerChannel: 'webchat',
      code: c1,
    });
    expect(result).toEqual({
      ok: true,
      participantId: older,
      mergedId: newer,
      linkedChannel: 'telegram',
      droppedSupports: [],
    });
    expect(await t.db.participant.findUnique({ where: { id: newer } })).toBeNull();
    expect(
      await t.db.channelAccount.findMany({ where: { participantId: older }, select: { channel: true } }),
    ).toHaveLength(2);
    expect(await t.db.consentRecord.count({ where: { participantId: older } })).toBe(ledgerBefore);
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id: mine.id } })).authorId).toBe(older);
    expect(await t.db.support.count({ where: { proposalId: b! } })).toBe(1);
    expect(await t.db.support.count({ where: { participantId: older } })).toBe(3);
    expect(await t.db.subscription.count({ where: { participantId: older } })).toBe(1);
  });

  it('keeps the language of the one who confirms, whether theirs is the older participant or the newer', async () => {
    for (const ownerIsOlder of [false, true]) {
      const older = await person('telegram', new Date(Date.now() - 30 * DAY), ownerIsOlder ? 'en' : 'es');
      const newer = await person('webchat', new Date(), ownerIsOlder ? 'es' : 'en');
      const [owner, ownerChannel, typer, typerChannel] = ownerIsOlder
        ? [older, 'telegram', newer, 'webchat']
        : [newer, 'webchat', older, 'telegram'];
      const result = await link({
        typer,
        typerChannel,
        owner,
        ownerChannel,
        code: await code(owner, ownerChannel),
      });
      expect(result).toMatchObject({ ok: true, participantId: older });
      expect(await t.db.participant.findUniqueOrThrow({ where: { id: older } })).toMatchObject({
        locale: 'en',
      });
    }
  });

  it('counts only supports on public proposals against the limit: a hidden one does not push out a visible one', async () => {
    const process = await createProcess(t.db, { supportsPerParticipant: 1 });
    const [hidden, visible] = await createProposals(t.db, process, 2);
    await t.db.proposal.update({ where: { id: hidden! }, data: { status: 'hidden' } });
    const older = await person('telegram', new Date(Date.now() - DAY));
    const newer = await person('webchat');
    const at = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000);
    await t.db.support.createMany({
      data: [
        { proposalId: hidden!, participantId: older, createdAt: at(1) },
        { proposalId: visible!, participantId: newer, createdAt: at(2) },
      ],
    });
    const c1 = await code(older, 'telegram');
    const result = await link({
      typer: newer,
      typerChannel: 'webchat',
      owner: older,
      ownerChannel: 'telegram',
      code: c1,
    });
    expect(result).toMatchObject({ ok: true, participantId: older, droppedSupports: [] });
    const kept = await t.db.support.findMany({
      where: { participantId: older },
      select: { proposalId: true },
    });
    expect(kept.map((s) => s.proposalId).sort()).toEqual([hidden!, visible!].sort());
  });

  it("checks the process's limit again: the earliest supports stay, the others are dropped and reported", async () => {
    const process = await createProcess(t.db, { supportsPerParticipant: 2 });
    const [a, b, c, d] = await createProposals(t.db, process, 4);
    const older = await person('telegram', new Date(Date.now() - DAY));
    const newer = await person('webchat');
    const at = (minutes: number) => new Date(Date.now() - 60 * 60_000 + minutes * 60_000);
    await t.db.support.createMany({
      data: [
        { proposalId: a!, participantId: older, createdAt: at(1) },
        { proposalId: d!, participantId: older, createdAt: at(4) },
        { proposalId: b!, participantId: newer, createdAt: at(2) },
        { proposalId: c!, participantId: newer, createdAt: at(3) },
      ],
    });
    const c1 = await code(older, 'telegram');
    const result = await link({
      typer: newer,
      typerChannel: 'webchat',
      owner: older,
      ownerChannel: 'telegram',
      code: c1,
    });
    expect(result).toEqual({
      ok: true,
      participantId: older,
      mergedId: newer,
      linkedChannel: 'webchat',
      droppedSupports: [{ processId: process.id, limit: 2, proposalIds: [c!, d!].sort((x, y) => x - y) }],
    });
    const kept = await t.db.support.findMany({
      where: { participantId: older },
      select: { proposalId: true },
    });
    expect(kept.map((s) => s.proposalId).sort()).toEqual([a!, b!].sort());
  });

  it('keeps one of each follow, notice, report, delivery and registration the two had in common', async () => {
    const process = await createProcess(t.db);
    const [a, b] = await createProposals(t.db, process, 2);
    const older = await person('telegram', new Date(Date.now() - DAY));
    const newer = await person('webchat');
    const both = [older, newer];
    for (const participantId of both) {
      await t.db.proposalFollow.create({ data: { proposalId: a!, participantId } });
      await t.db.notice.create({
        data: {
          participantId,
          kind: 'comment-published',
          eventKey: 'comment:1',
          payload: {},
          channel: 'telegram',
        },
      });
      await t.db.contentReport.create({
        data: { itemKind: 'proposal', proposalId: a!, participantId, reason: 'spam' },
      });
    }
    await t.db.proposalFollow.create({ data: { proposalId: b!, participantId: newer } });
    const broadcast = await t.db.broadcast.create({
      data: { processId: process.id, texts: { es: 'Hola' }, audience: {}, status: 'sending' },
    });
    await t.db.broadcastDelivery.createMany({
      data: [
        {
          broadcastId: broadcast.id,
          participantId: older,
          channel: 'telegram',
          locale: 'es',
          status: 'pending',
        },
        {
          broadcastId: broadcast.id,
          participantId: newer,
          channel: 'webchat',
          locale: 'es',
          status: 'waiting',
        },
      ],
    });
    const event = await t.db.event.create({
      data: {
        processId: process.id,
        kind: 'workshop',
        title: { es: 'Taller' },
        place: 'Biblioteca',
        startsAt: new Date(Date.now() + 5 * DAY),
        capacity: 1,
      },
    });
    const waiting = await person('webchat');
    await t.db.eventRegistration.createMany({
      data: [
        { eventId: event.id, participantId: newer, status: 'registered' },
        { eventId: event.id, participantId: older, status: 'waitlisted' },
        { eventId: event.id, participantId: waiting, status: 'waitlisted' },
      ],
    });
    const c = await code(older, 'telegram');
    expect(
      await link({ typer: newer, typerChannel: 'webchat', owner: older, ownerChannel: 'telegram', code: c }),
    ).toMatchObject({ ok: true, participantId: older });
    const follows = await t.db.proposalFollow.findMany({ where: { participantId: older } });
    expect(follows.map((f) => f.proposalId).sort()).toEqual([a!, b!].sort());
    expect(await t.db.notice.count({ where: { participantId: older } })).toBe(1);
    expect(await t.db.contentReport.count({ where: { proposalId: a! } })).toBe(1);
    expect(await t.db.broadcastDelivery.findMany({ where: { broadcastId: broadcast.id } })).toEqual([
      expect.objectContaining({ participantId: older, status: 'skipped' }),
    ]);
    const registrations = await t.db.eventRegistration.findMany({
      where: { eventId: event.id },
      orderBy: { id: 'asc' },
      select: { participantId: true, status: true },
    });
    expect(registrations).toEqual([
      { participantId: older, status: 'registered' },
      { participantId: waiting, status: 'waitlisted' },
    ]);
  });

  it("moves every row of every table that links to Participant, by the database's own foreign keys", async () => {
    const older = await seedPerson(t.db, t.deps);
    const newer = await seedPerson(t.db, t.deps);
    const links = await t.db.$queryRaw<{ table: string; column: string }[]>`
      SELECT cl.relname::text AS "table", a.attname::text AS "column"
      FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f' AND c.confrelid = '"Participant"'::regclass ORDER BY 1, 2`;
    const count = async (table: string, column: string, ids: string[]) =>
      Number(
        (
          await t.db.$queryRawUnsafe<{ n: bigint }[]>(
            `SELECT count(*) AS n FROM "${table}" WHERE "${column}" = ANY($1::uuid[])`,
            ids,
          )
        )[0]!.n,
      );
    const before = new Map<string, number>();
    for (const l of links)
      before.set(`${l.table}.${l.column}`, await count(l.table, l.column, [older.id, newer.id]));
    // The older one shows a code on Telegram; the newer one types it on the web chat.
    const result = await link({
      typer: newer.id,
      typerChannel: 'webchat',
      owner: older.id,
      ownerChannel: 'telegram',
      code: await code(older.id),
    });
    expect(result).toMatchObject({ ok: true, participantId: older.id, mergedId: newer.id });
    // The linking itself adds a code (shown to the older one, claimed by the newer) and an attempt.
    const added: Record<string, number> = {
      'LinkCode.participantId': 1,
      'LinkCode.claimedById': 1,
      'LinkCodeAttempt.participantId': 1,
    };
    expect(links.length).toBeGreaterThan(14);
    for (const l of links) {
      const key = `${l.table}.${l.column}`;
      expect(await count(l.table, l.column, [newer.id]), key).toBe(0);
      expect(await count(l.table, l.column, [older.id]), key).toBe(before.get(key)! + (added[key] ?? 0));
    }
  });

  it('leaves the counts of a process whose voting is over: a second support stays counted, unlinked', async () => {
    const closed = await createProcess(t.db, { phase: 'results', supportsPerParticipant: 1 });
    const [a, b] = await createProposals(t.db, closed, 2);
    const older = await person('telegram', new Date(Date.now() - DAY));
    const newer = await person('webchat');
    await t.db.support.createMany({
      data: [
        { proposalId: a!, participantId: older },
        { proposalId: a!, participantId: newer },
        { proposalId: b!, participantId: newer },
      ],
    });
    const c = await code(older, 'telegram');
    expect(
      await link({ typer: newer, typerChannel: 'webchat', owner: older, ownerChannel: 'telegram', code: c }),
    ).toMatchObject({ ok: true, participantId: older, droppedSupports: [] });
    expect(await t.db.support.count({ where: { proposalId: a! } })).toBe(2);
    expect(await t.db.support.count({ where: { proposalId: b! } })).toBe(1);
    expect(await t.db.support.count({ where: { participantId: older } })).toBe(2);
    const holder = await t.db.support.findFirstOrThrow({
      where: { proposalId: a!, participantId: { not: older } },
      select: { participant: { select: { erasedAt: true, accounts: true } } },
    });
    expect(holder.participant).toEqual({ erasedAt: expect.any(Date), accounts: [] });
  });
});
