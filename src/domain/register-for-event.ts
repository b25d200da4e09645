// A participant registers for a workshop or event. Under the event's row lock (events.ts) the places taken
// are counted and the registration written, so however many register at once exactly `capacity` get a
// place and the rest wait in line in the order they came (`createdAt`, then `id`). Registering again while
// registered or waiting changes nothing and says where they stand; after cancelling, registering again
// joins the end of the line like anyone else. Events cancelled or already started refuse, and so does a
// person whose participation consent is not in force: it is read under a share lock on their row, taken
// before the event's (the order withdraw-consent, erase-participant and merge-participants lock in), so a
// withdrawal in progress is waited for and then seen — a registration never outlives the consent it needs.
import { currentConsent } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import { EVENT_TRANSACTION, lockEvent } from './events.ts';
import { isDbId } from './ids.ts';
import { isUuid } from './staff-members.ts';

export type RegisterForEventResult =
  | { ok: true; status: 'registered' }
  | { ok: true; status: 'waitlisted'; position: number }
  | { ok: false; reason: 'event-not-found' | 'event-cancelled' | 'event-started' | 'not-consented' }
  | { ok: false; reason: 'already-registered'; status: 'registered' }
  | { ok: false; reason: 'already-registered'; status: 'waitlisted'; position: number };

export async function registerForEvent(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; eventId: number },
): Promise<RegisterForEventResult> {
  if (!isDbId(input.eventId) || !isUuid(input.participantId)) return { ok: false, reason: 'event-not-found' };
  return deps.db.$transaction(async (tx): Promise<RegisterForEventResult> => {
    await tx.$executeRaw`SELECT 1 FROM "Participant" WHERE id = ${input.participantId}::uuid FOR SHARE`;
    const consent = await currentConsent(tx, input.participantId, 'participation');
    if (consent?.action !== 'given') return { ok: false, reason: 'not-consented' };
    const event = await lockEvent(tx, input.eventId);
    if (!event) return { ok: false, reason: 'event-not-found' };
    if (event.status === 'cancelled') return { ok: false, reason: 'event-cancelled' };
    // Read after the lock is granted: arrival order is the order the lock was granted in.
    const now = deps.now();
    if (event.startsAt.getTime() <= now.getTime()) return { ok: false, reason: 'event-started' };
    const existing = await tx.eventRegistration.findUnique({
      where: { eventId_participantId: { eventId: input.eventId, participantId: input.participantId } },
      select: { id: true, status: true },
    });
    if (existing && existing.status !== 'cancelled') {
      if (existing.status === 'registered')
        return { ok: false, reason: 'already-registered', status: 'registered' };
      return {
        ok: false,
        reason: 'already-registered',
        status: 'waitlisted',
        position: await waitlistPosition(tx, existing.id),
      };
    }
    const taken = await tx.eventRegistration.count({
      where: { eventId: input.eventId, status: 'registered' },
    });
    const status = taken < event.capacity ? 'registered' : 'waitlisted';
    const data = {
      status,
      createdAt: now,
      confirmedAt: status === 'registered' ? now : null,
      cancelledAt: null,
    } as const;
    const row = existing
      ? await tx.eventRegistration.update({ where: { id: existing.id }, data, select: { id: true } })
      : await tx.eventRegistration.create({
          data: { ...data, eventId: input.eventId, participantId: input.participantId },
          select: { id: true },
        });
    if (status === 'registered') return { ok: true, status };
    return { ok: true, status, position: await waitlistPosition(tx, row.id) };
  }, EVENT_TRANSACTION);
}

/** A waiting registration's place in the line (1 = next to get a freed place). */
async function waitlistPosition(
  tx: Pick<DomainDeps['db'], '$queryRaw'>,
  registrationId: number,
): Promise<number> {
  const [row] = await tx.$queryRaw<{ position: number }[]>`
    SELECT count(*)::int AS position FROM "EventRegistration" w, "EventRegistration" r
    WHERE r.id = ${registrationId} AND w."eventId" = r."eventId" AND w.status = 'waitlisted'
      AND (w."createdAt", w.id) <= (r."createdAt", r.id)`;
  return row?.position ?? 1;
}
