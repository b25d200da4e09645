// The final report of a process: what happened in it, in figures, at the time it is asked (`generatedAt`).
// Every figure is an SQL aggregate; the statements are a fixed set run in one REPEATABLE READ transaction,
// so the figures are one consistent snapshot (a total equals the sum of its breakdown) and their number does
// not grow with the data (no query per proposal or per person).
//
// Definitions, so the report says what it counts:
// - Days are calendar days in the process's time zone (`Process.timeZone`; UTC if that is not a time zone,
//   and `process.timeZone` says which was used); `byDay` lists days with activity only, oldest first, as
//   `YYYY-MM-DD`.
// - A participant is someone who proposed, supported or commented in the process (any status, withdrawn
//   supports excluded since withdrawing deletes the row; authors erased under GDPR are no longer counted).
//   Subscribers (who follow the process's updates now) are counted apart: subscribing is not taking part.
// - A person's channel is the one they joined through (their first channel account), so the figures by
//   channel add up to the total; `none` when no account is left.
// - Moderation: `opened` counts every case (submissions and items reopened by citizen reports), `waiting`
//   those undecided now, `decided` those with a decision, so that `opened` = `waiting` + `decided`. A first
//   review closed without a decision because reports hid its item while it waited (reopenAsReported) is
//   not counted at all: the reported case that replaced it is. Rejections are grouped by preset reason, a
//   moderator's own words count as `other` (they may quote what was rejected); the median time to decision
//   runs from `openedAt` to `decidedAt`, over decided cases.
// - Results: the public proposals (published, selected, not selected) by supports, most supported first
//   (ties: the older first), with their published comments, outcome and official answer.
// - Commitments: their current status and progress; `updates` counts their dated updates (the first one is
//   the commitment's creation).
import { LIFT_STATEMENT_TIMEOUT } from '../db/long-work.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type {
  CommentStatus,
  CommitmentStatus,
  PhaseKind,
  ProposalStatus,
} from '../generated/prisma/enums.ts';
import { REJECTION_REASONS } from './decide-moderation.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { PUBLIC_STATUSES } from './proposal-visibility.ts';

/** Texts per language as stored ({ es, en }); only string values are kept. */
export type Texts = Record<string, string>;

export interface DayCount {
  /** `YYYY-MM-DD`, in the process's time zone. */
  day: string;
  count: number;
}

export type Outcome = 'selected' | 'not_selected' | 'undecided';

export interface RankingRow {
  position: number;
  id: number;
  title: string;
  categoryKey: string;
  status: ProposalStatus;
  outcome: Outcome;
  supports: number;
  /** Published comments. */
  comments: number;
  answer: string | null;
  answeredAt: Date | null;
}

export interface CommitmentRow {
  id: number;
  title: Texts;
  department: string;
  status: CommitmentStatus;
  /** 0–100. */
  progress: number;
  /** `YYYY-MM-DD` or null. */
  dueDate: string | null;
  updates: number;
  lastUpdateAt: Date | null;
  proposalIds: number[];
}

export type RejectionReasonKey = (typeof REJECTION_REASONS)[number] | 'other';

export interface ProcessReport {
  generatedAt: Date;
  process: {
    id: number;
    slug: string;
    title: Texts;
    timeZone: string;
    createdAt: Date;
    phases: { kind: PhaseKind; startsAt: Date; endsAt: Date }[];
  };
  participants: {
    total: number;
    proposers: number;
    supporters: number;
    commenters: number;
    byChannel: Record<string, number>;
    /** Distinct participants active each day. */
    byDay: DayCount[];
  };
  subscribers: { total: number; byChannel: Record<string, number> };
  proposals: {
    total: number;
    byStatus: Record<ProposalStatus, number>;
    byCategory: { key: string; label: Texts; total: number; public: number }[];
    /** Submitted each day (any status). */
    byDay: DayCount[];
  };
  supports: { total: number; byDay: DayCount[]; byChannel: Record<string, number> };
  comments: { total: number; byStatus: Record<CommentStatus, number>; byDay: DayCount[] };
  moderation: {
    /** `waiting` + `decided` (a case closed without a decision is not counted: its replacement is). */
    opened: number;
    /** Reopened because citizens reported a published item. */
    reopenedByReports: number;
    waiting: number;
    decided: number;
    approved: number;
    redacted: number;
    rejected: number;
    rejectedByReason: Partial<Record<RejectionReasonKey, number>>;
    /** Citizen reports of the process's proposals and comments. */
    citizenReports: number;
    /** Median seconds from a case's opening to its decision; null when none was decided. */
    medianSecondsToDecision: number | null;
  };
  results: RankingRow[];
  commitments: CommitmentRow[];
}

export type GetProcessReportResult = { ok: true; report: ProcessReport } | { ok: false; reason: 'not-found' };

const PROPOSAL_STATUSES: ProposalStatus[] = [
  'pending',
  'published',
  'rejected',
  'withdrawn',
  'selected',
  'not_selected',
  'hidden',
];
const COMMENT_STATUSES: CommentStatus[] = ['pending', 'published', 'rejected', 'hidden'];

export async function getProcessReport(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { processId: number },
): Promise<GetProcessReportResult> {
  if (!isDbId(input.processId)) return { ok: false, reason: 'not-found' };
  const generatedAt = deps.now();
  const process = await deps.db.process.findUnique({
    where: { id: input.processId },
    select: {
      id: true,
      slug: true,
      title: true,
      timeZone: true,
      createdAt: true,
      phases: { select: { kind: true, startsAt: true, endsAt: true }, orderBy: { position: 'asc' } },
    },
  });
  if (!process) return { ok: false, reason: 'not-found' };
  const id = process.id;
  const tz = knownTimeZone(process.timeZone);
  const day = (column: Prisma.Sql) =>
    Prisma.sql`to_char((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${tz}::text, 'YYYY-MM-DD')`;
  // The channel a person joined through: their first account.
  const joinedVia = (participant: Prisma.Sql) => Prisma.sql`coalesce((
      SELECT a.channel FROM "ChannelAccount" a WHERE a."participantId" = ${participant}
      ORDER BY a."createdAt", a.id LIMIT 1), 'none')`;
  const publicStatuses = [...PUBLIC_STATUSES];
  const presetReasons = [...REJECTION_REASONS];

  const db = deps.db;
  const [
    ,
    activity,
    subscribers,
    proposals,
    categories,
    supports,
    comments,
    moderation,
    results,
    commitments,
  ] = await db.$transaction(
    [
      db.$executeRaw(LIFT_STATEMENT_TIMEOUT),
      // Who did what, and when: one row per participant and kind/day/channel grouping.
      db.$queryRaw<{ grp: string; key: string | null; n: number }[]>`
          WITH acts AS (
            SELECT pr."authorId" AS pid, 'proposal' AS kind, pr."createdAt" AS ts
            FROM "Proposal" pr WHERE pr."processId" = ${id} AND pr."authorId" IS NOT NULL
            UNION ALL
            SELECT s."participantId", 'support', s."createdAt"
            FROM "Support" s JOIN "Proposal" pr ON pr.id = s."proposalId" WHERE pr."processId" = ${id}
            UNION ALL
            SELECT c."authorId", 'comment', c."createdAt"
            FROM "Comment" c JOIN "Proposal" pr ON pr.id = c."proposalId"
            WHERE pr."processId" = ${id} AND c."authorId" IS NOT NULL
          ), people AS (SELECT DISTINCT pid FROM acts)
          SELECT 'kind' AS grp, kind AS key, count(DISTINCT pid)::int AS n FROM acts GROUP BY kind
          UNION ALL
          SELECT 'total', NULL, count(*)::int FROM people
          UNION ALL
          SELECT 'channel', ch, count(*)::int
          FROM (SELECT ${joinedVia(Prisma.sql`people.pid`)} AS ch FROM people) x GROUP BY ch
          UNION ALL
          SELECT 'day', d, count(DISTINCT pid)::int FROM (SELECT pid, ${day(Prisma.sql`ts`)} AS d FROM acts) y
          GROUP BY d`,
      db.$queryRaw<{ channel: string; n: number }[]>`
          SELECT ch AS channel, count(*)::int AS n
          FROM (SELECT ${joinedVia(Prisma.sql`s."participantId"`)} AS ch
                FROM "Subscription" s WHERE s."processId" = ${id}) x
          GROUP BY ch`,
      db.$queryRaw<{ grp: string; key: string; n: number }[]>`
          SELECT 'status' AS grp, status::text AS key, count(*)::int AS n
          FROM "Proposal" WHERE "processId" = ${id} GROUP BY status
          UNION ALL
          SELECT 'day', ${day(Prisma.sql`"createdAt"`)}, count(*)::int
          FROM "Proposal" WHERE "processId" = ${id} GROUP BY 2`,
      db.$queryRaw<{ key: string; label: unknown; total: number; public: number }[]>`
          SELECT c.key, c.label, count(p.id)::int AS total,
                 count(p.id) FILTER (WHERE p.status::text = ANY(${publicStatuses}::text[]))::int AS public
          FROM "Category" c LEFT JOIN "Proposal" p ON p."categoryId" = c.id AND p."processId" = c."processId"
          WHERE c."processId" = ${id}
          GROUP BY c.id ORDER BY c.position, c.id`,
      db.$queryRaw<{ grp: string; key: string; n: number }[]>`
          WITH s AS (
            SELECT s."participantId", s."createdAt" FROM "Support" s
            JOIN "Proposal" pr ON pr.id = s."proposalId" WHERE pr."processId" = ${id}
          )
          SELECT 'day' AS grp, ${day(Prisma.sql`"createdAt"`)} AS key, count(*)::int AS n FROM s GROUP BY 2
          UNION ALL
          SELECT 'channel', ch, count(*)::int
          FROM (SELECT ${joinedVia(Prisma.sql`s."participantId"`)} AS ch FROM s) x GROUP BY ch`,
      db.$queryRaw<{ grp: string; key: string; n: number }[]>`
          WITH c AS (
            SELECT c.status, c."createdAt" FROM "Comment" c
            JOIN "Proposal" pr ON pr.id = c."proposalId" WHERE pr."processId" = ${id}
          )
          SELECT 'status' AS grp, status::text AS key, count(*)::int AS n FROM c GROUP BY status
          UNION ALL
          SELECT 'day', ${day(Prisma.sql`"createdAt"`)}, count(*)::int FROM c GROUP BY 2`,
      db.$queryRaw<
        {
          opened: number;
          reported: number;
          waiting: number;
          decided: number;
          approved: number;
          redacted: number;
          rejected: number;
          byReason: Record<string, number> | null;
          reports: number;
          median: number | null;
        }[]
      >`
          SELECT count(*)::int AS opened,
                 count(*) FILTER (WHERE reason = 'reported')::int AS reported,
                 count(*) FILTER (WHERE "decidedAt" IS NULL)::int AS waiting,
                 count(*) FILTER (WHERE decision IS NOT NULL)::int AS decided,
                 count(*) FILTER (WHERE decision = 'approve')::int AS approved,
                 count(*) FILTER (WHERE decision = 'redact_approve')::int AS redacted,
                 count(*) FILTER (WHERE decision = 'reject')::int AS rejected,
                 (SELECT json_object_agg(r, n) FROM (
                    SELECT CASE WHEN "decisionReason" = ANY(${presetReasons}::text[]) THEN "decisionReason"
                                ELSE 'other' END AS r, count(*)::int AS n
                    FROM "ModerationCase" WHERE "processId" = ${id} AND decision = 'reject' GROUP BY 1) x
                 ) AS "byReason",
                 ((SELECT count(*) FROM "ContentReport" r JOIN "Proposal" pr ON pr.id = r."proposalId"
                    WHERE pr."processId" = ${id})
                  + (SELECT count(*) FROM "ContentReport" r JOIN "Comment" c ON c.id = r."commentId"
                    JOIN "Proposal" pr ON pr.id = c."proposalId" WHERE pr."processId" = ${id}))::int AS reports,
                 (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "decidedAt" - "openedAt")::float8)
                    FILTER (WHERE decision IS NOT NULL))::float8 AS median
          FROM "ModerationCase"
          -- Not a case closed without a decision (wasSuperseded): the reported case replaced it.
          WHERE "processId" = ${id} AND ("decidedAt" IS NULL OR decision IS NOT NULL)`,
      db.$queryRaw<
        {
          id: number;
          title: string;
          categoryKey: string;
          status: ProposalStatus;
          supports: number;
          comments: number;
          answer: string | null;
          answeredAt: Date | null;
        }[]
      >`
          SELECT p.id, p.title, c.key AS "categoryKey", p.status::text AS status, p.answer, p."answeredAt",
                 (SELECT count(*) FROM "Support" s WHERE s."proposalId" = p.id)::int AS supports,
                 (SELECT count(*) FROM "Comment" m
                   WHERE m."proposalId" = p.id AND m.status = 'published')::int AS comments
          FROM "Proposal" p JOIN "Category" c ON c.id = p."categoryId"
          WHERE p."processId" = ${id} AND p.status::text = ANY(${publicStatuses}::text[])
          ORDER BY supports DESC, p.id ASC`,
      // A CommitmentRow whose title is still the stored JSON (read as texts below).
      db.$queryRaw<(Omit<CommitmentRow, 'title'> & { title: unknown })[]>`
          SELECT cm.id, cm.title, cm.department, cm.status::text AS status, cm.progress,
                 to_char(cm."dueDate", 'YYYY-MM-DD') AS "dueDate",
                 (SELECT count(*) FROM "CommitmentUpdate" u WHERE u."commitmentId" = cm.id)::int AS updates,
                 (SELECT max(u."createdAt") FROM "CommitmentUpdate" u WHERE u."commitmentId" = cm.id)
                   AS "lastUpdateAt",
                 ARRAY(SELECT cp."proposalId" FROM "CommitmentProposal" cp
                       WHERE cp."commitmentId" = cm.id ORDER BY cp."proposalId") AS "proposalIds"
          FROM "Commitment" cm WHERE cm."processId" = ${id}
          ORDER BY cm."dueDate" ASC NULLS LAST, cm.id`,
    ],
    { isolationLevel: 'RepeatableRead' },
  );

  const m = moderation[0]!;
  const proposalsByStatus = countsOf(PROPOSAL_STATUSES, proposals, 'status');
  const commentsByStatus = countsOf(COMMENT_STATUSES, comments, 'status');
  const report: ProcessReport = {
    generatedAt,
    process: {
      id,
      slug: process.slug,
      title: textsOf(process.title),
      timeZone: tz,
      createdAt: process.createdAt,
      phases: process.phases,
    },
    participants: {
      total: activity.find((r) => r.grp === 'total')?.n ?? 0,
      proposers: activity.find((r) => r.grp === 'kind' && r.key === 'proposal')?.n ?? 0,
      supporters: activity.find((r) => r.grp === 'kind' && r.key === 'support')?.n ?? 0,
      commenters: activity.find((r) => r.grp === 'kind' && r.key === 'comment')?.n ?? 0,
      byChannel: recordOf(activity.filter((r) => r.grp === 'channel')),
      byDay: daysOf(activity),
    },
    subscribers: {
      total: subscribers.reduce((n, r) => n + r.n, 0),
      byChannel: Object.fromEntries(subscribers.map((r) => [r.channel, r.n])),
    },
    proposals: {
      total: sum(proposalsByStatus),
      byStatus: proposalsByStatus,
      byCategory: categories.map((c) => ({
        key: c.key,
        label: textsOf(c.label),
        total: c.total,
        public: c.public,
      })),
      byDay: daysOf(proposals),
    },
    supports: {
      total: supports.filter((r) => r.grp === 'day').reduce((n, r) => n + r.n, 0),
      byDay: daysOf(supports),
      byChannel: recordOf(supports.filter((r) => r.grp === 'channel')),
    },
    comments: { total: sum(commentsByStatus), byStatus: commentsByStatus, byDay: daysOf(comments) },
    moderation: {
      opened: m.opened,
      reopenedByReports: m.reported,
      waiting: m.waiting,
      decided: m.decided,
      approved: m.approved,
      redacted: m.redacted,
      rejected: m.rejected,
      rejectedByReason: (m.byReason ?? {}) as ProcessReport['moderation']['rejectedByReason'],
      citizenReports: m.reports,
      medianSecondsToDecision: m.median === null ? null : Math.round(m.median),
    },
    results: results.map((r, i) => ({
      position: i + 1,
      ...r,
      outcome: r.status === 'selected' || r.status === 'not_selected' ? r.status : 'undecided',
    })),
    commitments: commitments.map((c) => ({ ...c, title: textsOf(c.title) })),
  };
  return { ok: true, report };
}

/** The process's time zone, or UTC if it is not one (a stored typo must not break the report). */
function knownTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** A JSON column of texts per language, keeping string values only. */
export function textsOf(value: unknown): Texts {
  if (typeof value === 'string') return { es: value };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
}

function countsOf<K extends string>(
  keys: K[],
  rows: { grp: string; key: string | null; n: number }[],
  grp: string,
): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const r of rows) if (r.grp === grp && r.key !== null && r.key in counts) counts[r.key as K] = r.n;
  return counts;
}

function recordOf(rows: { key: string | null; n: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.key ?? 'none', r.n]));
}

function daysOf(rows: { grp: string; key: string | null; n: number }[]): DayCount[] {
  return rows
    .filter((r) => r.grp === 'day' && r.key !== null)
    .map((r) => ({ day: r.key!, count: r.n }))
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((n, v) => n + v, 0);
}
