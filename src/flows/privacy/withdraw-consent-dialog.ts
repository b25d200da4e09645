// Withdrawing consent takes no more steps than giving it: ask once, confirm, done.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { withdrawConsent } from '../../domain/withdraw-consent.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askYesNo, isYes, Flow } from '../ui.ts';

export const WITHDRAW_CONSENT = 'withdraw-consent';

export interface WithdrawConsentResult {
  withdrawn: boolean;
}

export class WithdrawConsentDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(WITHDRAW_CONSENT);
    this.define(
      (s) => this.ask(s),
      (s) => this.act(s),
    );
  }

  private async ask(step: WaterfallStepContext) {
    if (!session(step.context).participant?.hasConsent) {
      await step.context.sendActivity(tr(step.context, 'privacy.notConsented'));
      return step.endDialog({ withdrawn: false } satisfies WithdrawConsentResult);
    }
    return askYesNo(step, tr(step.context, 'privacy.confirmWithdraw'));
  }

  private async act(step: WaterfallStepContext) {
    const s = session(step.context);
    if (!isYes(step) || !s.participant) {
      await step.context.sendActivity(tr(step.context, 'privacy.kept'));
      return step.endDialog({ withdrawn: false } satisfies WithdrawConsentResult);
    }
    await withdrawConsent(this.services.domain, { participantId: s.participant.id, channel: s.channelId });
    s.participant = { ...s.participant, hasConsent: false };
    await step.context.sendActivity(tr(step.context, 'privacy.withdrawn'));
    return step.cancelAllDialogs(true);
  }
}
