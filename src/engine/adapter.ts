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
const PREFACE = Symbol('plaza.preface');

/**
 * Says `text` at the head of the turn's replies without it counting as the turn's answer. botbuilder's
 * prompts ask their question again after an answer that is none only while nothing was said in the turn
 * (`context.responded`): a note sent before the dialog runs — the news waiting for the person, «I can't see
 * pictures» — would leave them with the note and no question. Prefaces come first, in the order given.
 */
export function preface(context: TurnContext, text: string): void {
  const prefaces = context.turnState.get(PREFACE) as OutboundActivity[] | undefined;
  if (!prefaces) throw new Error('preface: not in a turn of the collecting adapter');
  const reference = TurnContext.getConversationReference(context.activity);
  const activity = TurnContext.applyConversationReference(
    { type: 'message', text, inputHint: 'acceptingInput' },
    reference,
  );
  prefaces.push({ ...activity, id: randomUUID() });
}

export class CollectingAdapter extends BotAdapter {
  async processActivity(
    activity: InboundActivity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<OutboundActivity[]> {
    const context = new TurnContext(this, activity as Activity);
    const outbox: OutboundActivity[] = [];
    const prefaces: OutboundActivity[] = [];
    context.turnState.set(OUTBOX, outbox);
    context.turnState.set(PREFACE, prefaces);
    await this.runMiddleware(context, logic);
    return prefaces.length > 0 ? [...prefaces, ...outbox] : outbox;
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
