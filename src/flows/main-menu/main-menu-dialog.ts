// The menu every conversation comes back to. It loops: after any flow ends, the menu is asked again.
import { MY_DATA } from '../my-data/my-data-dialog.ts';
import { LINK_ACCOUNTS } from '../link-accounts/link-accounts-dialog.ts';
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getProcess } from '../../domain/get-process.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, Flow } from '../ui.ts';
import { PROCESSES } from '../processes/processes-dialog.ts';
import { beginProcessAction } from '../processes/process-actions.ts';
import { PRIVACY } from '../privacy/privacy-dialog.ts';
import { LANGUAGE } from '../privacy/language-dialog.ts';
import { SUBSCRIPTIONS } from '../subscriptions/subscriptions-dialog.ts';
import { MY_PROPOSALS } from '../outcomes/my-proposals-dialog.ts';

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
        value: 'my-proposals',
        title: tr(step.context, 'outcomes.menu'),
        synonyms: [
          'qué pasó con mi propuesta',
          'que paso con mi propuesta',
          'mis propuestas',
          'what happened to my proposal',
          'my proposals',
        ],
      },
      {
        value: 'processes',
        title: tr(step.context, 'menu.processes'),
        synonyms: ['procesos', 'processes', 'proceso'],
      },
      {
        value: 'subscriptions',
        title: tr(step.context, 'subscriptions.menu'),
        synonyms: ['suscripciones', 'mis suscripciones', 'subscriptions', 'my subscriptions'],
      },
      {
        value: 'privacy',
        title: tr(step.context, 'menu.privacy'),
        synonyms: ['privacidad', 'privacy', 'datos'],
      },
      {
        value: 'my-data',
        title: tr(step.context, 'myData.menu'),
        synonyms: ['mis datos', 'my data'],
      },
      {
        value: 'link-accounts',
        title: tr(step.context, 'linkAccounts.menu'),
        synonyms: ['vincular cuentas', 'vincular', 'link accounts'],
      },
      {
        value: 'language',
        title: tr(step.context, 'menu.language'),
        synonyms: ['idioma', 'language', 'english', 'español'],
      },
    ]);
  }

  private async act(step: WaterfallStepContext) {
    const action = chosen(step);
    const processAction = beginProcessAction(step, action, session(step.context).profile.processId);
    if (processAction) return processAction;
    switch (action) {
      case 'processes':
        return step.beginDialog(PROCESSES);
      case 'subscriptions':
        return step.beginDialog(SUBSCRIPTIONS);
      case 'my-proposals':
        return step.beginDialog(MY_PROPOSALS);
      case 'privacy':
        return step.beginDialog(PRIVACY);
      case 'my-data':
        return step.beginDialog(MY_DATA);
      case 'link-accounts':
        return step.beginDialog(LINK_ACCOUNTS);
      default:
        return step.beginDialog(LANGUAGE);
    }
  }

  private async again(step: WaterfallStepContext) {
    return step.replaceDialog(MAIN_MENU);
  }
}
