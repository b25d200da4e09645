// Quiet hours: non-urgent notifications wait until the end of the night in the process's time zone.
// Pure helpers (no I/O) plus the lookup of the time zone a notification belongs to.
import type { DomainDeps } from './deps.ts';

/** Minutes after local midnight: [start, end); start > end spans midnight (22:00–09:00). */
export interface QuietHours {
  start: number;
  end: number;
}

/** "22:00-09:00" → minutes; undefined for an empty string (no quiet hours). Throws on a malformed value. */
export function parseQuietHours(value: string): QuietHours | undefined {
  if (value.trim() === '') return undefined;
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  if (!m) throw new Error('expected HH:MM-HH:MM, e.g. 22:00-09:00');
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start === end) throw new Error('start and end must differ');
  return { start, end };
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** A formatter for the zone's wall clock; Europe/Madrid's when the zone is unknown. */
function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      format = wallClockFormat('Europe/Madrid');
    }
    wallClockFormats.set(timeZone, format);
  }
  return format;
}

/** What the zone's clock reads at `at` (ms), as ms on the UTC scale: Date.UTC of the local fields. */
function wallClock(format: Intl.DateTimeFormat, at: number): number {
  const parts = format.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/**
 * The first instant after `after` at which the clock reads `wall`. When the clocks skip `wall`
 * (spring forward), the instant they jump past it; when it happens twice (fall back), the first
 * occurrence after `after`. Undefined only if the zone's offsets defy that search.
 */
function instantOf(format: Intl.DateTimeFormat, wall: number, after: number): number | undefined {
  // The instant is `wall` minus the offset in force then: one of the offsets around it, assuming
  // (as every zone does today) no more than one clock change within a day either side.
  const offsets = new Set([wall - DAY, wall, wall + DAY].map((at) => wallClock(format, at) - at));
  const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
  const exact = candidates.find((at) => at > after && wallClock(format, at) === wall);
  if (exact !== undefined) return exact;
  // Skipped: the earliest candidate reads before `wall`, the latest after it; find the jump's minute.
  let before = candidates[0]!;
  let past = candidates[candidates.length - 1]!;
  if (!(wallClock(format, before) < wall && wallClock(format, past) > wall && past > after)) return undefined;
  while (past - before > MINUTE) {
    const mid = before + Math.floor((past - before) / 2 / MINUTE) * MINUTE;
    if (wallClock(format, mid) < wall) before = mid;
    else past = mid;
  }
  return past;
}

/**
 * When the quiet hours in force at `now` end, or undefined when it is not quiet: the first instant
 * after `now` at which the zone's clock reads the end (the first instant past it if the clocks skip
 * it that night), seconds zeroed. Quiet hours are wall-clock hours: a clock change inside them makes
 * the night an hour shorter or longer, not the end an hour off. An unknown zone counts as Europe/Madrid.
 */
export function quietUntil(now: Date, timeZone: string, quiet: QuietHours): Date | undefined {
  const format = wallClockFormat(timeZone);
  const local = wallClock(format, now.getTime());
  const midnight = Math.floor(local / DAY) * DAY;
  const t = Math.floor((local - midnight) / MINUTE);
  const inside =
    quiet.start < quiet.end ? t >= quiet.start && t < quiet.end : t >= quiet.start || t < quiet.end;
  if (!inside) return undefined;
  // The end still ahead today, or (hours spanning midnight, now before midnight) tomorrow's.
  const end = midnight + (t < quiet.end ? 0 : DAY) + quiet.end * MINUTE;
  // The fallback (wall-clock minutes added to now) is only for offsets the search cannot place.
  const until = new Date(instantOf(format, end, now.getTime()) ?? now.getTime() + (end - local));
  until.setUTCSeconds(0, 0);
  return until;
}

/** The time zone of the process a case, comment or proposal belongs to (Europe/Madrid when unknown). */
export async function processTimeZone(
  deps: Pick<DomainDeps, 'db'>,
  of: { caseId: number } | { commentId: number } | { proposalId: number },
): Promise<string> {
  const [row] =
    'caseId' in of
      ? await deps.db.$queryRaw<{ tz: string }[]>`
          SELECT pr."timeZone" AS tz FROM "ModerationCase" c JOIN "Process" pr ON pr.id = c."processId"
          WHERE c.id = ${of.caseId}`
      : 'commentId' in of
        ? await deps.db.$queryRaw<{ tz: string }[]>`
            SELECT pr."timeZone" AS tz FROM "Comment" c JOIN "Proposal" p ON p.id = c."proposalId"
            JOIN "Process" pr ON pr.id = p."processId" WHERE c.id = ${of.commentId}`
        : await deps.db.$queryRaw<{ tz: string }[]>`
            SELECT pr."timeZone" AS tz FROM "Proposal" p JOIN "Process" pr ON pr.id = p."processId"
            WHERE p.id = ${of.proposalId}`;
  return row?.tz ?? 'Europe/Madrid';
}
