// English. Same keys as es.ts (checked by the type below and by tests/i18n).
import type { es } from './es.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const en: Shape<typeof es> = {
  common: {
    yes: 'Yes',
    no: 'No',
    backToMenu: 'Menu',
    back: 'Back',
    whatNext: 'What would you like to do now?',
    retryChoice: "Sorry, I didn't get that. Press a button or type the option's number.",
    retryConfirm: 'Sorry, I didn\'t get that. Please answer "yes" or "no".',
  },
  engine: {
    badLink: 'That link does not lead to any proposal or process: it may be incomplete.',
    hello: 'Hello! 👋',
    privateOnly: 'I can only help you in a private chat. Write to me directly to take part.',
    editsIgnored: "I can't see edited messages. Please send a new message.",
    buttonExpired: 'That button has expired. Here is the current question again:',
    buttonExpiredNothing: 'That button has expired. Type "menu" to see what you can do.',
    error:
      'Sorry, something went wrong on our side. Nothing you had saved was lost. Type "menu" to carry on.',
    slowDown: "You're going very fast 🙂 Please wait a few seconds before sending more messages.",
    onlyText: 'For now I only understand text messages and buttons.',
    attachmentIgnored: "I can't see pictures or files; I've read the text that came with them.",
    tooLong: 'That message is too long (at most {{max}} characters). Could you shorten it?',
    unsupported: 'For now I only understand text messages and buttons.',
    cancelled: 'Cancelled. Nothing was sent.',
    cancelledBeforeConsent: 'All right. We have stored nothing. Whenever you want to start, type "hello".',
  },
  commandMenu: {
    menu: 'Back to the start',
    help: 'What I can do and how to ask',
    privacy: 'Read the privacy notice',
    myData: 'See, download or erase your data',
    link: 'Link your web chat and Telegram accounts',
    language: 'Change language',
    stop: 'Stop receiving process updates',
    cancel: 'Leave what you are doing',
  },
  help: {
    text:
      'With Plaza you can read about participatory processes, make proposals and support the ones you like.\n\n' +
      "Press the buttons or type the option's number. At any time you can type:\n" +
      '• "menu" to go back to the start\n• "cancel" to stop what you are doing\n' +
      '• "privacy" to read the privacy notice\n• "my data" to see and download what we keep about you\n' +
      '• "withdraw consent" to stop taking part\n' +
      '• "link" to join your Telegram and web chat accounts\n' +
      '• "stop" to stop getting updates on processes\n• "language" to change language',
    beforeConsent:
      "I'm Plaza, the citizen participation channel. To take part I need your consent; " +
      'type "privacy" to read the full notice or "cancel" to leave.',
  },
  onboarding: {
    hello: "Hello! 👋 I'm Plaza, the citizen participation channel.",
    chooseLanguage: '¿En qué idioma prefieres hablar? / Which language do you prefer?',
    // Asked before the language is known: both languages, as the question itself.
    retryLanguage: "No te he entendido: pulsa un botón. / Sorry, I didn't get that: press a button.",
    intro: 'Here you can make proposals to the administration and support the ones you like best.',
    noticeTitle: 'Before we start, the essentials about your data:',
    askAge: 'Are you 14 or older?',
    confirmUnderAge: 'Just to be sure: are you under 14?',
    under14: "I'm under 14",
    over14: "I'm 14 or older",
    underAge:
      'Thank you for your interest. In Spain only people aged 14 or over can give consent by themselves, ' +
      "so we can't register you. We keep no data about you: only this conversation will remember your answer for a day. " +
      'Ask a parent or guardian to help you take part.',
    underAgeRemembered:
      'You told us you are under 14, so you cannot take part on your own yet. ' +
      'You can read the privacy notice (type "privacy"). Ask a parent or guardian to help you take part.',
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
  // The broadcast that tells a process's subscribers a phase opens (the message's header names the process).
  phaseAnnouncement: {
    opens: '🗓️ The “{{phase}}” phase begins, until {{until}}.',
    canPropose: '✏️ You can now make proposals.',
    canSupport: '👍 You can now support the proposals you like.',
  },
  processes: {
    none: 'There are no participatory processes right now.',
    notFound: "I couldn't find that process.",
    choose: 'Which process would you like to see?',
    more: 'More processes',
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
  moderation: {
    kind: { proposal: 'Proposal', comment: 'Comment' },
    header: '{{icon}} {{case}} #{{caseId}} · {{kind}} #{{id}} · {{process}}',
    case: 'Case',
    onComment: 'on proposal #{{proposalId}}',
    reasonSubmitted_pre: 'New, waiting to be published',
    reasonSubmitted_preDecided: 'New (pre-moderation)',
    reasonSubmitted_post: 'Already public (post-moderation)',
    reasonReported: 'Reported {{count}} times and hidden: {{reasons}}',
    findings: '🔎 Automatic check:',
    noFindings: '🔎 Automatic check: nothing to flag.',
    notYetScreened: '🔎 Automatic check: pending.',
    finding: {
      personalData: '• Personal data: {{what}} (can be redacted)',
      personalDataDecided: '• Personal data: {{what}}',
      insult: '• Possible insults: {{words}}',
      shouting: '• Written in CAPITALS',
      repeated: '• Repeated characters',
      nearDuplicate: '• Similar to: {{matches}}',
    },
    personalData: { phone: 'phone', email: 'e-mail', dni: 'DNI', nie: 'NIE', iban: 'IBAN' },
    button: {
      approve: '✅ Approve',
      keep: '✅ Keep',
      restore: '✅ Restore',
      reject: '❌ Reject',
      takeDown: '❌ Take down',
      redact: '✂️ Redact and approve',
    },
    outcome: {
      approve: '✅ Approved by {{who}}',
      reject: '❌ Rejected by {{who}}. Reason: {{reason}}',
      redact_approve: '✂️ Redacted and approved by {{who}}',
    },
    someone: 'someone',
    reason: {
      'personal-data': 'Contains personal data',
      insults: 'Insults or disrespect',
      duplicate: 'Duplicate: the same already exists',
      'off-topic': 'Not about this process',
      spam: 'Advertising or spam',
      other: 'Another reason (type it)',
      cancel: 'Cancel',
    },
    askReason: '{{who}}, why is case #{{id}} rejected?',
    askReasonText: '{{who}}, type the reason in one message (the author will read it).',
    reasonTooLong: 'The reason is too long (at most {{max}} characters).',
    cancelled: 'All right, case #{{id}} is still waiting.',
    done: 'Done: case #{{id}}.',
    alreadyDecided: '{{who}} already decided case #{{id}} ({{decision}}).',
    alreadyDecidedByYou: 'Case #{{id}} is already decided ({{decision}}).',
    confirmReason: '{{who}}, reject case #{{id}} with this reason?\n"{{reason}}"',
    confirmReject: 'Reject',
    questionExpired: 'The question about case #{{id}} has expired. To reject it, press ❌ on its card again.',
    decisionName: { approve: 'approved', reject: 'rejected', redact_approve: 'redacted and approved' },
    notModerator:
      'Only registered moderators can decide. Ask to be added with "plaza moderators add {{id}}".',
    notFound: 'I cannot find case #{{id}}.',
    nothingToRedact: 'Case #{{id}} has no personal data to redact.',
    notYours: 'That button is not for you, or no longer valid.',
    queueEmpty: 'Nothing waiting for moderation. 🎉',
    queueTitle_one: '{{count}} case waiting, oldest first:',
    queueTitle_other: '{{count}} cases waiting, oldest first:',
    queueLine: '#{{id}} · {{kind}} · {{age}} ago · {{excerpt}}',
    queueMore: '…and {{count}} more.',
    erased: '🗑️ Case #{{id}} withdrawn: its author erased their data.',
    withdrawnByAuthor: '↩️ Case #{{id}} withdrawn: its author withdrew the proposal before a decision.',
    superseded:
      '🚩 Case #{{id}} closed without a decision: reports hid the content before the review; it is reviewed in a new case, as a report.',
    supersededBy:
      '🚩 Case #{{id}} closed without a decision: reports hid the content before the review; it is reviewed as a report in case #{{next}}.',
    help: 'Proposals and comments waiting for moderation arrive here with the automatic check. Press Approve, Reject (I will ask for the reason) or Redact and approve (removes personal data). Type /cola to see what is waiting.',
  },
  notice: {
    outcome: {
      yours: {
        selected: '🏅 Your proposal "{{title}}" has been selected!',
        notSelected: 'Your proposal "{{title}}" has not been selected. Thank you for taking part.',
        answered: '📝 Your proposal "{{title}}" has an answer from the administration.',
      },
      followed: {
        selected: '🏅 The proposal "{{title}}", which you support or follow, has been selected.',
        notSelected: 'The proposal "{{title}}", which you support or follow, has not been selected.',
        answered:
          '📝 The proposal "{{title}}", which you support or follow, has an answer from the administration.',
      },
      answer: 'Answer: {{answer}}',
    },
    broadcast: '📣 {{process}}\n\n{{text}}',
    published: '✅ Your proposal "{{title}}" is now public. Thank you for taking part!',
    rejected: '✖ Your proposal "{{title}}" was not published. Reason: {{reason}}',
    redacted: '✅ Your proposal "{{title}}" is now public. We removed the personal data it contained.',
    restored: '✅ Your proposal "{{title}}" is visible again after review.',
    takenDown: '✖ Your proposal "{{title}}" was taken down. Reason: {{reason}}',
    commentPublished: '✅ Your comment on "{{title}}" is now public.',
    commentRejected: '✖ Your comment on "{{title}}" was not published. Reason: {{reason}}',
    commentRedacted: '✅ Your comment on "{{title}}" is now public, without the personal data it contained.',
    commentRestored: '✅ Your comment on "{{title}}" is visible again after review.',
    commentTakenDown: '✖ Your comment on "{{title}}" was taken down. Reason: {{reason}}',
    newComment: '💬 New comment on "{{title}}": "{{excerpt}}"',
    open: 'Type "menu" to see it.',
  },
  retention: {
    warning:
      '⏳ We have not seen you here for a long time. So as not to keep data longer than needed, we erase the data of anyone who takes no part for {{days}} days: yours will be erased from {{date}}, unless you write anything to us before then (a “hello” is enough).\n\nIf it is erased, your public proposals and comments stay, with nothing linking them to you, and your supports still count, anonymously. Everything else (your account, subscriptions, follows and registrations) goes.',
    cameBack:
      '👋 Good to see you again! As you had not taken part for a long time, your data was going to be erased from {{date}} (we do so after {{days}} days without activity). Since you wrote to us, it stays.',
  },
  progress: {
    title: '📣 Broadcast #{{id}} · {{status}}',
    status: { scheduled: 'scheduled', sending: 'sending', done: 'done', cancelled: 'cancelled' },
    bar: '{{bar}} {{percent}}%',
    figures:
      'Sent: {{sent}} (on the web, not seen yet: {{waiting}}) · Failed: {{failed}} · Blocked: {{blocked}} · Skipped: {{skipped}} · Left: {{remaining}}',
    rate: 'Rate: {{rate}} messages/s · Time left: {{eta}}',
    rateIdle: 'Rate: —',
    summary:
      '✅ Broadcast #{{id}} done. Recipients: {{recipients}} · Sent: {{sent}} (on the web, not seen yet: {{waiting}}) · Failed: {{failed}} · Blocked: {{blocked}} · Skipped: {{skipped}}',
    cancelledSummary:
      '✖ Broadcast #{{id}} cancelled: {{sent}} sent before it was cancelled, of {{recipients}}.',
  },
  proposalStatus: {
    pending: '⏳ Waiting for moderation (only you can see it).',
    published: '',
    rejected: '✖ Not published.',
    takenDown: '✖ Taken down by the moderators.',
    withdrawn: '✖ Withdrawn.',
    selected: '🏅 Selected.',
    not_selected: 'Not selected.',
    hidden: '⚠ Hidden while the moderators review it.',
  },
  comments: {
    open: 'Comments ({{count}})',
    header: '💬 Comments on "{{title}}":',
    headerPaged: '💬 Comments on "{{title}}" (page {{page}} of {{pages}}):',
    none: 'There are no comments on "{{title}}" yet.',
    line: '{{n}}. {{author}}: {{body}}',
    replyLine: '    ↳ {{n}}. {{author}}: {{body}}',
    pendingLine: '⏳ {{author}} (waiting for moderation; only you can see it): {{body}}',
    pendingReplyLine: '    ↳ ⏳ {{author}} (waiting for moderation; only you can see it): {{body}}',
    someone: 'Participant',
    you: 'You',
    whatNext: 'You can write a comment, or reply to or report one by its number.',
    whatNextEmpty: 'Would you like to write the first one?',
    write: 'Write a comment',
    reply: 'Reply to one',
    report: 'Report one',
    next: 'More comments',
    prev: 'Previous',
    backToProposal: 'Back to the proposal',
    pickReply: 'Which comment are you replying to?',
    pickReport: 'Which comment do you want to report?',
    quoted: '“{{text}}”',
    pickTyped: 'Type its number (1 to {{max}}) or "back".',
    noSuchNumber: 'There is no comment with that number on this page.',
    back: 'Back',
    askBody:
      'Type your comment ({{min}}–{{max}} characters). Everyone will be able to read it, without your name. Type "cancel" to leave.',
    askReply:
      'Type your reply to comment {{n}} ({{min}}–{{max}} characters). Everyone will be able to read it, without your name.',
    tooShort: 'The comment is too short ({{length}} characters; at least {{min}}).',
    tooLong: 'The comment is too long ({{length}} characters; at most {{max}}).',
    preview: 'This is how your comment will look:',
    previewReply: 'This is how your reply to comment {{n}} will look:',
    confirm: 'Shall I send it?',
    send: 'Send',
    edit: 'Change the text',
    discard: 'Discard',
    discarded: 'Comment discarded. Nothing was sent.',
    sentPending:
      'Received! Your comment will be published once the moderation team has reviewed it. Until then only you can see it.',
    sentPublished: 'Published! Everyone can read your comment now.',
    rejected: {
      'proposal-not-found': 'This proposal no longer takes comments. Nothing was sent.',
      'parent-not-found': 'That comment is no longer available, so it cannot be answered. Nothing was sent.',
      'body-too-short': 'The comment is too short. Nothing was sent.',
      'body-too-long': 'The comment is too long. Nothing was sent.',
      'no-consent': 'To comment we need your consent. Type "hello" to give it.',
    },
  },
  report: {
    proposal: 'Report',
    what: {
      proposal: 'this proposal',
      comment: 'comment {{n}}',
    },
    askReason: 'Why do you want to report {{what}}?',
    reasons: {
      insults: 'Insults or disrespect',
      'personal-data': 'Personal data',
      spam: 'Spam or advertising',
      'off-topic': 'Off topic',
      other: 'Something else',
    },
    cancel: "Don't report",
    confirm: 'Report {{what}} for "{{reason}}"? The moderation team will get your report.',
    cancelled: 'All right, no report was sent.',
    done: 'Thanks for letting us know. The moderation team will review {{what}}.',
    hidden:
      'Thanks for letting us know. We have hidden {{what}} while the moderation team reviews the reports.',
    'already-reported': 'You had already reported {{what}}. Thank you: the moderation team has your report.',
    'own-item': 'You cannot report something you wrote yourself.',
    'not-found': 'It is no longer possible to report {{what}}: it is not available.',
    'invalid-reason': 'That reason is not valid. Please choose one from the list.',
  },
  follow: {
    follow: 'Follow the comments',
    unfollow: 'Stop following',
    following: '🔔 You follow its comments.',
    done: 'Done: we will let you know when there are new comments on this proposal.',
    already: 'You were already following the comments on this proposal.',
    stopped: 'Done: we will no longer tell you about new comments on this proposal.',
    notFollowing: "You weren't following the comments on this proposal.",
    'not-allowed': 'Only the author of the proposal and the people who support it can follow its comments.',
    'not-found': 'That proposal is no longer available.',
  },
  support: {
    done_one: 'Support recorded! Supports used: {{used}} of {{limit}}; {{left}} left.',
    done_other: 'Support recorded! Supports used: {{used}} of {{limit}}; {{left}} left.',
    limitReached_one:
      'You have already used your support in this process. To support this one, withdraw the other first.',
    limitReached_other:
      'You have already used your {{count}} supports in this process. To support this one, withdraw one of the others first.',
    'already-supported': 'You already support this proposal.',
    'not-found': 'That proposal is no longer available.',
    'voting-closed': 'Proposals cannot be supported now: only during the voting phase.',
    'verification-required':
      'This process is binding: to support proposals, first verify your participation with the invitation or census code you were given. You can still read and comment.',
    'not-supported': "You weren't supporting this proposal.",
    withdrawn: 'You have withdrawn your support.',
  },
  // Binding processes: the code a participant types to be allowed to support (after support.verification-required).
  verification: {
    askCode:
      'If you have your code, type it now, exactly as it appears on your letter or invitation. If not, type "cancel".',
    askAgain: 'Type the code again, or "cancel" to leave it for now.',
    notACode:
      "That doesn't look like a code: codes have at least 8 letters or digits (with or without their dashes and spaces), as they appear on your letter or invitation.",
    later:
      'All right. When you have your code, press "Support" again. Meanwhile, you can keep reading and commenting.',
    done: '✅ Done: you have verified your participation in this process.',
    'code-wrong': 'That code is not one of this process. Check that it is spelt right.',
    'code-used':
      'That code has already been used: each code is for one person only. If you used it yourself from your other account (Telegram or web chat), type "link" to join both and they will be verified. If your household shares one letter, ask the organisers of the process for your own.',
    'too-many-attempts_one':
      'You have tried several codes in a row. For security, wait {{count}} minute and try again. Meanwhile, you can keep reading and commenting.',
    'too-many-attempts_other':
      'You have tried several codes in a row. For security, wait {{count}} minutes and try again. Meanwhile, you can keep reading and commenting.',
    paused:
      'Verification in this process is paused for security right now: there have been many failed attempts. Try again later (in a few minutes or, if the attempts go on, tomorrow); your code is still valid. Meanwhile, you can keep reading and commenting.',
    'not-found': 'That process is no longer available.',
  },
  ranking: {
    title: 'Ranking of "{{process}}":',
    line_one: '{{position}}. {{title}} — {{count}} support',
    line_other: '{{position}}. {{title}} — {{count}} supports',
    empty: 'There are no proposals in the ranking yet.',
    more: 'There are more proposals in the ranking.',
    next: 'See more',
  },
  // Once a process's voting has closed: the ranking with each proposal's outcome, in text and as a chart.
  results: {
    title: 'Results of "{{process}}" (voting has closed):',
    line_one: '{{position}}. {{title}} — {{count}} support · {{outcome}}',
    line_other: '{{position}}. {{title}} — {{count}} supports · {{outcome}}',
    answer: '   Official answer: {{answer}}',
    more_one: 'And 1 more proposal.',
    more_other: 'And {{count}} more proposals.',
    empty: 'Voting on "{{process}}" has closed with no proposals.',
    outcome: {
      selected: '🏅 selected',
      not_selected: 'not selected',
      undecided: 'awaiting a decision',
    },
    chart: {
      title: 'Results of "{{process}}"',
      axis: 'Supports',
      selected: 'Selected',
      not_selected: 'Not selected',
      undecided: 'Awaiting a decision',
    },
  },
  outcomes: {
    menu: 'What happened to my proposal?',
    none: "You haven't made any proposal yet. When you do, you'll see here what happens to it.",
    header: 'Your proposals ({{from}}–{{to}} of {{total}}):',
    item: '{{n}}. "{{title}}" — {{process}}',
    status: 'Status: {{status}}',
    statuses: {
      pending: '⏳ waiting for moderation',
      published: 'published, no result yet',
      rejected: '✖ not published',
      withdrawn: 'withdrawn',
      selected: '🏅 selected',
      not_selected: 'not selected',
      hidden: '⚠ hidden while the moderators review it',
      takenDown: '✖ taken down by the moderators',
    },
    reason: 'Reason: {{reason}}',
    answer: "The administration's answer: {{answer}}",
    commitments: 'Commitments:',
    commitment: '• {{title}} — {{status}}, {{progress}}%',
    commitmentDue: '• {{title}} — {{status}}, {{progress}}%, due {{date}}',
    noCommitments: 'There is no commitment about it yet.',
    next: 'More proposals',
    prev: 'Previous',
    withdraw: 'Withdraw "{{title}}"',
    withdrawConfirm:
      'Withdraw your proposal "{{title}}"? It has not been published yet: if you withdraw it, it will not be reviewed or published. This cannot be undone.',
    withdrawKept: 'All right, your proposal is still waiting for moderation.',
    withdrawn: 'Done: you withdrew your proposal "{{title}}". It will not be published.',
    withdrawTooLate:
      'It can no longer be withdrawn: the moderation team has just reviewed it. This is how it stands:',
  },
  commitments: {
    menu: 'Commitments',
    none: '"{{process}}" has no commitments yet.',
    header: 'Commitments of "{{process}}" ({{from}}–{{to}} of {{total}}):',
    line: '{{n}}. {{title}}\n   {{department}} · {{status}} · {{progress}}%',
    due: '   Due: {{date}}',
    latest: '   Latest news ({{date}}): {{note}}',
    pick: 'Choose one to see its history.',
    status: { planned: 'planned', in_progress: 'in progress', done: 'done', cancelled: 'cancelled' },
    next: 'More commitments',
    prev: 'Previous',
    backToList: 'Back to the list',
    notFound: 'That commitment is no longer available.',
    detail: {
      department: 'Responsible: {{department}}',
      state: 'Status: {{status}} · {{progress}}%',
      due: 'Due: {{date}}',
      evidence: 'Evidence: {{evidence}}',
      proposals: 'It answers: {{titles}}',
      history: 'History:',
      historyLine: '{{date}} — {{status}} · {{progress}}%',
      historyNote: '{{date}} — {{status}} · {{progress}}% — {{note}}',
    },
    notice: {
      created: {
        yours: '🏗 New commitment about your proposal "{{proposal}}": "{{title}}" ({{department}}).',
        followed:
          '🏗 New commitment about the proposal "{{proposal}}", which you support or follow: "{{title}}" ({{department}}).',
      },
      changed: {
        yours: '🏗 News of the commitment "{{title}}" about your proposal "{{proposal}}".',
        followed:
          '🏗 News of the commitment "{{title}}" about the proposal "{{proposal}}", which you support or follow.',
      },
      state: 'Status: {{status}} · {{progress}}%',
      due: 'Due: {{date}}',
      note: 'News: {{note}}',
    },
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
    resumed:
      'Let\'s go on with the proposal you left halfway: "{{title}}". Before sending it you can change or discard it.',
    untitled: 'no title yet',
    sentPending:
      'Received! Your proposal (#{{id}}) will be reviewed by the moderation team before it is published. We will let you know.',
    sentPublished: 'Published! Your proposal is #{{id}}.',
    rejected: {
      'process-not-found': 'That process no longer exists. Nothing was sent.',
      'proposals-closed': 'The proposal period has closed. Nothing was sent.',
      'invalid-category': 'That category no longer exists. Choose another: your title and text are kept.',
      'title-too-short': 'The title is too short.',
      'title-too-long': 'The title is too long.',
      'body-too-short': 'The text is too short.',
      'body-too-long': 'The text is too long.',
    },
  },
  subscriptions: {
    subscribe: 'Get updates on this process',
    unsubscribe: 'Stop getting updates',
    askConsent:
      'Would you like us to send you updates on this process (phases, results)? ' +
      'You can unsubscribe at any time by typing "stop".',
    declined: "All right, we won't send you updates.",
    subscribed: 'Done: we will send you the updates on "{{process}}".',
    alreadySubscribed: 'You already get the updates on "{{process}}".',
    unsubscribed: 'Done: you will no longer get updates on "{{process}}".',
    notSubscribed: 'You weren\'t getting updates on "{{process}}".',
    unavailable: "We can't sign you up for updates right now. Please try again later.",
    processNotFound: 'That process no longer exists.',
    menu: 'My subscriptions',
    none: "You don't get updates on any process. You can subscribe from each process's page.",
    list: 'You get updates on these processes:',
    pick: 'Press one to stop getting its updates, or type "stop" to stop them all.',
    stopped:
      'You will no longer get updates on any process, nor news of comments on the proposals you followed. You can subscribe again from each process.',
    nothingToStop: "You aren't subscribed to anything, so there is nothing to unsubscribe from.",
  },
  broadcast: {
    onlyStaff:
      "Only the administration's staff can send broadcasts, from their private Telegram chat with the bot.",
    noProcesses: 'There is no process to send a broadcast to.',
    help: 'You are preparing a broadcast: answer the question, or type "cancel" to leave without sending anything.',
    intro:
      "You are about to prepare a broadcast for a process's subscribers. You will see a preview before sending it. " +
      'Type "cancel" at any moment to leave without sending anything.',
    chooseProcess: "To which process's subscribers?",
    chooseProcessHint:
      'You can also type the slug of any process (the identifier in its link, such as "budget-2027").',
    more: 'More processes',
    processNotFound: 'There is no process with the slug "{{slug}}".',
    askAudience: 'Who do you send it to, among the subscribers of "{{process}}"?',
    audience: {
      all: 'All of them',
      es: 'Spanish speakers only',
      en: 'English speakers only',
      telegram: 'Telegram only',
      webchat: 'Web chat only',
    },
    askSpanish:
      'Write the text in Spanish (required, at most {{max}} characters). It is what people without a text in their language will get.',
    askEnglish:
      'Now, if you like, the text in English (at most {{max}} characters). Otherwise press "{{skip}}" and English speakers will get it in Spanish.',
    skip: 'Skip',
    tooLong: 'The text is too long ({{length}} characters; at most {{max}}).',
    preview: 'Preview: this is how they will get it.',
    previewIn: {
      es_one: '— In Spanish ({{count}} person):',
      es_other: '— In Spanish ({{count}} people):',
      en_one: '— In English ({{count}} person):',
      en_other: '— In English ({{count}} people):',
    },
    previewFallback_one: '— In English ({{count}} person), no English text: they will get the Spanish one.',
    previewFallback_other: '— In English ({{count}} people), no English text: they will get the Spanish one.',
    recipients_one: 'Right now {{count}} person would get it: {{channels}}.',
    recipients_other: 'Right now {{count}} people would get it: {{channels}}.',
    channelCount: {
      telegram: '{{count}} on Telegram',
      webchat: '{{count}} on the web chat',
    },
    webchatNote: 'On the web chat they will see it the next time they write.',
    nobody: 'Right now nobody would get it: no subscriber matches that choice.',
    askAnyway: 'Go on anyway, or cancel?',
    anyway: 'Go on anyway',
    cancel: 'Cancel',
    askWhen: 'When do you send it?',
    now: 'Send now',
    schedule: 'Schedule',
    askTime: 'Type the day and time to send it, for example "28/11 18:30" ({{timeZone}} time).',
    when: {
      format:
        'I don\'t understand that date. Type the day/month and the time, for example "28/11 18:30", or with the year: "28/11/2026 18:30".',
      'no-such-date':
        'That date or time does not exist (a day the month does not have, or a time skipped by a clock change). Please check it.',
      'in-the-past':
        'That date and time have passed. Type a future one; if it is next year, add the year: "28/11/2026 18:30".',
    },
    confirmNow_one: 'It will be sent now to {{count}} subscriber of "{{process}}". Send it?',
    confirmNow_other: 'It will be sent now to {{count}} subscribers of "{{process}}". Send it?',
    confirmScheduled_one:
      'It will be sent on {{when}} ({{timeZone}} time) to whoever subscribes to "{{process}}" by then; right now that is {{count}} person. Schedule it?',
    confirmScheduled_other:
      'It will be sent on {{when}} ({{timeZone}} time) to whoever subscribes to "{{process}}" by then; right now that is {{count}} people. Schedule it?',
    send: 'Send',
    confirmSchedule: 'Schedule the sending',
    started: 'Broadcast #{{id}} is under way. You will see its progress in this chat.',
    scheduled:
      'Broadcast #{{id}} is scheduled for {{when}}. You will see its progress in this chat once it starts.',
    cancelled: 'Broadcast cancelled. Nothing was sent.',
    rejected: {
      'not-allowed': 'Your staff account is not active or may not send broadcasts. Nothing was sent.',
      'process-not-found': 'That process no longer exists. Nothing was sent.',
      'spanish-text-required': 'The Spanish text is missing. Nothing was sent.',
      'text-too-long': 'The text is too long (at most {{max}} characters). Nothing was sent.',
      'invalid-audience': 'That choice of recipients is not valid. Nothing was sent.',
      'in-the-past': 'The scheduled time has passed. Nothing was sent: start again with /broadcast.',
    },
    timePassed:
      'The time you chose passed while you were confirming. Your texts are kept: choose again when to send it.',
  },
  events: {
    menu: 'Workshops and events',
    kind: { workshop: 'Workshop', results_event: 'Results presentation' },
    none: '“{{process}}” has no upcoming workshops or events.',
    list: 'Workshops and events of “{{process}}”:',
    line: '{{n}}. {{kind}}: {{title}}\n🗓 {{when}}\n📍 {{place}}\n{{places}}',
    placesLeft_one: '🎟 {{count}} place left',
    placesLeft_other: '🎟 {{count}} places left',
    full: '🎟 Full: waiting list',
    youAreRegistered: '✅ You have a place',
    youAreWaiting: '⏳ You are on the waiting list (number {{position}})',
    pick: 'Press one to sign up, or see your registrations.',
    mine: 'My registrations',
    confirmRegister: 'Shall I sign you up for “{{title}}” ({{when}}, {{place}})?',
    confirmWaitlist:
      'There are no places left in “{{title}}” ({{when}}). Shall I put you on the waiting list? If a place frees up, we will tell you.',
    registered:
      '✅ Done: you have a place in “{{title}}”, {{when}}, at {{place}}. We will remind you the day before.',
    waitlisted:
      '⏳ Done: you are on the waiting list of “{{title}}” (number {{position}}). If a place frees up, we will tell you.',
    alreadyRegistered: 'You already have a place in “{{title}}”.',
    alreadyWaitlisted: 'You are already on the waiting list of “{{title}}” (number {{position}}).',
    alreadyInRegistered:
      'You already have a place in “{{title}}” ({{when}}, {{place}}). Do you want to cancel your registration?',
    alreadyInWaiting:
      'You are on the waiting list of “{{title}}” (number {{position}}). Do you want to leave it?',
    cancelMine: 'Cancel my registration',
    backToList: 'Back to the list',
    notRegistered: 'All right, I will not sign you up.',
    unavailable: 'That event no longer takes registrations (it was cancelled or has started).',
    notConsented:
      'We cannot register you: you have withdrawn your consent to take part. If you want to come back, type "hello".',
    myNone: 'You have no registrations for upcoming workshops or events.',
    myList: 'Your registrations:',
    myLine: '{{n}}. {{title}}\n🗓 {{when}}\n📍 {{place}}\n{{status}}',
    pickCancel: 'Press one if you want to cancel it.',
    confirmCancel: 'Shall I cancel your registration for “{{title}}” ({{when}})?',
    cancelled:
      'Done: you cancelled your registration for “{{title}}”. Thanks for letting us know: your place goes to someone else.',
    cancelledWaiting: 'Done: you left the waiting list of “{{title}}”.',
    kept: 'All right, you keep your registration.',
    notCancelled: 'You had no registration for “{{title}}”, or the event has started.',
    notice: {
      reminder:
        '⏰ Reminder: you have a place in “{{title}}”, {{when}}, at {{place}}. If you cannot come, cancel your registration in “Workshops and events” to leave the place to someone else.',
      changed: '📅 Changes to “{{title}}”: it is now {{when}}, at {{place}}.',
      cancelled: '✖ “{{title}}” ({{when}}) has been cancelled. We are sorry for the inconvenience.',
      reason: 'Reason: {{reason}}',
      promoted:
        '🎉 A place has freed up and it is yours: you are now registered for “{{title}}”, {{when}}, at {{place}}.',
    },
  },
  privacy: {
    withdraw: 'Withdraw my consent',
    confirmWithdraw:
      'Are you sure you want to withdraw your consent? You will no longer be able to take part or get updates, and your registrations for upcoming workshops or events will be cancelled; what you published stays published.',
    withdrawn: 'Done: you have withdrawn your consent. If you ever want to come back, type "hello".',
    registrationsEnded_one:
      'We have also cancelled your registration for {{count}} upcoming workshop or event.',
    registrationsEnded_other:
      'We have also cancelled your registrations for {{count}} upcoming workshops or events.',
    kept: 'All right, nothing changes.',
    notConsented: "You haven't given us your consent, so there is nothing to withdraw.",
  },
  language: {
    changed: "We'll talk in English.",
  },
  noticeUpdate: {
    changed: 'We have updated the privacy notice (version {{version}}). In short:',
    accept:
      'Do you accept it, to go on taking part? You can read all of it with "privacy" or withdraw your consent with "withdraw consent".',
    accepted: 'Thank you: you have accepted the new privacy notice.',
    declined:
      'All right. Until you accept it you cannot go on taking part; you can read it ("privacy"), see your data ("my data") or withdraw your consent ("withdraw consent"). We will ask again.',
  },
  eraseMe: {
    warning:
      'Erase your data? Your accounts, subscriptions, registrations and everything that was not published will be erased. What you published stays visible without your name, and your supports still count, unlinked from you. This cannot be undone.',
    typeWord: 'To confirm, type DELETE.',
    notTheWord: 'Type exactly DELETE to confirm, or "cancel" to erase nothing.',
    done: 'Done: we have erased your data. If you write again, we will start afresh. Thank you for taking part.',
  },
  linkAccounts: {
    menu: 'Link accounts',
    explain:
      'If you take part from Telegram and from the web chat, you can join the two accounts: you are then one person and each support counts once.',
    whatNow: 'What would you like to do?',
    show: 'Show a code here',
    type: 'I have a code',
    code: 'Your code is {{code}}. Type it yourself in the other channel within 10 minutes (give it to nobody): open Plaza there, choose “Link accounts” and then “I have a code”. Then you will come back here to confirm.',
    askCode:
      'Type the 6-digit code the other channel showed you. Only type a code you asked for yourself: if someone gives you one, do not type it.',
    notACode: 'The code has 6 digits, like 123 456.',
    claimed:
      'Right. To finish, go back {{channelTo}} and type this number there: {{digits}}. You have 10 minutes. Type it yourself and give it to nobody: whoever has it can join your account to theirs.',
    wrong:
      'That code does not work: it may be mistyped, expired or already used. You can ask for a new one in the other channel.',
    ownCode:
      'You asked for that code from this same account: type it in the other channel. If your accounts are already joined, there is nothing to do.',
    tooMany: 'You have tried too many codes. Wait 10 minutes and try again.',
    paused: 'For safety, account linking is paused for a few minutes. Please try again later.',
    confirmAsk:
      'Someone typed your linking code {{channelIn}}. If it was you, type here the two-digit number it showed you. If it was not you, type NO and nothing will be joined.',
    confirmFormat: 'Type the two-digit number the other channel showed you, or NO.',
    linked:
      'Done: you are now one person {{hereIn}} and {{otherIn}}. Your proposals, supports and subscriptions are together, and each support counts once.',
    droppedLimit_one: '{{count}} support per person',
    droppedLimit_other: '{{count}} supports per person',
    dropped_one:
      'Between the two accounts you were over the limit of {{limit}} in "{{process}}", which is voting, so we removed your most recent support: {{proposals}}.',
    dropped_other:
      'Between the two accounts you were over the limit of {{limit}} in "{{process}}", which is voting, so we removed your {{count}} most recent supports: {{proposals}}.',
    droppedTitle: '"{{title}}"',
    droppedElsewhere: 'Your accounts are now linked: you are one person in both channels.',
    digitsWrong:
      'That number does not match. For safety the code no longer works and nothing was joined. If it was you, ask for a new code.',
    refused: 'All right: nothing was joined to your account and that code no longer works.',
    noClaim: 'There is nothing to confirm any more: the code expired or was already used.',
    needsConsent: 'To link your accounts, first agree to take part in this channel.',
    channelIn: { telegram: 'on Telegram', webchat: 'in the web chat', other: 'in another channel' },
    channelTo: { telegram: 'to Telegram', webchat: 'to the web chat', other: 'to the other channel' },
  },
  myData: {
    menu: 'My data',
    nothing: 'We keep no data about you: you have not taken part yet.',
    title: 'This is what Plaza keeps about you:',
    accounts: '• Your accounts: {{channels}}',
    language: '• Your language: {{locale}}',
    channelName: { telegram: 'Telegram', webchat: 'web chat' },
    localeName: { es: 'Spanish', en: 'English' },
    fileName: 'plaza-my-data-{{day}}.json',
    consents: '• Consents in force: {{given}}',
    none: 'none',
    counts:
      '• Proposals: {{proposals}} · supports: {{supports}} · comments: {{comments}} · subscriptions: {{subscriptions}} · follows: {{follows}} · workshop registrations: {{registrations}}',
    purpose: {
      participation: 'taking part',
      updates: 'receiving updates',
    },
    download: 'Download my data',
    withdraw: 'Withdraw a consent',
    erase: 'Erase my data',
    downloadReady: 'Here is all your data in a JSON file (any text editor opens it).',
    whichPurpose: 'Which consent do you want to withdraw?',
    confirmUpdates:
      'Stop receiving updates? You will be unsubscribed from every process and get no news of proposals you support or follow. ' +
      'We will still tell you about your own proposals, your workshop registrations and your data.',
    updatesWithdrawn: 'Done: you will receive no more updates. You can subscribe again whenever you like.',
  },
};
