// The `notifications` queue's handler. `case-decided`: the people concerned are told (record-case-notices
// picks them and their channel; each notice is handed to its channel's sender once), then the room's card
// is edited to the outcome, then the case is settled. `comment-published`: the proposal's followers are told.
// `proposal-outcome`: the proposal's author, supporters and followers are told. `commitment-changed`: the
// authors, supporters and followers of the commitment's proposals are told. `event-*`: the people registered
// for a workshop or event (or waiting for a place) are told (record-event-notices). `retention-warning`: the
// people the retention sweep warned (their notices were recorded with the warning). In quiet hours (the
// process's time zone) the notices are recorded but nothing is pushed: the worker runs the job again when
// they end (the moderators' room card is still edited at once). Safe to run twice: notices are unique per person and
// event and marked delivered, the outbox queues each notice and each card edit once.
// Channels without a sender here (web chat) show their notices at the person's next message.
import type { DomainDeps } from '../../domain/deps.ts';
import { getModerationCase } from '../../domain/get-moderation-case.ts';
import { markNoticeDelivered } from '../../domain/mark-notice-delivered.ts';
import { recordCaseNotices } from '../../domain/record-case-notices.ts';
import { recordCommentNotices } from '../../domain/record-comment-notices.ts';
import { recordProposalNotices } from '../../domain/record-proposal-notices.ts';
import { commitmentTimeZone, recordCommitmentNotices } from '../../domain/record-commitment-notices.ts';
import { eventTimeZone, recordEventNotices } from '../../domain/record-event-notices.ts';
import { DEFAULT_TIME_ZONE } from '../../domain/create-process.ts';
import { findPendingRetentionWarnings } from '../../domain/find-pending-retention-warnings.ts';
import { processTimeZone, quietUntil, type QuietHours } from '../../domain/quiet-hours.ts';
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
  /** Notices to people wait for the end of these hours (the process's time zone). */
  quietHours?: QuietHours;
}

export interface NotificationOutcome {
  delivered: number;
  waiting: number;
  /** Quiet hours: nothing was sent to people; run the job again at this time. */
  deferUntil?: Date;
}

export async function handleNotificationJob(
  deps: NotificationHandlerDeps,
  job: NotificationJob,
): Promise<NotificationOutcome> {
  const domain = deps.domain;
  if (job.kind === 'retention-warning') {
    // Not about a process: quiet hours in the default time zone.
    const quiet = deps.quietHours ? quietUntil(domain.now(), DEFAULT_TIME_ZONE, deps.quietHours) : undefined;
    const warnings = await findPendingRetentionWarnings(domain, job);
    return quiet ? { delivered: 0, waiting: warnings.length, deferUntil: quiet } : deliver(deps, warnings);
  }
  const timeZone =
    job.kind === 'commitment-changed'
      ? await commitmentTimeZone(domain, { commitmentId: job.commitmentId })
      : 'eventId' in job
        ? await eventTimeZone(domain, { eventId: job.eventId })
        : await processTimeZone(
            domain,
            job.kind === 'case-decided'
              ? { caseId: job.caseId }
              : job.kind === 'comment-published'
                ? { commentId: job.commentId }
                : { proposalId: job.proposalId },
          );
  const deferUntil = deps.quietHours ? quietUntil(domain.now(), timeZone, deps.quietHours) : undefined;
  // Notices are recorded at once (a web chat person sees theirs whenever they come); pushed ones wait.
  const pending =
    job.kind === 'case-decided'
      ? await recordCaseNotices(domain, { caseId: job.caseId })
      : job.kind === 'comment-published'
        ? await recordCommentNotices(domain, { commentId: job.commentId })
        : job.kind === 'commitment-changed'
          ? await recordCommitmentNotices(domain, { commitmentId: job.commitmentId, updateId: job.updateId })
          : 'eventId' in job
            ? await recordEventNotices(domain, job)
            : await recordProposalNotices(domain, { proposalId: job.proposalId, at: job.at });
  const counts = deferUntil ? { delivered: 0, waiting: pending.length } : await deliver(deps, pending);
  if (job.kind === 'case-decided') {
    if (deps.room) {
      // The moderators' room is not quiet. May throw CardNotSentYetError: retried until the card is known.
      const view = await getModerationCase(domain, { caseId: job.caseId });
      if (view?.announcedAt) await deps.room.update(job.caseId);
    }
    if (!deferUntil) await settleCase(domain, { caseId: job.caseId });
  }
  return deferUntil ? { ...counts, deferUntil } : counts;
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
