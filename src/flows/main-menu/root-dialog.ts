// Where every conversation starts: onboarding for someone who has not consented, then the deep link they
// came through (if any), then the menu.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { Flow } from '../ui.ts';
import { session } from '../session.ts';
import { ONBOARDING, type OnboardingResult } from '../onboarding-consent/onboarding-dialog.ts';
import { PROCESSES } from '../processes/processes-dialog.ts';
import { PROPOSAL } from '../support/proposal-dialog.ts';
import { MAIN_MENU } from './main-menu-dialog.ts';

export const ROOT = 'root';

export class RootDialog extends Flow {
  constructor() {
    super(ROOT);
    this.define(
      (s) => this.consent(s),
      (s) => this.deepLink(s),
      (s) => s.beginDialog(MAIN_MENU),
      (s) => s.endDialog(),
    );
  }

  private async consent(step: WaterfallStepContext) {
    if (session(step.context).participant?.hasConsent)
      return step.next({ consented: true } satisfies OnboardingResult);
    return step.beginDialog(ONBOARDING);
  }

  private async deepLink(step: WaterfallStepContext) {
    if (!(step.result as OnboardingResult | undefined)?.consented) return step.endDialog();
    const s = session(step.context);
    const link = s.profile.pending;
    delete s.profile.pending;
    if (link?.kind === 'process') return step.beginDialog(PROCESSES, { slug: link.slug });
    if (link?.kind === 'proposal') return step.beginDialog(PROPOSAL, { proposalId: link.proposalId });
    return step.next();
  }
}
