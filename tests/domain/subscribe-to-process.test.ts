import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveUpdatesConsent } from '../../src/domain/give-updates-consent.ts';
import { subscribeToProcess } from '../../src/domain/subscribe-to-process.ts';
import { unsubscribeFromEverything } from '../../src/domain/unsubscribe-from-everything.ts';
import { withdrawConsent } from '../../src/domain/withdraw-consent.ts';
import { createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db);
});
afterAll(() => t?.cleanup());

const subscriptionsOf = (participantId: string) => t.db.subscription.findMany({ where: { participantId } });

async function withUpdatesConsent() {
  const who = await createParticipant(t.db);
  const r = await giveUpdatesConsent(t.deps, { participantId: who.id, channel: 'webchat' });
  if (!r.ok) throw new Error(r.reason);
  return who;
}

describe('subscribeToProcess', () => {
  it('asks for the `updates` consent first: participation alone is not enough', async () => {
    const who = await createParticipant(t.db);
    expect(await subscribeToProcess(t.deps, { participantId: who.id, processId: process.id })).toEqual({
      ok: false,
      reason: 'updates-consent-needed',
    });
    expect(await subscriptionsOf(who.id)).toEqual([]);
  });

  it('subscribes once the `updates` consent stands; twice is fine', async () => {
    const who = await withUpdatesConsent();
    const now = new Date('2026-05-03T09:00:00Z');
    expect(await subscribeToProcess(t.at(now), { participantId: who.id, processId: process.id })).toEqual({
      ok: true,
      outcome: 'subscribed',
    });
    expect(await subscribeToProcess(t.deps, { participantId: who.id, processId: process.id })).toEqual({
      ok: true,
      outcome: 'already-subscribed',
    });
    expect(await subscriptionsOf(who.id)).toEqual([
      { participantId: who.id, processId: process.id, createdAt: now },
    ]);
  });

  it('asks again after «baja» withdrew the `updates` consent', async () => {
    const who = await withUpdatesConsent();
    await unsubscribeFromEverything(t.deps, { participantId: who.id, channel: 'webchat' });
    expect(await subscribeToProcess(t.deps, { participantId: who.id, processId: process.id })).toEqual({
      ok: false,
      reason: 'updates-consent-needed',
    });
  });

  it('refuses someone whose participation consent was withdrawn, or who never gave it', async () => {
    const who = await withUpdatesConsent();
    await withdrawConsent(t.deps, { participantId: who.id, channel: 'webchat' });
    expect(await subscribeToProcess(t.deps, { participantId: who.id, processId: process.id })).toEqual({
      ok: false,
      reason: 'not-consented',
    });
    expect(await subscribeToProcess(t.deps, { participantId: randomUUID(), processId: process.id })).toEqual({
      ok: false,
      reason: 'not-consented',
    });
    expect(await subscriptionsOf(who.id)).toEqual([]);
  });

  it.each([0, -1, 1.5, 2_147_483_648, 999_999])('answers process-not-found for process %s', async (id) => {
    const who = await withUpdatesConsent();
    expect(await subscribeToProcess(t.deps, { participantId: who.id, processId: id })).toEqual({
      ok: false,
      reason: 'process-not-found',
    });
  });

  it('never leaves a subscription behind a withdrawal running at the same time', async () => {
    for (let i = 0; i < 10; i++) {
      const who = await withUpdatesConsent();
      await Promise.all([
        subscribeToProcess(t.deps, { participantId: who.id, processId: process.id }),
        withdrawConsent(t.deps, { participantId: who.id, channel: 'webchat' }),
      ]);
      expect(await subscriptionsOf(who.id)).toEqual([]);
    }
  });
});
