// The right to erasure (GDPR art. 17), run after the chat's double confirmation, or by the retention sweep.
// One transaction, under the participant's lock:
// - public proposals and comments (published, selected, not selected; hidden ones awaiting review) stay,
//   anonymised: their author link is set to NULL explicitly (so the person's texts are not even linked to
//   each other through a pseudonym). What never became public (pending, rejected, withdrawn proposals;
//   pending and rejected comments) is deleted; a rejected comment others replied to keeps its row for the
//   thread, with its text and rejection reason emptied.
// - supports stay counted: they stay on the participant row, whose id is replaced by a fresh random UUID in
//   one UPDATE (ON UPDATE CASCADE carries every child row), so nothing refers to the former id any more.
// - the consent ledger keeps purpose, action, notice version, time and channel kind under that pseudonym,
//   plus a `withdrawn` row for what still stood. ConsentRecord refuses UPDATE (a trigger that the cascade
//   would fire too), so its rows are read, deleted before the id change and inserted again in their order,
//   with the same contents.
// - channel accounts, subscriptions, follows, notices, reports, link codes and attempts are deleted; each
//   place and waiting-list spot first ends as a cancellation does (cancel-event-registration's
//   cancelRegistrationOfLockedEvent: a place freed in an event to come goes to the waiting list, whose
//   promoted people are told after commit), then every registration is deleted;
//   broadcast messages not sent yet are marked skipped (sent ones stay, for the broadcast's figures);
//   redeemed verification codes stay redeemed (they cannot be used again) but lose their link.
// - the audit rows about the person's proposals and comments (deleted or kept) lose the texts they carry
//   (a redaction's row keeps the original title and body), marked `erasedTexts` (scrub-audit-texts.ts);
//   who decided what, when and why stays.
// - the remaining row holds no locale, age answer or warning: only createdAt and the erasure time.
//
// Lock order: the participant's row first (lockParticipant), then the rows of the events they hold a place
// or a waiting-list spot in, one at a time in ascending id (as withdraw-consent and merge-participants do),
// so erasures and withdrawals never wait on each other's events in a cycle. Under the participant's lock no
// registration of theirs can appear or come back (registerForEvent takes a share lock on their row first),
// but a waiting-list spot can still become a place: a cancellation promotes under the event's lock alone.
// So each registration's status is read under its event's lock, and only then is it ended.
//
// Outside PostgreSQL: conversation state, turn records and Telegram queues in Redis are keyed by channel
// accounts, which are returned and handed to `traces.forget` after commit (a failure there is logged and
// reported as `tracesForgotten: false`: the caller may retry with `accounts`; those keys expire anyway).
// Queued jobs carry no participant ids (moderation, notifications and broadcast jobs carry case, comment,
// proposal, commitment, event, registration and broadcast ids; their handlers read the database, where the
// person no longer is), so no job has to be removed.
// The moderators' room (Telegram messages, outside Plaza's storage) still shows the removed texts on their
// cases' cards: the cases whose card was posted (`announcedAt`) are read before the texts go, and after
// commit one `notifications` job `erased-cases` (their case ids only; the channel keeps each card's message
// by case id) has the cards edited to a neutral text. A failure to enqueue it is logged and reported as
// `cardsQueued: false` (the caller may enqueue it again); the erasure stands.
import { randomUUID } from 'node:crypto';
import { endRegistrations } from './cancel-event-registration.ts';
import { lockParticipant } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import { notifyPromoted } from './events.ts';
import { CARD_FINDABLE_MS } from './moderation-cases.ts';
import { dueErasure, retentionThresholds, type RetentionPolicy } from './retention.ts';
import { scrubAuditTexts } from './scrub-audit-texts.ts';
import { isUuid } from './staff-members.ts';

export interface ChannelAccountRef {
  channel: string;
  externalId: string;
  /**
   * A conversation of this account known to the caller (the one the erasure was asked in): forgotten even
   * when nothing else links it to the account any more (web chat maps users to conversations in a record
   * the first sweep deletes).
   */
  conversationId?: string;
}

/** What Plaza keeps about a person outside PostgreSQL, keyed by their channel accounts. */
export interface ParticipantTraces {
  /** Deletes the conversations, turn records and queued messages of these accounts. Safe to repeat. */
  forget(accounts: readonly ChannelAccountRef[]): Promise<void>;
}

export interface ErasureCounts {
  proposalsDeleted: number;
  proposalsAnonymised: number;
  commentsDeleted: number;
  commentsAnonymised: number;
  supportsKept: number;
  deliveriesSkipped: number;
  registrationsRemoved: number;
  /** Audit rows about the person's proposals and comments that lost their texts. */
  auditRowsScrubbed: number;
}

export type EraseParticipantResult =
  | {
      ok: true;
      accounts: ChannelAccountRef[];
      tracesForgotten: boolean;
      counts: ErasureCounts;
      /**
       * Moderation cases of the texts removed (deleted, or emptied when others replied) whose card was
       * posted in the moderators' room, in id order: references to the cards to edit, never their text.
       */
      cardCaseIds: number[];
      /**
       * Whether the `erased-cases` job that edits those cards was enqueued (true when there is none). False:
       * logged; enqueue `{ kind: 'erased-cases', caseIds: cardCaseIds }` again.
       */
      cardsQueued: boolean;
    }
  | { ok: false; reason: 'not-found' | 'still-active' };

const NOT_PUBLIC_PROPOSAL = ['pending', 'rejected', 'withdrawn'] as const;
const NOT_PUBLIC_COMMENT = ['pending', 'rejected'] as const;

export async function eraseParticipant(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    participantId: string;
    /** The channel the request came from (the ledger's `withdrawn` rows), or 'system' for the sweep. */
    channel: string;
    traces: ParticipantTraces;
    /** The retention sweep: erase only if still due erasure (retention.ts), checked under the lock. */
    onlyIfInactive?: RetentionPolicy;
  },
): Promise<EraseParticipantResult> {
  const id = input.participantId;
  if (!isUuid(id)) return { ok: false, reason: 'not-found' };
  const done = await deps.db.$transaction(
    async (tx) => {
      await lockParticipant(tx, id);
      const person = await tx.participant.findUnique({ where: { id }, select: { erasedAt: true } });
      if (!person || person.erasedAt) return 'not-found' as const;
      const now = deps.now();
      if (input.onlyIfInactive) {
        const due = await tx.$queryRaw<unknown[]>`
          SELECT 1 FROM "Participant" p
          WHERE p.id = ${id}::uuid AND ${dueErasure(retentionThresholds(now, input.onlyIfInactive))}`;
        if (due.length === 0) return 'still-active' as const;
      }
      const mine = { participantId: id };
      const accounts = await tx.channelAccount.findMany({
        where: mine,
        orderBy: { createdAt: 'asc' },
        select: { channel: true, externalId: true },
      });

      // Each place and waiting-list spot ends as a cancellation (a freed place goes to the waiting list);
      // started, past and cancelled events promote nobody.
      const { promoted } = await endRegistrations(tx, id, now, { upcomingOnly: false });
      // Every registration, ended above or cancelled before.
      const registrations = await tx.eventRegistration.deleteMany({ where: mine });

      // Every item of the person, read before some are deleted: their audit rows lose their texts below.
      const proposalIds = (await tx.proposal.findMany({ where: { authorId: id }, select: { id: true } })).map(
        (p) => p.id,
      );
      const commentIds = (await tx.comment.findMany({ where: { authorId: id }, select: { id: true } })).map(
        (c) => c.id,
      );
      // The audit log accepts this one update only on rows about items whose author is erased: the row is
      // marked erased first (the final update below sets it again, with the pseudonym), while the items
      // still name their author.
      await tx.participant.update({ where: { id }, data: { erasedAt: now } });
      const auditRowsScrubbed = await scrubAuditTexts(tx, { proposalIds, commentIds });

      const notPublicProposal = { authorId: id, status: { in: [...NOT_PUBLIC_PROPOSAL] } };
      // A non-public proposal others commented on or supported (a post-moderated one rejected later) is
      // emptied, not deleted: deleting it would take their comments and supports with it.
      const othersTookPart = {
        OR: [
          { comments: { some: { OR: [{ authorId: null }, { authorId: { not: id } }] } } },
          { supports: { some: { participantId: { not: id } } } },
        ],
      };
      // Before the texts go (their cases go with them): the cases whose card the room shows. Not those of
      // other people's comments on an emptied proposal: their comments stay, and so do their cases.
      const cardCases = await tx.moderationCase.findMany({
        where: {
          // Only cards the channel can still find (it keeps a card's message for 90 days).
          announcedAt: { gt: new Date(now.getTime() - CARD_FINDABLE_MS) },
          OR: [
            { proposal: notPublicProposal },
            { comment: { proposal: { ...notPublicProposal, NOT: othersTookPart } } },
            { comment: { authorId: id, status: { in: [...NOT_PUBLIC_COMMENT] } } },
          ],
        },
        orderBy: { id: 'asc' },
        select: { id: true },
      });

      await tx.proposal.updateMany({
        where: { ...notPublicProposal, ...othersTookPart },
        data: { title: '', body: '', rejectionReason: null, answer: null },
      });
      const proposalsDeleted = await tx.proposal.deleteMany({
        where: { ...notPublicProposal, NOT: othersTookPart },
      });
      const proposalsAnonymised = await tx.proposal.updateMany({
        where: { authorId: id },
        data: { authorId: null },
      });
      await tx.comment.updateMany({
        where: { authorId: id, status: { in: [...NOT_PUBLIC_COMMENT] }, replies: { some: {} } },
        data: { body: '', rejectionReason: null },
      });
      const commentsDeleted = await tx.comment.deleteMany({
        where: { authorId: id, status: { in: [...NOT_PUBLIC_COMMENT] }, replies: { none: {} } },
      });
      const commentsAnonymised = await tx.comment.updateMany({
        where: { authorId: id },
        data: { authorId: null },
      });

      await tx.channelAccount.deleteMany({ where: mine });
      await tx.subscription.deleteMany({ where: mine });
      await tx.proposalFollow.deleteMany({ where: mine });
      await tx.notice.deleteMany({ where: mine });
      await tx.contentReport.deleteMany({ where: mine });
      await tx.linkCode.deleteMany({ where: mine });
      await tx.linkCodeAttempt.deleteMany({ where: mine });
      await tx.linkCode.deleteMany({ where: { claimedById: id } });
      await tx.verificationAttempt.deleteMany({ where: mine });
      await tx.verificationCode.updateMany({ where: { redeemedById: id }, data: { redeemedById: null } });
      const skipped = await tx.broadcastDelivery.updateMany({
        where: { ...mine, status: { in: ['pending', 'queued'] } },
        data: { status: 'skipped' },
      });

      // The ledger, in its order, plus the end of whatever consent still stood.
      const ledger = await tx.consentRecord.findMany({
        where: mine,
        orderBy: { id: 'asc' },
        select: { purpose: true, action: true, noticeVersion: true, channel: true, createdAt: true },
      });
      for (const purpose of ['participation', 'updates'] as const) {
        const latest = ledger.filter((r) => r.purpose === purpose).at(-1);
        if (latest?.action === 'given')
          ledger.push({ ...latest, action: 'withdrawn', channel: input.channel, createdAt: now });
      }
      await tx.consentRecord.deleteMany({ where: mine });

      const pseudonym = randomUUID();
      await tx.$executeRaw`
        UPDATE "Participant" SET id = ${pseudonym}::uuid, "erasedAt" = ${now}, "lastSeenAt" = ${now},
          locale = '', "ageConfirmedAt" = NULL, "retentionWarnedAt" = NULL
        WHERE id = ${id}::uuid`;
      if (ledger.length > 0)
        await tx.consentRecord.createMany({ data: ledger.map((r) => ({ ...r, participantId: pseudonym })) });
      const supportsKept = await tx.support.count({ where: { participantId: pseudonym } });

      return {
        accounts,
        promoted,
        cardCaseIds: cardCases.map((c) => c.id),
        counts: {
          proposalsDeleted: proposalsDeleted.count,
          proposalsAnonymised: proposalsAnonymised.count,
          commentsDeleted: commentsDeleted.count,
          commentsAnonymised: commentsAnonymised.count,
          supportsKept,
          deliveriesSkipped: skipped.count,
          registrationsRemoved: registrations.count,
          auditRowsScrubbed,
        },
      };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  if (typeof done === 'string') return { ok: false, reason: done };
  for (const p of done.promoted) await notifyPromoted(deps, p.eventId, p.list);
  let cardsQueued = true;
  if (done.cardCaseIds.length > 0)
    try {
      await deps.queues.notify({ kind: 'erased-cases', caseIds: done.cardCaseIds });
    } catch (error) {
      // No ids in the log: the caller has them (cardCaseIds) to enqueue the job again.
      deps.logger.error({ err: error }, "erasure: moderators' cards not queued for editing");
      cardsQueued = false;
    }
  let tracesForgotten = true;
  try {
    await input.traces.forget(done.accounts);
  } catch (error) {
    // The database no longer knows the person; the keys expire by themselves (dialog state, turn records).
    deps.logger.error({ err: error }, 'erasure: conversation traces not removed; retry with the accounts');
    tracesForgotten = false;
  }
  return {
    ok: true,
    accounts: done.accounts,
    tracesForgotten,
    counts: done.counts,
    cardCaseIds: done.cardCaseIds,
    cardsQueued,
  };
}
