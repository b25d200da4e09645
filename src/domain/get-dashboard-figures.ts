// The staff dashboard's figures: for each process (newest first), its current phase, how many people took
// part, its proposals by status and its supports. Simple aggregates, in a fixed number of statements
// whatever the data (no query per process); the process report (get-process-report) has the detail.
// A page at a time: `after` is the id of the last process shown (newest first is by id), and the processes
// older than it follow; a process created meanwhile never pushes one off a later page.
//
// A participant of a process is someone who proposed, supported or commented in it (any status), as the
// process report counts them; authors erased under GDPR are no longer counted. Only counts leave this use
// case: no person is named.
import { Prisma } from '../generated/prisma/client.ts';
import type { PhaseKind, ProposalStatus } from '../generated/prisma/enums.ts';
import { currentPhase } from './current-phase.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { isDbId } from './ids.ts';
import { pickText } from './localized-text.ts';

/** The most processes one call gives. */
export const MAX_FIGURES_LIMIT = 100;

export const PROPOSAL_STATUSES: readonly ProposalStatus[] = [
  'pending',
  'published',
  'hidden',
  'rejected',
  'withdrawn',
  'selected',
  'not_selected',
];

export interface ProcessFigures {
  id: number;
  slug: string;
  title: string;
  /** Undefined before the first phase, between phases or after the last one. */
  phase: PhaseKind | undefined;
  participants: number;
  proposals: { total: number; byStatus: Record<ProposalStatus, number> };
  supports: number;
}

export async function getDashboardFigures(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  /**
   * `limit`: 1 … MAX_FIGURES_LIMIT (clamped), default 20. `after`: the id of the last process of the previous
   * page (it need not exist any more); one that is not a database id gives nothing.
   */
  input: { locale: Locale; limit?: number; after?: number },
): Promise<ProcessFigures[]> {
  const limit = Math.min(MAX_FIGURES_LIMIT, Math.max(1, Math.trunc(input.limit ?? 20) || 1));
  if (input.after !== undefined && !isDbId(input.after)) return [];
  const processes = await deps.db.process.findMany({
    ...(input.after !== undefined ? { where: { id: { lt: input.after } } } : {}),
    orderBy: { id: 'desc' },
    take: limit,
    select: { id: true, slug: true, title: true, phases: true },
  });
  if (processes.length === 0) return [];
  const ids = processes.map((p) => p.id);
  const idList = Prisma.join(ids);
  const [proposals, supports, participants] = await Promise.all([
    deps.db.$queryRaw<{ processId: number; status: ProposalStatus; n: number }[]>`
      SELECT "processId", status::text AS status, count(*)::int AS n
      FROM "Proposal" WHERE "processId" IN (${idList}) GROUP BY "processId", status`,
    deps.db.$queryRaw<{ processId: number; n: number }[]>`
      SELECT pr."processId", count(*)::int AS n
      FROM "Support" s JOIN "Proposal" pr ON pr.id = s."proposalId"
      WHERE pr."processId" IN (${idList}) GROUP BY pr."processId"`,
    deps.db.$queryRaw<{ processId: number; n: number }[]>`
      SELECT "processId", count(DISTINCT pid)::int AS n FROM (
        SELECT pr."processId", pr."authorId" AS pid
        FROM "Proposal" pr WHERE pr."processId" IN (${idList}) AND pr."authorId" IS NOT NULL
        UNION ALL
        SELECT pr."processId", s."participantId"
        FROM "Support" s JOIN "Proposal" pr ON pr.id = s."proposalId" WHERE pr."processId" IN (${idList})
        UNION ALL
        SELECT pr."processId", c."authorId"
        FROM "Comment" c JOIN "Proposal" pr ON pr.id = c."proposalId"
        WHERE pr."processId" IN (${idList}) AND c."authorId" IS NOT NULL
      ) acts GROUP BY "processId"`,
  ]);
  const now = deps.now();
  return processes.map((p): ProcessFigures => {
    const byStatus = Object.fromEntries(PROPOSAL_STATUSES.map((s) => [s, 0])) as Record<
      ProposalStatus,
      number
    >;
    for (const row of proposals) if (row.processId === p.id) byStatus[row.status] = row.n;
    return {
      id: p.id,
      slug: p.slug,
      title: pickText(p.title, input.locale),
      phase: currentPhase(p.phases, now)?.kind,
      participants: participants.find((r) => r.processId === p.id)?.n ?? 0,
      proposals: { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
      supports: supports.find((r) => r.processId === p.id)?.n ?? 0,
    };
  });
}
