// The current ranking of a process: public proposals by number of supports, most supported first
// (ties: the older proposal first), a page at a time: `offset` skips that many (positions go on counting
// from it: the second page of ten starts at 11), `limit` gives at most that many (default 10).
import type { DomainDeps } from './deps.ts';
import { PUBLIC_STATUSES } from './proposal-visibility.ts';

export interface RankingEntry {
  position: number;
  id: number;
  title: string;
  supports: number;
}

export async function getRanking(
  deps: Pick<DomainDeps, 'db'>,
  input: { processId: number; limit?: number; offset?: number },
): Promise<RankingEntry[]> {
  // An offset that is none (negative, fractional, not a number) is the first page.
  const offset = Number.isSafeInteger(input.offset) && input.offset! > 0 ? input.offset! : 0;
  const rows = await deps.db.proposal.findMany({
    where: { processId: input.processId, status: { in: [...PUBLIC_STATUSES] } },
    orderBy: [{ supports: { _count: 'desc' } }, { id: 'asc' }],
    skip: offset,
    take: input.limit ?? 10,
    select: { id: true, title: true, _count: { select: { supports: true } } },
  });
  return rows.map((r, i) => ({
    position: offset + i + 1,
    id: r.id,
    title: r.title,
    supports: r._count.supports,
  }));
}
