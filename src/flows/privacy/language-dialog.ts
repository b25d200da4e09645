// Changing the language; remembered for the participant across channels.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { setParticipantLocale } from '../../domain/set-participant-locale.ts';
import type { Locale } from '../../domain/deps.ts';
import {
  LANGUAGE_OPTIONS,
  ONBOARDING,
  type OnboardingOptions,
} from '../onboarding-consent/onboarding-dialog.ts';
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
    return askChoice(
      step,
      tr(step.context, 'onboarding.chooseLanguage'),
      LANGUAGE_OPTIONS,
      'onboarding.retryLanguage',
    );
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
    return this.resumeInNewLanguage(step);
  }

  /**
   * Back to what «idioma» interrupted, in the new language. A question left pending beneath (a prompt)
   * would be asked again as it was stored — its text and buttons in the old language — so the flow that
   * asked it starts again, with the options it was begun with: a flow's first steps read and ask (those that
   * write are idempotent: subscribing), and onboarding does not ask for the language it now has. Begun by
   * a flow as its child (the menu's «Idioma / Language»), that flow simply carries on.
   */
  private async resumeInNewLanguage(step: WaterfallStepContext) {
    const stack = step.stack; // the base first, this dialog last
    const top = stack.length - 1;
    let asked = -1;
    for (let i = top - 1; i >= 0 && asked < 0; i--)
      if (step.findDialog(stack[i]!.id) instanceof Flow) asked = i;
    if (asked < 0 || asked === top - 1) return step.endDialog();
    const flow = stack[asked]!;
    const options = (flow.state as { options?: object }).options ?? {};
    // The interrupted instance and its pending prompt go; replaceDialog puts a fresh one in their place.
    stack.splice(asked, top - asked);
    return step.replaceDialog(
      flow.id,
      flow.id === ONBOARDING ? ({ ...options, languageChosen: true } satisfies OnboardingOptions) : options,
    );
  }
}
