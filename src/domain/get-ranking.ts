// The current ranking of a process: public proposals by number of supports, most supported first
// (ties: the older proposal first).
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
  input: { processId: number; limit?: number },
): Promise<RankingEntry[]> {
  const rows = await deps.db.proposal.findMany({
    where: { processId: input.processId, status: { in: [...PUBLIC_STATUSES] } },
    orderBy: [{ supports: { _count: 'desc' } }, { id: 'asc' }],
    take: input.limit ?? 10,
    select: { id: true, title: true, _count: { select: { supports: true } } },
  });
  return rows.map((r, i) => ({ position: i + 1, id: r.id, title: r.title, supports: r._count.supports }));
}
