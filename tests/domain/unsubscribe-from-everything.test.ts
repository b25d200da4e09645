import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../src/generated/prisma/enums.ts';
import { giveUpdatesConsent } from '../../src/domain/give-updates-consent.ts';
import { unsubscribeFromEverything } from '../../src/domain/unsubscribe-from-everything.ts';
import { createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let a: ProcessFixture;
let b: ProcessFixture;
beforeAll(async () => {
  t = await createDomainTest();
  a = await createProcess(t.db);
  b = await createProcess(t.db);
});
afterAll(() => t?.cleanup());

const STATUSES: DeliveryStatus[] = ['pending', 'queued', 'sent', 'waiting', 'failed', 'blocked', 'skipped'];

/** A subscriber of both processes with the `updates` consent, and one delivery in each status. */
async function subscriberWithDeliveries() {
  const who = await createParticipant(t.db);
  await giveUpdatesConsent(t.deps, { participantId: who.id, channel: 'webchat' });
  await t.db.subscription.createMany({
    data: [
      { participantId: who.id, processId: a.id },
      { participantId: who.id, processId: b.id },
    ],
  });
  const deliveries = new Map<DeliveryStatus, bigint>();
  for (const status of STATUSES) {
    const broadcast = await t.db.broadcast.create({
      data: {
        processId: status === 'queued' ? b.id : a.id,
        texts: { es: 'Hola' },
        audience: {},
        status: 'sending',
      },
    });
    const d = await t.db.broadcastDelivery.create({
      data: { broadcastId: broadcast.id, participantId: who.id, channel: 'webchat', locale: 'es', status },
    });
    deliveries.set(status, d.id);
  }
  return { ...who, deliveries };
}

const statusesOf = async (participantId: string) =>
  Object.fromEntries(
    (await t.db.broadcastDelivery.findMany({ where: { participantId }, include: { broadcast: true } })).map(
      (d) => [d.id.toString(), d.status],
    ),
  );

describe('unsubscribeFromEverything', () => {
  it('removes every subscription, withdraws the `updates` consent and skips what is not sent yet', async () => {
    const who = await subscriberWithDeliveries();
    const bystander = await subscriberWithDeliveries();
    const now = new Date('2026-05-04T12:00:00Z');
    expect(
      await unsubscribeFromEverything(t.at(now), { participantId: who.id, channel: 'telegram' }),
    ).toEqual({
      ok: true,
      subscriptions: 2,
      consentWithdrawn: true,
      skippedDeliveries: 2,
      follows: 0,
    });
    expect(await t.db.subscription.count({ where: { participantId: who.id } })).toBe(0);
    const ledger = await t.db.consentRecord.findMany({
      where: { participantId: who.id },
      orderBy: { id: 'asc' },
    });
    expect(ledger).toMatchObject([
      { purpose: 'participation', action: 'given' },
      { purpose: 'updates', action: 'given' },
      { purpose: 'updates', action: 'withdrawn', channel: 'telegram', noticeVersion: 1, createdAt: now },
    ]);
    // Pending and queued become skipped; what already went out (or failed, or was blocked) stays as it was.
    const id = (s: DeliveryStatus) => who.deliveries.get(s)!.toString();
    expect(await statusesOf(who.id)).toEqual({
      [id('pending')]: 'skipped',
      [id('queued')]: 'skipped',
      [id('sent')]: 'sent',
      [id('waiting')]: 'waiting',
      [id('failed')]: 'failed',
      [id('blocked')]: 'blocked',
      [id('skipped')]: 'skipped',
    });
    // Participation is untouched, and nobody else is affected.
    expect(Object.values(await statusesOf(bystander.id)).sort()).toEqual([...STATUSES].sort());
    expect(await t.db.subscription.count({ where: { participantId: bystander.id } })).toBe(2);
  });

  it('with nothing to end, changes nothing and writes no ledger row', async () => {
    const who = await createParticipant(t.db);
    expect(await unsubscribeFromEverything(t.deps, { participantId: who.id, channel: 'webchat' })).toEqual({
      ok: true,
      subscriptions: 0,
      consentWithdrawn: false,
      skippedDeliveries: 0,
      follows: 0,
    });
    expect(await t.db.consentRecord.count({ where: { participantId: who.id } })).toBe(1);
  });

  it('twice: the second time there is nothing left', async () => {
    const who = await subscriberWithDeliveries();
    await unsubscribeFromEverything(t.deps, { participantId: who.id, channel: 'webchat' });
    expect(await unsubscribeFromEverything(t.deps, { participantId: who.id, channel: 'webchat' })).toEqual({
      ok: true,
      subscriptions: 0,
      consentWithdrawn: false,
      skippedDeliveries: 0,
      follows: 0,
    });
    expect(await t.db.consentRecord.count({ where: { participantId: who.id, purpose: 'updates' } })).toBe(2);
  });
});
