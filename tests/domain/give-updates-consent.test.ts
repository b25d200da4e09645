import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveUpdatesConsent } from '../../src/domain/give-updates-consent.ts';
import { withdrawConsent } from '../../src/domain/withdraw-consent.ts';
import { createParticipant } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

const ledgerOf = (participantId: string) =>
  t.db.consentRecord.findMany({ where: { participantId, purpose: 'updates' }, orderBy: { id: 'asc' } });

describe('giveUpdatesConsent', () => {
  it('appends one `updates` row with the notice in force, apart from participation', async () => {
    await t.db.privacyNotice.create({
      data: { version: 7, locale: 'es', summary: 'Resumen v7', fullText: 'Aviso completo v7' },
    });
    try {
      const who = await createParticipant(t.db);
      const now = new Date('2026-05-02T10:00:00Z');
      expect(await giveUpdatesConsent(t.at(now), { participantId: who.id, channel: 'telegram' })).toEqual({
        ok: true,
        alreadyGiven: false,
      });
      expect(await ledgerOf(who.id)).toMatchObject([
        { purpose: 'updates', action: 'given', noticeVersion: 7, channel: 'telegram', createdAt: now },
      ]);
      expect(
        await t.db.consentRecord.count({ where: { participantId: who.id, purpose: 'participation' } }),
      ).toBe(1);
    } finally {
      await t.db.privacyNotice.deleteMany({ where: { version: 7 } });
    }
  });

  it('adds nothing while it stands', async () => {
    const who = await createParticipant(t.db);
    await giveUpdatesConsent(t.deps, { participantId: who.id, channel: 'webchat' });
    expect(await giveUpdatesConsent(t.deps, { participantId: who.id, channel: 'webchat' })).toEqual({
      ok: true,
      alreadyGiven: true,
    });
    expect(await ledgerOf(who.id)).toHaveLength(1);
  });

  it('refuses someone who does not participate (never, or no longer)', async () => {
    expect(await giveUpdatesConsent(t.deps, { participantId: randomUUID(), channel: 'webchat' })).toEqual({
      ok: false,
      reason: 'not-consented',
    });
    const who = await createParticipant(t.db);
    await withdrawConsent(t.deps, { participantId: who.id, channel: 'webchat' });
    expect(await giveUpdatesConsent(t.deps, { participantId: who.id, channel: 'webchat' })).toEqual({
      ok: false,
      reason: 'not-consented',
    });
    expect(await ledgerOf(who.id)).toEqual([]);
  });
});
