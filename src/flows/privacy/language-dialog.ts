// Changing the language; remembered for the participant across channels.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { setParticipantLocale } from '../../domain/set-participant-locale.ts';
import type { Locale } from '../../domain/deps.ts';
import { LANGUAGE_OPTIONS } from '../onboarding-consent/onboarding-dialog.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, Flow } from '../ui.ts';

export const LANGUAGE = 'language';

export class LanguageDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(LANGUAGE);
    this.define(
      (s) => this.ask(s),
      (s) => this.act(s),
    );
  }

  private async ask(step: WaterfallStepContext) {
    return askChoice(step, tr(step.context, 'onboarding.chooseLanguage'), LANGUAGE_OPTIONS);
  }

  private async act(step: WaterfallStepContext) {
    const s = session(step.context);
    s.locale = chosen(step) as Locale;
    s.profile.locale = s.locale;
    step.context.activity.locale = s.locale === 'es' ? 'es-ES' : 'en-US';
    if (s.participant) {
      await setParticipantLocale(this.services.domain, { participantId: s.participant.id, locale: s.locale });
      s.participant = { ...s.participant, locale: s.locale };
    }
    await step.context.sendActivity(tr(step.context, 'language.changed'));
    return step.endDialog();
  }
}
