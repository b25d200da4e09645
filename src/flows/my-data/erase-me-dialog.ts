// «Borrar mis datos»: the right to erasure, after a double confirmation (a yes, then the word BORRAR typed).
// What the person published stays public without their name, their supports stay counted but unlinked, the
// consent ledger keeps only what proves consent was lawful (pseudonymised); everything else about them goes,
// in PostgreSQL and in Redis (the traces port forgets their conversations, now and once more after this turn
// and its goodbye have been written).
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { eraseParticipant } from '../../domain/erase-participant.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askText, askYesNo, Flow, isYes, registerTextCheck } from '../ui.ts';

export const ERASE_ME = 'erase-me';

const CONFIRM_WORDS = new Set(['borrar', 'delete']);
const CONFIRM = registerTextCheck('erase-confirm', (ctx, text) =>
  CONFIRM_WORDS.has(text.trim().toLowerCase()) ? undefined : tr(ctx, 'eraseMe.notTheWord'),
);

export class EraseMeDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(ERASE_ME);
    this.define(
      (s) => askYesNo(s, tr(s.context, 'eraseMe.warning')),
      (s) => this.askWord(s),
      (s) => this.erase(s),
    );
  }

  private async askWord(step: WaterfallStepContext) {
    if (!isYes(step)) {
      await step.context.sendActivity(tr(step.context, 'privacy.kept'));
      return step.endDialog();
    }
    return askText(step, tr(step.context, 'eraseMe.typeWord'), CONFIRM);
  }

  private async erase(step: WaterfallStepContext) {
    const s = session(step.context);
    if (!s.participant || !this.services.traces) {
      await step.context.sendActivity(tr(step.context, 'myData.nothing'));
      return step.endDialog();
    }
    const traces = this.services.traces;
    const here = {
      channel: s.channelId,
      externalId: s.userId,
      conversationId: step.context.activity.conversation.id,
    };
    const r = await eraseParticipant(this.services.domain, {
      participantId: s.participant.id,
      channel: s.channelId,
      // This conversation too, by its id: the records that map a web chat user to it go in the first sweep.
      traces: { forget: (accounts) => traces.forget([...accounts, here]) },
    });
    if (!r.ok) {
      await step.context.sendActivity(tr(step.context, 'myData.nothing'));
      return step.endDialog();
    }
    // Nothing of them stays in this conversation either.
    s.participant = undefined;
    s.profile = {};
    await step.context.sendActivity(tr(step.context, 'eraseMe.done'));
    return step.cancelAllDialogs();
  }
}
