// The day-before reminder. Each event starting within the next `aheadMs` (default 24 h) and not reminded
// yet is claimed with one conditional UPDATE of `remindedAt` (`… WHERE "remindedAt" IS NULL RETURNING`), so
// several workers sweeping at the same moment claim each event once; the notices of its registered people
// are recorded (one per person: unique per event and start) and an `event-reminder` job is enqueued, which
// delivers them in each person's language and channel, after quiet hours, as other notices.
// Events claimed earlier whose start is still ahead get their job enqueued again (a no-op while the job is
// kept; its handler repeats safely), so a crash between claiming and enqueueing loses nothing.
// Moving an event's start clears `remindedAt` (update-event): the new date is reminded of too.
import type { DomainDeps } from './deps.ts';
import { recordEventNotices } from './record-event-notices.ts';

export const REMIND_AHEAD_MS = 24 * 3600 * 1000;

export async function remindUpcomingEvents(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: { aheadMs?: number } = {},
): Promise<{ claimed: number[]; enqueued: number }> {
  const now = deps.now();
  const until = new Date(now.getTime() + (input.aheadMs ?? REMIND_AHEAD_MS));
  const claimed = await deps.db.$queryRaw<{ id: number; startsAt: Date }[]>`
    UPDATE "Event" SET "remindedAt" = ${now}
    WHERE status = 'scheduled' AND "remindedAt" IS NULL AND "startsAt" > ${now} AND "startsAt" <= ${until}
    RETURNING id, "startsAt"`;
  for (const e of claimed)
    await recordEventNotices(deps, { kind: 'event-reminder', eventId: e.id, at: e.startsAt.getTime() });
  const due = await deps.db.event.findMany({
    where: { status: 'scheduled', remindedAt: { not: null }, startsAt: { gt: now, lte: until } },
    select: { id: true, startsAt: true },
    orderBy: { id: 'asc' },
  });
  let enqueued = 0;
  for (const e of due) {
    try {
      await deps.queues.notify({ kind: 'event-reminder', eventId: e.id, at: e.startsAt.getTime() });
      enqueued++;
    } catch (error) {
      deps.logger.error({ err: error, eventId: e.id }, 'event reminder not enqueued; retried next sweep');
    }
  }
  return { claimed: claimed.map((e) => e.id).sort((a, b) => a - b), enqueued };
}
