// The `notifications` queue's handler. `case-decided`: the people concerned are told (record-case-notices
// picks them and their channel; each notice is handed to its channel's sender once), then the room's card
// is edited to the outcome, then the case is settled. `comment-published`: the proposal's followers are told. Safe to run twice: notices are unique per person and
// event and marked delivered, the outbox queues each notice and each card edit once.
// Channels without a sender here (web chat) show their notices at the person's next message.
import type { DomainDeps } from '../../domain/deps.ts';
import { getModerationCase } from '../../domain/get-moderation-case.ts';
import { markNoticeDelivered } from '../../domain/mark-notice-delivered.ts';
import { recordCaseNotices } from '../../domain/record-case-notices.ts';
import { recordCommentNotices } from '../../domain/record-comment-notices.ts';
import type { PendingNotice } from '../../domain/notices.ts';
import { settleCase } from '../../domain/settle-case.ts';
import type { ModeratorsRoomPort } from '../moderation/handler.ts';
import type { NotificationJob } from './job.ts';

/** Hands a notice to a channel; false when there was nothing to say (its item is gone). */
export type NoticeSender = (noticeId: bigint, externalId: string) => Promise<boolean>;

export interface NotificationHandlerDeps {
  domain: DomainDeps;
  room?: Pick<ModeratorsRoomPort, 'update'>;
  senders: Partial<Record<string, NoticeSender>>;
}

export async function handleNotificationJob(
  deps: NotificationHandlerDeps,
  job: NotificationJob,
): Promise<{ delivered: number; waiting: number }> {
  if (job.kind === 'comment-published')
    return deliver(deps, await recordCommentNotices(deps.domain, { commentId: job.commentId }));
  const counts = await deliver(deps, await recordCaseNotices(deps.domain, { caseId: job.caseId }));
  if (deps.room) {
    const view = await getModerationCase(deps.domain, { caseId: job.caseId });
    // May throw CardNotSentYetError: the job is retried with backoff until the card's id is known.
    if (view?.announcedAt) await deps.room.update(job.caseId);
  }
  await settleCase(deps.domain, { caseId: job.caseId });
  return counts;
}

async function deliver(
  deps: NotificationHandlerDeps,
  pending: PendingNotice[],
): Promise<{ delivered: number; waiting: number }> {
  const counts = { delivered: 0, waiting: 0 };
  for (const notice of pending) {
    const send = deps.senders[notice.channel];
    if (!send) {
      counts.waiting++;
      continue;
    }
    const said = await send(notice.id, notice.externalId);
    await markNoticeDelivered(deps.domain, { noticeId: notice.id, via: said ? notice.channel : 'nothing' });
    counts.delivered++;
  }
  return counts;
}
