// Workshops and events tell the people concerned, once per person and happening (the event key names it):
//   event-reminder   the day before: everyone with a place (not the waiting list, not those who cancelled),
//                    while the event is on and still starts at the time reminded of;
//   event-changed    its date, time or place changed: everyone registered or waiting;
//   event-cancelled  it was called off: everyone registered or waiting;
//   event-promoted   a freed place went to the first of the waiting list: that person, while the place is theirs.
// These are about the person's own registration, so their participation consent is what counts (as for an
// author's own proposal); «baja» does not silence them. Recording and channel: notices.ts.
import type { DomainDeps } from './deps.ts';
import { recordNotices, type NoticeEvent, type PendingNotice } from './notices.ts';

export type EventNoticeJob =
  | { kind: 'event-reminder' | 'event-changed'; eventId: number; at: number }
  | { kind: 'event-cancelled'; eventId: number }
  | { kind: 'event-promoted'; eventId: number; registrationId: number; at: number };

export async function recordEventNotices(
  deps: Pick<DomainDeps, 'db'>,
  job: EventNoticeJob,
): Promise<PendingNotice[]> {
  const event = await deps.db.event.findUnique({
    where: { id: job.eventId },
    select: { status: true, startsAt: true },
  });
  if (!event) return [];
  let people: { participantId: string; id: number }[];
  let eventKey: string;
  switch (job.kind) {
    case 'event-reminder':
      if (event.status !== 'scheduled' || event.startsAt.getTime() !== job.at) return [];
      people = await registrations(deps, job.eventId, ['registered']);
      eventKey = `event-reminder:${job.eventId}:${job.at}`;
      break;
    case 'event-changed':
      if (event.status !== 'scheduled') return [];
      people = await registrations(deps, job.eventId, ['registered', 'waitlisted']);
      eventKey = `event-changed:${job.eventId}:${job.at}`;
      break;
    case 'event-cancelled':
      if (event.status !== 'cancelled') return [];
      people = await registrations(deps, job.eventId, ['registered', 'waitlisted']);
      eventKey = `event-cancelled:${job.eventId}`;
      break;
    case 'event-promoted': {
      const r = await deps.db.eventRegistration.findUnique({
        where: { id: job.registrationId },
        select: { id: true, eventId: true, participantId: true, status: true, confirmedAt: true },
      });
      if (
        event.status !== 'scheduled' ||
        r?.eventId !== job.eventId ||
        r.status !== 'registered' ||
        r.confirmedAt?.getTime() !== job.at
      )
        return [];
      people = [{ participantId: r.participantId, id: r.id }];
      eventKey = `event-promoted:${job.registrationId}:${job.at}`;
      break;
    }
  }
  const events: NoticeEvent[] = people.map((p) => ({
    participantId: p.participantId,
    kind: job.kind,
    eventKey,
    // A reminder carries the start it reminds of: shown only while the event still starts then.
    payload: {
      eventId: job.eventId,
      registrationId: p.id,
      ...(job.kind === 'event-reminder' ? { at: job.at } : {}),
    } as Record<string, number>,
  }));
  return recordNotices(deps, events);
}

function registrations(
  deps: Pick<DomainDeps, 'db'>,
  eventId: number,
  statuses: ('registered' | 'waitlisted')[],
): Promise<{ participantId: string; id: number }[]> {
  return deps.db.eventRegistration.findMany({
    where: { eventId, status: { in: statuses } },
    select: { participantId: true, id: true },
    orderBy: { id: 'asc' },
  });
}

/** The time zone of an event's process (Europe/Madrid when unknown), for quiet hours and dates. */
export async function eventTimeZone(
  deps: Pick<DomainDeps, 'db'>,
  input: { eventId: number },
): Promise<string> {
  const e = await deps.db.event.findUnique({
    where: { id: input.eventId },
    select: { process: { select: { timeZone: true } } },
  });
  return e?.process.timeZone ?? 'Europe/Madrid';
}
