// Stopping one process's updates from its page: done at once, and said in plain words.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getProcess } from '../../domain/get-process.ts';
import { unsubscribeFromProcess } from '../../domain/unsubscribe-from-process.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { Flow } from '../ui.ts';

export const UNSUBSCRIBE = 'unsubscribe';

export interface UnsubscribeOptions {
  processId?: number;
}

export class UnsubscribeDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(UNSUBSCRIBE);
    this.define((s) => this.unsubscribe(s));
  }

  private async unsubscribe(step: WaterfallStepContext) {
    const ctx = step.context;
    const { processId } = (step.options ?? {}) as UnsubscribeOptions;
    const domain = this.services.domain;
    const process =
      processId !== undefined
        ? await getProcess(domain, { processId, locale: session(ctx).locale })
        : undefined;
    if (!process) {
      await ctx.sendActivity(tr(ctx, 'subscriptions.processNotFound'));
      return step.endDialog();
    }
    const r = await unsubscribeFromProcess(domain, {
      participantId: participantId(ctx),
      processId: process.id,
    });
    await ctx.sendActivity(
      tr(ctx, r.wasSubscribed ? 'subscriptions.unsubscribed' : 'subscriptions.notSubscribed', {
        process: process.title,
      }),
    );
    return step.endDialog();
  }
}
