// A participant gives up their registration (a place or a spot in the waiting list). A place given up goes
// at once, under the event's lock, to the earliest of the waiting list, who is told (`event-promoted`).
// Nothing to cancel, or an event already started: said as such.
import type { Prisma } from '../generated/prisma/client.ts';
import type { DomainDeps } from './deps.ts';
import {
  EVENT_TRANSACTION,
  lockEvent,
  notifyPromoted,
  promoteWaitlisted,
  type LockedEvent,
} from './events.ts';
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
    return cancelRegistrationOfLockedEvent(tx, event, input.participantId, deps.now());
  }, EVENT_TRANSACTION);
  if (!result.ok) return result;
  await notifyPromoted(deps, input.eventId, result.promoted);
  return { ok: true, was: result.was, promoted: result.promoted.length };
}

export type CancelledRegistration =
  | {
      ok: true;
      was: 'registered' | 'waitlisted';
      /** Who got the freed place: to be told after commit (notifyPromoted). */
      promoted: { registrationId: number; at: Date }[];
    }
  | { ok: false; reason: 'not-registered' | 'event-started' };

/**
 * Ends a participant's registration for an event whose row the caller has locked in this transaction
 * (lockEvent), as of `now`: marks it cancelled and, when it held a place in a scheduled event, gives the
 * place to the earliest of the waiting list. Nothing changes for someone not registered or waiting, nor
 * once a scheduled event has started. The one way a registration is given up, shared by
 * cancelEventRegistration and withdrawConsent; the caller tells the promoted after commit.
 */
export async function cancelRegistrationOfLockedEvent(
  tx: Pick<Prisma.TransactionClient, 'eventRegistration' | '$queryRaw'>,
  event: LockedEvent,
  participantId: string,
  now: Date,
): Promise<CancelledRegistration> {
  const existing = await tx.eventRegistration.findUnique({
    where: { eventId_participantId: { eventId: event.id, participantId } },
    select: { id: true, status: true },
  });
  if (!existing || existing.status === 'cancelled') return { ok: false, reason: 'not-registered' };
  if (event.status === 'scheduled' && event.startsAt.getTime() <= now.getTime())
    return { ok: false, reason: 'event-started' };
  await tx.eventRegistration.update({
    where: { id: existing.id },
    data: { status: 'cancelled', cancelledAt: now },
  });
  const promoted =
    event.status === 'scheduled' && existing.status === 'registered'
      ? await promoteWaitlisted(tx, event, now)
      : [];
  return { ok: true, was: existing.status, promoted };
}

/** Registrations ended by endRegistrations, and who got the places they freed (to be told after commit). */
export interface EndedRegistrations {
  ended: number;
  promoted: { eventId: number; list: { registrationId: number; at: Date }[] }[];
}

/**
 * Ends every place and waiting-list spot a participant holds (`upcomingOnly`: only in scheduled events still to
 * come, leaving the others as history), each as a cancellation: event by event in ascending id, under the
 * event's lock, deciding from the registration's status then (a spot read as waiting may hold a place by the
 * time the lock is granted, and that place must go to the waiting list too). The caller holds the
 * participant's row lock (the order withdraw-consent, erase-participant and merge-participants lock in).
 */
export async function endRegistrations(
  tx: Pick<Prisma.TransactionClient, 'eventRegistration' | '$queryRaw'>,
  participantId: string,
  now: Date,
  opts: { upcomingOnly: boolean },
): Promise<EndedRegistrations> {
  const held = await tx.eventRegistration.findMany({
    where: {
      participantId,
      status: { in: ['registered', 'waitlisted'] },
      ...(opts.upcomingOnly ? { event: { status: 'scheduled' as const, startsAt: { gt: now } } } : {}),
    },
    orderBy: { eventId: 'asc' },
    select: { eventId: true },
  });
  const out: EndedRegistrations = { ended: 0, promoted: [] };
  for (const { eventId } of held) {
    const event = await lockEvent(tx, eventId);
    // Read again under the lock: the event may have been cancelled meanwhile (history, when upcomingOnly).
    if (!event || (opts.upcomingOnly && event.status !== 'scheduled')) continue;
    const r = await cancelRegistrationOfLockedEvent(tx, event, participantId, now);
    if (!r.ok) continue;
    out.ended++;
    if (r.promoted.length > 0) out.promoted.push({ eventId, list: r.promoted });
  }
  return out;
}
