// The `notifications` queue's handler. `case-decided`: the people concerned are told (record-case-notices
// picks them and their channel; each notice is handed to its channel's sender once), then the room's card
// is edited to the outcome, then the case is settled. `comment-published`: the proposal's followers are told.
// `proposal-outcome`: the proposal's author, supporters and followers are told. `commitment-changed`: the
// authors, supporters and followers of the commitment's proposals are told. `event-*`: the people registered
// for a workshop or event (or waiting for a place) are told (record-event-notices). `retention-warning`: the
// people the retention sweep warned (their notices were recorded with the warning). `erased-cases`: the room's
// cards of cases erased with their author's texts are edited to a neutral text, in the room's language (the
// room is not quiet; a card whose message is not known yet makes the job retry). In quiet hours (the
// process's time zone) the notices are recorded but nothing is pushed: the worker runs the job again when
// they end (the moderators' room card is still edited at once; a card still queued makes the job come back in
// a minute, not fail). Safe to run twice: notices are unique per person and
// event and marked delivered, the outbox queues each notice and each card edit once (an erased card edited
// again to the same text is harmless: Telegram's "message is not modified" counts as sent).
// Channels without a sender here (web chat) show their notices at the person's next message. Nothing is
// pushed to an account that cannot be reached (the person blocked the bot): right before pushing, the
// worker asks which notices still may go (find-pushable-notices); the others wait, recorded, and the engine
// shows them at the head of the person's next turn when they write again.
import { DEFAULT_LOCALE, type DomainDeps, type Locale } from '../../domain/deps.ts';
import { getModerationCase } from '../../domain/get-moderation-case.ts';
import { markNoticeDelivered } from '../../domain/mark-notice-delivered.ts';
import { recordCaseNotices } from '../../domain/record-case-notices.ts';
import { recordCommentNotices } from '../../domain/record-comment-notices.ts';
import { recordProposalNotices } from '../../domain/record-proposal-notices.ts';
import { commitmentTimeZone, recordCommitmentNotices } from '../../domain/record-commitment-notices.ts';
import { eventTimeZone, recordEventNotices } from '../../domain/record-event-notices.ts';
import { DEFAULT_TIME_ZONE } from '../../domain/create-process.ts';
import { findPendingRetentionWarnings } from '../../domain/find-pending-retention-warnings.ts';
import { findPushableNotices } from '../../domain/find-pushable-notices.ts';
import { processTimeZone, quietUntil, type QuietHours } from '../../domain/quiet-hours.ts';
import type { PendingNotice } from '../../domain/notices.ts';
import { settleCase } from '../../domain/settle-case.ts';
import { t } from '../../i18n/index.ts';
import type { ModeratorsRoomPort } from '../moderation/handler.ts';
import type { NotificationJob } from './job.ts';

/** Hands a notice to a channel; false when there was nothing to say (its item is gone). */
export type NoticeSender = (noticeId: bigint, externalId: string) => Promise<boolean>;

/** The room's cards of erased cases (their rows are gone: the card is known by its case id only). */
export interface ErasedCardsPort {
  /** Edits the case's card to `text` (plain), without buttons; false while its message is not known. */
  withdraw(caseId: number, text: string): Promise<boolean>;
}

/** An erased case's card whose message is not known yet (its card still on its way): the job retries. */
export class ErasedCardNotSentYetError extends Error {
  constructor(count: number) {
    super(`${count} card(s) of erased cases not sent yet`);
    this.name = 'ErasedCardNotSentYetError';
  }
}

/** In quiet hours, how soon a `case-decided` job whose card edit failed runs again. */
const ROOM_RETRY_MS = 60_000;

export interface NotificationHandlerDeps {
  domain: DomainDeps;
  room?: Pick<ModeratorsRoomPort, 'update'> & Partial<ErasedCardsPort>;
  /** The moderators' room's language (its cards); Spanish by default. */
  moderatorsLocale?: Locale;
  senders: Partial<Record<string, NoticeSender>>;
  /** Notices to people wait for the end of these hours (the process's time zone). */
  quietHours?: QuietHours;
}

export interface NotificationOutcome {
  delivered: number;
  waiting: number;
  /** Quiet hours: nothing was sent to people; run the job again at this time. */
  deferUntil?: Date;
  /** `erased-cases`: the room's cards queued for their neutral edit. */
  cardsWithdrawn?: number;
}

export async function handleNotificationJob(
  deps: NotificationHandlerDeps,
  job: NotificationJob,
): Promise<NotificationOutcome> {
  const domain = deps.domain;
  if (job.kind === 'erased-cases') {
    if (!deps.room?.withdraw) return { delivered: 0, waiting: 0 };
    const locale = deps.moderatorsLocale ?? DEFAULT_LOCALE;
    let unknown = 0;
    for (const caseId of job.caseIds)
      if (
        !(await deps.room.withdraw(
          caseId,
          t(locale, job.why === 'withdrawn' ? 'moderation.withdrawnByAuthor' : 'moderation.erased', {
            id: caseId,
          }),
        ))
      )
        unknown++;
    // The edits already queued are queued once (the outbox's key): a retry edits only the missing ones.
    if (unknown > 0) throw new ErasedCardNotSentYetError(unknown);
    return { delivered: 0, waiting: 0, cardsWithdrawn: job.caseIds.length };
  }
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
      // The moderators' room is not quiet. The room shows the outcome even of a card it no longer knows (as
      // a new card); an edit fails only while its card is still queued (CardNotSentYetError), and is retried
      // until the card is known. The people's notices are never held behind it: outside quiet hours they
      // went above; in quiet hours, where a failure would spend the job's tries before the morning's push,
      // the job comes back in a minute instead (deferred, which spends none).
      const view = await getModerationCase(domain, { caseId: job.caseId });
      if (view?.announcedAt)
        try {
          await deps.room.update(job.caseId);
        } catch (error) {
          if (!deferUntil) throw error;
          const soon = new Date(domain.now().getTime() + ROOM_RETRY_MS);
          return { ...counts, deferUntil: soon < deferUntil ? soon : deferUntil };
        }
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
  const pushed = pending.filter((n) => deps.senders[n.channel]);
  // Read now, not when recorded: still undelivered, to an account still reachable.
  const pushable = await findPushableNotices(deps.domain, { noticeIds: pushed.map((n) => n.id) });
  const handed = new Set<bigint>();
  for (const notice of pushable) {
    // One push per notice, even for a person with two accounts on its channel (merged participants).
    if (handed.has(notice.id)) continue;
    handed.add(notice.id);
    const said = await deps.senders[notice.channel]!(notice.id, notice.externalId);
    await markNoticeDelivered(deps.domain, { noticeId: notice.id, via: said ? notice.channel : 'nothing' });
    counts.delivered++;
  }
  // Web chat ones, and those of people who cannot be reached now: shown at their next message.
  counts.waiting = new Set(pending.map((n) => n.id)).size - handed.size;
  return counts;
}
