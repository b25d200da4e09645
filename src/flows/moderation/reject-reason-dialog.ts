// In the moderators' room, Reject asks the moderator who pressed it for the reason the author will read:
// a preset reason, or their own words. Each moderator has their own conversation in the room, so two can
// answer at once; whoever decides first wins (decide-moderation), the other is told who did.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { decideModeration, MAX_REASON_LENGTH, REJECTION_REASONS } from '../../domain/decide-moderation.ts';
import { tr, type FlowServices } from '../session.ts';
import { askChoice, askText, chosen, Flow, registerTextCheck } from '../ui.ts';
import { tellDecisionProblem } from './decision-problem.ts';

export const REJECT_REASON = 'moderation-reject-reason';

export interface RejectReasonOptions {
  caseId: number;
  staffMemberId: string;
  who: string;
}

// The typed reason arrives cleaned (askText: no NUL or other controls, no lone surrogates, trimmed), so what
// is measured here is what is stored.
const REASON_CHECK = registerTextCheck('moderation-reason', (ctx, text) =>
  text.length > MAX_REASON_LENGTH
    ? tr(ctx, 'moderation.reasonTooLong', { max: MAX_REASON_LENGTH })
    : undefined,
);

export class RejectReasonDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(REJECT_REASON);
    this.define(
      (s) => this.askReason(s),
      (s) => this.askOwnWords(s),
      (s) => this.decide(s),
    );
  }

  private opts(step: WaterfallStepContext): RejectReasonOptions {
    return step.options as RejectReasonOptions;
  }

  private askReason(step: WaterfallStepContext) {
    const { caseId, who } = this.opts(step);
    return askChoice(step, tr(step.context, 'moderation.askReason', { who, id: caseId }), [
      ...REJECTION_REASONS.map((r) => ({ value: r, title: tr(step.context, `moderation.reason.${r}`) })),
      { value: 'other', title: tr(step.context, 'moderation.reason.other'), synonyms: ['otro', 'other'] },
      {
        value: 'cancel',
        title: tr(step.context, 'moderation.reason.cancel'),
        synonyms: ['cancelar', 'cancel'],
      },
    ]);
  }

  private async askOwnWords(step: WaterfallStepContext) {
    const choice = chosen(step);
    if (choice === 'cancel') {
      await step.context.sendActivity(
        tr(step.context, 'moderation.cancelled', { id: this.opts(step).caseId }),
      );
      return step.endDialog();
    }
    if (choice !== 'other') return step.next(choice);
    return askText(
      step,
      tr(step.context, 'moderation.askReasonText', { who: this.opts(step).who }),
      REASON_CHECK,
    );
  }

  private async decide(step: WaterfallStepContext) {
    const { caseId, staffMemberId } = this.opts(step);
    const reason = String(step.result).trim();
    const r = await decideModeration(this.services.domain, {
      caseId,
      staffMemberId,
      decision: 'reject',
      reason,
    });
    // Success shows as the card's edit (the notifications job); only a problem is said here.
    if (!r.ok) await tellDecisionProblem(step.context, caseId, r);
    return step.endDialog();
  }
}
