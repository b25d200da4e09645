// Subscribing to a process's updates from its page. The first time (or again after «baja»), one short
// question asks for the `updates` consent in plain words; "yes" records it and subscribes, "no" is
// respected. Ends back where it was begun (the menu loop).
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getProcess } from '../../domain/get-process.ts';
import { giveUpdatesConsent } from '../../domain/give-updates-consent.ts';
import { subscribeToProcess, type SubscribeToProcessResult } from '../../domain/subscribe-to-process.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askYesNo, isYes, Flow } from '../ui.ts';

export const SUBSCRIBE = 'subscribe';

export interface SubscribeOptions {
  processId?: number;
}

export class SubscribeDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(SUBSCRIBE);
    this.define(
      (s) => this.subscribe(s),
      (s) => this.afterQuestion(s),
    );
  }

  private async subscribe(step: WaterfallStepContext) {
    const { processId } = (step.options ?? {}) as SubscribeOptions;
    const r = await subscribeToProcess(this.services.domain, {
      participantId: participantId(step.context),
      processId: processId ?? 0,
    });
    if (!r.ok && r.reason === 'updates-consent-needed')
      return askYesNo(step, tr(step.context, 'subscriptions.askConsent'));
    await this.tell(step, r);
    return step.endDialog();
  }

  private async afterQuestion(step: WaterfallStepContext) {
    const ctx = step.context;
    if (!isYes(step)) {
      await ctx.sendActivity(tr(ctx, 'subscriptions.declined'));
      return step.endDialog();
    }
    const id = participantId(ctx);
    const consent = await giveUpdatesConsent(this.services.domain, {
      participantId: id,
      channel: session(ctx).channelId,
    });
    if (!consent.ok) {
      await ctx.sendActivity(tr(ctx, 'subscriptions.unavailable'));
      return step.endDialog();
    }
    const { processId } = (step.options ?? {}) as SubscribeOptions;
    const r = await subscribeToProcess(this.services.domain, {
      participantId: id,
      processId: processId ?? 0,
    });
    await this.tell(step, r);
    return step.endDialog();
  }

  /** Says what happened, naming the process. */
  private async tell(step: WaterfallStepContext, r: SubscribeToProcessResult) {
    const ctx = step.context;
    const { processId } = (step.options ?? {}) as SubscribeOptions;
    const process =
      processId !== undefined
        ? await getProcess(this.services.domain, { processId, locale: session(ctx).locale })
        : undefined;
    if (!process || (!r.ok && r.reason === 'process-not-found'))
      await ctx.sendActivity(tr(ctx, 'subscriptions.processNotFound'));
    else if (!r.ok) await ctx.sendActivity(tr(ctx, 'subscriptions.unavailable'));
    else
      await ctx.sendActivity(
        tr(ctx, r.outcome === 'subscribed' ? 'subscriptions.subscribed' : 'subscriptions.alreadySubscribed', {
          process: process.title,
        }),
      );
  }
}
