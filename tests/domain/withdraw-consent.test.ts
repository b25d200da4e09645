import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelEvent } from '../../src/domain/cancel-event.ts';
import { cancelEventRegistration } from '../../src/domain/cancel-event-registration.ts';
import { createEvent } from '../../src/domain/create-event.ts';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { giveConsent } from '../../src/domain/give-consent.ts';
import { giveUpdatesConsent } from '../../src/domain/give-updates-consent.ts';
import { recordEventNotices } from '../../src/domain/record-event-notices.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { subscribeToProcess } from '../../src/domain/subscribe-to-process.ts';
import { withdrawConsent } from '../../src/domain/withdraw-consent.ts';
import { createParticipant, createProcess, createProposal, createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';
import { registerInOrder, registrationStatuses } from './event-registrations.ts';

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

describe('withdrawConsent and event registrations', () => {
  let staff: { id: string };
  let processId: number;
  beforeAll(async () => {
    staff = await createStaffMember(t.db, { role: 'staff' });
    processId = (await createProcess(t.db, { phase: 'proposals' })).id;
  });

  async function newEvent(opts: { capacity: number; startsIn?: number }) {
    const r = await createEvent(t.deps, {
      staffMemberId: staff.id,
      processId,
      kind: 'workshop',
      title: { es: 'Taller de movilidad', en: 'Mobility workshop' },
      place: 'Centro cívico Norte',
      startsAt: new Date(Date.now() + (opts.startsIn ?? 3 * DAY)),
      capacity: opts.capacity,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.event;
  }

  const register = (eventId: number, ...ids: string[]) => registerInOrder(t, eventId, ...ids);

  const statuses = (eventId: number) => registrationStatuses(t, eventId);

  it('ends a place in a full upcoming event: the first of the waiting list gets it and is told', async () => {
    const who = await consented();
    const [b, c] = [await createParticipant(t.db), await createParticipant(t.db)];
    const event = await newEvent({ capacity: 1 });
    await register(event.id, who.participantId, b.id, c.id);
    t.notified.length = 0;

    const now = new Date();
    expect(
      await withdrawConsent(t.at(now), { participantId: who.participantId, channel: 'webchat' }),
    ).toEqual({
      ok: true,
      endedRegistrations: 1,
    });

    const rows = await t.db.eventRegistration.findMany({
      where: { eventId: event.id },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.participantId, r.status])).toEqual([
      [who.participantId, 'cancelled'],
      [b.id, 'registered'],
      [c.id, 'waitlisted'],
    ]);
    expect(rows[0]!.cancelledAt).toEqual(now);
    // Told exactly as when someone cancels their own registration.
    const promoted = rows[1]!;
    expect(promoted.confirmedAt).toEqual(now);
    const job = {
      kind: 'event-promoted',
      eventId: event.id,
      registrationId: promoted.id,
      at: now.getTime(),
    } as const;
    expect(t.notified).toEqual([job]);
    const notices = await recordEventNotices(t.deps, job);
    expect(notices).toMatchObject([{ participantId: b.id, externalId: b.externalId }]);
    expect(await t.db.notice.findUniqueOrThrow({ where: { id: notices[0]!.id } })).toMatchObject({
      kind: 'event-promoted',
      participantId: b.id,
    });
  });

  it('takes a waiting-list spot off the list, freeing no place', async () => {
    const who = await consented();
    const [a, c] = [await createParticipant(t.db), await createParticipant(t.db)];
    const event = await newEvent({ capacity: 1 });
    await register(event.id, a.id, who.participantId, c.id);
    t.notified.length = 0;

    expect(await withdrawConsent(t.deps, { participantId: who.participantId, channel: 'webchat' })).toEqual({
      ok: true,
      endedRegistrations: 1,
    });
    expect(await statuses(event.id)).toEqual([
      [a.id, 'registered'],
      [who.participantId, 'cancelled'],
      [c.id, 'waitlisted'],
    ]);
    expect(t.notified).toEqual([]);
    // c is first in line now.
    expect(await registerForEvent(t.deps, { participantId: c.id, eventId: event.id })).toMatchObject({
      status: 'waitlisted',
      position: 1,
    });
  });

  it('counts every registration ended, in several events', async () => {
    const who = await consented();
    const first = await newEvent({ capacity: 5 });
    const second = await newEvent({ capacity: 5, startsIn: 4 * DAY });
    await register(first.id, who.participantId);
    await register(second.id, who.participantId);
    expect(await withdrawConsent(t.deps, { participantId: who.participantId, channel: 'webchat' })).toEqual({
      ok: true,
      endedRegistrations: 2,
    });
    expect(
      await t.db.eventRegistration.count({
        where: { participantId: who.participantId, status: 'cancelled' },
      }),
    ).toBe(2);
  });

  it('leaves registrations of started, past and cancelled events as they are', async () => {
    const who = await consented();
    const b = await createParticipant(t.db);
    const soon = await newEvent({ capacity: 1, startsIn: 10 * 60_000 });
    const off = await newEvent({ capacity: 1 });
    await register(soon.id, who.participantId, b.id);
    await register(off.id, who.participantId, b.id);
    expect(await cancelEvent(t.deps, { staffMemberId: staff.id, eventId: off.id })).toMatchObject({
      ok: true,
    });
    t.notified.length = 0;

    const withdrawAt = (at: Date) =>
      withdrawConsent(t.at(at), { participantId: who.participantId, channel: 'webchat' });
    // `soon` started ten minutes ago; `off` was cancelled.
    expect(await withdrawAt(new Date(Date.now() + 20 * 60_000))).toEqual({ ok: true });
    expect(await statuses(soon.id)).toEqual([
      [who.participantId, 'registered'],
      [b.id, 'waitlisted'],
    ]);
    expect(await statuses(off.id)).toEqual([
      [who.participantId, 'registered'],
      [b.id, 'waitlisted'],
    ]);
    expect(t.notified).toEqual([]);
  });

  it('without registrations to come, the result is unchanged (a cancelled one stays cancelled)', async () => {
    const who = await consented();
    const event = await newEvent({ capacity: 2 });
    await register(event.id, who.participantId);
    await cancelEventRegistration(t.deps, { participantId: who.participantId, eventId: event.id });
    const before = await t.db.eventRegistration.findMany({ where: { participantId: who.participantId } });
    expect(await withdrawConsent(t.deps, { participantId: who.participantId, channel: 'webchat' })).toEqual({
      ok: true,
    });
    expect(await t.db.eventRegistration.findMany({ where: { participantId: who.participantId } })).toEqual(
      before,
    );
  });

  it('under concurrency: withdrawals, registrations and cancellations in the same events all finish', async () => {
    // Every lock taken in the order the use cases document: a deadlock would fail one of these calls.
    const events = [await newEvent({ capacity: 2 }), await newEvent({ capacity: 2, startsIn: 5 * DAY })];
    const leaving = [await consented(), await consented()];
    const third = await newEvent({ capacity: 2 });
    const others = await Promise.all(Array.from({ length: 4 }, () => createParticipant(t.db)));
    for (const e of events) await register(e.id, ...leaving.map((p) => p.participantId), others[0]!.id);
    const results = await Promise.all([
      ...leaving.map((p) => withdrawConsent(t.deps, { participantId: p.participantId, channel: 'webchat' })),
      // One of them, from another linked channel, registering for a third event at the same moment.
      registerForEvent(t.deps, { participantId: leaving[0]!.participantId, eventId: third.id }),
      ...events.flatMap((e) => [
        ...others.slice(1).map((p) => registerForEvent(t.deps, { participantId: p.id, eventId: e.id })),
        cancelEventRegistration(t.deps, { participantId: others[0]!.id, eventId: e.id }),
      ]),
    ]);
    expect(results[1]).toEqual({ ok: true, endedRegistrations: 2 });
    // The registration for the third event either committed first (and the withdrawal ended it too) or waited
    // for the withdrawal and was refused: either way no registration outlives the consent.
    const late = results[2] as Awaited<ReturnType<typeof registerForEvent>>;
    expect([
      { ok: true, status: 'registered' },
      { ok: false, reason: 'not-consented' },
    ]).toContainEqual(late);
    expect(results[0]).toEqual({ ok: true, endedRegistrations: late.ok ? 3 : 2 });
    expect(
      await t.db.eventRegistration.count({
        where: {
          participantId: { in: leaving.map((p) => p.participantId) },
          status: { in: ['registered', 'waitlisted'] },
        },
      }),
    ).toBe(0);
    for (const e of events) {
      const rows = await t.db.eventRegistration.findMany({ where: { eventId: e.id } });
      const count = (s: string) => rows.filter((r) => r.status === s).length;
      // Both places went to the waiting list, nobody beyond capacity.
      expect(count('registered')).toBe(2);
      expect(count('waitlisted')).toBe(1);
      expect(
        rows.filter((r) => leaving.some((p) => p.participantId === r.participantId)).map((r) => r.status),
      ).toEqual(['cancelled', 'cancelled']);
    }
  });
});
