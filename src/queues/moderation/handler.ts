// The `moderation` queue's handler: pre-screen the case's item (findings stored with the case) and put its
// card before the moderators' room, then follow the card until Telegram has taken it. A case counts as
// announced only then (its message is known, so it can be edited): a card still queued makes the job retry
// later (CardNotInRoomError), a card given up (a 400, server errors to the end) is posted again by the next
// try. A card that goes out after its case was decided is edited to the decision here (the `case-decided` job
// found no card to edit and left it); one whose case vanished meanwhile is withdrawn, saying why (its author
// withdrew the proposal, or erased their data); one whose case was closed without a decision, because reports
// hid its item while it waited (report-content opened a `reported` case, with a card of its own, and enqueued
// this case's job again), loses its buttons and says so. Safe to run twice: the pre-screen stores once and
// returns what it stored, the room post is queued once per case while it is queued (the outbox's key), the
// announcement is recorded once.
import { DEFAULT_LOCALE, type DomainDeps, type Locale } from '../../domain/deps.ts';
import { getModerationCase } from '../../domain/get-moderation-case.ts';
import { markCaseAnnounced } from '../../domain/mark-case-announced.ts';
import { wasSuperseded } from '../../domain/moderation-cases.ts';
import { wasCaseWithdrawnByAuthor } from '../../domain/was-case-withdrawn-by-author.ts';
import { prescreenCase, type ProposalIndexes } from '../../domain/prescreen-case.ts';
import { t } from '../../i18n/index.ts';
import type { ModerationJob } from './job.ts';

/** Where a case's card is: Telegram took it ('sent'), it waits in the room's queue, or neither. */
export type CardState = 'sent' | 'queued' | 'none';

/** Where case cards go (the Telegram moderators' group), when one is configured. */
export interface ModeratorsRoomPort {
  /** Queues the case's card, once while it is queued or sent (again once given up). */
  post(caseId: number): Promise<void>;
  update(caseId: number): Promise<void>;
  /** Where the case's card is: taken by Telegram (its message id known), still queued, or neither. */
  card(caseId: number): Promise<CardState>;
  /** Edits the card of a case that no longer exists (erased) to `text`; false while its message is unknown. */
  withdraw?(caseId: number, text: string): Promise<boolean>;
}

export interface ModerationHandlerDeps {
  domain: DomainDeps;
  indexes: ProposalIndexes;
  room?: ModeratorsRoomPort;
  /** The room's language (a withdrawn card's text); Spanish by default. */
  moderatorsLocale?: Locale;
  /** How long a job that has just posted a card waits for Telegram to take it before retrying later. */
  cardWaitMs?: number;
}

export type ModerationJobOutcome = 'announced' | 'screened' | 'decided' | 'not-found';

/** The case's card is not in the room yet (queued behind others, the room unreachable, or given up): retry. */
export class CardNotInRoomError extends Error {
  constructor(caseId: number, state: Exclude<CardState, 'sent'>) {
    super(
      state === 'queued'
        ? `The card of case ${caseId} is still queued for the moderators' room`
        : `The card of case ${caseId} was given up; it is posted again at the next try`,
    );
    this.name = 'CardNotInRoomError';
  }
}

const CARD_POLL_MS = 200;

export async function handleModerationJob(
  deps: ModerationHandlerDeps,
  job: ModerationJob,
): Promise<ModerationJobOutcome> {
  const { caseId } = job;
  const screened = await prescreenCase(deps.domain, { caseId }, deps.indexes);
  // A case decided before its pre-screen ran (e.g. over HTTP) needs no card: nothing is waiting. One decided
  // or erased while its card was on its way has that card put right once Telegram has it.
  if (!screened.ok) {
    await settleLateCard(deps, caseId, screened.reason);
    return screened.reason;
  }
  const item = await getModerationCase(deps.domain, { caseId });
  // A post-moderated comment is public already: its proposal's followers hear of it now (idempotent).
  if (item?.itemKind === 'comment' && item.reason === 'submitted' && item.status === 'published')
    await deps.domain.queues.notify({ kind: 'comment-published', commentId: item.itemId });
  const room = deps.room;
  if (!room) return 'screened';
  if (item?.announcedAt) return 'announced';
  const where = () => room.card(caseId);
  let state = await where();
  if (state === 'none') {
    await room.post(caseId);
    // Usually out within a moment: waiting here spares a retry (and its log line).
    state = await waitWhileQueued(where, deps.cardWaitMs ?? 5000);
  }
  if (state !== 'sent') throw new CardNotInRoomError(caseId, state);
  await markCaseAnnounced(deps.domain, { caseId });
  // Decided while the card was on its way (a moderator pressed a button of the card as soon as it showed):
  // the decision's `case-decided` job may have looked before the card counted, and edited nothing. Counted
  // now, so whichever of the two looks last edits it (the edit goes out once: its outbox key). Closed by
  // reports meanwhile: its card says so.
  const current = await getModerationCase(deps.domain, { caseId });
  if (current && wasSuperseded(current)) await withdrawSupersededCard(deps, room, caseId);
  else if (current?.decidedAt) await room.update(caseId);
  return 'announced';
}

/**
 * A decided or vanished case whose card may have gone out without being counted: counted now, and edited to
 * the decision (or withdrawn) — the `case-decided` job (or the erasure, or the withdrawal) saw no announced
 * card. A card still queued is waited for.
 */
async function settleLateCard(
  deps: ModerationHandlerDeps,
  caseId: number,
  reason: 'decided' | 'not-found',
): Promise<void> {
  const room = deps.room;
  if (!room) return;
  const state = await room.card(caseId);
  if (state === 'queued') throw new CardNotInRoomError(caseId, state);
  if (state === 'none') return;
  if (reason === 'not-found') {
    const why = (await wasCaseWithdrawnByAuthor(deps.domain, { caseId }))
      ? 'moderation.withdrawnByAuthor'
      : 'moderation.erased';
    const text = t(deps.moderatorsLocale ?? DEFAULT_LOCALE, why, { id: caseId });
    await room.withdraw?.(caseId, text);
    return;
  }
  const first = (await markCaseAnnounced(deps.domain, { caseId })).first;
  // Closed without a decision (reports hid its item): no `case-decided` job edits its card; this one does,
  // each time it runs (the edit goes out once: its outbox key).
  const view = await getModerationCase(deps.domain, { caseId });
  if (view && wasSuperseded(view)) return withdrawSupersededCard(deps, room, caseId);
  // Not counted yet: the decision found no card to edit (once counted, `case-decided` edits it).
  if (first) await room.update(caseId);
}

/** The card of a case closed because reports hid its item: its buttons go, and it says the item moved on. */
async function withdrawSupersededCard(
  deps: ModerationHandlerDeps,
  room: ModeratorsRoomPort,
  caseId: number,
): Promise<void> {
  await room.withdraw?.(
    caseId,
    t(deps.moderatorsLocale ?? DEFAULT_LOCALE, 'moderation.superseded', { id: caseId }),
  );
}

async function waitWhileQueued(where: () => Promise<CardState>, ms: number): Promise<CardState> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await where();
    if (state !== 'queued' || Date.now() >= deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, CARD_POLL_MS));
  }
}
