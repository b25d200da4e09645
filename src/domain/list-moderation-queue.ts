// The moderation queue as moderators see it (the admin API's list, `/cola` in the moderators' group): cases
// with the item's kind and id, a short excerpt of its public text, the pre-screen's finding kinds and the
// reports counted since the item's last decision (as get-moderation-case counts them), plus how many cases
// are open. Open cases come oldest first (the longest waiting is served first), decided ones most recently
// decided first; `all` lists the open ones, then the decided ones. A first review closed without a decision
// because reports hid its item (reopenAsReported) is in neither: the reported case that replaced it is.
// Pages are keyset-based: the cursor names the last case shown, so cases opened or decided meanwhile neither
// repeat nor vanish from later pages.
import { Prisma } from '../generated/prisma/client.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import type { Finding } from './moderation/prescreen-text.ts';
import type {
  ModerationCaseReason,
  ModerationDecision,
  ModerationItemKind,
} from '../generated/prisma/enums.ts';

export const QUEUE_STATES = ['open', 'decided', 'all'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export const DEFAULT_QUEUE_LIMIT = 50;
export const MAX_QUEUE_LIMIT = 200;
export const EXCERPT_LENGTH = 140;

export type ListModerationQueueInput = {
  /** Default 'open'. */
  state?: QueueState;
  itemKind?: ModerationItemKind;
  processId?: number;
  reason?: ModerationCaseReason;
  /** 1 … MAX_QUEUE_LIMIT (clamped); default DEFAULT_QUEUE_LIMIT. */
  limit?: number;
  /** `nextCursor` of the previous page, with the same filters. */
  cursor?: string;
};

export interface ModerationQueueItem {
  id: number;
  itemKind: ModerationItemKind;
  itemId: number;
  /** For a comment: the proposal it belongs to. */
  proposalId: number;
  processId: number;
  reason: ModerationCaseReason;
  /** The item's current status (pending, published, hidden, rejected…). */
  status: string;
  /** The item's public text (a proposal: title — body), whitespace collapsed, at most EXCERPT_LENGTH characters. */
  excerpt: string;
  /** The pre-screen's finding kinds, each once; null until the pre-screen has run. */
  findingKinds: Finding['kind'][] | null;
  reports: number;
  openedAt: Date;
  /** Seconds the case has been open (a decided case: how long it waited for its decision). */
  ageSeconds: number;
  decidedAt: Date | null;
  decision: ModerationDecision | null;
  decidedBy: string | null;
}

export type ListModerationQueueResult =
  | {
      ok: true;
      items: ModerationQueueItem[];
      /** Pass as `cursor` for the next page; null on the last page. */
      nextCursor: string | null;
      /** Open cases matching the filters (state, limit and cursor aside). */
      openCount: number;
    }
  | { ok: false; reason: 'invalid-cursor' };

/** Position after a case: its group (0 open, 1 decided), the time it is ordered by, its id. */
type Cursor = { g: 0 | 1; t: number; id: number };

const caseSelect = {
  id: true,
  itemKind: true,
  processId: true,
  reason: true,
  findings: true,
  openedAt: true,
  decidedAt: true,
  decision: true,
  decidedBy: { select: { name: true } },
  proposal: { select: { id: true, title: true, body: true, status: true, moderatedAt: true } },
  comment: { select: { id: true, proposalId: true, body: true, status: true, moderatedAt: true } },
} as const satisfies Prisma.ModerationCaseSelect;

type CaseRow = Prisma.ModerationCaseGetPayload<{ select: typeof caseSelect }>;

export async function listModerationQueue(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: ListModerationQueueInput = {},
): Promise<ListModerationQueueResult> {
  const state = input.state ?? 'open';
  const limit = Math.min(MAX_QUEUE_LIMIT, Math.max(1, Math.trunc(input.limit ?? DEFAULT_QUEUE_LIMIT) || 1));
  let cursor: Cursor | undefined;
  if (input.cursor !== undefined) {
    cursor = decodeCursor(input.cursor);
    const fits = cursor && (state === 'all' || cursor.g === (state === 'open' ? 0 : 1));
    if (!fits) return { ok: false, reason: 'invalid-cursor' };
  }
  if (input.processId !== undefined && !isDbId(input.processId))
    return { ok: true, items: [], nextCursor: null, openCount: 0 };

  const filters: Prisma.ModerationCaseWhereInput = {
    ...(input.itemKind ? { itemKind: input.itemKind } : {}),
    ...(input.processId !== undefined ? { processId: input.processId } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
  };
  const now = deps.now();

  const page = (g: 0 | 1, after: Cursor | undefined, take: number): Promise<CaseRow[]> => {
    const at = after && new Date(after.t);
    return g === 0
      ? deps.db.moderationCase.findMany({
          where: {
            ...filters,
            decidedAt: null,
            ...(after ? { OR: [{ openedAt: { gt: at } }, { openedAt: at, id: { gt: after.id } }] } : {}),
          },
          orderBy: [{ openedAt: 'asc' }, { id: 'asc' }],
          take,
          select: caseSelect,
        })
      : deps.db.moderationCase.findMany({
          where: {
            ...filters,
            // Decided: not a case closed without a decision (wasSuperseded), which the reported case
            // opened in its place stands for.
            decision: { not: null },
            ...(after ? { OR: [{ decidedAt: { lt: at } }, { decidedAt: at, id: { lt: after.id } }] } : {}),
          },
          orderBy: [{ decidedAt: 'desc' }, { id: 'desc' }],
          take,
          select: caseSelect,
        });
  };

  // One more than asked, to know whether another page follows.
  let rows: CaseRow[];
  if (state === 'decided' || cursor?.g === 1) rows = await page(1, cursor, limit + 1);
  else {
    rows = await page(0, cursor, limit + 1);
    if (state === 'all' && rows.length <= limit)
      rows.push(...(await page(1, undefined, limit + 1 - rows.length)));
  }
  const hasMore = rows.length > limit;
  const shown = rows.slice(0, limit).filter((r) => r.proposal ?? r.comment);
  const [reports, openCount] = await Promise.all([
    countReports(deps, shown),
    deps.db.moderationCase.count({ where: { ...filters, decidedAt: null } }),
  ]);

  const items = shown.map((c): ModerationQueueItem => {
    const item = (c.proposal ?? c.comment)!;
    const findings = c.findings as Finding[] | null;
    return {
      id: c.id,
      itemKind: c.itemKind,
      itemId: item.id,
      proposalId: c.proposal?.id ?? c.comment!.proposalId,
      processId: c.processId,
      reason: c.reason,
      status: item.status,
      excerpt: excerpt(c.proposal ? `${c.proposal.title} — ${c.proposal.body}` : c.comment!.body),
      findingKinds: Array.isArray(findings) ? [...new Set(findings.map((f) => f.kind))] : null,
      reports: reports.get(c.id) ?? 0,
      openedAt: c.openedAt,
      ageSeconds: Math.max(0, Math.floor(((c.decidedAt ?? now).getTime() - c.openedAt.getTime()) / 1000)),
      decidedAt: c.decidedAt,
      decision: c.decision,
      decidedBy: c.decidedBy?.name ?? null,
    };
  });
  const last = rows[limit - 1];
  const nextCursor =
    hasMore && last
      ? encodeCursor(
          last.decidedAt
            ? { g: 1, t: last.decidedAt.getTime(), id: last.id }
            : { g: 0, t: last.openedAt.getTime(), id: last.id },
        )
      : null;
  return { ok: true, items, nextCursor, openCount };
}

/**
 * Reports per case, counted since the item's last moderation decision when that decision came before the
 * case opened (reports the moderators already answered no longer count), otherwise all of them.
 */
async function countReports(deps: Pick<DomainDeps, 'db'>, cases: CaseRow[]): Promise<Map<number, number>> {
  if (cases.length === 0) return new Map();
  const keys = cases.map((c) => {
    const moderatedAt = (c.proposal ?? c.comment)!.moderatedAt;
    const since = moderatedAt && moderatedAt < c.openedAt ? moderatedAt : null;
    return Prisma.sql`(${c.id}::int, ${c.proposal?.id ?? null}::int, ${c.comment?.id ?? null}::int, ${since}::timestamp)`;
  });
  const rows = await deps.db.$queryRaw<{ caseId: number; count: number }[]>`
    SELECT k.case_id AS "caseId", count(r.id)::int AS count
    FROM (VALUES ${Prisma.join(keys)}) AS k(case_id, proposal_id, comment_id, since)
    JOIN "ContentReport" r ON (r."proposalId" = k.proposal_id OR r."commentId" = k.comment_id)
      AND (k.since IS NULL OR r."createdAt" > k.since)
    GROUP BY k.case_id`;
  return new Map(rows.map((r) => [r.caseId, r.count]));
}

function excerpt(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= EXCERPT_LENGTH
    ? chars.join('')
    : `${chars
        .slice(0, EXCERPT_LENGTH - 1)
        .join('')
        .trimEnd()}…`;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.g, c.t, c.id])).toString('base64url');
}

// The largest time a Date can hold.
const MAX_DATE_MS = 8.64e15;

function decodeCursor(raw: string): Cursor | undefined {
  if (raw.length > 100 || !/^[A-Za-z0-9_-]+$/.test(raw)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3) return undefined;
    const [g, t, id] = v as unknown[];
    if (
      (g !== 0 && g !== 1) ||
      !Number.isSafeInteger(t) ||
      (t as number) < 0 ||
      (t as number) > MAX_DATE_MS ||
      !isDbId(id)
    )
      return undefined;
    return { g, t: t as number, id };
  } catch {
    return undefined;
  }
}
