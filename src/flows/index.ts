// The flows the engine can run. Every dialog is registered once here; dialogs begin each other by id and
// botbuilder finds them through the parent dialog set.
import type { Dialog } from 'botbuilder-dialogs';
import type { FlowServices } from './session.ts';
import { RootDialog, ROOT } from './main-menu/root-dialog.ts';
import { MainMenuDialog, MAIN_MENU } from './main-menu/main-menu-dialog.ts';
import { OnboardingDialog, ONBOARDING } from './onboarding-consent/onboarding-dialog.ts';
import { ConsentQuestionDialog } from './onboarding-consent/consent-question-dialog.ts';
import { standardPrompts } from './ui.ts';
import { ChooseProcessDialog } from './processes/choose-process-dialog.ts';
import { ProcessesDialog, PROCESSES } from './processes/processes-dialog.ts';
import { RankingDialog } from './processes/ranking-dialog.ts';
import { BrowseProposalsDialog } from './support/browse-proposals-dialog.ts';
import { ProposalDialog, PROPOSAL } from './support/proposal-dialog.ts';
import { VerifyDialog } from './support/verify-dialog.ts';
import { ProposeDialog } from './propose/propose-dialog.ts';
import { CommentsDialog } from './comments/comments-dialog.ts';
import { WriteCommentDialog } from './comments/write-comment-dialog.ts';
import { ReportDialog } from './comments/report-dialog.ts';
import { PrivacyDialog, PRIVACY } from './privacy/privacy-dialog.ts';
import { WithdrawConsentDialog, WITHDRAW_CONSENT } from './privacy/withdraw-consent-dialog.ts';
import { MyDataDialog, MY_DATA } from './my-data/my-data-dialog.ts';
import { ConfirmLinkDialog, CONFIRM_LINK } from './link-accounts/confirm-link-dialog.ts';
import { LinkAccountsDialog, LINK_ACCOUNTS } from './link-accounts/link-accounts-dialog.ts';
import { EraseMeDialog, ERASE_ME } from './my-data/erase-me-dialog.ts';
import { NoticeUpdateDialog, NOTICE_UPDATE } from './privacy/notice-update-dialog.ts';
import { LanguageDialog, LANGUAGE } from './privacy/language-dialog.ts';
import { RejectReasonDialog } from './moderation/reject-reason-dialog.ts';
import { BroadcastDialog, BROADCAST } from './broadcast/broadcast-dialog.ts';
import { BroadcastInputPrompt } from './broadcast/broadcast-input-prompt.ts';
import { SubscribeDialog } from './subscriptions/subscribe-dialog.ts';
import { UnsubscribeDialog } from './subscriptions/unsubscribe-dialog.ts';
import { SubscriptionsDialog, SUBSCRIPTIONS } from './subscriptions/subscriptions-dialog.ts';
import { EventsDialog } from './events/events-dialog.ts';
import { MyEventRegistrationsDialog } from './events/my-event-registrations-dialog.ts';
import { MyProposalsDialog } from './outcomes/my-proposals-dialog.ts';
import { CommitmentsDialog } from './outcomes/commitments-dialog.ts';
export { CHOICE } from './ui.ts';
export { runModeratorsRoom, POSTBACK_EVENT } from './moderation/room.ts';
export { renderCaseCard } from './moderation/case-card.ts';
export { beginBroadcast } from './broadcast/broadcast-dialog.ts';
export { noticeText } from './notices/notice-text.ts';
export { restartInNewLanguage } from './privacy/language-dialog.ts';
export { broadcastMessageText, broadcastProgressText } from './notices/broadcast-text.ts';

export {
  setSession,
  session,
  type Session,
  type Profile,
  type DeepLink,
  type FlowServices,
} from './session.ts';

/** Dialog ids the engine starts directly (commands, the consent gate, deep links). */
export const FLOW_IDS = {
  ROOT,
  MAIN_MENU,
  ONBOARDING,
  PROCESSES,
  PROPOSAL,
  PRIVACY,
  WITHDRAW_CONSENT,
  MY_DATA,
  ERASE_ME,
  NOTICE_UPDATE,
  LINK_ACCOUNTS,
  CONFIRM_LINK,
  LANGUAGE,
  BROADCAST,
  SUBSCRIPTIONS,
} as const;

export function buildFlows(services: FlowServices): Dialog[] {
  return [
    ...standardPrompts(),
    new RootDialog(),
    new MainMenuDialog(services),
    new OnboardingDialog(services),
    new ConsentQuestionDialog(services),
    new ChooseProcessDialog(services),
    new ProcessesDialog(services),
    new RankingDialog(services),
    new BrowseProposalsDialog(services),
    new ProposalDialog(services),
    new VerifyDialog(services),
    new ProposeDialog(services),
    new CommentsDialog(services),
    new WriteCommentDialog(services),
    new ReportDialog(services),
    new PrivacyDialog(services),
    new WithdrawConsentDialog(services),
    new MyDataDialog(services),
    new LinkAccountsDialog(services),
    new ConfirmLinkDialog(services),
    new EraseMeDialog(services),
    new NoticeUpdateDialog(services),
    new LanguageDialog(services),
    new RejectReasonDialog(services),
    new BroadcastDialog(services),
    new BroadcastInputPrompt(services),
    new SubscribeDialog(services),
    new UnsubscribeDialog(services),
    new SubscriptionsDialog(services),
    new EventsDialog(services),
    new MyEventRegistrationsDialog(services),
    new MyProposalsDialog(services),
    new CommitmentsDialog(services),
  ];
}
