// The explicit consent question. "Yes" creates the participant (give-consent); "no" is respected and
// explained; "read the full notice" shows it and asks again. Ends with an OnboardingResult.
import type { WaterfallStepContext } from 'botbuilder-dialogs';
import { giveConsent } from '../../domain/give-consent.ts';
import { getPrivacyNotice } from '../../domain/get-privacy-notice.ts';
import { findParticipant } from '../../domain/find-participant.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, Flow, NO_ANSWERS, YES_ANSWERS } from '../ui.ts';

export const CONSENT_QUESTION = 'consent-question';

export class ConsentQuestionDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(CONSENT_QUESTION);
    this.define(
      (step) => this.ask(step),
      (step) => this.answer(step),
    );
  }

  private async ask(step: WaterfallStepContext) {
    return askChoice(step, tr(step.context, 'onboarding.askConsent'), [
      // The answers of any yes/no question («acepto», "I agree", "sure", 👍; "I don't agree" is a no).
      { value: 'yes', title: tr(step.context, 'onboarding.consentYes'), synonyms: YES_ANSWERS },
      { value: 'no', title: tr(step.context, 'onboarding.consentNo'), synonyms: NO_ANSWERS },
      {
        value: 'full',
        title: tr(step.context, 'onboarding.readFull'),
        synonyms: ['aviso', 'leer', 'notice', 'read'],
      },
    ]);
  }

  private async answer(step: WaterfallStepContext) {
    const s = session(step.context);
    const answer = chosen(step);
    const notice = await getPrivacyNotice(this.services.domain, { locale: s.locale });
    if (answer === 'full') {
      await step.context.sendActivity(notice?.fullText ?? tr(step.context, 'onboarding.noNotice'));
      return step.replaceDialog(CONSENT_QUESTION);
    }
    if (answer === 'no') {
      await step.context.sendActivity(tr(step.context, 'onboarding.declined'));
      return step.endDialog({ consented: false });
    }
    const result = await giveConsent(this.services.domain, {
      channel: s.channelId,
      externalId: s.userId,
      locale: s.locale,
      ageConfirmed: true,
      noticeVersion: notice?.version ?? 0,
    });
    if (!result.ok) {
      await step.context.sendActivity(tr(step.context, 'onboarding.noNotice'));
      return step.endDialog({ consented: false });
    }
    s.participant = await findParticipant(this.services.domain, {
      channel: s.channelId,
      externalId: s.userId,
    });
    await step.context.sendActivity(tr(step.context, 'onboarding.thanks'));
    return step.endDialog({ consented: true });
  }
}
