// A participant gives up their registration (a place or a spot in the waiting list). A place given up goes
// at once, under the event's lock, to the earliest of the waiting list, who is told (`event-promoted`).
// Nothing to cancel, or an event already started: said as such.
import type { DomainDeps } from './deps.ts';
import { EVENT_TRANSACTION, lockEvent, notifyPromoted, promoteWaitlisted } from './events.ts';
import { isDbId } from './ids.ts';
import { isUuid } from './staff-members.ts';

export type CancelEventRegistrationResult =
  | { ok: true; was: 'registered' | 'waitlisted'; promoted: number }
  | { ok: false; reason: 'not-registered' | 'event-started' };

export async function cancelEventRegistration(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: { participantId: string; eventId: number },
): Promise<CancelEventRegistrationResult> {
  if (!isDbId(input.eventId) || !isUuid(input.participantId)) return { ok: false, reason: 'not-registered' };
  const result = await deps.db.$transaction(async (tx) => {
    const event = await lockEvent(tx, input.eventId);
    if (!event) return { ok: false as const, reason: 'not-registered' as const };
    const existing = await tx.eventRegistration.findUnique({
      where: { eventId_participantId: { eventId: input.eventId, participantId: input.participantId } },
      select: { id: true, status: true },
    });
    if (!existing || existing.status === 'cancelled')
      return { ok: false as const, reason: 'not-registered' as const };
    const now = deps.now();
    if (event.status === 'scheduled' && event.startsAt.getTime() <= now.getTime())
      return { ok: false as const, reason: 'event-started' as const };
    await tx.eventRegistration.update({
      where: { id: existing.id },
      data: { status: 'cancelled', cancelledAt: now },
    });
    const promoted =
      event.status === 'scheduled' && existing.status === 'registered'
        ? await promoteWaitlisted(tx, event, now)
        : [];
    return { ok: true as const, was: existing.status, promoted };
  }, EVENT_TRANSACTION);
  if (!result.ok) return result;
  await notifyPromoted(deps, input.eventId, result.promoted);
  return { ok: true, was: result.was, promoted: result.promoted.length };
}
