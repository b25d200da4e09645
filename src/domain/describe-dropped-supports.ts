// What the supports dropped when two accounts were linked (merge-participants' `droppedSupports`) were, in
// the reader's language: each process's title and limit, and the titles of the proposals that lost the
// support, in the order given. Told to the person who confirmed the linking at once, and to their other
// channel by a notice (record-dropped-support-notices, describe-notices). A proposal or process gone since
// is left out; a process with nothing left to name is left out.
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';
import type { DroppedSupports } from './merge-participants.ts';

export interface DroppedSupportsView {
  processTitle: string;
  /** The process's supports per participant. */
  limit: number;
  proposalTitles: string[];
}

export async function describeDroppedSupports(
  deps: Pick<DomainDeps, 'db'>,
  input: { dropped: DroppedSupports[]; locale: Locale },
): Promise<DroppedSupportsView[]> {
  if (input.dropped.length === 0) return [];
  const [processes, proposals] = await Promise.all([
    deps.db.process.findMany({
      where: { id: { in: input.dropped.map((d) => d.processId) } },
      select: { id: true, title: true },
    }),
    deps.db.proposal.findMany({
      where: { id: { in: input.dropped.flatMap((d) => d.proposalIds) } },
      select: { id: true, title: true },
    }),
  ]);
  const processTitle = new Map(processes.map((p) => [p.id, pickText(p.title, input.locale)]));
  const proposalTitle = new Map(proposals.map((p) => [p.id, p.title]));
  const views: DroppedSupportsView[] = [];
  for (const d of input.dropped) {
    const title = processTitle.get(d.processId);
    const titles = d.proposalIds.flatMap((id) => proposalTitle.get(id) ?? []);
    if (title !== undefined && titles.length > 0)
      views.push({ processTitle: title, limit: d.limit, proposalTitles: titles });
  }
  return views;
}
