// What can be done with a process, offered from the menu and from a process's page alike.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { BROWSE_PROPOSALS } from '../support/browse-proposals-dialog.ts';
import { PROPOSE } from '../propose/propose-dialog.ts';
import { RANKING } from './ranking-dialog.ts';
import { SUBSCRIBE } from '../subscriptions/subscribe-dialog.ts';
import { UNSUBSCRIBE } from '../subscriptions/unsubscribe-dialog.ts';
import { EVENTS } from '../events/events-dialog.ts';
import { COMMITMENTS } from '../outcomes/commitments-dialog.ts';

const FLOW_OF: Record<string, string> = {
  proposals: BROWSE_PROPOSALS,
  propose: PROPOSE,
  ranking: RANKING,
  subscribe: SUBSCRIBE,
  unsubscribe: UNSUBSCRIBE,
  events: EVENTS,
  commitments: COMMITMENTS,
};

/**
 * Begins the flow for a process action ('proposals', 'propose', 'ranking', 'subscribe', 'unsubscribe',
 * 'commitments', 'events');
 * undefined for any other value.
 */
export function beginProcessAction(
  step: WaterfallStepContext,
  action: string,
  processId: number | undefined,
): Promise<DialogTurnResult> | undefined {
  const flow = FLOW_OF[action];
  return flow ? step.beginDialog(flow, { processId }) : undefined;
}
