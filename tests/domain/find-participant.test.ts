import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markAccountReachable } from '../../src/domain/mark-account-reachable.ts';
import { markAccountUnreachable } from '../../src/domain/mark-account-unreachable.ts';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { createParticipant } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('findParticipant', () => {
  it('finds no one behind an unknown channel account', async () => {
    expect(
      await findParticipant(t.deps, { channel: 'webchat', externalId: `u-${randomUUID()}` }),
    ).toBeUndefined();
  });

  it('finds the participant by channel and external id, not by external id alone', async () => {
    const p = await createParticipant(t.db, 'telegram');
    expect(await findParticipant(t.deps, { channel: 'telegram', externalId: p.externalId })).toEqual({
      id: p.id,
      locale: 'es',
      hasConsent: true,
      unreachable: false,
      hasNotices: false,
      seenStale: false,
      needsNotice: false,
      pendingLinkClaim: false,
    });
    expect(await findParticipant(t.deps, { channel: 'webchat', externalId: p.externalId })).toBeUndefined();
  });

  it('judges consent by the latest participation row only', async () => {
    const p = await createParticipant(t.db);
    await t.db.consentRecord.createMany({
      data: [
        {
          participantId: p.id,
          purpose: 'participation',
          action: 'withdrawn',
          noticeVersion: 1,
          channel: 'webchat',
        },
        { participantId: p.id, purpose: 'updates', action: 'given', noticeVersion: 1, channel: 'webchat' },
      ],
    });
    expect(await findParticipant(t.deps, { channel: 'webchat', externalId: p.externalId })).toMatchObject({
      hasConsent: false,
    });
  });

  it('says no consent for a participant without ledger rows, and falls back to Spanish', async () => {
    const externalId = `u-${randomUUID()}`;
    const p = await t.db.participant.create({
      data: { locale: 'fr', accounts: { create: { channel: 'webchat', externalId } } },
    });
    expect(await findParticipant(t.deps, { channel: 'webchat', externalId })).toEqual({
      id: p.id,
      locale: 'es',
      hasConsent: false,
      unreachable: false,
      hasNotices: false,
      seenStale: false,
      needsNotice: false,
      pendingLinkClaim: false,
    });
  });

  it('reports an account marked unreachable until it is marked reachable again', async () => {
    const p = await createParticipant(t.db, 'telegram');
    const who = { channel: 'telegram', externalId: p.externalId };
    expect(await markAccountUnreachable(t.deps, who)).toEqual({ ok: true, known: true });
    expect(await findParticipant(t.deps, who)).toMatchObject({ unreachable: true });
    expect(await markAccountUnreachable(t.deps, { channel: 'telegram', externalId: 'nobody' })).toEqual({
      ok: true,
      known: false,
    });
    await markAccountReachable(t.deps, who);
    expect(await findParticipant(t.deps, who)).toMatchObject({ unreachable: false });
  });
});

describe('notices waiting', () => {
  it('says whether notices wait on this channel, not on another', async () => {
    const p = await createParticipant(t.db);
    await t.db.notice.create({
      data: {
        participantId: p.id,
        kind: 'moderation-outcome',
        eventKey: 'case:1',
        payload: {},
        channel: 'telegram',
      },
    });
    expect(await findParticipant(t.deps, { channel: 'webchat', externalId: p.externalId })).toMatchObject({
      hasNotices: false,
    });
    await t.db.notice.create({
      data: {
        participantId: p.id,
        kind: 'moderation-outcome',
        eventKey: 'case:2',
        payload: {},
        channel: 'webchat',
      },
    });
    expect(await findParticipant(t.deps, { channel: 'webchat', externalId: p.externalId })).toMatchObject({
      hasNotices: true,
    });
  });

  it('says when the last-seen time is stale: over an hour old, or warned of erasure', async () => {
    const p = await createParticipant(t.db, 'telegram');
    const find = () => findParticipant(t.deps, { channel: 'telegram', externalId: p.externalId });
    expect(await find()).toMatchObject({ seenStale: false });
    await t.db.participant.update({
      where: { id: p.id },
      data: { lastSeenAt: new Date(Date.now() - 2 * 3600 * 1000) },
    });
    expect(await find()).toMatchObject({ seenStale: true });
    await t.db.participant.update({
      where: { id: p.id },
      data: { lastSeenAt: new Date(), retentionWarnedAt: new Date() },
    });
    expect(await find()).toMatchObject({ seenStale: true });
  });

  it("judges staleness by the domain's clock, whatever the database session's time zone", async () => {
    const p = await createParticipant(t.db, 'telegram');
    const seen = new Date('2030-06-01T12:00:00Z');
    await t.db.participant.update({ where: { id: p.id }, data: { lastSeenAt: seen } });
    const who = { channel: 'telegram', externalId: p.externalId };
    expect(await findParticipant(t.at(new Date('2030-06-01T12:10:00Z')), who)).toMatchObject({
      seenStale: false,
    });
    expect(await findParticipant(t.at(new Date('2030-06-01T13:10:00Z')), who)).toMatchObject({
      seenStale: true,
    });
  });

  it('says a new privacy notice awaits acceptance when consent was given to an older version', async () => {
    const p = await createParticipant(t.db, 'telegram');
    const find = () => findParticipant(t.deps, { channel: 'telegram', externalId: p.externalId });
    const current = (await t.db.privacyNotice.aggregate({ _max: { version: true } }))._max.version ?? 1;
    await t.db.consentRecord.create({
      data: {
        participantId: p.id,
        purpose: 'participation',
        action: 'given',
        noticeVersion: current,
        channel: 'telegram',
      },
    });
    expect(await find()).toMatchObject({ needsNotice: false });
    await t.db.privacyNotice.create({
      data: { version: current + 1, locale: 'es', summary: 'Nuevo', fullText: 'Nuevo aviso' },
    });
    expect(await find()).toMatchObject({ hasConsent: true, needsNotice: true });
  });
});
