// The text of a notice (notices are rendered when delivered, in the recipient's language).
import type { NoticeView } from '../../domain/describe-notices.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import { reasonText } from '../moderation/case-card.ts';
import { broadcastMessageText } from './broadcast-text.ts';
import { eventNoticeText } from './event-notice-text.ts';
import { commitmentNoticeText } from './commitment-text.ts';
import { retentionNoticeText } from './retention-notice-text.ts';
import { droppedSupportsNoticeText } from '../link-accounts/dropped-supports-text.ts';

const OUTCOME: Record<'proposal' | 'comment', Record<string, MessageKey>> = {
  proposal: {
    approve: 'notice.published',
    reject: 'notice.rejected',
    redact_approve: 'notice.redacted',
    restore: 'notice.restored',
    takeDown: 'notice.takenDown',
  },
  comment: {
    approve: 'notice.commentPublished',
    reject: 'notice.commentRejected',
    redact_approve: 'notice.commentRedacted',
    restore: 'notice.commentRestored',
    takeDown: 'notice.commentTakenDown',
  },
};

export function noticeText(n: NoticeView): string {
  if (n.kind === 'broadcast') return broadcastMessageText(n.locale, n);
  if ('eventKind' in n) return eventNoticeText(n);
  if (n.kind === 'retention-warning') return retentionNoticeText(n);
  if (n.kind === 'supports-dropped') return droppedSupportsNoticeText(n.locale, n.dropped);
  if (n.kind === 'commitment-changed') return commitmentNoticeText(n);
  if (n.kind === 'proposal-outcome') {
    const whose = n.mine ? 'yours' : 'followed';
    const head =
      n.status === 'selected'
        ? t(n.locale, `notice.outcome.${whose}.selected`, { title: n.proposalTitle })
        : n.status === 'not_selected'
          ? t(n.locale, `notice.outcome.${whose}.notSelected`, { title: n.proposalTitle })
          : t(n.locale, `notice.outcome.${whose}.answered`, { title: n.proposalTitle });
    return n.answer ? `${head}\n\n${t(n.locale, 'notice.outcome.answer', { answer: n.answer })}` : head;
  }
  if (n.kind === 'comment-published')
    return t(n.locale, 'notice.newComment', { title: n.proposalTitle, excerpt: n.excerpt });
  // What changed for the public: something public taken down (reported, or post-moderated), something hidden
  // by reports shown again, or the first decision on something nobody had seen.
  const outcome =
    n.decision === 'reject' ? (n.wasPublic ? 'takeDown' : 'reject') : n.restored ? 'restore' : n.decision;
  return t(n.locale, OUTCOME[n.itemKind][outcome]!, {
    title: n.proposalTitle,
    reason: reasonText(n.locale, n.rejectionReason),
  });
}
