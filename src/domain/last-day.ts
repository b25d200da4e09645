// A phase's end is exclusive: the phase is current while startsAt ≤ now < endsAt, so «through 10 March» is
// stored as endsAt = 11 March 00:00 in the process's time zone. Whatever names an end to people names the
// last day that is still open — the day of the last instant before the end — and, when the end is not at
// midnight there, the time it closes too («hasta el 10 de marzo», «hasta el 11 de marzo a las 18:00»).
// Every text that names a phase's end goes through here: the chat (src/i18n/last-day.ts), the phase
// announcements, the report, and the open data's `ends_on`.

/** The last instant before an exclusive end (1 ms before it): its calendar day is the last day open. */
export function lastInstantBefore(endsAt: Date): Date {
  return new Date(endsAt.getTime() - 1);
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** Whether an instant reads exactly 00:00:00 on the wall clock of a time zone. */
export function isMidnightIn(at: Date, timeZone: string): boolean {
  if (at.getUTCMilliseconds() !== 0) return false;
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    clocks.set(timeZone, clock);
  }
  return clock.format(at) === '00:00:00';
}

/**
 * How to name the end of a period whose end is exclusive, in a time zone: `lastDay` is an instant on the
 * last day open (write its date); `closesAt` is set when the end is not at midnight there (then write that
 * day with this time: the period is open until then).
 */
export interface PeriodEnd {
  lastDay: Date;
  closesAt: Date | undefined;
}

export function periodEnd(endsAt: Date, timeZone: string): PeriodEnd {
  return {
    lastDay: lastInstantBefore(endsAt),
    closesAt: isMidnightIn(endsAt, timeZone) ? undefined : endsAt,
  };
}
