// «Mis datos» (`/misdatos`): what Plaza keeps about the person, a copy of all of it as a JSON file, and
// withdrawing a consent purpose in as many steps as giving it took (one question, one answer). A right of
// access, so it runs whether or not participation consent stands (the engine lets it past the consent gate).
import { type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { exportParticipantData, type ParticipantDataExport } from '../../domain/export-participant-data.ts';
import { unsubscribeFromEverything } from '../../domain/unsubscribe-from-everything.ts';
import { jsonFileAttachment } from '../../engine/types.ts';
import { MAIN_MENU } from '../main-menu/main-menu-dialog.ts';
import { WITHDRAW_CONSENT } from '../privacy/withdraw-consent-dialog.ts';
import { ERASE_ME } from './erase-me-dialog.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, askYesNo, chosen, Flow, isYes } from '../ui.ts';
import type { MessageKey } from '../../i18n/index.ts';

/** The channels and languages with a name in myData.channelName / myData.localeName. */
const NAMED = { channelName: ['telegram', 'webchat'], localeName: ['es', 'en'] };

export const MY_DATA = 'my-data';

type Purpose = 'participation' | 'updates';

/** The purposes whose latest ledger row is "given". */
function standing(data: ParticipantDataExport): Purpose[] {
  const latest = new Map<string, string>();
  for (const row of data.consents) latest.set(String(row.purpose), String(row.action));
  return (['participation', 'updates'] as const).filter((p) => latest.get(p) === 'given');
}

export class MyDataDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(MY_DATA);
    this.define(
      (s) => this.show(s),
      (s) => this.act(s),
      (s) => this.withdraw(s),
      (s) => this.confirmUpdates(s),
    );
  }

  /** Begun by the command (nothing beneath it), it goes on to the menu, as a flow begun from the menu does. */
  private finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.stack.length === 1 && session(step.context).participant?.hasConsent)
      return step.replaceDialog(MAIN_MENU);
    return step.endDialog();
  }

  private async load(step: WaterfallStepContext): Promise<ParticipantDataExport | undefined> {
    const participant = session(step.context).participant;
    if (!participant) return undefined;
    const r = await exportParticipantData(this.services.domain, { participantId: participant.id });
    return r.ok ? r.data : undefined;
  }

  private async show(step: WaterfallStepContext) {
    const data = await this.load(step);
    if (!data) {
      await step.context.sendActivity(tr(step.context, 'myData.nothing'));
      return this.finish(step);
    }
    const ctx = step.context;
    const purposes = standing(data);
    // Names people know: «Telegram, chat web», «español» (a channel or language without a name, as stored).
    const named = (group: 'channelName' | 'localeName', key: string) =>
      NAMED[group].includes(key) ? tr(ctx, `myData.${group}.${key}` as MessageKey) : key;
    const channels = [...new Set(data.accounts.map((a) => named('channelName', String(a.channel))))].join(
      ', ',
    );
    const lines = [
      tr(ctx, 'myData.title'),
      tr(ctx, 'myData.accounts', { channels }),
      tr(ctx, 'myData.language', { locale: named('localeName', String(data.participant.locale ?? '')) }),
      tr(ctx, 'myData.consents', {
        given:
          purposes.length > 0
            ? purposes.map((p) => tr(ctx, `myData.purpose.${p}`)).join(', ')
            : tr(ctx, 'myData.none'),
      }),
      tr(ctx, 'myData.counts', {
        proposals: data.proposals.length,
        supports: data.supports.length,
        comments: data.comments.length,
        subscriptions: data.subscriptions.length,
        follows: data.follows.length,
        // Places held or waited for: a cancelled registration stays in the record (the file), not here.
        registrations: data.eventRegistrations.filter((r) => r.status !== 'cancelled').length,
      }),
    ];
    await ctx.sendActivity(lines.join('\n'));
    const options = [{ value: 'download', title: tr(ctx, 'myData.download') }];
    if (purposes.length > 0) options.push({ value: 'withdraw', title: tr(ctx, 'myData.withdraw') });
    options.push({ value: 'erase', title: tr(ctx, 'myData.erase') });
    options.push({ value: 'menu', title: tr(ctx, 'common.backToMenu') });
    return askChoice(step, tr(ctx, 'common.whatNext'), options);
  }

  private async act(step: WaterfallStepContext) {
    const choice = chosen(step);
    if (choice === 'download') {
      const data = await this.load(step);
      if (!data) {
        await step.context.sendActivity(tr(step.context, 'myData.nothing'));
        return this.finish(step);
      }
      const day = data.generatedAt.slice(0, 10);
      await step.context.sendActivity({
        type: 'message',
        text: tr(step.context, 'myData.downloadReady'),
        attachments: [
          jsonFileAttachment(JSON.stringify(data, null, 2), tr(step.context, 'myData.fileName', { day })),
        ],
      });
      return this.finish(step);
    }
    if (choice === 'erase') return step.replaceDialog(ERASE_ME);
    if (choice !== 'withdraw') return this.finish(step);
    const data = await this.load(step);
    const purposes = data ? standing(data) : [];
    if (purposes.length === 0) {
      await step.context.sendActivity(tr(step.context, 'privacy.notConsented'));
      return this.finish(step);
    }
    // «Volver» (or «no», «ninguno»): back to «Mis datos», nothing withdrawn.
    return askChoice(step, tr(step.context, 'myData.whichPurpose'), [
      ...purposes.map((p) => ({ value: p, title: tr(step.context, `myData.purpose.${p}`) })),
      {
        value: 'back',
        title: tr(step.context, 'common.back'),
        synonyms: ['volver', 'atrás', 'no', 'ninguno', 'back', 'none'],
      },
    ]);
  }

  private async withdraw(step: WaterfallStepContext) {
    // Participation: the same question as «retirar consentimiento»; updates: one question here.
    if (chosen(step) === 'back') return step.replaceDialog(MY_DATA);
    if (chosen(step) === 'participation') return step.replaceDialog(WITHDRAW_CONSENT);
    return askYesNo(step, tr(step.context, 'myData.confirmUpdates'));
  }

  private async confirmUpdates(step: WaterfallStepContext) {
    const s = session(step.context);
    if (!isYes(step) || !s.participant) {
      await step.context.sendActivity(tr(step.context, 'privacy.kept'));
      return this.finish(step);
    }
    await unsubscribeFromEverything(this.services.domain, {
      participantId: s.participant.id,
      channel: s.channelId,
    });
    await step.context.sendActivity(tr(step.context, 'myData.updatesWithdrawn'));
    return this.finish(step);
  }
}
