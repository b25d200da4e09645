import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { giveConsent } from '../../src/domain/give-consent.ts';
import { giveUpdatesConsent } from '../../src/domain/give-updates-consent.ts';
import { subscribeToProcess } from '../../src/domain/subscribe-to-process.ts';
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
    expect(await findParticipant(t.deps, who)).toMatchObject({
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

  it('ends their subscriptions and `updates` consent, and skips broadcast messages not sent yet', async () => {
    const who = await consented();
    const other = await consented();
    const process = await createProcess(t.db);
    const deliveries: Record<string, bigint> = {};
    for (const p of [who, other]) {
      await giveUpdatesConsent(t.deps, { participantId: p.participantId, channel: 'webchat' });
      await subscribeToProcess(t.deps, { participantId: p.participantId, processId: process.id });
    }
    for (const status of ['pending', 'queued', 'sent'] as const) {
      const b = await t.db.broadcast.create({
        data: { processId: process.id, texts: { es: 'Hola' }, audience: {}, status: 'sending' },
      });
      for (const p of [who, other]) {
        const d = await t.db.broadcastDelivery.create({
          data: {
            broadcastId: b.id,
            participantId: p.participantId,
            channel: 'webchat',
            locale: 'es',
            status,
          },
        });
        deliveries[`${p.participantId}:${status}`] = d.id;
      }
    }
    const now = new Date('2026-04-02T08:00:00Z');
    expect(
      await withdrawConsent(t.at(now), { participantId: who.participantId, channel: 'webchat' }),
    ).toEqual({
      ok: true,
    });

    expect(await t.db.subscription.count({ where: { participantId: who.participantId } })).toBe(0);
    const ledger = await t.db.consentRecord.findMany({
      where: { participantId: who.participantId },
      orderBy: { id: 'asc' },
    });
    expect(ledger.map((r) => [r.purpose, r.action])).toEqual([
      ['participation', 'given'],
      ['updates', 'given'],
      ['participation', 'withdrawn'],
      ['updates', 'withdrawn'],
    ]);
    expect(ledger[3]).toMatchObject({ createdAt: now, channel: 'webchat', noticeVersion: 1 });
    const statusOf = async (p: { participantId: string }, s: string) =>
      (
        await t.db.broadcastDelivery.findUniqueOrThrow({
          where: { id: deliveries[`${p.participantId}:${s}`]! },
        })
      ).status;
    expect([
      await statusOf(who, 'pending'),
      await statusOf(who, 'queued'),
      await statusOf(who, 'sent'),
    ]).toEqual(['skipped', 'skipped', 'sent']);
    // Someone else's subscription and messages are untouched.
    expect(await t.db.subscription.count({ where: { participantId: other.participantId } })).toBe(1);
    expect([
      await statusOf(other, 'pending'),
      await statusOf(other, 'queued'),
      await statusOf(other, 'sent'),
    ]).toEqual(['pending', 'queued', 'sent']);
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
