// Staff change an event: its texts, place, start, end or capacity. A new start must be in the future (and
// sends the day-before reminder again for the new date); the capacity may not fall below the people who
// already have a place (nobody loses theirs), and when it grows the waiting list moves up, earliest first
// (each promoted person is told). A change of date, time or place is told to everyone registered or waiting
// (`event-changed`). A cancelled event is not changed any more, nor one that has started (`event-started`:
// its startsAt is past; what it was is the record, and its people would be told after the fact). Audited
// (before/after of what changed).
//
// Title and description merge per language into the stored ones, as a JSON merge patch (RFC 7386) merges
// objects (localized-text.ts, as processes do): a language given gets that text, `null` removes it, a
// language not named keeps its own; Spanish cannot be removed (`invalid` `title.es` / `description.es`,
// also when a description made of English alone would be left). `description: null` removes it whole. The
// merge reads the stored texts under the event's lock. Titles may repeat (create-event does not refuse a
// title another event of the process has: two sessions of one workshop), so a new one is not compared.
import { Prisma } from '../generated/prisma/client.ts';
import type { EventKind } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import {
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
import { cleanTextsPatch, patchTexts, type LocalizedPatch } from './localized-text.ts';
import { audit } from './moderation-cases.ts';

export interface UpdateEventInput {
  staffMemberId: string;
  eventId: number;
  kind?: EventKind;
  /** Merged per language into the stored title: `null` removes a language (never Spanish). */
  title?: LocalizedPatch;
  /** Merged per language into the stored description; null removes it. */
  description?: LocalizedPatch | null;
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
  // Texts per language are merged into the stored ones under the lock (below); here only checked.
  const patches: { title?: LocalizedPatch; description?: LocalizedPatch } = {};
  if (input.title !== undefined) {
    const title = cleanTextsPatch(input.title, EVENT_LIMITS.title);
    if (!title.ok) return { ok: false, reason: 'invalid', field: `title.${title.locale}` };
    patches.title = title.patch;
  }
  if (input.description !== undefined) {
    if (input.description === null) wanted.description = null;
    else {
      const description = cleanTextsPatch(input.description, EVENT_LIMITS.description);
      if (!description.ok)
        return { ok: false, reason: 'invalid', field: `description.${description.locale}` };
      patches.description = description.patch;
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
  if (Object.keys(wanted).length === 0 && Object.keys(patches).length === 0)
    return { ok: false, reason: 'nothing-to-change' };
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
      // The requested values with the texts merged into the stored ones.
      const want: Record<string, unknown> = { ...wanted };
      for (const name of ['title', 'description'] as const) {
        const patch = patches[name];
        if (!patch) continue;
        const merged = patchTexts(before[name], patch);
        // A title always keeps its Spanish; a description may be left with none at all.
        if (merged === undefined || (merged === null && name === 'title'))
          return { ok: false, reason: 'invalid', field: `${name}.es` };
        want[name] = merged;
      }
      const changed = Object.keys(want).filter((k) => JSON.stringify(want[k]) !== JSON.stringify(old[k]));
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
        else if (k === 'title') data.title = { ...(want.title as EventTexts) };
        else if (k === 'description')
          data.description = want.description ? { ...(want.description as EventTexts) } : Prisma.DbNull;
        else if (k === 'place') data.place = want.place as string;
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
        after: Object.fromEntries(changed.map((k) => [k, want[k]])),
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
