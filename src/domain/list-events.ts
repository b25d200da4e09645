// A process's events, soonest first: by default the upcoming ones people can still register for (scheduled,
// not started), each with its places left and waiting list; `include: 'all'` (staff) adds past and
// cancelled ones. With a participant, each says where that person stands (registered, waiting — and their
// place in the line — or nothing).
import type { RegistrationStatus } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import { eventSelect, toEventViews, type EventView } from './events.ts';
import { isDbId } from './ids.ts';
import { isUuid } from './staff-members.ts';

export const MAX_EVENTS_LISTED = 50;

export interface ListedEvent extends EventView {
  /** The participant's registration, when one was asked about and they have an active one. */
  mine?: { status: Exclude<RegistrationStatus, 'cancelled'>; position?: number };
}

export async function listEvents(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { processId: number; include?: 'upcoming' | 'all'; participantId?: string },
): Promise<ListedEvent[]> {
  if (!isDbId(input.processId)) return [];
  const rows = await deps.db.event.findMany({
    where: {
      processId: input.processId,
      ...(input.include === 'all' ? {} : { status: 'scheduled', startsAt: { gt: deps.now() } }),
    },
    orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    take: MAX_EVENTS_LISTED,
    select: eventSelect,
  });
  const views: ListedEvent[] = await toEventViews(deps.db, rows);
  if (!input.participantId || !isUuid(input.participantId) || views.length === 0) return views;
  const mine = await deps.db.$queryRaw<{ eventId: number; status: string; position: number | null }[]>`
    SELECT r."eventId", r.status::text AS status,
      CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int FROM "EventRegistration" w
        WHERE w."eventId" = r."eventId" AND w.status = 'waitlisted'
          AND (w."createdAt", w.id) <= (r."createdAt", r.id)) END AS position
    FROM "EventRegistration" r
    WHERE r."participantId" = ${input.participantId}::uuid AND r.status <> 'cancelled'
      AND r."eventId" = ANY(${views.map((v) => v.id)}::int[])`;
  for (const m of mine) {
    const view = views.find((v) => v.id === m.eventId);
    if (view)
      view.mine =
        m.status === 'waitlisted'
          ? { status: 'waitlisted', position: m.position ?? undefined }
          : { status: 'registered' };
  }
  return views;
}
