// One event as staff see it: its texts, place, times, capacity and status, with how many people have a place
// and how long the waiting list is. Who they are is not part of it.
import type { DomainDeps } from './deps.ts';
import { eventSelect, toEventViews, type EventView } from './events.ts';
import { isDbId } from './ids.ts';

export async function getEvent(
  deps: Pick<DomainDeps, 'db'>,
  input: { eventId: number },
): Promise<EventView | undefined> {
  if (!isDbId(input.eventId)) return undefined;
  const row = await deps.db.event.findUnique({ where: { id: input.eventId }, select: eventSelect });
  if (!row) return undefined;
  const [view] = await toEventViews(deps.db, [row]);
  return view;
}
