// The processes a participant receives updates of, oldest subscription first, with titles in their language.
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';

export interface SubscriptionView {
  processId: number;
  title: string;
}

export async function listSubscriptions(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; locale: Locale },
): Promise<SubscriptionView[]> {
  const rows = await deps.db.subscription.findMany({
    where: { participantId: input.participantId },
    orderBy: [{ createdAt: 'asc' }, { processId: 'asc' }],
    select: { processId: true, process: { select: { title: true } } },
  });
  return rows.map((r) => ({ processId: r.processId, title: pickText(r.process.title, input.locale) }));
}
