// The privacy notice in full, with the way to withdraw consent one press away. It may be read at any step
// («privacidad» works anywhere): «Volver» goes back to what was being done, a proposal half written
// included. (A «Menú» button would be the menu command, which drops everything.)
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getPrivacyNotice } from '../../domain/get-privacy-notice.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, Flow } from '../ui.ts';
import { WITHDRAW_CONSENT } from './withdraw-consent-dialog.ts';

export const PRIVACY = 'privacy';

export class PrivacyDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(PRIVACY);
    this.define(
      (s) => this.show(s),
      (s) => this.act(s),
      (s) => s.endDialog(s.result),
    );
  }

  private async show(step: WaterfallStepContext) {
    const notice = await getPrivacyNotice(this.services.domain, { locale: session(step.context).locale });
    await step.context.sendActivity(notice?.fullText ?? tr(step.context, 'onboarding.noNotice'));
    if (!session(step.context).participant?.hasConsent) return step.endDialog();
    return askChoice(step, tr(step.context, 'common.whatNext'), [
      { value: 'withdraw', title: tr(step.context, 'privacy.withdraw') },
      { value: 'back', title: tr(step.context, 'common.back'), synonyms: ['volver', 'atrás', 'back'] },
    ]);
  }

  private async act(step: WaterfallStepContext) {
    return chosen(step) === 'withdraw' ? step.beginDialog(WITHDRAW_CONSENT) : step.endDialog();
  }
}
