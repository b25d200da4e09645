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
    const result = await withdrawConsent(this.services.domain, {
      participantId: s.participant.id,
      channel: s.channelId,
    });
    s.participant = { ...s.participant, hasConsent: false };
    // Registrations for upcoming events end with the consent: say how many, when there were any.
    const ended = result.ok ? (result.endedRegistrations ?? 0) : 0;
    const withdrawn = tr(step.context, 'privacy.withdrawn');
    await step.context.sendActivity(
      ended > 0
        ? `${withdrawn}\n\n${tr(step.context, 'privacy.registrationsEnded', { count: ended })}`
        : withdrawn,
    );
    return step.cancelAllDialogs(true);
  }
}
