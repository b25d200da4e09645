// First contact: language → short privacy notice and age question → explicit consent (consent-question).
// No participant record exists until the person says yes (until then only expiring dialog state). An
// answer "under 14" is counted anonymously (record-underage-answer) and remembered by this conversation's
// own state, which then answers kindly without asking again.
import type { FoundChoice, WaterfallStepContext } from 'botbuilder-dialogs';
import { getPrivacyNotice } from '../../domain/get-privacy-notice.ts';
import { recordUnderageAnswer } from '../../domain/record-underage-answer.ts';
import type { Locale } from '../../domain/deps.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, askYesNo, chosen, isYes, Flow, vals } from '../ui.ts';
import { CONSENT_QUESTION } from './consent-question-dialog.ts';

export const ONBOARDING = 'onboarding';

/**
 * How long a conversation's "under 14" stands: long enough that answering again at once does not change it,
 * short enough that someone who tapped "No" by mistake is not locked out for as long as they keep writing.
 */
export const UNDERAGE_REMEMBERED_MS = 24 * 3600 * 1000;

export interface OnboardingResult {
  consented: boolean;
}

export interface OnboardingOptions {
  /** The person has just chosen the language («idioma» during onboarding): go on from the age question. */
  languageChosen?: boolean;
}

export const LANGUAGE_OPTIONS = [
  { value: 'es', title: 'Español', synonyms: ['español', 'castellano', 'spanish', 'es'] },
  { value: 'en', title: 'English', synonyms: ['inglés', 'ingles', 'english', 'en'] },
];

export class OnboardingDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(ONBOARDING);
    this.define(
      (step) => this.askLanguage(step),
      (step) => this.askAge(step),
      (step) => this.afterAge(step),
      (step) => this.afterConfirm(step),
      (step) => step.endDialog(step.result as OnboardingResult),
    );
  }

  private async askLanguage(step: WaterfallStepContext) {
    const s = session(step.context);
    const answeredAt = s.profile.underageAt === undefined ? NaN : Date.parse(s.profile.underageAt);
    if (this.services.domain.now().getTime() - answeredAt < UNDERAGE_REMEMBERED_MS) {
      await step.context.sendActivity(tr(step.context, 'onboarding.underAgeRemembered'));
      return step.endDialog({ consented: false } satisfies OnboardingResult);
    }
    delete s.profile.underageAt;
    if ((step.options as OnboardingOptions | undefined)?.languageChosen)
      return step.next({ value: s.locale, index: 0, score: 1 } satisfies FoundChoice);
    await step.context.sendActivity(tr(step.context, 'onboarding.hello'));
    return askChoice(
      step,
      tr(step.context, 'onboarding.chooseLanguage'),
      LANGUAGE_OPTIONS,
      'onboarding.retryLanguage',
    );
  }

  private async askAge(step: WaterfallStepContext) {
    const s = session(step.context);
    s.locale = chosen(step) as Locale;
    s.profile.locale = s.locale;
    step.context.activity.locale = s.locale === 'es' ? 'es-ES' : 'en-US';
    const notice = await getPrivacyNotice(this.services.domain, { locale: s.locale });
    if (!notice) {
      await step.context.sendActivity(tr(step.context, 'onboarding.noNotice'));
      return step.endDialog({ consented: false } satisfies OnboardingResult);
    }
    await step.context.sendActivity(
      `${tr(step.context, 'onboarding.intro')}\n\n${tr(step.context, 'onboarding.noticeTitle')}\n${notice.summary}`,
    );
    return askYesNo(step, tr(step.context, 'onboarding.askAge'));
  }

  private async afterAge(step: WaterfallStepContext) {
    if (isYes(step)) return step.beginDialog(CONSENT_QUESTION);
    // «No» locks this conversation out for a day: asked once more, in words that cannot be mistaken (an
    // elderly person tapping the wrong button, a «no» meant for something else).
    vals(step)['confirmingAge'] = true;
    return askChoice(step, tr(step.context, 'onboarding.confirmUnderAge'), [
      {
        value: 'under',
        title: tr(step.context, 'onboarding.under14'),
        // No «sí»/«no»: the same word would mean the opposite of what it meant a question ago (a child
        // answering «no» twice would get in); a bare yes or no is asked again, with the two buttons.
        synonyms: ['menos', 'menor', 'menor de 14', 'under', 'under 14', 'younger'],
      },
      {
        value: 'over',
        title: tr(step.context, 'onboarding.over14'),
        synonyms: ['mayor', 'mayor de 14', 'older', 'over', '14 or older'],
      },
    ]);
  }

  /** After the confirmation (or, in a conversation begun before it existed, after the consent question). */
  private async afterConfirm(step: WaterfallStepContext) {
    if (vals(step)['confirmingAge'] !== true) return step.endDialog(step.result as OnboardingResult);
    delete vals(step)['confirmingAge'];
    if (chosen(step) === 'over') return step.beginDialog(CONSENT_QUESTION);
    const s = session(step.context);
    await recordUnderageAnswer(this.services.domain, { channel: s.channelId });
    s.profile.underageAt = this.services.domain.now().toISOString();
    await step.context.sendActivity(tr(step.context, 'onboarding.underAge'));
    return step.endDialog({ consented: false } satisfies OnboardingResult);
  }
}
