// Merging two participants' event registrations (merge-participants), through the whole linking
// (link-accounts.test.ts covers the rest of the merge): the better of two registrations stays, a place given
// up goes to the waiting list, and both are decided on the statuses as they are under the event's lock.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelEventRegistration,
  cancelRegistrationOfLockedEvent,
} from '../../src/domain/cancel-event-registration.ts';
import { claimLinkCode } from '../../src/domain/claim-link-code.ts';
import { confirmLinkClaim } from '../../src/domain/confirm-link-claim.ts';
import { createLinkCode } from '../../src/domain/create-link-code.ts';
import { lockEvent } from '../../src/domain/events.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { createParticipant, createProcess } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';
import { registerInOrder, registrationStatuses } from './event-registrations.ts';
import { holdTransaction, untilWaitingForALock } from './held-transaction.ts';

let t: DomainTest;
let processId: number;
beforeAll(async () => {
  t = await createDomainTest();
  processId = (await createProcess(t.db, { phase: 'proposals' })).id;
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

/**
 * Two people to link: `older` (Telegram) shows a code, `newer` types it on the web chat. Returns the last
 * step, the older one confirming, which merges the newer into the older.
 */
async function twoToLink() {
  const older = await person('telegram', new Date(Date.now() - DAY));
  const newer = await person('webchat');
  const code = await createLinkCode(t.deps, { participantId: older, channel: 'telegram' });
  if (!code.ok) throw new Error(code.reason);
  const claim = await claimLinkCode(t.deps, { participantId: newer, channel: 'webchat', code: code.code });
  if (!claim.ok) throw new Error(claim.reason);
  const confirm = () =>
    confirmLinkClaim(t.deps, { participantId: older, channel: 'telegram', digits: claim.checkDigits });
  return { older, newer, confirm };
}

const newEvent = async (capacity: number) =>
  (
    await t.db.event.create({
      data: {
        processId,
        kind: 'workshop',
        title: { es: 'Taller de movilidad' },
        place: 'Centro cívico Norte',
        startsAt: new Date(Date.now() + 3 * DAY),
        capacity,
      },
    })
  ).id;
const register = (eventId: number, ...ids: string[]) => registerInOrder(t, eventId, ...ids);
const statuses = (eventId: number) => registrationStatuses(t, eventId);
/** The `event-promoted` jobs queued for the event since `from` (an index into t.notified). */
const promotedJobs = (eventId: number, from: number) =>
  t.notified.slice(from).filter((j) => j.kind === 'event-promoted' && j.eventId === eventId);
const registrationOf = (eventId: number, participantId: string) =>
  t.db.eventRegistration.findUniqueOrThrow({ where: { eventId_participantId: { eventId, participantId } } });

describe('merging event registrations', () => {
  it('two places in one event: one stays, the other goes to the next in line, who is told', async () => {
    const { older, newer, confirm } = await twoToLink();
    const eventId = await newEvent(2);
    const next = (await createParticipant(t.db)).id;
    await register(eventId, newer, older, next);
    const from = t.notified.length;

    expect(await confirm()).toMatchObject({ ok: true, participantId: older, mergedId: newer });
    expect(await statuses(eventId)).toEqual([
      [older, 'registered'],
      [next, 'registered'],
    ]);
    const promoted = await registrationOf(eventId, next);
    expect(promotedJobs(eventId, from)).toEqual([
      { kind: 'event-promoted', eventId, registrationId: promoted.id, at: promoted.confirmedAt!.getTime() },
    ]);
  });

  it('a waiting-list spot that became a place before the linking counts as the place it is', async () => {
    const { older, newer, confirm } = await twoToLink();
    const eventId = await newEvent(2);
    const [first, next] = [(await createParticipant(t.db)).id, (await createParticipant(t.db)).id];
    await register(eventId, older, first, newer, next);
    await cancelEventRegistration(t.deps, { participantId: first, eventId });
    const from = t.notified.length;

    expect(await confirm()).toMatchObject({ ok: true });
    expect(await statuses(eventId)).toEqual([
      [older, 'registered'],
      [first, 'cancelled'],
      [next, 'registered'],
    ]);
    expect(promotedJobs(eventId, from)).toHaveLength(1);
  });

  it('a waiting-list spot promoted while the merge waits for the event: the place it frees goes to the next in line', async () => {
    const { older, newer, confirm } = await twoToLink();
    const eventId = await newEvent(2);
    const [first, next] = [(await createParticipant(t.db)).id, (await createParticipant(t.db)).id];
    await register(eventId, older, first, newer, next);
    // `first` cancels, as cancelEventRegistration does, and the newer one gets the place; that transaction
    // stays open until the merge has read the newer one's registrations (still waiting) and waits for the
    // event.
    const cancellation = await holdTransaction(t.db, async (tx) => {
      const event = await lockEvent(tx, eventId);
      const r = await cancelRegistrationOfLockedEvent(tx, event!, first, new Date());
      expect(r).toMatchObject({ ok: true, was: 'registered', promoted: [expect.anything()] });
    });
    const from = t.notified.length;
    const merge = confirm();
    await untilWaitingForALock(t.db);
    await cancellation.commit();

    expect(await merge).toMatchObject({ ok: true, participantId: older, mergedId: newer });
    expect(await statuses(eventId)).toEqual([
      [older, 'registered'],
      [first, 'cancelled'],
      [next, 'registered'],
    ]);
    const promoted = await registrationOf(eventId, next);
    expect(promotedJobs(eventId, from)).toEqual([expect.objectContaining({ registrationId: promoted.id })]);
  });

  it("a place cancelled while the merge waits for the event: the other's waiting-list spot stays", async () => {
    const { older, newer, confirm } = await twoToLink();
    const eventId = await newEvent(1);
    const next = (await createParticipant(t.db)).id;
    await register(eventId, newer, next, older);
    // The newer one cancels their place (from the web chat, as the linking is confirmed on Telegram).
    const cancellation = await holdTransaction(t.db, async (tx) => {
      const event = await lockEvent(tx, eventId);
      const r = await cancelRegistrationOfLockedEvent(tx, event!, newer, new Date());
      expect(r).toMatchObject({ ok: true, was: 'registered', promoted: [expect.anything()] });
    });
    const merge = confirm();
    await untilWaitingForALock(t.db);
    await cancellation.commit();

    expect(await merge).toMatchObject({ ok: true, participantId: older, mergedId: newer });
    expect(await statuses(eventId)).toEqual([
      [next, 'registered'],
      [older, 'waitlisted'],
    ]);
    expect(await registerForEvent(t.deps, { participantId: older, eventId })).toEqual({
      ok: false,
      reason: 'already-registered',
      status: 'waitlisted',
      position: 1,
    });
  });
});
