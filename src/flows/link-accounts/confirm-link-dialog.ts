// The last step of «vincular cuentas», in the channel the code was shown in: someone typed the code in the
// other channel (claim-link-code) and was shown two digits. The engine begins this dialog at the owner's
// next message here, before anything else, passing that message: two digits typed straight away confirm at
// once. Otherwise the owner is asked; "no" refuses (refuse-link-claim), and wrong digits spend the code —
// either way nothing is merged. Right digits merge the two participants (confirm-link-claim).
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { confirmLinkClaim } from '../../domain/confirm-link-claim.ts';
import { describeDroppedSupports } from '../../domain/describe-dropped-supports.ts';
import { findLinkClaim } from '../../domain/find-link-claim.ts';
import { findParticipant } from '../../domain/find-participant.ts';
import { recordDroppedSupportNotices } from '../../domain/record-dropped-support-notices.ts';
import { refuseLinkClaim } from '../../domain/refuse-link-claim.ts';
import { MAIN_MENU } from '../main-menu/main-menu-dialog.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askText, Flow, NO_ANSWERS, registerTextCheck, withoutEmojiVariants } from '../ui.ts';
import { channelIn } from './channel-name.ts';
import { droppedSupportsText } from './dropped-supports-text.ts';

export const CONFIRM_LINK = 'confirm-link';

export interface ConfirmLinkOptions {
  /** The message that brought the owner here (it may already be the digits). */
  text?: string;
}

// A no as at any yes/no question («nope», 👎, «no gracias»), and the ways of saying it was not them.
const NO_WORDS = new Set([
  ...NO_ANSWERS,
  ...['no fui yo', 'no he sido yo', 'yo no', 'not me', 'it was not me', "it wasn't me"],
]);
const DIGITS = /^\s*([0-9]{2})\s*$/;

const answerOf = (text: string): 'no' | { digits: string } | undefined => {
  const normalised = withoutEmojiVariants(text)
    .trim()
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/[.!¡,]+/g, '')
    .replace(/\s+/g, ' ');
  if (NO_WORDS.has(normalised)) return 'no';
  const digits = DIGITS.exec(text)?.[1];
  return digits === undefined ? undefined : { digits };
};

const CONFIRM_ANSWER = registerTextCheck('link-confirm', (ctx, text) =>
  answerOf(text) === undefined ? tr(ctx, 'linkAccounts.confirmFormat') : undefined,
);

export class ConfirmLinkDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(CONFIRM_LINK);
    this.define(
      (s) => this.ask(s),
      (s) => this.answer(s),
    );
  }

  private async ask(step: WaterfallStepContext) {
    const s = session(step.context);
    const typed = (step.options as ConfirmLinkOptions | undefined)?.text;
    if (typed !== undefined && typeof answerOf(typed) === 'object') return step.next(typed);
    const claim = await findLinkClaim(this.services.domain, {
      participantId: participantId(step.context),
      channel: s.channelId,
    });
    if (!claim) {
      await step.context.sendActivity(tr(step.context, 'linkAccounts.noClaim'));
      return step.replaceDialog(MAIN_MENU);
    }
    const where = channelIn(step.context, claim.claimedChannel);
    return askText(step, tr(step.context, 'linkAccounts.confirmAsk', { channelIn: where }), CONFIRM_ANSWER);
  }

  private async answer(step: WaterfallStepContext) {
    const s = session(step.context);
    const me = participantId(step.context);
    const answer = answerOf(String(step.result));
    if (answer === 'no' || answer === undefined) {
      await refuseLinkClaim(this.services.domain, { participantId: me, channel: s.channelId });
      await step.context.sendActivity(tr(step.context, 'linkAccounts.refused'));
      return step.replaceDialog(MAIN_MENU);
    }
    const r = await confirmLinkClaim(this.services.domain, {
      participantId: me,
      channel: s.channelId,
      digits: answer.digits,
    });
    if (!r.ok) {
      const key = r.reason === 'digits-wrong' ? 'linkAccounts.digitsWrong' : 'linkAccounts.noClaim';
      await step.context.sendActivity(tr(step.context, key));
      return step.replaceDialog(MAIN_MENU);
    }
    // The participant writing may now be the other (older) one: read it again for the rest of the turn.
    s.participant = await findParticipant(this.services.domain, {
      channel: s.channelId,
      externalId: s.userId,
    });
    await step.context.sendActivity(
      tr(step.context, 'linkAccounts.linked', {
        hereIn: channelIn(step.context, s.channelId),
        otherIn: channelIn(step.context, r.linkedChannel),
      }),
    );
    // Supports over a process's limit went: named here, and in the other channel at its next message
    // (whose screen may still show them supported).
    if (r.droppedSupports.length > 0) {
      const domain = this.services.domain;
      for (const d of await describeDroppedSupports(domain, { dropped: r.droppedSupports, locale: s.locale }))
        await step.context.sendActivity(droppedSupportsText(s.locale, d));
      await recordDroppedSupportNotices(domain, {
        participantId: r.participantId,
        channel: r.linkedChannel,
        mergedId: r.mergedId,
        dropped: r.droppedSupports,
      });
    }
    return step.replaceDialog(MAIN_MENU);
  }
}
