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

function localMinutes(now: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now);
  } catch {
    return localMinutes(now, 'Europe/Madrid');
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/** When the quiet hours in force at `now` end, or undefined when it is not quiet. */
export function quietUntil(now: Date, timeZone: string, quiet: QuietHours): Date | undefined {
  const t = localMinutes(now, timeZone);
  const inside =
    quiet.start < quiet.end ? t >= quiet.start && t < quiet.end : t >= quiet.start || t < quiet.end;
  if (!inside) return undefined;
  const minutes = (quiet.end - t + 1440) % 1440;
  const until = new Date(now.getTime() + minutes * 60_000);
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
