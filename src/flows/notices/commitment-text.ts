// How a commitment reads: its status, its due date, and the notice its followers get when it is made or
// changes. Shared by the notices and the commitments and outcomes flows.
import type { Locale } from '../../domain/deps.ts';
import type { NoticeView } from '../../domain/describe-notices.ts';
import { t } from '../../i18n/index.ts';

export type CommitmentStatusName = 'planned' | 'in_progress' | 'done' | 'cancelled';

export const commitmentStatusText = (locale: Locale, status: CommitmentStatusName): string =>
  t(locale, `commitments.status.${status}`);

/** A calendar date (`YYYY-MM-DD`) as people write it: "30 de junio de 2027", "30 June 2027". */
export function dueDateText(locale: Locale, date: string): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'es-ES', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

export function commitmentNoticeText(n: Extract<NoticeView, { kind: 'commitment-changed' }>): string {
  const whose = n.mine ? 'yours' : 'followed';
  const vars = { title: n.title, proposal: n.proposalTitle, department: n.department };
  const head = n.created
    ? t(n.locale, `commitments.notice.created.${whose}`, vars)
    : t(n.locale, `commitments.notice.changed.${whose}`, vars);
  return [
    head,
    t(n.locale, 'commitments.notice.state', {
      status: commitmentStatusText(n.locale, n.status),
      progress: n.progress,
    }),
    n.dueDate ? t(n.locale, 'commitments.notice.due', { date: dueDateText(n.locale, n.dueDate) }) : '',
    n.note ? t(n.locale, 'commitments.notice.note', { note: n.note }) : '',
  ]
    .filter(Boolean)
    .join('\n');
}
