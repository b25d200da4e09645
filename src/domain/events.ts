// Shared by the workshop and event use cases (create, update, cancel, list, get, register, cancel a
// registration, the notices): limits, text checks, who may manage events, the one view of an event every
// caller returns (with its places left, never who registered), and the promotion of the waiting list. Not a
// use case.
//
// Places: `registered` rows count against `capacity`; beyond it people are `waitlisted`, in arrival order
// (`createdAt`, then `id`). Every change of an event's registrations runs under a lock on the event's row
// (`SELECT … FOR UPDATE`), so counting and writing cannot interleave: exactly `capacity` people get a place
// however many register at once.
import type { Prisma } from '../generated/prisma/client.ts';
import type { EventKind, EventStatus } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';

export const EVENT_KINDS = ['workshop', 'results_event'] as const satisfies readonly EventKind[];

export const EVENT_LIMITS = {
  title: 200,
  description: 4000,
  place: 200,
  capacity: 100_000,
} as const;

/** Interactive transactions that wait on an event's row lock: many people may register at the same moment. */
export const EVENT_TRANSACTION = { maxWait: 10_000, timeout: 15_000 };

/** Texts per language as staff give them: Spanish required, English optional. */
export interface EventTexts {
  es: string;
  en?: string;
}

export interface EventView {
  id: number;
  processId: number;
  kind: EventKind;
  title: EventTexts;
  description: EventTexts | null;
  place: string;
  startsAt: Date;
  endsAt: Date | null;
  capacity: number;
  status: EventStatus;
  /** People with a place. */
  registered: number;
  /** The waiting list's length. */
  waitlisted: number;
  placesLeft: number;
  remindedAt: Date | null;
  createdAt: Date;
}

export const eventSelect = {
  id: true,
  processId: true,
  kind: true,
  title: true,
  description: true,
  place: true,
  startsAt: true,
  endsAt: true,
  capacity: true,
  status: true,
  remindedAt: true,
  createdAt: true,
} as const satisfies Prisma.EventSelect;

type EventRow = Prisma.EventGetPayload<{ select: typeof eventSelect }>;

export function toTexts(value: unknown): EventTexts | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.es !== 'string') return null;
  return typeof v.en === 'string' ? { es: v.es, en: v.en } : { es: v.es };
}

/** The events' views, with their registrations counted (one query for all of them). */
export async function toEventViews(
  db: Pick<DomainDeps['db'], 'eventRegistration'>,
  rows: EventRow[],
): Promise<EventView[]> {
  if (rows.length === 0) return [];
  const counts = await db.eventRegistration.groupBy({
    by: ['eventId', 'status'],
    where: { eventId: { in: rows.map((r) => r.id) }, status: { in: ['registered', 'waitlisted'] } },
    _count: { _all: true },
  });
  const count = (eventId: number, status: 'registered' | 'waitlisted') =>
    counts.find((c) => c.eventId === eventId && c.status === status)?._count._all ?? 0;
  return rows.map((e) => {
    const registered = count(e.id, 'registered');
    return {
      id: e.id,
      processId: e.processId,
      kind: e.kind,
      title: toTexts(e.title) ?? { es: '' },
      description: toTexts(e.description),
      place: e.place,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
      capacity: e.capacity,
      status: e.status,
      registered,
      waitlisted: count(e.id, 'waitlisted'),
      placesLeft: Math.max(0, e.capacity - registered),
      remindedAt: e.remindedAt,
      createdAt: e.createdAt,
    };
  });
}

const length = (s: string) => [...s].length;

/** Trims and checks a text per language; the name of the bad field (`title.es`…) or the cleaned texts. */
export function cleanEventTexts(
  texts: EventTexts,
  max: number,
  name: string,
): { ok: true; texts: EventTexts } | { ok: false; field: string } {
  const es = texts.es.trim();
  const en = texts.en?.trim() || undefined;
  if (es === '' || length(es) > max) return { ok: false, field: `${name}.es` };
  if (en !== undefined && length(en) > max) return { ok: false, field: `${name}.en` };
  return { ok: true, texts: en === undefined ? { es } : { es, en } };
}

/** A place: trimmed, 1 to EVENT_LIMITS.place characters; undefined when it is not. */
export function cleanPlace(value: string): string | undefined {
  const place = value.trim().replace(/\s+/g, ' ');
  return place === '' || length(place) > EVENT_LIMITS.place ? undefined : place;
}

export const isCapacity = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= EVENT_LIMITS.capacity;

export const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** Staff and admins manage events (not moderators, not disabled accounts). */
export async function mayManageEvents(deps: Pick<DomainDeps, 'db'>, staffMemberId: string): Promise<boolean> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: staffMemberId },
    select: { role: true, disabledAt: true },
  });
  return !!staff && !staff.disabledAt && (staff.role === 'staff' || staff.role === 'admin');
}

export interface LockedEvent {
  id: number;
  processId: number;
  status: EventStatus;
  startsAt: Date;
  capacity: number;
}

/** Locks an event's row for the rest of the transaction (see the top of this file). */
export async function lockEvent(
  tx: Pick<DomainDeps['db'], '$queryRaw'>,
  eventId: number,
): Promise<LockedEvent | undefined> {
  const [row] = await tx.$queryRaw<LockedEvent[]>`
    SELECT id, "processId", status::text AS status, "startsAt", capacity FROM "Event"
    WHERE id = ${eventId} FOR UPDATE`;
  return row;
}

/**
 * Gives freed places to the waiting list, earliest first, while places are left. Runs in the caller's
 * transaction, under the event's lock. Returns the promoted registrations (the caller tells each person).
 */
export async function promoteWaitlisted(
  tx: Pick<DomainDeps['db'], '$queryRaw'>,
  event: { id: number; capacity: number },
  now: Date,
): Promise<{ registrationId: number; at: Date }[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    UPDATE "EventRegistration" SET status = 'registered', "confirmedAt" = ${now}
    WHERE id IN (SELECT id FROM "EventRegistration"
      WHERE "eventId" = ${event.id} AND status = 'waitlisted'
      ORDER BY "createdAt", id
      LIMIT GREATEST(0, ${event.capacity} - (SELECT count(*) FROM "EventRegistration"
        WHERE "eventId" = ${event.id} AND status = 'registered')::int))
    RETURNING id`;
  return rows.map((r) => ({ registrationId: r.id, at: now }));
}

/** Tells each promoted person (after commit). A failure is logged: the place is theirs anyway. */
export async function notifyPromoted(
  deps: Pick<DomainDeps, 'queues' | 'logger'>,
  eventId: number,
  promoted: { registrationId: number; at: Date }[],
): Promise<void> {
  for (const p of promoted) {
    try {
      await deps.queues.notify({
        kind: 'event-promoted',
        eventId,
        registrationId: p.registrationId,
        at: p.at.getTime(),
      });
    } catch (error) {
      deps.logger.error({ err: error, eventId, registrationId: p.registrationId }, 'promotion not enqueued');
    }
  }
}
