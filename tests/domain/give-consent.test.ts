import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { giveConsent } from '../../src/domain/give-consent.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

const person = () => ({ channel: 'telegram', externalId: `tg-${randomUUID()}` });
const consent = (who: { channel: string; externalId: string }, over: { ageConfirmed?: boolean } = {}) => ({
  ...who,
  locale: 'en' as const,
  ageConfirmed: true,
  noticeVersion: 1,
  ...over,
});
const counts = async () => ({
  participants: await t.db.participant.count(),
  accounts: await t.db.channelAccount.count(),
  consents: await t.db.consentRecord.count(),
});

describe('giveConsent', () => {
  it('creates the participant, the channel account and a ledger row', async () => {
    const who = person();
    expect(await findParticipant(t.deps, who)).toBeUndefined();
    const now = new Date('2026-03-01T10:00:00Z');
    const result = await giveConsent(t.at(now), consent(who));
    expect(result).toEqual({ ok: true, participantId: expect.any(String) });
    const { participantId } = result as { participantId: string };
    expect(await findParticipant(t.deps, who)).toMatchObject({
      id: participantId,
      locale: 'en',
      hasConsent: true,
      unreachable: false,
      hasNotices: false,
    });
    const participant = await t.db.participant.findUniqueOrThrow({
      where: { id: participantId },
      include: { accounts: true, consents: true },
    });
    expect(participant).toMatchObject({ locale: 'en', ageConfirmedAt: now, createdAt: now });
    expect(participant.accounts).toMatchObject([who]);
    expect(participant.consents).toMatchObject([
      { purpose: 'participation', action: 'given', noticeVersion: 1, channel: 'telegram', createdAt: now },
    ]);
  });

  it('refuses when the age was not confirmed, and stores nothing', async () => {
    const who = person();
    const before = await counts();
    expect(await giveConsent(t.deps, consent(who, { ageConfirmed: false }))).toEqual({
      ok: false,
      reason: 'age-not-confirmed',
    });
    expect(await counts()).toEqual(before);
    expect(await findParticipant(t.deps, who)).toBeUndefined();
  });

  it('refuses a notice version that does not exist, and stores nothing', async () => {
    const who = person();
    const before = await counts();
    expect(await giveConsent(t.deps, { ...consent(who), noticeVersion: 99 })).toEqual({
      ok: false,
      reason: 'no-notice',
    });
    expect(await counts()).toEqual(before);
  });

  it('given twice: one participant, two ledger rows, the latest locale', async () => {
    const who = person();
    const first = await giveConsent(t.deps, consent(who));
    const second = await giveConsent(t.deps, { ...consent(who), locale: 'es' });
    expect(second).toEqual(first);
    const { participantId } = first as { participantId: string };
    expect(await t.db.channelAccount.count({ where: { participantId } })).toBe(1);
    expect(await t.db.consentRecord.count({ where: { participantId } })).toBe(2);
    expect(await findParticipant(t.deps, who)).toMatchObject({
      id: participantId,
      locale: 'es',
      hasConsent: true,
      unreachable: false,
      hasNotices: false,
    });
  });

  it('10 simultaneous consents of one channel account make one participant with one account', async () => {
    const who = person();
    const before = await counts();
    const results = await Promise.all(Array.from({ length: 10 }, () => giveConsent(t.deps, consent(who))));
    const ids = new Set(results.map((r) => (r.ok ? r.participantId : r.reason)));
    expect(ids.size).toBe(1);
    expect(results[0]).toMatchObject({ ok: true });
    expect(await counts()).toEqual({
      participants: before.participants + 1,
      accounts: before.accounts + 1,
      consents: before.consents + 10,
    });
  });

  it('keeps the ledger append-only: the database refuses an UPDATE', async () => {
    const { participantId } = (await giveConsent(t.deps, consent(person()))) as { participantId: string };
    const row = await t.db.consentRecord.findFirstOrThrow({ where: { participantId } });
    await expect(
      t.db.$executeRawUnsafe(`UPDATE "ConsentRecord" SET action = 'withdrawn' WHERE id = ${row.id}`),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.consentRecord.update({ where: { id: row.id }, data: { channel: 'webchat' } }),
    ).rejects.toThrow();
    expect(await t.db.consentRecord.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);
  });
});
