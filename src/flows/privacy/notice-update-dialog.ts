// A new privacy notice is in force and the person consented to an older one: before going on, they are shown
// what changed (the new summary) and asked to accept it. Accepting records consent to the new version;
// declining leaves them where they are — they can still read it («privacidad»), see their data («mis datos»)
// or leave («retirar consentimiento»), and are asked again at their next message.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getPrivacyNotice } from '../../domain/get-privacy-notice.ts';
import { giveConsent } from '../../domain/give-consent.ts';
import { ROOT } from '../main-menu/root-dialog.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askYesNo, Flow, isYes } from '../ui.ts';

export const NOTICE_UPDATE = 'notice-update';

export class NoticeUpdateDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(NOTICE_UPDATE);
    this.define(
      (s) => this.ask(s),
      (s) => this.act(s),
    );
  }

  private async ask(step: WaterfallStepContext) {
    const notice = await getPrivacyNotice(this.services.domain, { locale: session(step.context).locale });
    if (!notice) return step.endDialog();
    await step.context.sendActivity(
      `${tr(step.context, 'noticeUpdate.changed', { version: notice.version })}\n\n${notice.summary}`,
    );
    return askYesNo(step, tr(step.context, 'noticeUpdate.accept'));
  }

  private async act(step: WaterfallStepContext) {
    const s = session(step.context);
    if (!isYes(step) || !s.participant) {
      await step.context.sendActivity(tr(step.context, 'noticeUpdate.declined'));
      return step.endDialog();
    }
    const notice = await getPrivacyNotice(this.services.domain, { locale: s.locale });
    const r = notice
      ? await giveConsent(this.services.domain, {
          channel: s.channelId,
          externalId: s.userId,
          locale: s.locale,
          ageConfirmed: true,
          noticeVersion: notice.version,
        })
      : undefined;
    if (!r?.ok) {
      await step.context.sendActivity(tr(step.context, 'onboarding.noNotice'));
      return step.endDialog();
    }
    s.participant = { ...s.participant, needsNotice: false };
    await step.context.sendActivity(tr(step.context, 'noticeUpdate.accepted'));
    // On with what they came for: the menu.
    return step.replaceDialog(ROOT);
  }
}
