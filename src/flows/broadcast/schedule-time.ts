// When staff schedule a broadcast from chat they type a day and a time on the wall clock of the process's
// time zone: "28/11 18:30", "28/11/2026 18:30" (also with '-' or '.' between the parts, "a las"/"at" before
// the time, "18.30" or "18h30"). Without a year it is the current year there: a date already gone is refused
// as past rather than silently moved to next year. A time skipped by a clock change does not exist; a time
// repeated by one is its first occurrence.

export type ScheduleTimeResult =
  { ok: true; at: Date } | { ok: false; reason: 'format' | 'no-such-date' | 'in-the-past' };

const PATTERN =
  /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?,?\s+(?:a\s+las\s+|at\s+)?(\d{1,2})(?:[:.h](\d{2}))(?:\s*h)?$/i;

export function parseScheduleTime(text: string, opts: { now: Date; timeZone: string }): ScheduleTimeResult {
  const m = PATTERN.exec(text.trim().replace(/\s+/g, ' '));
  if (!m) return { ok: false, reason: 'format' };
  const [day, month, hour, minute] = [m[1], m[2], m[4], m[5]].map(Number) as [number, number, number, number];
  const year = m[3]
    ? m[3].length === 2
      ? 2000 + Number(m[3])
      : Number(m[3])
    : wallClock(opts.now.getTime(), opts.timeZone).year;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59)
    return { ok: false, reason: 'no-such-date' };
  // Date.UTC rolls 31/02 over to March: a day the month does not have comes back different.
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(wall).getUTCDate() !== day) return { ok: false, reason: 'no-such-date' };
  const at = zonedToUtc(wall, opts.timeZone);
  if (at === undefined) return { ok: false, reason: 'no-such-date' };
  if (at.getTime() <= opts.now.getTime()) return { ok: false, reason: 'in-the-past' };
  return { ok: true, at };
}

/** "28 de noviembre de 2025 a las 18:30" / "28 November 2025 at 18:30", on the given time zone's clock. */
export function formatScheduleTime(at: Date, locale: 'es' | 'en', timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'es-ES', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
}

interface WallClock {
  year: number;
  /** The wall clock time read as if it were UTC, in ms. */
  asUtc: number;
}

function wallClock(utcMs: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const year = get('year');
  return {
    year,
    asUtc: Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second')),
  };
}

/** The earliest instant whose wall clock in `timeZone` reads `wall`; undefined inside a clock change's gap. */
function zonedToUtc(wall: number, timeZone: string): Date | undefined {
  const offsetAt = (utcMs: number) => wallClock(utcMs, timeZone).asUtc - Math.floor(utcMs / 1000) * 1000;
  const DAY = 24 * 3600 * 1000;
  // The offsets in force a day either side cover any single transition near `wall`.
  const offsets = new Set([offsetAt(wall - DAY), offsetAt(wall), offsetAt(wall + DAY)]);
  const candidates = [...offsets]
    .map((offset) => wall - offset)
    .filter((utc) => wallClock(utc, timeZone).asUtc === wall)
    .sort((a, b) => a - b);
  return candidates.length > 0 ? new Date(candidates[0]!) : undefined;
}
