// English. Same keys as es.ts (checked by the type below and by tests/i18n).
import type { es } from './es.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const en: Shape<typeof es> = {
  common: {
    yes: 'Yes',
    no: 'No',
    backToMenu: 'Menu',
    whatNext: 'What would you like to do now?',
    retryChoice: "Sorry, I didn't get that. Press a button or type the option's number.",
    retryConfirm: 'Sorry, I didn\'t get that. Please answer "yes" or "no".',
  },
  engine: {
    privateOnly: 'I can only help you in a private chat. Write to me directly to take part.',
    editsIgnored: "I can't see edited messages. Please send a new message.",
    buttonExpired: 'That button has expired. Here is the current question again:',
    error:
      'Sorry, something went wrong on our side. Nothing you had saved was lost. Type "menu" to carry on.',
    slowDown: "You're going very fast 🙂 Please wait a few seconds before sending more messages.",
    onlyText: 'For now I only understand text messages and buttons.',
    tooLong: 'That message is too long (at most {{max}} characters). Could you shorten it?',
    unsupported: 'For now I only understand text messages and buttons.',
    cancelled: 'Cancelled. Nothing was sent.',
    cancelledBeforeConsent: 'All right. We have stored nothing. Whenever you want to start, type "hello".',
  },
  help: {
    text:
      'With Plaza you can read about participatory processes, make proposals and support the ones you like.\n\n' +
      "Press the buttons or type the option's number. At any time you can type:\n" +
      '• "menu" to go back to the start\n• "cancel" to stop what you are doing\n' +
      '• "privacy" to read the privacy notice\n• "withdraw consent" to stop taking part\n' +
      '• "language" to change language',
    beforeConsent:
      "I'm Plaza, the citizen participation channel. To take part I need your consent; " +
      'type "privacy" to read the full notice or "cancel" to leave.',
  },
  onboarding: {
    hello: "Hello! 👋 I'm Plaza, the citizen participation channel.",
    chooseLanguage: '¿En qué idioma prefieres hablar? / Which language do you prefer?',
    intro: 'Here you can make proposals to the administration and support the ones you like best.',
    noticeTitle: 'Before we start, the essentials about your data:',
    askAge: 'Are you 14 or older?',
    underAge:
      'Thank you for your interest. In Spain only people aged 14 or over can give consent by themselves, ' +
      "so we can't register you. We have stored no data about you. Ask a parent or guardian to help you take part.",
    askConsent: 'Do you agree to us processing your data so you can take part, as this notice explains?',
    consentYes: 'Yes, I agree',
    consentNo: 'No',
    readFull: 'Read the full notice',
    declined:
      "Understood, we respect your decision. Without your consent we store nothing and you can't make or support proposals. " +
      'If you change your mind, type "hello".',
    thanks:
      'Thank you! You can take part now. You can withdraw your consent at any time by typing "withdraw consent".',
    noNotice: "We can't show the privacy notice right now, so we can't register you. Please try again later.",
  },
  menu: {
    question: 'What would you like to do?',
    questionWithProcess: 'What would you like to do? (Process: {{process}})',
    proposals: 'See and support proposals',
    propose: 'Make a proposal',
    ranking: 'Ranking',
    processes: 'Processes',
    privacy: 'Privacy',
    language: 'Idioma / Language',
  },
  phase: {
    information: 'Information',
    proposals: 'Proposals',
    debate: 'Debate',
    voting: 'Voting',
    results: 'Results',
    follow_up: 'Follow-up',
    none: 'no phase open',
  },
  processes: {
    none: 'There are no participatory processes right now.',
    notFound: "I couldn't find that process.",
    choose: 'Which process would you like to see?',
    currentPhase: 'Current phase: {{phase}} (until {{until}}).',
    noCurrentPhase: 'No phase is open right now.',
    canPropose: '✏️ You can make proposals.',
    canSupport_one: '👍 You can support {{count}} proposal.',
    canSupport_other: '👍 You can support up to {{count}} proposals.',
    phases: 'Phases:',
  },
  proposals: {
    none: 'There are no published proposals in this process yet.',
    page: 'Proposals (page {{page}} of {{pages}}, {{total}} in all):',
    line_one: '{{n}}. {{title}} — {{category}} · {{count}} support',
    line_other: '{{n}}. {{title}} — {{category}} · {{count}} supports',
    pick: 'Choose one to read and support it.',
    next: 'More proposals',
    prev: 'Previous',
  },
  proposal: {
    notFound: "I couldn't find that proposal.",
    category: 'Category: {{category}}',
    supports_one: '👍 {{count}} support',
    supports_other: '👍 {{count}} supports',
    youSupport: 'You support it.',
    support: 'Support',
    withdraw: 'Withdraw my support',
    backToList: 'Back to the list',
  },
  proposalStatus: {
    pending: '⏳ Waiting for moderation (only you can see it).',
    published: '',
    rejected: '✖ Not published.',
    withdrawn: '✖ Withdrawn.',
    selected: '🏅 Selected.',
    not_selected: 'Not selected.',
    hidden: '⚠ Hidden while the moderators review it.',
  },
  support: {
    done_one: 'Support recorded! You have used {{used}} of {{limit}} supports; {{left}} left.',
    done_other: 'Support recorded! You have used {{used}} of {{limit}} supports; {{left}} left.',
    limitReached_one:
      'You have already used your support in this process. To support this one, withdraw the other first.',
    limitReached_other:
      'You have already used your {{count}} supports in this process. To support this one, withdraw one of the others first.',
    'already-supported': 'You already support this proposal.',
    'not-found': 'That proposal is no longer available.',
    'voting-closed': 'Proposals cannot be supported now: only during the voting phase.',
    'not-supported': "You weren't supporting this proposal.",
    withdrawn: 'You have withdrawn your support.',
  },
  ranking: {
    title: 'Ranking of "{{process}}":',
    line_one: '{{position}}. {{title}} — {{count}} support',
    line_other: '{{position}}. {{title}} — {{count}} supports',
    empty: 'There are no proposals in the ranking yet.',
  },
  propose: {
    closed: 'Proposals cannot be made in "{{process}}" right now (current phase: {{phase}}).',
    intro:
      'You are making a proposal in "{{process}}". I will ask for a title, the text and a category, and you can review it before sending. ' +
      'Type "cancel" to leave.',
    askTitle: 'Type the title of your proposal ({{min}}–{{max}} characters).',
    askBody: 'Now explain your proposal ({{min}}–{{max}} characters): what you would change and why.',
    askCategory: 'Which category fits it best?',
    title: {
      tooShort: 'The title is too short ({{length}} characters; at least {{min}}).',
      tooLong: 'The title is too long ({{length}} characters; at most {{max}}).',
    },
    body: {
      tooShort: 'The text is too short ({{length}} characters; at least {{min}}).',
      tooLong: 'The text is too long ({{length}} characters; at most {{max}}).',
    },
    preview: 'This is how your proposal will look:',
    confirm: 'Shall I send it?',
    send: 'Send proposal',
    editTitle: 'Change the title',
    editBody: 'Change the text',
    editCategory: 'Change the category',
    discard: 'Discard',
    discarded: 'Proposal discarded. Nothing was sent.',
    sentPending:
      'Received! Your proposal (#{{id}}) will be reviewed by the moderation team before it is published. We will let you know.',
    sentPublished: 'Published! Your proposal is #{{id}}.',
    rejected: {
      'process-not-found': 'That process no longer exists. Nothing was sent.',
      'proposals-closed': 'The proposal period has closed. Nothing was sent.',
      'invalid-category': 'That category no longer exists. Please try again.',
      'title-too-short': 'The title is too short.',
      'title-too-long': 'The title is too long.',
      'body-too-short': 'The text is too short.',
      'body-too-long': 'The text is too long.',
    },
  },
  privacy: {
    withdraw: 'Withdraw my consent',
    confirmWithdraw:
      'Are you sure you want to withdraw your consent? You will no longer be able to take part; what you published stays published.',
    withdrawn: 'Done: you have withdrawn your consent. If you ever want to come back, type "hello".',
    kept: 'All right, nothing changes.',
    notConsented: "You haven't given us your consent, so there is nothing to withdraw.",
  },
  language: {
    changed: "We'll talk in English.",
  },
};
