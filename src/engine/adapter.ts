// The one bridge to botbuilder: a BotAdapter that runs a turn for an Activity from any channel and collects
// what the bot sends, instead of posting it anywhere. Channels deliver the collected replies themselves.
import { randomUUID } from 'node:crypto';
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import type { InboundActivity, OutboundActivity } from './types.ts';

// The outbox lives in turnState under a symbol: the context reaching sendActivities may be a Proxy.
const OUTBOX = Symbol('plaza.outbox');

export class CollectingAdapter extends BotAdapter {
  async processActivity(
    activity: InboundActivity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<OutboundActivity[]> {
    const context = new TurnContext(this, activity as Activity);
    const outbox: OutboundActivity[] = [];
    context.turnState.set(OUTBOX, outbox);
    await this.runMiddleware(context, logic);
    return outbox;
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const outbox = context.turnState.get(OUTBOX) as OutboundActivity[];
    return activities.map((a) => {
      const id = randomUUID();
      // "delay" activities are a pacing hint for live channels; nothing to deliver.
      if (a.type !== 'delay') outbox.push({ ...a, id });
      return { id };
    });
  }

  async updateActivity(): Promise<void> {
    throw new Error('updateActivity is not supported by the collecting adapter');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('deleteActivity is not supported by the collecting adapter');
  }

  async continueConversation(
    _reference: Partial<ConversationReference>,
    _logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    throw new Error('Proactive messages go through the notification queue, not the adapter');
  }
}
