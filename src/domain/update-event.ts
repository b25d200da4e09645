// Staff change an event: its texts, place, start, end or capacity. A new start must be in the future (and
// sends the day-before reminder again for the new date); the capacity may not fall below the people who
// already have a place (nobody loses theirs), and when it grows the waiting list moves up, earliest first
// (each promoted person is told). A change of date, time or place is told to everyone registered or waiting
// (`event-changed`). A cancelled event is not changed any more, nor one that has started (`event-started`:
// its startsAt is past; what it was is the record, and its people would be told after the fact). Audited
// (before/after of what changed).
import { Prisma } from '../generated/prisma/client.ts';
import type { EventKind } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import {
  cleanEventTexts,
  cleanPlace,
  EVENT_KINDS,
  EVENT_LIMITS,
  EVENT_TRANSACTION,
  eventSelect,
  isCapacity,
  isValidDate,
  lockEvent,
  mayManageEvents,
  notifyPromoted,
  promoteWaitlisted,
  toEventViews,
  toTexts,
  type EventTexts,
  type EventView,
} from './events.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';

export interface UpdateEventInput {
  staffMemberId: string;
  eventId: number;
  kind?: EventKind;
  title?: EventTexts;
  /** null removes it. */
  description?: EventTexts | null;
  place?: string;
  startsAt?: Date;
  /** null removes it. */
  endsAt?: Date | null;
  capacity?: number;
  sourceIp?: string;
}

export type UpdateEventResult =
  | { ok: true; event: EventView }
  | {
      ok: false;
      reason:
        | 'not-allowed'
        | 'not-found'
        | 'event-cancelled'
        | 'event-started'
        | 'nothing-to-change'
        | 'in-the-past'
        | 'ends-before-start';
    }
  | { ok: false; reason: 'capacity-below-registered'; registered: number }
  | { ok: false; reason: 'invalid'; field: string };

export async function updateEvent(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: UpdateEventInput,
): Promise<UpdateEventResult> {
  if (!(await mayManageEvents(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.eventId)) return { ok: false, reason: 'not-found' };
  // The requested values, checked and cleaned (JSON-like, for the audit); written only where they differ.
  const wanted: Record<string, unknown> = {};
  if (input.kind !== undefined) {
    if (!(EVENT_KINDS as readonly string[]).includes(input.kind))
      return { ok: false, reason: 'invalid', field: 'kind' };
    wanted.kind = input.kind;
  }
  if (input.title !== undefined) {
    const title = cleanEventTexts(input.title, EVENT_LIMITS.title, 'title');
    if (!title.ok) return { ok: false, reason: 'invalid', field: title.field };
    wanted.title = title.texts;
  }
  if (input.description !== undefined) {
    if (input.description === null) wanted.description = null;
    else {
      const description = cleanEventTexts(input.description, EVENT_LIMITS.description, 'description');
      if (!description.ok) return { ok: false, reason: 'invalid', field: description.field };
      wanted.description = description.texts;
    }
  }
  if (input.place !== undefined) {
    const place = cleanPlace(input.place);
    if (!place) return { ok: false, reason: 'invalid', field: 'place' };
    wanted.place = place;
  }
  if (input.capacity !== undefined) {
    if (!isCapacity(input.capacity)) return { ok: false, reason: 'invalid', field: 'capacity' };
    wanted.capacity = input.capacity;
  }
  if (input.startsAt !== undefined) {
    if (!isValidDate(input.startsAt)) return { ok: false, reason: 'invalid', field: 'startsAt' };
    wanted.startsAt = input.startsAt.toISOString();
  }
  if (input.endsAt !== undefined) {
    if (input.endsAt !== null && !isValidDate(input.endsAt))
      return { ok: false, reason: 'invalid', field: 'endsAt' };
    wanted.endsAt = input.endsAt?.toISOString() ?? null;
  }
  if (Object.keys(wanted).length === 0) return { ok: false, reason: 'nothing-to-change' };
  const now = deps.now();
  if (input.startsAt && input.startsAt.getTime() <= now.getTime())
    return { ok: false, reason: 'in-the-past' };

  const result = await deps.db.$transaction(
    async (
      tx,
    ): Promise<UpdateEventResult & { promoted?: { registrationId: number; at: Date }[]; told?: boolean }> => {
      const locked = await lockEvent(tx, input.eventId);
      if (!locked) return { ok: false, reason: 'not-found' };
      if (locked.status === 'cancelled') return { ok: false, reason: 'event-cancelled' };
      if (locked.startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'event-started' };
      const before = await tx.event.findUniqueOrThrow({ where: { id: input.eventId }, select: eventSelect });
      const old: Record<string, unknown> = {
        kind: before.kind,
        title: toTexts(before.title),
        description: toTexts(before.description),
        place: before.place,
        startsAt: before.startsAt.toISOString(),
        endsAt: before.endsAt?.toISOString() ?? null,
        capacity: before.capacity,
      };
      const changed = Object.keys(wanted).filter((k) => JSON.stringify(wanted[k]) !== JSON.stringify(old[k]));
      if (changed.length === 0) return { ok: false, reason: 'nothing-to-change' };
      const startsAt = input.startsAt ?? before.startsAt;
      const endsAt = input.endsAt === undefined ? before.endsAt : input.endsAt;
      if (endsAt && endsAt.getTime() <= startsAt.getTime()) return { ok: false, reason: 'ends-before-start' };
      if (changed.includes('capacity')) {
        const registered = await tx.eventRegistration.count({
          where: { eventId: input.eventId, status: 'registered' },
        });
        if (input.capacity! < registered)
          return { ok: false, reason: 'capacity-below-registered', registered };
      }
      const data: Prisma.EventUpdateInput = {};
      for (const k of changed) {
        if (k === 'kind') data.kind = input.kind;
        else if (k === 'title') data.title = { ...(wanted.title as EventTexts) };
        else if (k === 'description')
          data.description = wanted.description ? { ...(wanted.description as EventTexts) } : Prisma.DbNull;
        else if (k === 'place') data.place = wanted.place as string;
        else if (k === 'capacity') data.capacity = input.capacity;
        else if (k === 'startsAt') {
          data.startsAt = input.startsAt;
          // The day-before reminder is for the new date.
          data.remindedAt = null;
        } else if (k === 'endsAt') data.endsAt = input.endsAt ?? null;
      }
      const row = await tx.event.update({ where: { id: input.eventId }, data, select: eventSelect });
      // The event has not started (checked above, and a new start is in the future): a freed place is taken.
      const promoted = await promoteWaitlisted(tx, row, now);
      await audit(tx, {
        actor: `staff:${input.staffMemberId}`,
        action: 'event.update',
        target: { kind: 'event', id: row.id },
        before: Object.fromEntries(changed.map((k) => [k, old[k]])),
        after: Object.fromEntries(changed.map((k) => [k, wanted[k]])),
        sourceIp: input.sourceIp,
        at: now,
      });
      const [event] = await toEventViews(tx, [row]);
      const told = changed.some((k) => k === 'startsAt' || k === 'endsAt' || k === 'place');
      return { ok: true, event: event!, promoted, told };
    },
    EVENT_TRANSACTION,
  );
  if (!result.ok) return result;
  const { promoted, told, ...answer } = result;
  if (told) {
    try {
      await deps.queues.notify({ kind: 'event-changed', eventId: input.eventId, at: now.getTime() });
    } catch (error) {
      deps.logger.error({ err: error, eventId: input.eventId }, 'event change not enqueued');
    }
  }
  await notifyPromoted(deps, input.eventId, promoted ?? []);
  return answer;
}
