// Staff call off an event: its status becomes `cancelled` (registrations are kept as they were, for the
// record), it leaves the chat's lists, nobody can register any more, no reminder goes out, and everyone
// registered or waiting is told (`event-cancelled`), with the reason if given (kept on the event as staff
// wrote it: the people told read it, in whatever language it was written). Audited. An event that has
// started (its startsAt is past) is not called off any more (`event-started`): it is taking place, or took
// place, and telling its people now would come after the fact.
import type { DomainDeps } from './deps.ts';
import {
  EVENT_TRANSACTION,
  eventSelect,
  lockEvent,
  mayManageEvents,
  toEventViews,
  type EventView,
} from './events.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';

export const MAX_CANCEL_REASON = 500;

export type CancelEventResult =
  | { ok: true; event: EventView }
  | {
      ok: false;
      reason: 'not-allowed' | 'not-found' | 'already-cancelled' | 'event-started' | 'reason-too-long';
    };

export async function cancelEvent(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: { staffMemberId: string; eventId: number; reason?: string; sourceIp?: string },
): Promise<CancelEventResult> {
  if (!(await mayManageEvents(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.eventId)) return { ok: false, reason: 'not-found' };
  const reason = input.reason?.trim() || null;
  if (reason && [...reason].length > MAX_CANCEL_REASON) return { ok: false, reason: 'reason-too-long' };
  const now = deps.now();
  const result = await deps.db.$transaction(async (tx): Promise<CancelEventResult> => {
    const locked = await lockEvent(tx, input.eventId);
    if (!locked) return { ok: false, reason: 'not-found' };
    if (locked.status === 'cancelled') return { ok: false, reason: 'already-cancelled' };
    if (locked.startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'event-started' };
    const row = await tx.event.update({
      where: { id: input.eventId },
      data: { status: 'cancelled', cancelReason: reason },
      select: eventSelect,
    });
    const [event] = await toEventViews(tx, [row]);
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'event.cancel',
      target: { kind: 'event', id: input.eventId },
      before: { status: 'scheduled' },
      after: { status: 'cancelled', registered: event!.registered, waitlisted: event!.waitlisted },
      reason,
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, event: event! };
  }, EVENT_TRANSACTION);
  if (result.ok) {
    try {
      await deps.queues.notify({ kind: 'event-cancelled', eventId: input.eventId });
    } catch (error) {
      deps.logger.error({ err: error, eventId: input.eventId }, 'event cancellation not enqueued');
    }
  }
  return result;
}
