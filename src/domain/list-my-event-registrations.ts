// "My registrations": the upcoming workshops and events a participant has a place in or waits for, soonest
// first, with the title in their language, when (and the process's time zone), where, and their place in
// the waiting list.
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';
import { isUuid } from './staff-members.ts';

export interface MyEventRegistration {
  eventId: number;
  processId: number;
  title: string;
  place: string;
  startsAt: Date;
  endsAt: Date | null;
  timeZone: string;
  status: 'registered' | 'waitlisted';
  /** In the waiting list: 1 = next to get a freed place. */
  position?: number;
}

export async function listMyEventRegistrations(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; locale: Locale },
): Promise<MyEventRegistration[]> {
  if (!isUuid(input.participantId)) return [];
  const rows = await deps.db.$queryRaw<
    {
      eventId: number;
      processId: number;
      title: unknown;
      place: string;
      startsAt: Date;
      endsAt: Date | null;
      timeZone: string;
      status: 'registered' | 'waitlisted';
      position: number | null;
    }[]
  >`
    SELECT e.id AS "eventId", e."processId", e.title, e.place, e."startsAt", e."endsAt", p."timeZone",
      r.status::text AS status,
      CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int FROM "EventRegistration" w
        WHERE w."eventId" = r."eventId" AND w.status = 'waitlisted'
          AND (w."createdAt", w.id) <= (r."createdAt", r.id)) END AS position
    FROM "EventRegistration" r JOIN "Event" e ON e.id = r."eventId" JOIN "Process" p ON p.id = e."processId"
    WHERE r."participantId" = ${input.participantId}::uuid AND r.status IN ('registered', 'waitlisted')
      AND e.status = 'scheduled' AND e."startsAt" > ${deps.now()}
    ORDER BY e."startsAt", e.id
    LIMIT 50`;
  return rows.map((r) => ({
    eventId: r.eventId,
    processId: r.processId,
    title: pickText(r.title, input.locale),
    place: r.place,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    timeZone: r.timeZone,
    status: r.status,
    ...(r.status === 'waitlisted' && r.position !== null ? { position: r.position } : {}),
  }));
}
