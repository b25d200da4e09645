// A process's open data: the report's figures and the public record as flat tables, anonymised, for
// publication (JSON as a whole, or one table at a time as CSV).
//
// What makes it anonymous — and the contract the tests hold it to:
// - No row describes a person. Proposals and comments carry no author reference of any kind; supports are
//   counted per proposal, day and channel, never one row per supporter. So there is no pseudonym to link a
//   person's supports together: whom someone supported may reveal their political opinions (GDPR art. 9).
// - No names, no channel ids (Telegram ids, web chat user ids), no participant or staff UUIDs, no staff
//   names, no moderators' reasons. Only the public record's texts: published proposals (selected, not
//   selected or awaiting a decision) and their published comments as the public sees them (redacted where a
//   moderator redacted them), the official answers, categories and commitments' titles and descriptions.
//   Pending, rejected, withdrawn and hidden items are left out entirely; so are commitments' evidence and
//   update notes (staff free text that may name people).
// - Participation times are calendar days in the process's time zone, not instants. A phase's days are its
//   first and last day open, both inclusive (`ends_on` is the day before a phase's exclusive end at midnight).
import { LIFT_STATEMENT_TIMEOUT } from '../db/long-work.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { DomainDeps } from './deps.ts';
import { getProcessReport, textsOf, type ProcessReport } from './get-process-report.ts';
import { lastInstantBefore } from './last-day.ts';
import { PUBLIC_STATUSES } from './proposal-visibility.ts';

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

/** The tables, each a list of rows with the same columns (in this order). */
export const OPEN_DATA_TABLES = {
  categories: ['key', 'label_es', 'label_en', 'public_proposals'],
  proposals: [
    'id',
    'category',
    'locale',
    'title',
    'body',
    'status',
    'published_on',
    'supports',
    'comments',
    'answer',
    'answered_on',
  ],
  comments: ['id', 'proposal_id', 'parent_id', 'locale', 'body', 'published_on'],
  supports: ['proposal_id', 'day', 'channel', 'supports'],
  daily: ['day', 'active_participants', 'proposals', 'supports', 'comments'],
  commitments: [
    'id',
    'title_es',
    'title_en',
    'description_es',
    'description_en',
    'department',
    'status',
    'progress',
    'due_date',
    'updates',
    'last_update_on',
  ],
  commitment_proposals: ['commitment_id', 'proposal_id'],
  commitment_updates: ['commitment_id', 'day', 'status', 'progress'],
} as const;

export type OpenDataTable = keyof typeof OPEN_DATA_TABLES;
export const OPEN_DATA_TABLE_NAMES = Object.keys(OPEN_DATA_TABLES) as OpenDataTable[];

export interface OpenData {
  generatedAt: Date;
  process: {
    id: number;
    slug: string;
    title: Record<string, string>;
    timeZone: string;
    /**
     * In order. `starts_on` and `ends_on` are the first and the last day the phase is open, both inclusive,
     * as `YYYY-MM-DD` in the process's time zone (the phase's stored end is exclusive: a phase stored as
     * ending on 11 March at 00:00 has `ends_on` 2027-03-10).
     */
    phases: { kind: string; starts_on: string; ends_on: string }[];
  };
  /** The report's aggregate figures (no results or commitments: those are tables). */
  figures: Pick<
    ProcessReport,
    'participants' | 'subscribers' | 'proposals' | 'supports' | 'comments' | 'moderation'
  >;
  tables: Record<OpenDataTable, Row[]>;
}

export type ExportOpenDataResult = { ok: true; data: OpenData } | { ok: false; reason: 'not-found' };

export async function exportOpenData(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { processId: number },
): Promise<ExportOpenDataResult> {
  const found = await getProcessReport(deps, input);
  if (!found.ok) return found;
  const report = found.report;
  const id = report.process.id;
  const tz = report.process.timeZone;
  const day = (column: Prisma.Sql) =>
    Prisma.sql`to_char((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${tz}::text, 'YYYY-MM-DD')`;
  const publicStatuses = [...PUBLIC_STATUSES];
  const db = deps.db;

  const [, proposals, comments, supports, commitments, links, updates] = await db.$transaction(
    [
      db.$executeRaw(LIFT_STATEMENT_TIMEOUT),
      db.$queryRaw<Row[]>`
        SELECT p.id, c.key AS category, p.locale, p.title, p.body, p.status::text AS status,
               ${day(Prisma.sql`coalesce(p."publishedAt", p."createdAt")`)} AS published_on,
               (SELECT count(*) FROM "Support" s WHERE s."proposalId" = p.id)::int AS supports,
               (SELECT count(*) FROM "Comment" m
                 WHERE m."proposalId" = p.id AND m.status = 'published')::int AS comments,
               p.answer, ${day(Prisma.sql`p."answeredAt"`)} AS answered_on
        FROM "Proposal" p JOIN "Category" c ON c.id = p."categoryId"
        WHERE p."processId" = ${id} AND p.status::text = ANY(${publicStatuses}::text[])
        ORDER BY p.id`,
      db.$queryRaw<Row[]>`
        SELECT m.id, m."proposalId" AS proposal_id,
               CASE WHEN parent.status = 'published' THEN m."parentId" END AS parent_id,
               m.locale, m.body, ${day(Prisma.sql`coalesce(m."publishedAt", m."createdAt")`)} AS published_on
        FROM "Comment" m JOIN "Proposal" p ON p.id = m."proposalId"
        LEFT JOIN "Comment" parent ON parent.id = m."parentId"
        WHERE p."processId" = ${id} AND p.status::text = ANY(${publicStatuses}::text[])
          AND m.status = 'published'
        ORDER BY m.id`,
      db.$queryRaw<Row[]>`
        SELECT x.proposal_id, x.day, x.channel, count(*)::int AS supports
        FROM (
          SELECT s."proposalId" AS proposal_id, ${day(Prisma.sql`s."createdAt"`)} AS day,
                 coalesce((SELECT a.channel FROM "ChannelAccount" a WHERE a."participantId" = s."participantId"
                           ORDER BY a."createdAt", a.id LIMIT 1), 'none') AS channel
          FROM "Support" s JOIN "Proposal" p ON p.id = s."proposalId"
          WHERE p."processId" = ${id} AND p.status::text = ANY(${publicStatuses}::text[])
        ) x
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      db.$queryRaw<{ id: number; title: unknown; description: unknown }[]>`
        SELECT id, title, description FROM "Commitment" WHERE "processId" = ${id} ORDER BY id`,
      db.$queryRaw<Row[]>`
        SELECT cp."commitmentId" AS commitment_id, cp."proposalId" AS proposal_id
        FROM "CommitmentProposal" cp JOIN "Commitment" cm ON cm.id = cp."commitmentId"
        JOIN "Proposal" p ON p.id = cp."proposalId"
        WHERE cm."processId" = ${id} AND p.status::text = ANY(${publicStatuses}::text[])
        ORDER BY 1, 2`,
      db.$queryRaw<Row[]>`
        SELECT u."commitmentId" AS commitment_id, ${day(Prisma.sql`u."createdAt"`)} AS day,
               u.status::text AS status, u.progress
        FROM "CommitmentUpdate" u JOIN "Commitment" cm ON cm.id = u."commitmentId"
        WHERE cm."processId" = ${id}
        ORDER BY u."commitmentId", u."createdAt", u.id`,
    ],
    { isolationLevel: 'RepeatableRead' },
  );

  const texts = new Map(
    commitments.map((c) => [c.id, { title: textsOf(c.title), description: textsOf(c.description) }]),
  );
  const { results: _results, commitments: _commitments, generatedAt, process, ...figures } = report;
  return {
    ok: true,
    data: {
      generatedAt,
      process: {
        id,
        slug: process.slug,
        title: process.title,
        timeZone: tz,
        // A phase's end is exclusive: `ends_on` is the last day it was open (last-day.ts), not the day after.
        phases: process.phases.map((p) => ({
          kind: p.kind,
          starts_on: dayIn(p.startsAt, tz),
          ends_on: dayIn(lastInstantBefore(p.endsAt), tz),
        })),
      },
      figures,
      tables: {
        categories: report.proposals.byCategory.map((c) => ({
          key: c.key,
          label_es: c.label.es ?? null,
          label_en: c.label.en ?? null,
          public_proposals: c.public,
        })),
        proposals,
        comments,
        supports,
        daily: dailyRows(report),
        commitments: report.commitments.map((c) => ({
          id: c.id,
          title_es: c.title.es ?? null,
          title_en: c.title.en ?? null,
          description_es: texts.get(c.id)?.description.es ?? null,
          description_en: texts.get(c.id)?.description.en ?? null,
          department: c.department,
          status: c.status,
          progress: c.progress,
          due_date: c.dueDate,
          updates: c.updates,
          last_update_on: c.lastUpdateAt ? dayIn(c.lastUpdateAt, tz) : null,
        })),
        commitment_proposals: links,
        commitment_updates: updates,
      },
    },
  };
}

/** One row per day with any activity: distinct active participants, and what was submitted that day. */
function dailyRows(report: ProcessReport): Row[] {
  const days = new Map<string, Row>();
  const row = (day: string) => {
    let r = days.get(day);
    if (!r) days.set(day, (r = { day, active_participants: 0, proposals: 0, supports: 0, comments: 0 }));
    return r;
  };
  for (const d of report.participants.byDay) row(d.day).active_participants = d.count;
  for (const d of report.proposals.byDay) row(d.day).proposals = d.count;
  for (const d of report.supports.byDay) row(d.day).supports = d.count;
  for (const d of report.comments.byDay) row(d.day).comments = d.count;
  return [...days.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
}

/** `YYYY-MM-DD` of an instant in a time zone. */
function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}
