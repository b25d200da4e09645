// «Vincular cuentas»: one person taking part from Telegram and from the web chat joins the two accounts, so
// that each of their supports counts once. In the first channel they ask for a code (create-link-code); in
// the other they type it (claim-link-code) and are given two digits; back in the first channel they type
// the digits (confirm-link-dialog, asked by the engine at their next message there), and only then are the
// two participants merged. A code someone else guessed merges nothing: its owner never saw their digits.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { claimLinkCode } from '../../domain/claim-link-code.ts';
import { createLinkCode } from '../../domain/create-link-code.ts';
import { normaliseLinkCode } from '../../domain/link-codes.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askChoice, askText, chosen, Flow, registerTextCheck } from '../ui.ts';
import { channelTo } from './channel-name.ts';

export const LINK_ACCOUNTS = 'link-accounts';

const LINK_CODE = registerTextCheck('link-code', (ctx, text) =>
  normaliseLinkCode(text) === undefined ? tr(ctx, 'linkAccounts.notACode') : undefined,
);

export class LinkAccountsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(LINK_ACCOUNTS);
    this.define(
      (s) => this.ask(s),
      (s) => this.act(s),
      (s) => this.claim(s, String(s.result)),
    );
  }

  private async ask(step: WaterfallStepContext) {
    await step.context.sendActivity(tr(step.context, 'linkAccounts.explain'));
    return askChoice(
      step,
      tr(step.context, 'linkAccounts.whatNow'),
      [
        {
          value: 'show',
          title: tr(step.context, 'linkAccounts.show'),
          synonyms: ['mostrar', 'código', 'codigo', 'show', 'code'],
        },
        {
          value: 'type',
          title: tr(step.context, 'linkAccounts.type'),
          synonyms: ['tengo', 'tengo un código', 'tengo un codigo', 'escribir', 'have', 'i have a code'],
        },
        // A way back that is not to be guessed (the menu command, as typed).
        { value: 'menu', title: tr(step.context, 'common.backToMenu') },
      ],
      undefined,
      // Someone holding a code from the other channel often types it at once.
      { value: 'code', check: LINK_CODE },
    );
  }

  private async act(step: WaterfallStepContext) {
    const s = session(step.context);
    if (chosen(step) === 'menu') return step.endDialog();
    if (chosen(step) === 'type') return askText(step, tr(step.context, 'linkAccounts.askCode'), LINK_CODE);
    if (chosen(step) === 'code') return this.claim(step, step.context.activity.text ?? '');
    const r = await createLinkCode(this.services.domain, {
      participantId: participantId(step.context),
      channel: s.channelId,
    });
    if (!r.ok) {
      await step.context.sendActivity(tr(step.context, 'myData.nothing'));
      return step.endDialog();
    }
    // Shown in two groups of three, as people read and type it.
    const code = `${r.code.slice(0, 3)} ${r.code.slice(3)}`;
    await step.context.sendActivity(tr(step.context, 'linkAccounts.code', { code }));
    return step.endDialog();
  }

  private async claim(step: WaterfallStepContext, code: string) {
    const s = session(step.context);
    const r = await claimLinkCode(this.services.domain, {
      participantId: participantId(step.context),
      channel: s.channelId,
      code,
    });
    if (r.ok) {
      await step.context.sendActivity(
        tr(step.context, 'linkAccounts.claimed', {
          channelTo: channelTo(step.context, r.ownerChannel),
          digits: r.checkDigits,
        }),
      );
      return step.endDialog();
    }
    const reason = {
      'code-wrong': 'linkAccounts.wrong',
      'own-code': 'linkAccounts.ownCode',
      'too-many-attempts': 'linkAccounts.tooMany',
      paused: 'linkAccounts.paused',
      'not-found': 'myData.nothing',
    } as const;
    await step.context.sendActivity(tr(step.context, reason[r.reason]));
    return step.endDialog();
  }
}
