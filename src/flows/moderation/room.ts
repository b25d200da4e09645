// The moderators' room (a Telegram group): case cards arrive there with Approve / Reject / Redact buttons.
// Only registered, active staff count: anyone else pressing is told so and nothing changes. Text in the
// room is people talking to each other: the bot answers only its commands (/cola, /ayuda) and the reason
// it asked a moderator for — and only an unambiguous answer is one (ROOM_CHOICE; a reason in one's own
// words is confirmed first). A question lapses after REASON_QUESTION_TTL_MS: the moderator's messages are
// chat again. Someone no longer on the staff list who answers a question they were asked is refused like
// any non-moderator. A press on the card of a case that is gone (withdrawn by its author, or erased, before
// the card's edit went out) is told why, to the presser alone, like other refused presses; so is a press on
// the card of a first review that reports closed (they hid its item before anyone decided): where it is
// reviewed now, the reported case opened in its place. A successful decision shows as the card's edit, made
// by the notifications job for decisions from any source (room or HTTP), so there is one way the room learns
// an outcome.
import type { TurnContext } from 'botbuilder';
import type { DialogContext } from 'botbuilder-dialogs';
import { decideModeration } from '../../domain/decide-moderation.ts';
import { presserOnly } from '../../engine/types.ts';
import { findStaffMember } from '../../domain/find-staff-member.ts';
import { getCaseDecision } from '../../domain/get-case-decision.ts';
import { listModerationQueue } from '../../domain/list-moderation-queue.ts';
import { tr, type FlowServices } from '../session.ts';
import { CASE_ACTION } from './case-card.ts';
import {
  pendingReason,
  REASON_QUESTION_TTL_MS,
  REJECT_REASON,
  type RejectReasonOptions,
} from './reject-reason-dialog.ts';
import { exactChoice, pendingRoomChoices, TEXT } from '../ui.ts';
import { wasSuperseded } from '../../domain/moderation-cases.ts';
import { caseGoneText, supersededCaseText, supersededText, tellDecisionProblem } from './decision-problem.ts';

/** Channels send a signed postBack button's value as this event. */
export const POSTBACK_EVENT = 'postBack';
const QUEUE_LINES = 15;
/** How much of each case's excerpt a /cola line shows. */
const SUMMARY_LENGTH = 60;
/** A second press of the same Reject this soon after its question was asked is a double tap: ignored. */
const REPEATED_PRESS_MS = 15_000;

/**
 * The room's command a message is, if any. `/cola@<name>` counts as Plaza's: the channel passes on no
 * command addressed to another bot in the group (Telegram: update-to-activity), and only it knows the bot's
 * username.
 */
function roomCommand(text: string | undefined): 'queue' | 'help' | undefined {
  const word = text?.trim().toLowerCase().replace(/@\w+$/, '');
  if (word === '/cola' || word === '/queue') return 'queue';
  if (word === '/ayuda' || word === '/help' || word === '/start') return 'help';
  return undefined;
}

export async function runModeratorsRoom(
  dc: DialogContext,
  services: FlowServices,
  expiredButtonEvent: string,
): Promise<void> {
  const ctx = dc.context;
  const a = ctx.activity;
  const staff = await findStaffMember(services.domain, { channel: a.channelId, externalId: a.from.id });

  if (a.type === 'event' && a.name === POSTBACK_EVENT) {
    const m = CASE_ACTION.exec(typeof a.value === 'string' ? a.value : '');
    if (!m) return;
    const caseId = Number(m[1]);
    const decision = m[2] as 'approve' | 'reject' | 'redact_approve';
    if (!staff) {
      // Told to the one who pressed, not to the whole group (nor out of its 20 messages a minute).
      await ctx.sendActivity(presserOnly(tr(ctx, 'moderation.notModerator', { id: a.from.id })));
      return;
    }
    if (decision === 'reject') {
      const pending = pendingReason(dc);
      const now = services.domain.now().getTime();
      if (pending?.caseId === caseId && pending.step === 0 && now - pending.askedAt < REPEATED_PRESS_MS)
        return;
      // Decided meanwhile (by a colleague, or on the web), or gone (its author withdrew the proposal or
      // erased their data; the card's edit may still be on its way): said at once, not after a reason was
      // asked for.
      const current = await getCaseDecision(services.domain, { caseId });
      if (!current) {
        await ctx.sendActivity(presserOnly(await caseGoneText(ctx, services.domain, caseId)));
        return;
      }
      if (wasSuperseded(current)) {
        await ctx.sendActivity(presserOnly(supersededText(ctx, caseId, current.supersededBy)));
        return;
      }
      if (current.decidedAt) {
        const { decidedBy, decidedById, decision } = current;
        const r = { ok: false, reason: 'already-decided', decidedBy, decidedById, decision } as const;
        await tellDecisionProblem(ctx, caseId, r, staff.id);
        return;
      }
      await dc.cancelAllDialogs();
      await dc.beginDialog(REJECT_REASON, {
        caseId,
        staffMemberId: staff.id,
        who: staff.name,
      } satisfies RejectReasonOptions);
      return;
    }
    const r = await decideModeration(services.domain, { caseId, staffMemberId: staff.id, decision });
    if (!r.ok && r.reason === 'not-found')
      await ctx.sendActivity(presserOnly(await caseGoneText(ctx, services.domain, caseId)));
    // Closed without a decision (a decision always has its name): reports hid its item.
    else if (!r.ok && r.reason === 'already-decided' && r.decision === null)
      await ctx.sendActivity(presserOnly(await supersededCaseText(ctx, services.domain, caseId)));
    else if (!r.ok) await tellDecisionProblem(ctx, caseId, r, staff.id);
    return;
  }
  if (a.type === 'event' && a.name === expiredButtonEvent) {
    await ctx.sendActivity(presserOnly(tr(ctx, 'moderation.notYours')));
    if (!staff || !dc.activeDialog) return;
    if (lapsed(dc, services)) await dc.cancelAllDialogs();
    else await dc.repromptDialog();
    return;
  }
  if (a.type !== 'message') return;
  const command = roomCommand(a.text);
  if (command === 'help') {
    await ctx.sendActivity(tr(ctx, 'moderation.help'));
    return;
  }
  if (command === 'queue') {
    if (!staff) {
      await ctx.sendActivity(tr(ctx, 'moderation.notModerator', { id: a.from.id }));
      return;
    }
    await showQueue(ctx, services);
    return;
  }
  if (!dc.activeDialog) return;
  // What the waiting question would take as its answer: for a choice, only an exact option (a button press
  // arrives as its title); for the reason in one's own words, any text (confirmed before it counts).
  const choices = pendingRoomChoices(dc);
  const answers = choices ? exactChoice(a.text, choices) !== undefined : dc.activeDialog.id === TEXT;
  if (!staff) {
    // Removed from the list since they were asked: refused like anyone else, and the question is dropped.
    await dc.cancelAllDialogs();
    if (answers) await ctx.sendActivity(presserOnly(tr(ctx, 'moderation.notModerator', { id: a.from.id })));
    return;
  }
  if (lapsed(dc, services)) {
    // Chat again. A press of the lapsed question's buttons (or its exact words) is told so, once.
    const caseId = pendingReason(dc)!.caseId;
    await dc.cancelAllDialogs();
    if (choices && answers) await ctx.sendActivity(tr(ctx, 'moderation.questionExpired', { id: caseId }));
    return;
  }
  await dc.continueDialog();
}

/** Whether the reason question waiting on this stack was asked longer than REASON_QUESTION_TTL_MS ago. */
function lapsed(dc: DialogContext, services: FlowServices): boolean {
  const pending = pendingReason(dc);
  return pending !== undefined && services.domain.now().getTime() - pending.askedAt >= REASON_QUESTION_TTL_MS;
}

async function showQueue(ctx: TurnContext, services: FlowServices): Promise<void> {
  const r = await listModerationQueue(services.domain, { state: 'open', limit: QUEUE_LINES });
  if (!r.ok || r.items.length === 0) {
    await ctx.sendActivity(tr(ctx, 'moderation.queueEmpty'));
    return;
  }
  const lines = [tr(ctx, 'moderation.queueTitle', { count: r.openCount })];
  for (const item of r.items)
    lines.push(
      tr(ctx, 'moderation.queueLine', {
        id: item.id,
        kind: tr(ctx, `moderation.kind.${item.itemKind}`),
        age: formatAge(item.ageSeconds),
        excerpt: summary(item.excerpt),
      }),
    );
  if (r.openCount > r.items.length)
    lines.push(tr(ctx, 'moderation.queueMore', { count: r.openCount - r.items.length }));
  await ctx.sendActivity(lines.join('\n'));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A queue line's excerpt: at most SUMMARY_LENGTH characters as people see them (graphemes), so a cut never
 * splits an emoji — not its surrogate pair (shown as «�»), nor a flag or a family (shown as other symbols).
 */
function summary(excerpt: string): string {
  const parts = Array.from(graphemes.segment(excerpt), (g) => g.segment);
  return parts.length > SUMMARY_LENGTH ? `${parts.slice(0, SUMMARY_LENGTH - 1).join('')}…` : excerpt;
}

/** "3 min", "5 h", "2 d": ages at a glance, the same in both languages. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}
