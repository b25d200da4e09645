// The day-before reminder and the other event notices: two sweeps at once record one reminder per person
// with a place (none for the waiting list or cancelled registrations, none for cancelled or later events);
// the notifications worker delivers them in each person's language, the date in the process's time zone,
// after quiet hours; a place freed goes to the first in line, who is told; a cancellation reaches everyone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelEvent } from '../../src/domain/cancel-event.ts';
import { cancelEventRegistration } from '../../src/domain/cancel-event-registration.ts';
import { createEvent } from '../../src/domain/create-event.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { parseQuietHours } from '../../src/domain/quiet-hours.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { remindUpcomingEvents } from '../../src/domain/remind-upcoming-events.ts';
import { updateEvent } from '../../src/domain/update-event.ts';
import { startEventReminderSweep } from '../../src/queues/events/reminder-sweep.ts';
import { handleNotificationJob, type NoticeSender } from '../../src/queues/notifications/handler.ts';
import {
  createParticipant,
  createProcess,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let process: ProcessFixture;
let staff: { id: string };
const db = () => plaza.database.prisma;
// Monday 4 March 2030, 11:00 in Madrid.
const NOW = new Date('2030-03-04T10:00:00Z');
let domain: DomainDeps;
beforeAll(async () => {
  plaza = await createTestPlaza();
  domain = { ...plaza.domain, now: () => NOW };
  process = await createProcess(db());
  staff = await createStaffMember(db(), { role: 'staff' });
});
afterAll(() => plaza?.cleanup());

const HOUR = 3600_000;

function recorder() {
  const sent: { noticeId: bigint; externalId: string }[] = [];
  const send: NoticeSender = async (noticeId, externalId) => {
    sent.push({ noticeId, externalId });
    return true;
  };
  return { sent, send };
}

async function event(opts: { startsAt: Date; capacity?: number; title?: string; endsAt?: Date }) {
  const r = await createEvent(domain, {
    staffMemberId: staff.id,
    processId: process.id,
    kind: 'workshop',
    title: { es: opts.title ?? 'Taller de movilidad', en: 'Mobility workshop' },
    place: 'Centro cívico Norte',
    startsAt: opts.startsAt,
    endsAt: opts.endsAt,
    capacity: opts.capacity ?? 10,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.event.id;
}

async function person(locale: 'es' | 'en' = 'es') {
  const p = await createParticipant(db(), 'telegram');
  if (locale !== 'es') await db().participant.update({ where: { id: p.id }, data: { locale } });
  return p;
}

const register = (p: { id: string }, eventId: number) =>
  registerForEvent(domain, { participantId: p.id, eventId });
const texts = (sent: { noticeId: bigint; externalId: string }[]) =>
  Promise.all(
    sent.map(async (s): Promise<[string, string | undefined]> => [
      s.externalId,
      (await plaza.engine.render.notice(s.noticeId))?.text,
    ]),
  );

describe('the day-before reminder', () => {
  it('two sweeps at once: one notice per person with a place; none for the waiting list or cancelled ones', async () => {
    // Tuesday 5 March 2030, 18:30–20:30 in Madrid: 31.5 h ahead (not due yet), then 23.5 h ahead.
    const startsAt = new Date('2030-03-05T17:30:00Z');
    const due = await event({ startsAt, capacity: 2, endsAt: new Date('2030-03-05T19:30:00Z') });
    const later = await event({ startsAt: new Date('2030-03-07T17:30:00Z'), title: 'Más tarde' });
    const called = await event({ startsAt, title: 'Cancelado' });
    const [es, en, gone, waiting] = [await person(), await person('en'), await person(), await person()];
    await register(es, due);
    await register(gone, due);
    await cancelEventRegistration(domain, { participantId: gone.id, eventId: due });
    await register(en, due);
    await register(waiting, due);
    await register(es, later);
    await register(es, called);
    await cancelEvent(domain, { staffMemberId: staff.id, eventId: called });

    const early = { ...domain, now: () => new Date(startsAt.getTime() - 31.5 * HOUR) };
    expect((await remindUpcomingEvents(early)).claimed).toEqual([]);
    const evening = { ...domain, now: () => new Date(startsAt.getTime() - 23.5 * HOUR) };
    const [a, b] = await Promise.all([remindUpcomingEvents(evening), remindUpcomingEvents(evening)]);
    expect([...a.claimed, ...b.claimed]).toEqual([due]);
    const notices = await db().notice.findMany({ where: { kind: 'event-reminder' } });
    expect(notices.map((n) => n.participantId).sort()).toEqual([es.id, en.id].sort());
    // A third sweep later records nothing new.
    await remindUpcomingEvents({ ...domain, now: () => new Date(startsAt.getTime() - 2 * HOUR) });
    expect(await db().notice.count({ where: { kind: 'event-reminder' } })).toBe(2);
    expect(
      await plaza.queues.notifications.getJob(`event-reminder-${due}-${startsAt.getTime()}`),
    ).toBeDefined();

    const telegram = recorder();
    const deps = { domain: evening, senders: { telegram: telegram.send } };
    const job = { kind: 'event-reminder' as const, eventId: due, at: startsAt.getTime() };
    expect(await handleNotificationJob(deps, job)).toEqual({ delivered: 2, waiting: 0 });
    await handleNotificationJob(deps, job);
    expect(new Map(await texts(telegram.sent))).toEqual(
      new Map([
        [
          es.externalId,
          '⏰ Recordatorio: tienes plaza en «Taller de movilidad», martes, 5 de marzo, 18:30–20:30, en Centro cívico Norte. Si no puedes ir, cancela tu inscripción en «Talleres y eventos» para dejar la plaza a otra persona.',
        ],
        [
          en.externalId,
          '⏰ Reminder: you have a place in “Mobility workshop”, Tuesday 5 March at 18:30–20:30, at Centro cívico Norte. If you cannot come, cancel your registration in “Workshops and events” to leave the place to someone else.',
        ],
      ]),
    );
  });

  it('waits for the end of quiet hours, and reminds again of a new date', async () => {
    const startsAt = new Date('2030-03-05T08:00:00Z');
    const id = await event({ startsAt });
    const p = await person();
    await register(p, id);
    // 23:30 in Madrid the night before.
    const night = { ...domain, now: () => new Date('2030-03-04T22:30:00Z') };
    expect((await remindUpcomingEvents(night)).claimed).toEqual([id]);
    const telegram = recorder();
    const job = { kind: 'event-reminder' as const, eventId: id, at: startsAt.getTime() };
    const quiet = await handleNotificationJob(
      { domain: night, senders: { telegram: telegram.send }, quietHours: parseQuietHours('22:00-09:00') },
      job,
    );
    expect(quiet).toEqual({ delivered: 0, waiting: 1, deferUntil: new Date('2030-03-05T08:00:00Z') });
    expect(telegram.sent).toEqual([]);

    // Moved to the next day: reminded again for the new date.
    const moved = new Date('2030-03-06T08:00:00Z');
    expect(await updateEvent(night, { staffMemberId: staff.id, eventId: id, startsAt: moved })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(
      (await remindUpcomingEvents({ ...domain, now: () => new Date('2030-03-05T09:00:00Z') })).claimed,
    ).toEqual([id]);
    const [old, current] = await db().notice.findMany({
      where: { participantId: p.id, kind: 'event-reminder' },
      orderBy: { id: 'asc' },
    });
    expect(current).toBeDefined();
    // The reminder of the old date says nothing any more; the new one names the new date.
    expect(await plaza.engine.render.notice(old!.id)).toBeUndefined();
    expect((await plaza.engine.render.notice(current!.id))?.text).toMatch(/miércoles, 6 de marzo, 09:00/);
  });
});

describe('promotion and cancellation notices', () => {
  it('tells the first in line their place, and everyone of a cancelled event', async () => {
    const startsAt = new Date('2030-03-08T17:30:00Z');
    const id = await event({ startsAt, capacity: 1 });
    const [first, second, third] = [await person(), await person('en'), await person()];
    for (const p of [first, second, third]) await register(p, id);
    await cancelEventRegistration(domain, { participantId: first.id, eventId: id });
    const promoted = await db().eventRegistration.findFirstOrThrow({
      where: { eventId: id, participantId: second.id },
    });
    expect(promoted.status).toBe('registered');
    const telegram = recorder();
    const deps = { domain, senders: { telegram: telegram.send } };
    await handleNotificationJob(deps, {
      kind: 'event-promoted',
      eventId: id,
      registrationId: promoted.id,
      at: promoted.confirmedAt!.getTime(),
    });
    expect(await texts(telegram.sent)).toEqual([
      [
        second.externalId,
        '🎉 A place has freed up and it is yours: you are now registered for “Mobility workshop”, Friday 8 March at 18:30, at Centro cívico Norte.',
      ],
    ]);

    telegram.sent.length = 0;
    // The reason staff give is told (as they wrote it, in their language).
    await cancelEvent(domain, { staffMemberId: staff.id, eventId: id, reason: 'Alerta por lluvias.' });
    await handleNotificationJob(deps, { kind: 'event-cancelled', eventId: id });
    expect(new Map(await texts(telegram.sent))).toEqual(
      new Map([
        [
          second.externalId,
          '✖ “Mobility workshop” (Friday 8 March at 18:30) has been cancelled. We are sorry for the inconvenience.\nReason: Alerta por lluvias.',
        ],
        [
          third.externalId,
          '✖ Se ha cancelado «Taller de movilidad» (viernes, 8 de marzo, 18:30). Sentimos las molestias.\nMotivo: Alerta por lluvias.',
        ],
      ]),
    );
  });
});

describe("the worker's sweep", () => {
  it('runs at start and on its interval, and stops', async () => {
    const r = await createEvent(plaza.domain, {
      staffMemberId: staff.id,
      processId: process.id,
      kind: 'workshop',
      title: { es: 'Taller de hoy' },
      place: 'Biblioteca',
      startsAt: new Date(Date.now() + 2 * HOUR),
      capacity: 5,
    });
    if (!r.ok) throw new Error(r.reason);
    const p = await person();
    await registerForEvent(plaza.domain, { participantId: p.id, eventId: r.event.id });
    const sweep = startEventReminderSweep(plaza.domain, plaza.logger, { intervalMs: 50 });
    try {
      await expect
        .poll(() => db().notice.count({ where: { participantId: p.id, kind: 'event-reminder' } }))
        .toBe(1);
      expect((await db().event.findUniqueOrThrow({ where: { id: r.event.id } })).remindedAt).not.toBeNull();
    } finally {
      sweep.stop();
    }
  });
});
