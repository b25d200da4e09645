// Workshops and events: capacity under concurrency, the waiting list's order, promotion when a place is
// freed, idempotent registration, refusals of cancelled and started events, staff changes and the workshop
// outcome recorded as a proposal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelEvent } from '../../src/domain/cancel-event.ts';
import { cancelEventRegistration } from '../../src/domain/cancel-event-registration.ts';
import { createEvent } from '../../src/domain/create-event.ts';
import { getEvent } from '../../src/domain/get-event.ts';
import { listEvents } from '../../src/domain/list-events.ts';
import { listMyEventRegistrations } from '../../src/domain/list-my-event-registrations.ts';
import { recordWorkshopProposal } from '../../src/domain/record-workshop-proposal.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { updateEvent } from '../../src/domain/update-event.ts';
import {
  createParticipant,
  createProcess,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'proposals' });
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

async function newEvent(
  opts: { capacity?: number; startsIn?: number; kind?: 'workshop' | 'results_event' } = {},
) {
  const r = await createEvent(t.deps, {
    staffMemberId: staff.id,
    processId: process.id,
    kind: opts.kind ?? 'workshop',
    title: { es: 'Taller de movilidad', en: 'Mobility workshop' },
    place: 'Centro cívico Norte',
    startsAt: new Date(Date.now() + (opts.startsIn ?? 3 * DAY)),
    capacity: opts.capacity ?? 2,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.event;
}

const people = (n: number) => Promise.all(Array.from({ length: n }, () => createParticipant(t.db)));

describe('registering', () => {
  it('refuses someone whose participation consent is not in force, and writes nothing', async () => {
    const event = await newEvent({ capacity: 2 });
    const [withdrawn] = await people(1);
    await t.db.consentRecord.create({
      data: {
        participantId: withdrawn!.id,
        purpose: 'participation',
        action: 'withdrawn',
        noticeVersion: 1,
        channel: 'webchat',
      },
    });
    const never = await t.db.participant.create({ data: {}, select: { id: true } });
    for (const who of [withdrawn!.id, never.id])
      expect(await registerForEvent(t.deps, { participantId: who, eventId: event.id })).toEqual({
        ok: false,
        reason: 'not-consented',
      });
    expect(await t.db.eventRegistration.count({ where: { eventId: event.id } })).toBe(0);
  });

  it('under concurrency: 2 × capacity at once → exactly capacity places, the rest waiting 1…n', async () => {
    const capacity = 6;
    const event = await newEvent({ capacity });
    const crowd = await people(2 * capacity);
    const results = await Promise.all(
      crowd.map((p) => registerForEvent(t.deps, { participantId: p.id, eventId: event.id })),
    );
    expect(results.filter((r) => r.ok && r.status === 'registered')).toHaveLength(capacity);
    const waiting = results.filter((r) => r.ok && r.status === 'waitlisted') as { position: number }[];
    expect(waiting.map((r) => r.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await getEvent(t.deps, { eventId: event.id })).toMatchObject({
      registered: capacity,
      waitlisted: capacity,
      placesLeft: 0,
    });
    // Each one's position is their place in arrival order as stored.
    const line = await t.db.eventRegistration.findMany({
      where: { eventId: event.id, status: 'waitlisted' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const positionOf = new Map(crowd.map((p, i) => [p.id, (results[i] as { position?: number }).position]));
    expect(line.map((r) => positionOf.get(r.participantId))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps the waiting list in arrival order and promotes the earliest when a place is freed', async () => {
    const event = await newEvent({ capacity: 1 });
    const [a, b, c] = await people(3);
    expect(await registerForEvent(t.deps, { participantId: a!.id, eventId: event.id })).toEqual({
      ok: true,
      status: 'registered',
    });
    expect(await registerForEvent(t.deps, { participantId: b!.id, eventId: event.id })).toEqual({
      ok: true,
      status: 'waitlisted',
      position: 1,
    });
    expect(await registerForEvent(t.deps, { participantId: c!.id, eventId: event.id })).toEqual({
      ok: true,
      status: 'waitlisted',
      position: 2,
    });
    t.notified.length = 0;
    expect(await cancelEventRegistration(t.deps, { participantId: a!.id, eventId: event.id })).toEqual({
      ok: true,
      was: 'registered',
      promoted: 1,
    });
    const rows = await t.db.eventRegistration.findMany({
      where: { eventId: event.id },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.participantId, r.status])).toEqual([
      [a!.id, 'cancelled'],
      [b!.id, 'registered'],
      [c!.id, 'waitlisted'],
    ]);
    const promoted = rows[1]!;
    expect(t.notified).toEqual([
      {
        kind: 'event-promoted',
        eventId: event.id,
        registrationId: promoted.id,
        at: promoted.confirmedAt!.getTime(),
      },
    ]);
    // c is now first in line; a comes back at the end of it.
    expect(await registerForEvent(t.deps, { participantId: a!.id, eventId: event.id })).toEqual({
      ok: true,
      status: 'waitlisted',
      position: 2,
    });
    // Leaving the waiting list frees no place: nobody is promoted.
    t.notified.length = 0;
    expect(await cancelEventRegistration(t.deps, { participantId: c!.id, eventId: event.id })).toEqual({
      ok: true,
      was: 'waitlisted',
      promoted: 0,
    });
    expect(t.notified).toEqual([]);
    expect(await cancelEventRegistration(t.deps, { participantId: c!.id, eventId: event.id })).toEqual({
      ok: false,
      reason: 'not-registered',
    });
  });

  it('is idempotent: registering twice says where the person stands and changes nothing', async () => {
    const event = await newEvent({ capacity: 1 });
    const [a, b] = await people(2);
    await registerForEvent(t.deps, { participantId: a!.id, eventId: event.id });
    await registerForEvent(t.deps, { participantId: b!.id, eventId: event.id });
    expect(await registerForEvent(t.deps, { participantId: a!.id, eventId: event.id })).toEqual({
      ok: false,
      reason: 'already-registered',
      status: 'registered',
    });
    expect(await registerForEvent(t.deps, { participantId: b!.id, eventId: event.id })).toEqual({
      ok: false,
      reason: 'already-registered',
      status: 'waitlisted',
      position: 1,
    });
    expect(await t.db.eventRegistration.count({ where: { eventId: event.id } })).toBe(2);
  });

  it('refuses cancelled, started and unknown events', async () => {
    const event = await newEvent();
    const [a] = await people(1);
    expect(await cancelEvent(t.deps, { staffMemberId: staff.id, eventId: event.id })).toMatchObject({
      ok: true,
    });
    expect(await registerForEvent(t.deps, { participantId: a!.id, eventId: event.id })).toEqual({
      ok: false,
      reason: 'event-cancelled',
    });
    const soon = await newEvent({ startsIn: 60_000 });
    expect(
      await registerForEvent(t.at(new Date(Date.now() + 120_000)), {
        participantId: a!.id,
        eventId: soon.id,
      }),
    ).toEqual({ ok: false, reason: 'event-started' });
    expect(await registerForEvent(t.deps, { participantId: a!.id, eventId: 2_000_000_000 })).toEqual({
      ok: false,
      reason: 'event-not-found',
    });
    expect(await registerForEvent(t.deps, { participantId: a!.id, eventId: -1 })).toEqual({
      ok: false,
      reason: 'event-not-found',
    });
  });
});

describe('listing', () => {
  it("lists a process's upcoming events with places left and where the person stands", async () => {
    const other = await createProcess(t.db);
    const later = await createEvent(t.deps, {
      staffMemberId: staff.id,
      processId: other.id,
      kind: 'results_event',
      title: { es: 'Presentación de resultados' },
      place: 'Ayuntamiento',
      startsAt: new Date(Date.now() + 9 * DAY),
      capacity: 100,
    });
    const sooner = await createEvent(t.deps, {
      staffMemberId: staff.id,
      processId: other.id,
      kind: 'workshop',
      title: { es: 'Taller', en: 'Workshop' },
      place: 'Biblioteca',
      startsAt: new Date(Date.now() + 2 * DAY),
      capacity: 1,
    });
    const gone = await createEvent(t.deps, {
      staffMemberId: staff.id,
      processId: other.id,
      kind: 'workshop',
      title: { es: 'Cancelado' },
      place: 'Biblioteca',
      startsAt: new Date(Date.now() + 3 * DAY),
      capacity: 1,
    });
    if (!later.ok || !sooner.ok || !gone.ok) throw new Error('not created');
    await cancelEvent(t.deps, { staffMemberId: staff.id, eventId: gone.event.id });
    const [a, b] = await people(2);
    await registerForEvent(t.deps, { participantId: b!.id, eventId: sooner.event.id });
    await registerForEvent(t.deps, { participantId: a!.id, eventId: sooner.event.id });
    const listed = await listEvents(t.deps, { processId: other.id, participantId: a!.id });
    expect(listed.map((e) => [e.id, e.placesLeft, e.waitlisted, e.mine])).toEqual([
      [sooner.event.id, 0, 1, { status: 'waitlisted', position: 1 }],
      [later.event.id, 100, 0, undefined],
    ]);
    expect((await listEvents(t.deps, { processId: other.id, include: 'all' })).map((e) => e.id)).toEqual([
      sooner.event.id,
      gone.event.id,
      later.event.id,
    ]);
    expect(await listMyEventRegistrations(t.deps, { participantId: a!.id, locale: 'en' })).toEqual([
      expect.objectContaining({
        eventId: sooner.event.id,
        title: 'Workshop',
        status: 'waitlisted',
        position: 1,
      }),
    ]);
  });
});

describe('staff changes', () => {
  it('a larger capacity moves the waiting list up; a capacity below the places taken is refused', async () => {
    const event = await newEvent({ capacity: 1 });
    const [a, b, c] = await people(3);
    for (const p of [a, b, c]) await registerForEvent(t.deps, { participantId: p!.id, eventId: event.id });
    t.notified.length = 0;
    const grown = await updateEvent(t.deps, { staffMemberId: staff.id, eventId: event.id, capacity: 2 });
    expect(grown).toMatchObject({ ok: true, event: { capacity: 2, registered: 2, waitlisted: 1 } });
    expect(t.notified).toEqual([expect.objectContaining({ kind: 'event-promoted', eventId: event.id })]);
    expect(await updateEvent(t.deps, { staffMemberId: staff.id, eventId: event.id, capacity: 1 })).toEqual({
      ok: false,
      reason: 'capacity-below-registered',
      registered: 2,
    });
    expect(await updateEvent(t.deps, { staffMemberId: staff.id, eventId: event.id, capacity: 2 })).toEqual({
      ok: false,
      reason: 'nothing-to-change',
    });
  });

  it('a new date is told to everyone registered or waiting, resets the reminder, and is audited', async () => {
    const event = await newEvent({ capacity: 1 });
    await t.db.event.update({ where: { id: event.id }, data: { remindedAt: new Date() } });
    t.notified.length = 0;
    const startsAt = new Date(Date.now() + 5 * DAY);
    const r = await updateEvent(t.deps, {
      staffMemberId: staff.id,
      eventId: event.id,
      startsAt,
      place: 'Centro cívico Sur',
      sourceIp: '203.0.113.7',
    });
    expect(r).toMatchObject({ ok: true, event: { startsAt, place: 'Centro cívico Sur', remindedAt: null } });
    expect(t.notified).toEqual([{ kind: 'event-changed', eventId: event.id, at: expect.any(Number) }]);
    expect(
      await t.db.auditLog.findFirst({
        where: { targetType: 'event', targetId: String(event.id), action: 'event.update' },
      }),
    ).toMatchObject({
      actor: `staff:${staff.id}`,
      sourceIp: '203.0.113.7',
      before: { place: 'Centro cívico Norte' },
      after: { place: 'Centro cívico Sur', startsAt: startsAt.toISOString() },
    });
    expect(
      await updateEvent(t.deps, {
        staffMemberId: staff.id,
        eventId: event.id,
        startsAt: new Date(Date.now() - 1000),
      }),
    ).toEqual({ ok: false, reason: 'in-the-past' });
    expect(
      await updateEvent(t.deps, {
        staffMemberId: staff.id,
        eventId: event.id,
        endsAt: new Date(Date.now() + DAY),
      }),
    ).toEqual({ ok: false, reason: 'ends-before-start' });
  });

  it('refuses to change or call off an event once it has started, and tells nobody', async () => {
    const event = await newEvent({ startsIn: 60_000, capacity: 1 });
    const [a, b] = await people(2);
    for (const p of [a, b]) await registerForEvent(t.deps, { participantId: p!.id, eventId: event.id });
    const started = t.at(event.startsAt);
    const laterOn = t.at(new Date(event.startsAt.getTime() + 2 * 3600_000));
    t.notified.length = 0;
    for (const deps of [started, laterOn]) {
      for (const change of [
        { place: 'Centro cívico Sur' },
        { capacity: 2 },
        { startsAt: new Date(event.startsAt.getTime() + DAY) },
        { title: { es: 'Taller de movilidad (2)' } },
      ])
        expect(await updateEvent(deps, { staffMemberId: staff.id, eventId: event.id, ...change })).toEqual({
          ok: false,
          reason: 'event-started',
        });
      expect(
        await cancelEvent(deps, { staffMemberId: staff.id, eventId: event.id, reason: 'Lluvia' }),
      ).toEqual({ ok: false, reason: 'event-started' });
    }
    expect(await t.db.event.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      status: 'scheduled',
      place: 'Centro cívico Norte',
      capacity: 1,
      startsAt: event.startsAt,
    });
    expect(await t.db.eventRegistration.count({ where: { eventId: event.id, status: 'registered' } })).toBe(
      1,
    );
    expect(
      await t.db.auditLog.count({
        where: { targetType: 'event', targetId: String(event.id), action: { not: 'event.create' } },
      }),
    ).toBe(0);
    expect(t.notified).toEqual([]);
    // A millisecond before its start it is still staff's to change.
    const justBefore = t.at(new Date(event.startsAt.getTime() - 1));
    expect(
      await updateEvent(justBefore, {
        staffMemberId: staff.id,
        eventId: event.id,
        place: 'Centro cívico Sur',
      }),
    ).toMatchObject({ ok: true, event: { place: 'Centro cívico Sur' } });
  });

  it('refuses moderators, bad fields, and changes to a cancelled event', async () => {
    const mod = await createStaffMember(t.db, { role: 'moderator' });
    const base = {
      processId: process.id,
      kind: 'workshop' as const,
      title: { es: 'Taller' },
      place: 'Aquí',
      startsAt: new Date(Date.now() + DAY),
      capacity: 5,
    };
    expect(await createEvent(t.deps, { ...base, staffMemberId: mod.id })).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(await createEvent(t.deps, { ...base, staffMemberId: staff.id, capacity: 0 })).toEqual({
      ok: false,
      reason: 'invalid',
      field: 'capacity',
    });
    expect(await createEvent(t.deps, { ...base, staffMemberId: staff.id, title: { es: '  ' } })).toEqual({
      ok: false,
      reason: 'invalid',
      field: 'title.es',
    });
    expect(
      await createEvent(t.deps, { ...base, staffMemberId: staff.id, startsAt: new Date(Date.now() - DAY) }),
    ).toEqual({ ok: false, reason: 'in-the-past' });
    expect(await createEvent(t.deps, { ...base, staffMemberId: staff.id, processId: 2_000_000_000 })).toEqual(
      {
        ok: false,
        reason: 'process-not-found',
      },
    );
    const event = await newEvent();
    expect(
      await cancelEvent(t.deps, { staffMemberId: staff.id, eventId: event.id, reason: 'Lluvia' }),
    ).toMatchObject({
      ok: true,
      event: { status: 'cancelled' },
    });
    expect(await cancelEvent(t.deps, { staffMemberId: staff.id, eventId: event.id })).toEqual({
      ok: false,
      reason: 'already-cancelled',
    });
    expect(await updateEvent(t.deps, { staffMemberId: staff.id, eventId: event.id, place: 'Otro' })).toEqual({
      ok: false,
      reason: 'event-cancelled',
    });
    expect(t.notified).toContainEqual({ kind: 'event-cancelled', eventId: event.id });
  });
});

describe('staff changes of texts', () => {
  it('merge per language (RFC 7386): one not named is kept, null removes it, Spanish stays', async () => {
    const event = await newEvent();
    const input = { staffMemberId: staff.id, eventId: event.id };
    t.notified.length = 0;
    expect(
      await updateEvent(t.deps, { ...input, title: { es: 'Taller de movilidad sostenible' } }),
    ).toMatchObject({
      ok: true,
      event: { title: { es: 'Taller de movilidad sostenible', en: 'Mobility workshop' } },
    });
    expect(
      await t.db.auditLog.findFirst({
        where: { targetType: 'event', targetId: String(event.id), action: 'event.update' },
      }),
    ).toMatchObject({
      before: { title: { es: 'Taller de movilidad', en: 'Mobility workshop' } },
      after: { title: { es: 'Taller de movilidad sostenible', en: 'Mobility workshop' } },
    });
    expect(
      await updateEvent(t.deps, { ...input, title: { en: ' Sustainable mobility workshop ' } }),
    ).toMatchObject({
      ok: true,
      event: { title: { es: 'Taller de movilidad sostenible', en: 'Sustainable mobility workshop' } },
    });
    const removed = await updateEvent(t.deps, { ...input, title: { en: null } });
    expect(removed.ok && removed.event.title).toEqual({ es: 'Taller de movilidad sostenible' });
    // A description made from nothing needs its Spanish; then English merges into it; null removes it.
    expect(await updateEvent(t.deps, { ...input, description: { en: 'Bring ideas.' } })).toEqual({
      ok: false,
      reason: 'invalid',
      field: 'description.es',
    });
    expect(await updateEvent(t.deps, { ...input, description: { es: 'Traed ideas.' } })).toMatchObject({
      ok: true,
      event: { description: { es: 'Traed ideas.' } },
    });
    expect(await updateEvent(t.deps, { ...input, description: { en: 'Bring ideas.' } })).toMatchObject({
      ok: true,
      event: { description: { es: 'Traed ideas.', en: 'Bring ideas.' } },
    });
    for (const [change, field] of [
      [{ title: { es: null } }, 'title.es'],
      [{ title: { es: '  ' } }, 'title.es'],
      [{ description: { es: null, en: 'Only English' } }, 'description.es'],
      [{ title: { en: 'x'.repeat(201) } }, 'title.en'],
    ] as const)
      expect(await updateEvent(t.deps, { ...input, ...change }), field).toEqual({
        ok: false,
        reason: 'invalid',
        field,
      });
    expect(await updateEvent(t.deps, { ...input, title: {}, description: { en: 'Bring ideas.' } })).toEqual({
      ok: false,
      reason: 'nothing-to-change',
    });
    expect(await updateEvent(t.deps, { ...input, description: null })).toMatchObject({
      ok: true,
      event: { description: null },
    });
    // Texts are no news for the people registered.
    expect(t.notified).toEqual([]);
  });
});

describe('workshop outcomes', () => {
  it('are proposals without author, marked with the workshop, moderated as the process says', async () => {
    const event = await newEvent({ startsIn: 60_000 });
    const after = t.at(new Date(Date.now() + 2 * 3600_000));
    const input = {
      staffMemberId: staff.id,
      eventId: event.id,
      title: 'Carril bici en la avenida',
      body: 'El grupo del taller propone un carril bici protegido en toda la avenida.',
      sourceIp: '198.51.100.4',
    };
    expect(await recordWorkshopProposal(t.deps, input)).toEqual({ ok: false, reason: 'not-held-yet' });
    const pre = await recordWorkshopProposal(after, input);
    expect(pre).toMatchObject({ ok: true, proposal: { status: 'pending', eventId: event.id } });
    if (!pre.ok) throw new Error(pre.reason);
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: pre.proposal.id } })).toMatchObject({
      authorId: null,
      eventId: event.id,
      status: 'pending',
      categoryId: process.categories[0]!.id,
    });
    expect(t.enqueued).toContain(pre.proposal.caseId);
    expect(
      await t.db.auditLog.findFirst({
        where: { action: 'event.proposal', targetId: String(pre.proposal.id) },
      }),
    ).toMatchObject({ actor: `staff:${staff.id}`, sourceIp: '198.51.100.4', after: { eventId: event.id } });

    await t.db.process.update({ where: { id: process.id }, data: { moderationMode: 'post' } });
    try {
      const post = await recordWorkshopProposal(after, { ...input, title: 'Aparcabicis junto al mercado' });
      expect(post).toMatchObject({ ok: true, proposal: { status: 'published' } });
    } finally {
      await t.db.process.update({ where: { id: process.id }, data: { moderationMode: 'pre' } });
    }
    const results = await newEvent({ kind: 'results_event', startsIn: 60_000 });
    expect(await recordWorkshopProposal(after, { ...input, eventId: results.id })).toEqual({
      ok: false,
      reason: 'not-a-workshop',
    });
    expect(await recordWorkshopProposal(after, { ...input, title: 'Corto' })).toEqual({
      ok: false,
      reason: 'invalid',
      field: 'title',
      problem: 'too-short',
    });
    expect(await recordWorkshopProposal(after, { ...input, categoryId: 2_000_000_000 })).toEqual({
      ok: false,
      reason: 'invalid-category',
    });
  });

  it('refuses a title already recorded for the workshop (a request sent twice), naming the first; nothing written', async () => {
    const event = await newEvent({ startsIn: 60_000 });
    const after = t.at(new Date(Date.now() + 2 * 3600_000));
    const input = {
      staffMemberId: staff.id,
      eventId: event.id,
      title: 'Más sombra en el patio del colegio',
      body: 'El grupo propone plantar árboles y poner toldos en el patio del colegio.',
    };
    const first = await recordWorkshopProposal(after, input);
    if (!first.ok) throw new Error(first.reason);
    const id = first.proposal.id;
    const counts = async () => ({
      proposals: await t.db.proposal.count(),
      cases: await t.db.moderationCase.count(),
      audits: await t.db.auditLog.count({ where: { action: 'event.proposal' } }),
      enqueued: t.enqueued.length,
    });
    const before = await counts();
    expect(await recordWorkshopProposal(after, input)).toEqual({ ok: false, reason: 'duplicate', id });
    // Compared as stored (spaces collapsed and trimmed), whatever the case and the body.
    expect(
      await recordWorkshopProposal(after, {
        ...input,
        title: '  más SOMBRA en el   patio del colegio ',
        body: 'Otra redacción de lo mismo que salió del taller del martes.',
      }),
    ).toEqual({ ok: false, reason: 'duplicate', id });
    expect(await counts()).toEqual(before);
    // Another workshop of the process may come to the same idea.
    const other = await newEvent({ startsIn: 60_000 });
    expect(await recordWorkshopProposal(after, { ...input, eventId: other.id })).toMatchObject({ ok: true });
  });

  it('records one proposal when the same outcome is sent several times at once', async () => {
    const event = await newEvent({ startsIn: 60_000 });
    const after = t.at(new Date(Date.now() + 2 * 3600_000));
    const input = {
      staffMemberId: staff.id,
      eventId: event.id,
      title: 'Un banco en cada parada de autobús',
      body: 'Las personas mayores del taller piden poder sentarse mientras esperan.',
    };
    const results = await Promise.all(Array.from({ length: 4 }, () => recordWorkshopProposal(after, input)));
    const made = results.filter((r) => r.ok);
    expect(made).toHaveLength(1);
    const id = made[0]!.ok ? made[0]!.proposal.id : 0;
    expect(results.filter((r) => !r.ok)).toEqual(Array(3).fill({ ok: false, reason: 'duplicate', id }));
    expect(await t.db.proposal.count({ where: { eventId: event.id } })).toBe(1);
  });
});
