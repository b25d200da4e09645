// Processes as staff list them (the admin API): newest first, a page at a time (`cursor`: the last id of
// the previous page), each with its slug, texts in every language, phase under way and counts. The whole
// process comes from get-process-admin-view.
import type { PhaseKind } from '../generated/prisma/enums.ts';
import { currentPhase } from './current-phase.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';

export const DEFAULT_PROCESSES_LIMIT = 50;
export const MAX_PROCESSES_LIMIT = 100;

export interface ProcessAdminSummary {
  id: number;
  slug: string;
  title: Record<string, string>;
  timeZone: string;
  createdAt: Date;
  currentPhase: PhaseKind | null;
  phases: number;
  categories: number;
  proposals: number;
}

export async function listProcessAdminViews(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  /** `limit`: 1 … MAX_PROCESSES_LIMIT (clamped), default DEFAULT_PROCESSES_LIMIT; `cursor`: ids below it. */
  input: { limit?: number; cursor?: number } = {},
): Promise<{ items: ProcessAdminSummary[]; nextCursor: number | null }> {
  if (input.cursor !== undefined && !isDbId(input.cursor)) return { items: [], nextCursor: null };
  const asked = Number.isFinite(input.limit) ? Math.trunc(input.limit!) : DEFAULT_PROCESSES_LIMIT;
  const limit = Math.min(MAX_PROCESSES_LIMIT, Math.max(1, asked));
  const rows = await deps.db.process.findMany({
    where: input.cursor !== undefined ? { id: { lt: input.cursor } } : {},
    orderBy: { id: 'desc' },
    take: limit + 1,
    select: {
      id: true,
      slug: true,
      title: true,
      timeZone: true,
      createdAt: true,
      phases: { orderBy: { position: 'asc' } },
      _count: { select: { categories: true, proposals: true } },
    },
  });
  const now = deps.now();
  const page = rows.slice(0, limit);
  return {
    items: page.map((p) => ({
      id: p.id,
      slug: p.slug,
      title: p.title as Record<string, string>,
      timeZone: p.timeZone,
      createdAt: p.createdAt,
      currentPhase: currentPhase(p.phases, now)?.kind ?? null,
      phases: p.phases.length,
      categories: p._count.categories,
      proposals: p._count.proposals,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}
