// Changing the language; remembered for the participant across channels.
import { type DialogContext, type WaterfallStepContext } from 'botbuilder-dialogs';
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
   * Back to what «idioma» interrupted, in the new language (takeFlow). Begun by a flow as its child (the
   * menu's «Idioma / Language»), that flow simply carries on.
   */
  private async resumeInNewLanguage(step: WaterfallStepContext) {
    const top = step.stack.length - 1; // this dialog
    const asked = askingFlow(step, top);
    if (asked < 0 || asked === top - 1) return step.endDialog();
    const fresh = takeFlow(step, asked, top);
    return step.replaceDialog(fresh.id, fresh.options);
  }
}

/**
 * The conversation's stack was built in another language than the session's now (the person changed it, or
 * linking their accounts did, in another channel): the flow whose question waits starts again in this one,
 * as after «idioma» here (takeFlow). False when no flow asked anything (nothing was changed).
 */
export async function restartInNewLanguage(dc: DialogContext): Promise<boolean> {
  const asked = askingFlow(dc, dc.stack.length);
  if (asked < 0) return false;
  const fresh = takeFlow(dc, asked, dc.stack.length);
  await dc.beginDialog(fresh.id, fresh.options);
  return true;
}

/** Where on the stack (the base first) the flow that asked the question waiting below `above` is, or -1. */
function askingFlow(dc: DialogContext, above: number): number {
  for (let i = above - 1; i >= 0; i--) if (dc.findDialog(dc.stack[i]!.id) instanceof Flow) return i;
  return -1;
}

/**
 * Takes the flow at `at` off the stack, with all above it below `above`, and returns how to begin it afresh
 * in the session's language. A question left pending (a prompt) would be asked again as it was stored — its
 * text and buttons in the old language — so the flow that asked it starts again, with the options it was
 * begun with: a flow's first steps read and ask (those that write are idempotent: subscribing), and
 * onboarding does not ask for the language it now has.
 */
function takeFlow(dc: DialogContext, at: number, above: number): { id: string; options: object } {
  const flow = dc.stack[at]!;
  const options = (flow.state as { options?: object }).options ?? {};
  dc.stack.splice(at, above - at);
  return {
    id: flow.id,
    options:
      flow.id === ONBOARDING ? ({ ...options, languageChosen: true } satisfies OnboardingOptions) : options,
  };
}
