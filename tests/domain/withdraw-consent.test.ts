import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { giveConsent } from '../../src/domain/give-consent.ts';
import { withdrawConsent } from '../../src/domain/withdraw-consent.ts';
import { createProcess, createProposal } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function consented() {
  const who = { channel: 'webchat', externalId: `u-${randomUUID()}` };
  const r = await giveConsent(t.deps, { ...who, locale: 'es', ageConfirmed: true, noticeVersion: 1 });
  if (!r.ok) throw new Error(r.reason);
  return { ...who, participantId: r.participantId };
}

describe('withdrawConsent', () => {
  it('appends a withdrawal; the participant no longer has consent, and can give it again', async () => {
    const who = await consented();
    const now = new Date('2026-04-01T08:00:00Z');
    expect(
      await withdrawConsent(t.at(now), { participantId: who.participantId, channel: 'telegram' }),
    ).toEqual({
      ok: true,
    });
    expect(await findParticipant(t.deps, who)).toEqual({
      id: who.participantId,
      locale: 'es',
      hasConsent: false,
      unreachable: false,
      hasNotices: false,
    });
    const ledger = await t.db.consentRecord.findMany({
      where: { participantId: who.participantId },
      orderBy: { id: 'asc' },
    });
    expect(ledger).toMatchObject([
      { purpose: 'participation', action: 'given', channel: 'webchat', noticeVersion: 1 },
      {
        purpose: 'participation',
        action: 'withdrawn',
        channel: 'telegram',
        noticeVersion: 1,
        createdAt: now,
      },
    ]);

    await giveConsent(t.deps, { ...who, locale: 'es', ageConfirmed: true, noticeVersion: 1 });
    expect(await findParticipant(t.deps, who)).toMatchObject({ hasConsent: true });
  });

  it('refuses to withdraw twice, adding nothing', async () => {
    const who = await consented();
    await withdrawConsent(t.deps, { participantId: who.participantId, channel: 'webchat' });
    expect(await withdrawConsent(t.deps, { participantId: who.participantId, channel: 'webchat' })).toEqual({
      ok: false,
      reason: 'not-consented',
    });
    expect(await t.db.consentRecord.count({ where: { participantId: who.participantId } })).toBe(2);
  });

  it('refuses for someone who never consented', async () => {
    expect(await withdrawConsent(t.deps, { participantId: randomUUID(), channel: 'webchat' })).toEqual({
      ok: false,
      reason: 'not-consented',
    });
  });

  it('keeps what the participant published', async () => {
    const who = await consented();
    const process = await createProcess(t.db);
    const id = await createProposal(t.db, process, { authorId: who.participantId });
    await withdrawConsent(t.deps, { participantId: who.participantId, channel: 'webchat' });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      authorId: who.participantId,
      status: 'published',
    });
  });
});
