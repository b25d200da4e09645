// "Mis suscripciones": the processes whose updates the participant receives. Pressing one stops its updates
// (one at a time) and shows the list again; "Menú" goes back.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { listSubscriptions } from '../../domain/list-subscriptions.ts';
import { unsubscribeFromProcess } from '../../domain/unsubscribe-from-process.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askChoice, buttonTitle, chosen, vals, Flow } from '../ui.ts';

export const SUBSCRIPTIONS = 'subscriptions';

const BACK = 'menu';

export class SubscriptionsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(SUBSCRIPTIONS);
    this.define(
      (s) => this.list(s),
      (s) => this.drop(s),
    );
  }

  private async list(step: WaterfallStepContext) {
    const ctx = step.context;
    const subscriptions = await listSubscriptions(this.services.domain, {
      participantId: participantId(ctx),
      locale: session(ctx).locale,
    });
    if (subscriptions.length === 0) {
      await ctx.sendActivity(tr(ctx, 'subscriptions.none'));
      return step.endDialog();
    }
    // The titles shown, to name the process in the answer even if it is renamed meanwhile.
    vals(step)['titles'] = Object.fromEntries(subscriptions.map((s) => [String(s.processId), s.title]));
    const lines = subscriptions.map((s, i) => `${i + 1}. ${s.title}`);
    return askChoice(
      step,
      `${tr(ctx, 'subscriptions.list')}\n\n${lines.join('\n')}\n\n${tr(ctx, 'subscriptions.pick')}`,
      [
        ...subscriptions.map((s) => ({ value: String(s.processId), title: buttonTitle(s.title) })),
        { value: BACK, title: tr(ctx, 'common.backToMenu'), synonyms: ['menú', 'menu', 'volver', 'back'] },
      ],
    );
  }

  private async drop(step: WaterfallStepContext) {
    const ctx = step.context;
    const choice = chosen(step);
    if (choice === BACK) return step.endDialog();
    const r = await unsubscribeFromProcess(this.services.domain, {
      participantId: participantId(ctx),
      processId: Number(choice),
    });
    const title = (vals(step)['titles'] as Record<string, string>)[choice] ?? '';
    await ctx.sendActivity(
      tr(ctx, r.wasSubscribed ? 'subscriptions.unsubscribed' : 'subscriptions.notSubscribed', {
        process: title,
      }),
    );
    return step.replaceDialog(SUBSCRIPTIONS);
  }
}
