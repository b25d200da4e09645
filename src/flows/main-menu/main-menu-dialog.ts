// The menu every conversation comes back to. It loops: after any flow ends, the menu is asked again.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getProcess } from '../../domain/get-process.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, Flow } from '../ui.ts';
import { PROCESSES } from '../processes/processes-dialog.ts';
import { BROWSE_PROPOSALS } from '../support/browse-proposals-dialog.ts';
import { PROPOSE } from '../propose/propose-dialog.ts';
import { RANKING } from '../processes/ranking-dialog.ts';
import { PRIVACY } from '../privacy/privacy-dialog.ts';
import { LANGUAGE } from '../privacy/language-dialog.ts';

export const MAIN_MENU = 'main-menu';

export class MainMenuDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(MAIN_MENU);
    this.define(
      (s) => this.ask(s),
      (s) => this.act(s),
      (s) => this.again(s),
    );
  }

  private async ask(step: WaterfallStepContext) {
    const s = session(step.context);
    const focus =
      s.profile.processId !== undefined
        ? await getProcess(this.services.domain, { processId: s.profile.processId, locale: s.locale })
        : undefined;
    const text = focus
      ? tr(step.context, 'menu.questionWithProcess', { process: focus.title })
      : tr(step.context, 'menu.question');
    return askChoice(step, text, [
      {
        value: 'proposals',
        title: tr(step.context, 'menu.proposals'),
        synonyms: ['propuestas', 'proposals', 'apoyar', 'support', 'votar'],
      },
      {
        value: 'propose',
        title: tr(step.context, 'menu.propose'),
        synonyms: ['proponer', 'propose', 'nueva', 'new'],
      },
      {
        value: 'ranking',
        title: tr(step.context, 'menu.ranking'),
        synonyms: ['ranking', 'clasificación', 'resultados'],
      },
      {
        value: 'processes',
        title: tr(step.context, 'menu.processes'),
        synonyms: ['procesos', 'processes', 'proceso'],
      },
      {
        value: 'privacy',
        title: tr(step.context, 'menu.privacy'),
        synonyms: ['privacidad', 'privacy', 'datos'],
      },
      {
        value: 'language',
        title: tr(step.context, 'menu.language'),
        synonyms: ['idioma', 'language', 'english', 'español'],
      },
    ]);
  }

  private async act(step: WaterfallStepContext) {
    const processId = session(step.context).profile.processId;
    switch (chosen(step)) {
      case 'proposals':
        return step.beginDialog(BROWSE_PROPOSALS, { processId });
      case 'propose':
        return step.beginDialog(PROPOSE, { processId });
      case 'ranking':
        return step.beginDialog(RANKING, { processId });
      case 'processes':
        return step.beginDialog(PROCESSES);
      case 'privacy':
        return step.beginDialog(PRIVACY);
      default:
        return step.beginDialog(LANGUAGE);
    }
  }

  private async again(step: WaterfallStepContext) {
    return step.replaceDialog(MAIN_MENU);
  }
}
