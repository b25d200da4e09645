// Staff announce a workshop or a public results event of a process: kind, title (Spanish, optionally
// English), description, place, start (in the future), optional end (after the start) and capacity (at
// least one place). Audited. Citizens then find it in the process's "Workshops and events" in the chat.
import type { EventKind } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import {
  cleanEventTexts,
  cleanPlace,
  EVENT_KINDS,
  EVENT_LIMITS,
  eventSelect,
  isCapacity,
  isValidDate,
  mayManageEvents,
  toEventViews,
  type EventTexts,
  type EventView,
} from './events.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';

export interface CreateEventInput {
  staffMemberId: string;
  processId: number;
  kind: EventKind;
  title: EventTexts;
  description?: EventTexts;
  place: string;
  startsAt: Date;
  endsAt?: Date;
  capacity: number;
  sourceIp?: string;
}

export type CreateEventResult =
  | { ok: true; event: EventView }
  | { ok: false; reason: 'not-allowed' | 'process-not-found' | 'in-the-past' | 'ends-before-start' }
  | { ok: false; reason: 'invalid'; field: string };

export async function createEvent(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: CreateEventInput,
): Promise<CreateEventResult> {
  if (!(await mayManageEvents(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.processId)) return { ok: false, reason: 'process-not-found' };
  if (!(EVENT_KINDS as readonly string[]).includes(input.kind))
    return { ok: false, reason: 'invalid', field: 'kind' };
  const title = cleanEventTexts(input.title, EVENT_LIMITS.title, 'title');
  if (!title.ok) return { ok: false, reason: 'invalid', field: title.field };
  const description = input.description
    ? cleanEventTexts(input.description, EVENT_LIMITS.description, 'description')
    : undefined;
  if (description && !description.ok) return { ok: false, reason: 'invalid', field: description.field };
  const place = cleanPlace(input.place);
  if (!place) return { ok: false, reason: 'invalid', field: 'place' };
  if (!isCapacity(input.capacity)) return { ok: false, reason: 'invalid', field: 'capacity' };
  if (!isValidDate(input.startsAt)) return { ok: false, reason: 'invalid', field: 'startsAt' };
  if (input.endsAt !== undefined && !isValidDate(input.endsAt))
    return { ok: false, reason: 'invalid', field: 'endsAt' };
  const now = deps.now();
  if (input.startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'in-the-past' };
  if (input.endsAt && input.endsAt.getTime() <= input.startsAt.getTime())
    return { ok: false, reason: 'ends-before-start' };

  return deps.db.$transaction(async (tx): Promise<CreateEventResult> => {
    const process = await tx.process.findUnique({ where: { id: input.processId }, select: { id: true } });
    if (!process) return { ok: false, reason: 'process-not-found' };
    const row = await tx.event.create({
      data: {
        processId: input.processId,
        kind: input.kind,
        title: { ...title.texts },
        description: description?.ok ? { ...description.texts } : undefined,
        place,
        startsAt: input.startsAt,
        endsAt: input.endsAt ?? null,
        capacity: input.capacity,
        createdAt: now,
      },
      select: eventSelect,
    });
    const [event] = await toEventViews(tx, [row]);
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'event.create',
      target: { kind: 'event', id: row.id },
      after: {
        processId: row.processId,
        kind: row.kind,
        title: title.texts,
        place,
        startsAt: row.startsAt.toISOString(),
        endsAt: row.endsAt?.toISOString() ?? null,
        capacity: row.capacity,
      },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, event: event! };
  });
}
