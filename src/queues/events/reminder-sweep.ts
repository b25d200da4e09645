// The day-before reminders' sweep, run by every worker process (`plaza worker`, `plaza all`): once a minute
// (and once at start) it asks remind-upcoming-events to claim the events starting within 24 h. A timer
// rather than a BullMQ repeatable job: the claim is one conditional UPDATE, so several workers sweeping at
// once remind each event once, and nothing has to be scheduled or cleaned up in Redis.
import type { DomainDeps } from '../../domain/deps.ts';
import { remindUpcomingEvents } from '../../domain/remind-upcoming-events.ts';
import type { Logger } from '../../logger.ts';

export interface EventReminderSweep {
  stop(): void;
}

export function startEventReminderSweep(
  domain: DomainDeps,
  logger: Logger,
  opts: { intervalMs?: number } = {},
): EventReminderSweep {
  const log = logger.child({ module: 'event-reminders' });
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const { claimed } = await remindUpcomingEvents(domain);
      if (claimed.length > 0) log.info({ events: claimed }, 'event reminders recorded');
    } catch (error) {
      log.warn({ err: error }, 'event reminder sweep failed');
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), opts.intervalMs ?? 60_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
