// In the moderators' room, Reject asks the moderator who pressed it for the reason the author will read:
// a preset reason, or their own words. Each moderator has their own conversation in the room, so two can
// answer at once; whoever decides first wins (decide-moderation), the other is told who did.
// The room is a group where colleagues talk: the questions take only unambiguous answers (ROOM_CHOICE), a
// reason in the moderator's own words is shown back and rejects only once confirmed, a cancel word alone
// («cancelar», «cancel») cancels at every question, and every question lapses after REASON_QUESTION_TTL_MS
// (room.ts then takes the moderator's messages as chat again).
import type { TurnContext } from 'botbuilder';
import type { DialogContext, WaterfallStepContext } from 'botbuilder-dialogs';
import { decideModeration, MAX_REASON_LENGTH, REJECTION_REASONS } from '../../domain/decide-moderation.ts';
import { tr, type FlowServices } from '../session.ts';
import {
  askRoomChoice,
  askText,
  chosen,
  exactChoice,
  Flow,
  registerTextCheck,
  toChoices,
  vals,
  type Option,
} from '../ui.ts';
import { tellDecisionProblem } from './decision-problem.ts';

export const REJECT_REASON = 'moderation-reject-reason';

/** How long a question of this dialog waits for its answer. */
export const REASON_QUESTION_TTL_MS = 10 * 60_000;

export interface RejectReasonOptions {
  caseId: number;
  staffMemberId: string;
  who: string;
}

// The typed reason arrives cleaned (askText: no NUL or other controls, no lone surrogates, trimmed), so what
// is measured here is what is stored. Counted in characters (code points), as the rest of the app counts.
const REASON_CHECK = registerTextCheck('moderation-reason', (ctx, text) =>
  [...text].length > MAX_REASON_LENGTH
    ? tr(ctx, 'moderation.reasonTooLong', { max: MAX_REASON_LENGTH })
    : undefined,
);

/** Words that cancel any of this dialog's questions as a whole message, in either language. */
const CANCEL_WORDS = ['cancelar', 'cancel'];

const cancelOption = (ctx: TurnContext): Option => ({
  value: 'cancel',
  title: tr(ctx, 'moderation.reason.cancel'),
  synonyms: CANCEL_WORDS,
});

/**
 * Whether a message says nothing but «cancel» (a cancel word or the Cancel title, case, accents and
 * punctuation aside), as the questions with buttons read it. A number is not one (exactChoice would read
 * «1» as the first option).
 */
function saysCancel(ctx: TurnContext, text: string): boolean {
  return !/^\s*\d/.test(text) && exactChoice(text, toChoices([cancelOption(ctx)])) !== undefined;
}

/** Kept in the waterfall's values: when its current question was asked (epoch ms). */
interface ReasonValues {
  askedAt?: number;
  reason?: string;
}

/** The reject-reason dialog waiting on this stack: its case and when its current question was asked. */
export function pendingReason(
  dc: DialogContext,
): { caseId: number; askedAt: number; step: number } | undefined {
  const instance = dc.stack.find((d) => d.id === REJECT_REASON);
  if (!instance) return undefined;
  const state = instance.state as {
    options?: Partial<RejectReasonOptions>;
    values?: ReasonValues;
    stepIndex?: number;
  };
  return {
    caseId: Number(state.options?.caseId),
    askedAt: state.values?.askedAt ?? 0,
    step: state.stepIndex ?? 0,
  };
}

export class RejectReasonDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(REJECT_REASON);
    this.define(
      (s) => this.askReason(s),
      (s) => this.presetOrOwnWords(s),
      (s) => this.confirm(s),
      (s) => this.decideOwnWords(s),
    );
  }

  private opts(step: WaterfallStepContext): RejectReasonOptions {
    return step.options as RejectReasonOptions;
  }

  private asked(step: WaterfallStepContext): void {
    (vals(step) as ReasonValues).askedAt = this.services.domain.now().getTime();
  }

  private askReason(step: WaterfallStepContext) {
    const { caseId, who } = this.opts(step);
    this.asked(step);
    return askRoomChoice(step, tr(step.context, 'moderation.askReason', { who, id: caseId }), [
      ...REJECTION_REASONS.map((r) => ({ value: r, title: tr(step.context, `moderation.reason.${r}`) })),
      { value: 'other', title: tr(step.context, 'moderation.reason.other'), synonyms: ['otro', 'other'] },
      cancelOption(step.context),
    ]);
  }

  private async presetOrOwnWords(step: WaterfallStepContext) {
    const choice = chosen(step);
    if (choice === 'cancel') return this.cancelled(step);
    if (choice !== 'other') return this.decide(step, choice);
    this.asked(step);
    return askText(
      step,
      tr(step.context, 'moderation.askReasonText', { who: this.opts(step).who }),
      REASON_CHECK,
    );
  }

  /**
   * Own words are shown back: in a group, the next message may well be chat, not the reason. A message that
   * is only a cancel word is no reason: it cancels, as at the other questions.
   */
  private confirm(step: WaterfallStepContext) {
    const { caseId, who } = this.opts(step);
    const reason = String(step.result).trim();
    if (saysCancel(step.context, reason)) return this.cancelled(step);
    (vals(step) as ReasonValues).reason = reason;
    this.asked(step);
    return askRoomChoice(step, tr(step.context, 'moderation.confirmReason', { who, id: caseId, reason }), [
      { value: 'reject', title: tr(step.context, 'moderation.confirmReject') },
      cancelOption(step.context),
    ]);
  }

  private decideOwnWords(step: WaterfallStepContext) {
    if (chosen(step) !== 'reject') return this.cancelled(step);
    return this.decide(step, (vals(step) as ReasonValues).reason ?? '');
  }

  private async cancelled(step: WaterfallStepContext) {
    await step.context.sendActivity(tr(step.context, 'moderation.cancelled', { id: this.opts(step).caseId }));
    return step.endDialog();
  }

  private async decide(step: WaterfallStepContext, reason: string) {
    const { caseId, staffMemberId } = this.opts(step);
    const r = await decideModeration(this.services.domain, {
      caseId,
      staffMemberId,
      decision: 'reject',
      reason,
    });
    // Success shows as the card's edit (the notifications job); only a problem is said here.
    if (!r.ok) await tellDecisionProblem(step.context, caseId, r, staffMemberId, this.services.domain);
    return step.endDialog();
  }
}
