// Public proposals of a process, page by page (newest first), with their support counts.
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';
import { PUBLIC_STATUSES } from './proposal-visibility.ts';

export interface ProposalListItem {
  id: number;
  title: string;
  category: string;
  supports: number;
}

export interface ProposalPage {
  items: ProposalListItem[];
  page: number;
  pages: number;
  total: number;
}

export const PROPOSALS_PAGE_SIZE = 5;

export async function listProposals(
  deps: Pick<DomainDeps, 'db'>,
  input: { processId: number; page: number; locale: Locale; pageSize?: number },
): Promise<ProposalPage> {
  const pageSize = input.pageSize ?? PROPOSALS_PAGE_SIZE;
  if (!isDbId(input.processId)) return { items: [], page: 1, pages: 1, total: 0 };
  const where = { processId: input.processId, status: { in: [...PUBLIC_STATUSES] } };
  const total = await deps.db.proposal.count({ where });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(input.page) || 1), pages);
  const rows = await deps.db.proposal.findMany({
    where,
    orderBy: { id: 'desc' },
    skip: (page - 1) * pageSize,
    take: pageSize,
    select: {
      id: true,
      title: true,
      category: { select: { label: true } },
      _count: { select: { supports: true } },
    },
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      category: pickText(r.category.label, input.locale),
      supports: r._count.supports,
    })),
    page,
    pages,
    total,
  };
}
