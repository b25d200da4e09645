// What linking two accounts took away, in words: per process, the limit that was over and the proposals
// whose support went (describe-dropped-supports). Said to the conversation that confirmed the linking, and,
// as a notice, to the other one.
import type { Locale } from '../../domain/deps.ts';
import type { DroppedSupportsView } from '../../domain/describe-dropped-supports.ts';
import { t } from '../../i18n/index.ts';

export function droppedSupportsText(locale: Locale, d: DroppedSupportsView): string {
  const titles = d.proposalTitles.map((title) => t(locale, 'linkAccounts.droppedTitle', { title }));
  return t(locale, 'linkAccounts.dropped', {
    count: d.proposalTitles.length,
    limit: t(locale, 'linkAccounts.droppedLimit', { count: d.limit }),
    process: d.processTitle,
    proposals: new Intl.ListFormat(locale, { type: 'conjunction' }).format(titles),
  });
}

/** The same, for the other channel, which has not heard of the linking yet. */
export function droppedSupportsNoticeText(locale: Locale, d: DroppedSupportsView): string {
  return `${t(locale, 'linkAccounts.droppedElsewhere')}\n\n${droppedSupportsText(locale, d)}`;
}
