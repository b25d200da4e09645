import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkCode } from '../../src/domain/create-link-code.ts';
import { hashLinkCode } from '../../src/domain/link-codes.ts';
import { redeemLinkCode } from '../../src/domain/redeem-link-code.ts';
import { createProcess, createProposals } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

/** A consenting participant with one account, created at `createdAt`. */
async function person(channel: 'telegram' | 'webchat', createdAt = new Date()) {
  const id = randomUUID();
  await t.db.participant.create({
    data: {
      id,
      createdAt,
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
    expect(
      await redeemLinkCode(t.deps, { participantId: other, channel: 'webchat', code: first.code }),
    ).toEqual({
      ok: false,
      reason: 'code-expired',
    });
    expect(
      await redeemLinkCode(t.deps, { participantId: other, channel: 'webchat', code: second }),
    ).toMatchObject({
      ok: true,
    });
  });
});

describe('redeemLinkCode', () => {
  it('refuses a wrong, an expired, a used and a same-channel code, with their reasons', async () => {
    const shown = await person('telegram');
    const typer = await person('webchat');
    const now = new Date();
    const c = await code(shown, 'telegram', t.at(now));
    const redeem = (typed: string, channel = 'webchat', at = now) =>
      redeemLinkCode(t.at(at), { participantId: typer, channel, code: typed });
    expect(await redeem(wrongOf(c))).toEqual({ ok: false, reason: 'code-wrong' });
    expect(await redeem('12ab')).toEqual({ ok: false, reason: 'code-wrong' });
    expect(await redeem(c, 'telegram')).toEqual({ ok: false, reason: 'same-channel' });
    expect(await redeem(c, 'webchat', new Date(now.getTime() + 10 * 60_000))).toEqual({
      ok: false,
      reason: 'code-expired',
    });
    const third = await person('webchat');
    expect(
      await redeemLinkCode(t.at(now), { participantId: third, channel: 'webchat', code: c }),
    ).toMatchObject({
      ok: true,
    });
    const fourth = await person('webchat');
    expect(
      await redeemLinkCode(t.at(now), {
        participantId: fourth,
        channel: 'webchat',
        code: ` ${c.slice(0, 3)} ${c.slice(3)} `,
      }),
    ).toEqual({
      ok: false,
      reason: 'code-used',
    });
  });

  it('refuses the sixth code typed in ten minutes, even a right one, and counts again after', async () => {
    const shown = await person('telegram');
    const typer = await person('webchat');
    const now = new Date();
    const c = await code(shown, 'telegram', t.at(now));
    for (let i = 0; i < 5; i++)
      expect(
        await redeemLinkCode(t.at(now), { participantId: typer, channel: 'webchat', code: wrongOf(c) }),
      ).toEqual({
        ok: false,
        reason: 'code-wrong',
      });
    expect(await redeemLinkCode(t.at(now), { participantId: typer, channel: 'webchat', code: c })).toEqual({
      ok: false,
      reason: 'too-many-attempts',
    });
    expect(await t.db.linkCodeAttempt.count({ where: { participantId: typer } })).toBe(5);
    const later = new Date(now.getTime() + 9 * 60_000 + 59_000);
    const fresh = await code(shown, 'telegram', t.at(later));
    const afterWindow = new Date(now.getTime() + 10 * 60_000 + 1);
    expect(
      await redeemLinkCode(t.at(afterWindow), { participantId: typer, channel: 'webchat', code: fresh }),
    ).toMatchObject({
      ok: true,
    });
  });

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
    const result = await redeemLinkCode(t.deps, { participantId: older, channel: 'telegram', code: c1 });
    expect(result).toEqual({ ok: true, participantId: older, mergedId: newer, droppedSupports: [] });
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
    const result = await redeemLinkCode(t.deps, { participantId: newer, channel: 'webchat', code: c1 });
    expect(result).toEqual({
      ok: true,
      participantId: older,
      mergedId: newer,
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
    expect(await redeemLinkCode(t.deps, { participantId: newer, channel: 'webchat', code: c })).toMatchObject(
      {
        ok: true,
        participantId: older,
      },
    );
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

  it('lets one of two redeems of the same code at once succeed', async () => {
    const shown = await person('telegram');
    const typers = [await person('webchat'), await person('webchat')];
    const c = await code(shown);
    const results = await Promise.all(
      typers.map((participantId) => redeemLinkCode(t.deps, { participantId, channel: 'webchat', code: c })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'code-used' }]);
    expect(await t.db.channelAccount.count({ where: { participantId: shown } })).toBe(2);
  });

  it('refuses a code of the same participant (already linked)', async () => {
    const me = await person('telegram');
    const c = await code(me);
    expect(await redeemLinkCode(t.deps, { participantId: me, channel: 'webchat', code: c })).toEqual({
      ok: false,
      reason: 'already-linked',
    });
  });
});
