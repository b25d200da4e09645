// The channel-independent turn runtime. For each inbound activity: flood limit, then — holding the
// conversation's turn lock — dedupe by activity id, load state, set the session (participant, language),
// handle the words that work anywhere, apply the consent gate, run the flows, save state.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { ActivityTypes, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  DialogSet,
  DialogTurnStatus,
  type DialogContext,
  type DialogState,
  type DialogStateManagerConfiguration,
} from 'botbuilder-dialogs';
import { findParticipant } from '../domain/find-participant.ts';
import type { ParticipantTraces } from '../domain/erase-participant.ts';
import { createRedisParticipantTraces } from '../redis/participant-traces.ts';
import { RedisScript } from '../redis/script.ts';
import { recordParticipantActivity } from '../domain/record-participant-activity.ts';
import { markAccountReachable } from '../domain/mark-account-reachable.ts';
import { DEFAULT_LOCALE, toLocale, type DomainDeps, type Locale } from '../domain/deps.ts';
import {
  beginBroadcast,
  broadcastMessageText,
  broadcastProgressText,
  buildFlows,
  CHOICE,
  FLOW_IDS,
  noticeText,
  renderCaseCard,
  restartInNewLanguage,
  runModeratorsRoom,
  session,
  setSession,
  type Profile,
} from '../flows/index.ts';
import { describeNotices } from '../domain/describe-notices.ts';
import { getModerationCase } from '../domain/get-moderation-case.ts';
import { returnPendingNotices } from '../domain/return-pending-notices.ts';
import { takePendingNotices } from '../domain/take-pending-notices.ts';
import { unsubscribeFromEverything } from '../domain/unsubscribe-from-everything.ts';
import { getBroadcastMessage } from '../domain/get-broadcast-message.ts';
import { t } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis/client.ts';
import { CollectingAdapter, preface } from './adapter.ts';
import { recogniseCommand, type Command } from './commands.ts';
import { isInfrastructureError } from './errors.ts';
import { TurnGate } from './turn-gate.ts';
import {
  attachTurnState,
  deleteTurnState,
  readTurnState,
  stateKeyOf,
  stateProperty,
  writeTurnState,
} from './turn-state.ts';
import {
  MODERATORS_ROOM,
  type InboundActivity,
  type OutboundActivity,
  type ProactiveRenderer,
  type TurnHooks,
  type TurnRunner,
} from './types.ts';

/** Where DialogStateManager looks for its configuration in a turn's state (botbuilder-dialogs' own key). */
const MEMORY_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';

/** Channels send this event when a button press cannot be trusted (forged, or from an old message). */
export const EXPIRED_BUTTON_EVENT = 'button/expired';

/** Longer messages are refused before any recogniser sees them (Telegram's own limit is 4,096). */
export const MAX_TEXT_LENGTH = 4096;

/** Turn state: notices were shown at the start of this turn. */
const NOTICES_SHOWN = Symbol('plaza.noticesShown');

/**
 * Turn state: the conversation's dialog stack was built in another language than the person's now (they
 * changed it, or linking their accounts did, in another channel): its waiting question is not asked again
 * as stored (resume, continueStale).
 */
const STALE_LANGUAGE = Symbol('plaza.staleLanguage');

/** «hola», «buenas», «hello»… as the whole message. */
const GREETING =
  /^[\s¡!]*(hola|holi|buenas|buenos d[ií]as|buenas tardes|buenas noches|hello|hi|hey|good (morning|afternoon|evening))[\s!.]*$/i;

/** In a group, "write to me in private" is said to each member at most once in this long… */
export const GROUP_HINT_SECONDS = 6 * 3600;
/** …and to at most this many members of one group an hour (a big group is not flooded with it). */
export const GROUP_HINTS_PER_HOUR = 5;
/**
 * INCR with the window's expiry in one step: a counter left without one (a crash between an INCR and its
 * EXPIRE) would count for ever, and its group would never be told again. KEYS[1] counter, ARGV[1] seconds.
 */
const COUNT_IN_HOUR = new RedisScript(`
local n = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`);

export interface EngineOptions {
  redis: Redis;
  domain: DomainDeps;
  logger: Logger;
  /** Redis key prefix for state, locks, dedupe and flood counters. */
  prefix: string;
  flood: { max: number; windowSeconds: number };
  stateTtlSeconds: number;
  /** Language of the moderators' room. */
  moderatorsLocale?: Locale;
  /** How long after an erasure its traces are swept once more (default 60 s). */
  erasureSweepDelayMs?: number;
  /**
   * Turns this process runs at once (default 16); the others wait, in arrival order and before taking
   * their conversation's lock (turn-gate.ts). Hundreds at once only share the one event loop and the
   * database pool, and their live objects make garbage collection dearer: fewer at once finish more per
   * second (bench/RESULTS.md, 2026-11-27).
   */
  turnConcurrency?: number;
}

export interface Engine extends TurnRunner {
  /** Resolves when every turn in flight in this process has finished. */
  drain(): Promise<void>;
  render: ProactiveRenderer;
}

export class InvalidActivityError extends Error {
  constructor(reason: string) {
    super(`Invalid activity: ${reason}`);
    this.name = 'InvalidActivityError';
  }
}

/**
 * What log lines say instead of a conversation's id, which for a Telegram private chat is the person's Telegram
 * id: a keyed hash (HMAC-SHA256, 12 base64url characters) under a key drawn when the process starts. The same
 * conversation has the same tag in all of this process's lines, and nobody can turn a tag back into the id —
 * an unkeyed hash could be, by hashing every possible Telegram id. No secret in the engine's options or the
 * configuration is meant for this (DIRECTLINE_SECRET signs tokens and may be unset; the webhook secret is
 * shared with Telegram), so tags do not carry over a restart or to another process.
 */
const LOG_TAG_KEY = randomBytes(32);
function conversationTag(channelId: string, conversationId: string): string {
  return createHmac('sha256', LOG_TAG_KEY)
    .update(`${channelId}:${conversationId}`)
    .digest('base64url')
    .slice(0, 12);
}

const SILENT_TYPES = new Set<string>([
  ActivityTypes.Typing,
  ActivityTypes.EndOfConversation,
  ActivityTypes.MessageReaction,
  ActivityTypes.InstallationUpdate,
  ActivityTypes.ContactRelationUpdate,
  ActivityTypes.Event,
  ActivityTypes.ConversationUpdate,
]);

export function createEngine(opts: EngineOptions): Engine {
  // The dialog stack and the profile (language before consent, process in focus, pending deep link) live
  // with the conversation, read and written with the turn gate (turn-state.ts). What must follow a person
  // across channels is in the database.
  const dialogState: StatePropertyAccessor<DialogState> = stateProperty('dialogState');
  const profiles: StatePropertyAccessor<Profile> = stateProperty('profile');
  const dialogs = new DialogSet(dialogState);
  // Erasure forgets a person's conversations now, and once more after a delay: this very turn (its state, its
  // turn record) and its channel (the goodbye on its way) write after the flow has run. A process that dies
  // in between leaves those few keys to their expiry (state TTL, 24 h for turn records and streams).
  const traces = createRedisParticipantTraces(opts.redis, { prefix: opts.prefix });
  const erasureTraces: ParticipantTraces = {
    async forget(accounts) {
      await traces.forget(accounts);
      const again = setTimeout(() => {
        traces
          .forget(accounts)
          .catch((e: unknown) => opts.logger.warn({ err: e }, 'erasure: second sweep failed'));
      }, opts.erasureSweepDelayMs ?? 60_000);
      again.unref();
    },
  };
  for (const dialog of buildFlows({ domain: opts.domain, traces: erasureTraces })) dialogs.add(dialog);

  // botbuilder-dialogs builds its memory scopes and path resolvers anew for every turn (a service collection
  // each time: ~2 % of a turn's CPU), unless the turn's state already holds them under this key. They keep
  // no per-turn data, so the first turn's are kept and handed to every later one.
  let memoryScopes: DialogStateManagerConfiguration | undefined;

  const adapter = new CollectingAdapter();
  const gate = new TurnGate(opts.redis, {
    prefix: opts.prefix,
    flood: opts.flood,
    concurrency: opts.turnConcurrency ?? 16,
  });
  const log = opts.logger;

  /** The notices a turn took to show (see `putBackNotices`). */
  interface TakenNotices {
    participantId: string;
    channel: string;
    noticeIds: bigint[];
    takenAt: Date;
  }

  async function turn(ctx: TurnContext, took: { notices?: TakenNotices }): Promise<void> {
    const a = ctx.activity;
    const participant = await findParticipant(opts.domain, { channel: a.channelId, externalId: a.from.id });
    if (participant?.unreachable) {
      await markAccountReachable(opts.domain, { channel: a.channelId, externalId: a.from.id });
    }
    // Retention counts inactivity from here (a write at most once an hour per person).
    if (participant?.seenStale)
      await recordParticipantActivity(opts.domain, { participantId: participant.id });
    const profile = await profiles.get(ctx, {});
    const room = a.conversation.conversationType === MODERATORS_ROOM;
    const locale: Locale = room
      ? (opts.moderatorsLocale ?? DEFAULT_LOCALE)
      : (participant?.locale ?? profile.locale ?? toLocale(a.locale) ?? DEFAULT_LOCALE);
    // The profile keeps the person's language too (written with the state anyway), for the flood answer,
    // which sees only the stored state — and so tells the language the stored dialog stack was built in.
    if (!room && participant && profile.locale !== participant.locale) {
      if (profile.locale !== undefined) ctx.turnState.set(STALE_LANGUAGE, true);
      profile.locale = participant.locale;
    }
    setSession(ctx, { channelId: a.channelId, userId: a.from.id, locale, participant, profile });
    a.locale = locale === 'es' ? 'es-ES' : 'en-US';
    if (!a.conversation.isGroup && participant?.hasNotices && participant.hasConsent) {
      // What happened while they were away (their proposal was published…) comes first.
      const takenAt = opts.domain.now();
      const ids = await takePendingNotices(opts.domain, {
        participantId: participant.id,
        channel: a.channelId,
        at: takenAt,
      });
      // Kept before anything else can fail: a turn that fails from here on puts them back (runTurn).
      if (ids.length > 0)
        took.notices = { participantId: participant.id, channel: a.channelId, noticeIds: ids, takenAt };
      const notices = await describeNotices(opts.domain, { noticeIds: ids });
      // Prefaces: they do not count as the turn's answer, so a question still asks again after them.
      for (const notice of notices) preface(ctx, noticeText(notice));
      if (notices.length > 0) ctx.turnState.set(NOTICES_SHOWN, true);
    }
    if (memoryScopes) ctx.turnState.set(MEMORY_CONFIGURATION_KEY, memoryScopes);
    const dc = await dialogs.createContext(ctx);
    memoryScopes ??= ctx.turnState.get(MEMORY_CONFIGURATION_KEY);
    try {
      await route(dc);
    } catch (error) {
      if (isInfrastructureError(error)) throw error;
      log.error(
        {
          err: error,
          channelId: a.channelId,
          conversationTag: conversationTag(a.channelId, a.conversation.id),
          activityId: a.id,
          dialog: dc.activeDialog?.id,
        },
        'turn failed; dialog reset',
      );
      await ctx.sendActivity(t(session(ctx).locale, 'engine.error'));
      deleteTurnState(ctx);
    }
  }

  async function route(dc: DialogContext): Promise<void> {
    const a = dc.context.activity;
    if (a.conversation.conversationType === MODERATORS_ROOM)
      return runModeratorsRoom(dc, { domain: opts.domain }, EXPIRED_BUTTON_EVENT);
    if (a.type === ActivityTypes.Message) return onMessage(dc);
    if (a.type === ActivityTypes.MessageUpdate) {
      await say(dc, 'engine.editsIgnored');
      return resume(dc);
    }
    if (a.type === ActivityTypes.Event && a.name === EXPIRED_BUTTON_EVENT) {
      // No question waiting (a finished flow's button pressed again): said so, and where to go from here —
      // not the start of everything (a staff member's chat would be taken into citizen onboarding).
      if (!dc.activeDialog) return say(dc, 'engine.buttonExpiredNothing');
      await say(dc, 'engine.buttonExpired');
      return resume(dc);
    }
    const joined =
      (a.type === ActivityTypes.Event && a.name === 'webchat/join') ||
      (a.type === ActivityTypes.ConversationUpdate &&
        (a.membersAdded ?? []).some((m) => m.id !== a.recipient?.id));
    if (joined) {
      // Someone opened (or re-opened) the chat: ask the pending question again, or start.
      return resume(dc);
    }
    if (SILENT_TYPES.has(a.type)) return;
    await say(dc, 'engine.unsupported');
  }

  async function onMessage(dc: DialogContext): Promise<void> {
    const a = dc.context.activity;
    const text = typeof a.text === 'string' ? a.text : '';
    if (text.trim() === '' && a.value === undefined) {
      // Only spaces is text all the same: the pending question again says what is expected.
      if (text === '') await say(dc, 'engine.onlyText');
      return resume(dc);
    }
    if (text.length > MAX_TEXT_LENGTH) {
      await say(dc, 'engine.tooLong', { max: MAX_TEXT_LENGTH });
      return resume(dc);
    }
    // A picture or file with words (a photo's caption): the words are answered, and the person is told the
    // rest was not seen (it is neither read nor kept).
    // A preface: the question waiting still answers the words (or asks again) after it.
    if (a.attachments?.length) preface(dc.context, t(session(dc.context).locale, 'engine.attachmentIgnored'));
    const command = recogniseCommand(text);
    if (command) return onCommand(dc, command);
    const consented = session(dc.context).participant?.hasConsent === true;
    // The consent gate: before consent, only what needs no consent may run — the root's onboarding (a
    // conversation left deep in the menus when consent was withdrawn elsewhere starts again from the root),
    // the language question on its own (its answer is kept for onboarding), a staff broadcast, which only
    // staff can begin (`/difundir`) and which needs no participant, and «mis datos» with its erasure (the
    // rights of access and erasure do not depend on consent: someone who withdrew it may still see, take and
    // erase their data).
    const base = dc.stack[0]?.id;
    const personalData = base === FLOW_IDS.MY_DATA || base === FLOW_IDS.ERASE_ME;
    const needsNoConsent =
      (base === FLOW_IDS.ROOT && (dc.stack.length === 1 || dc.stack[1]?.id === FLOW_IDS.ONBOARDING)) ||
      base === FLOW_IDS.LANGUAGE ||
      base === FLOW_IDS.BROADCAST ||
      personalData;
    if (!consented && !needsNoConsent) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(FLOW_IDS.ROOT);
      return;
    }
    // Then, before anything else: the notice gate (consent given to an older privacy notice than the one in
    // force → accept the new one) and the link gate (someone typed this person's linking code in another
    // channel; only they can say whether it was them, and the message may already be the two digits).
    // «Mis datos» (its erasure's questions too: a «sí» there must not accept a notice), leaving and the
    // other commands stay open (handled above).
    const participant = session(dc.context).participant;
    // Both only for someone who consented: without consent, onboarding comes first (a link claim made on a
    // withdrawn person's code would otherwise bounce between this gate and the consent gate).
    const gate = !consented
      ? undefined
      : participant?.needsNotice
        ? { id: FLOW_IDS.NOTICE_UPDATE, options: undefined }
        : participant?.pendingLinkClaim
          ? { id: FLOW_IDS.CONFIRM_LINK, options: { text } }
          : undefined;
    if (gate && base !== gate.id && !personalData) {
      await dc.cancelAllDialogs();
      await dc.beginDialog(gate.id, gate.options);
      return;
    }
    // A greeting is not an answer to the choice waiting («hola» at the menu was "not understood", though the
    // bot itself says to write «hola»): greeted back, and the question asked again. After the gates: a
    // greeting does not get past them. Before consent, a greeting starts onboarding as any message does; at
    // a free-text question, it is the text.
    if (consented && GREETING.test(text) && dc.activeDialog?.id === CHOICE) {
      await say(dc, 'engine.hello');
      // Right after news (a comment published, a proposal answered…) the waiting question may show what
      // the news just changed («⏳ pendiente»): the menu instead, built afresh.
      if (dc.context.turnState.get(NOTICES_SHOWN) === true) {
        await dc.cancelAllDialogs();
        await dc.beginDialog(FLOW_IDS.ROOT);
        return;
      }
      return resume(dc);
    }
    const result = await continueStale(dc);
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(FLOW_IDS.ROOT);
  }

  /**
   * The message goes to the question waiting. On a stack built in another language (STALE_LANGUAGE), an
   * answer to it still counts (its buttons are on the screen), but it is not asked again as stored when the
   * message is none: botbuilder's prompts ask again only while nothing was said in the turn, so the turn is
   * marked answered first, and a question still waiting afterwards is asked by its flow in the new language.
   */
  async function continueStale(dc: DialogContext) {
    const waiting = dc.activeDialog;
    if (!waiting || dc.context.turnState.get(STALE_LANGUAGE) !== true) return dc.continueDialog();
    const quiet = !dc.context.responded;
    if (quiet) dc.context.responded = true;
    const result = await dc.continueDialog();
    if (quiet && dc.activeDialog === waiting) {
      if (waiting.id === CHOICE) await say(dc, 'common.retryChoice');
      await resume(dc);
    }
    return result;
  }

  async function onCommand(dc: DialogContext, command: Command): Promise<void> {
    const s = session(dc.context);
    const consented = s.participant?.hasConsent === true;
    switch (command.kind) {
      case 'help':
        if (dc.stack[0]?.id === FLOW_IDS.BROADCAST) await say(dc, 'broadcast.help');
        else await say(dc, consented ? 'help.text' : 'help.beforeConsent');
        return resume(dc);
      case 'cancel': {
        const broadcasting = dc.stack[0]?.id === FLOW_IDS.BROADCAST;
        await dc.cancelAllDialogs();
        // «Cancelar» means it: a proposal half written is not offered again (a «menú» keeps it).
        delete s.profile.draft;
        if (broadcasting) return say(dc, 'broadcast.cancelled');
        if (!consented) return say(dc, 'engine.cancelledBeforeConsent');
        await say(dc, 'engine.cancelled');
        await dc.beginDialog(FLOW_IDS.ROOT);
        return;
      }
      case 'broadcast':
        // Staff only (the flow checks who is writing); anyone else is told so and carries on.
        if (!(await beginBroadcast(dc, { domain: opts.domain }))) return resume(dc);
        return;
      case 'start':
        if (command.link) s.profile.pending = command.link;
        // A link that leads nowhere is said to, before the menu (or onboarding) it falls back to.
        if (command.badLink) await say(dc, 'engine.badLink');
        await dc.cancelAllDialogs();
        await dc.beginDialog(FLOW_IDS.ROOT);
        return;
      case 'menu':
        await dc.cancelAllDialogs();
        await dc.beginDialog(FLOW_IDS.ROOT);
        return;
      case 'privacy':
        await dc.beginDialog(FLOW_IDS.PRIVACY);
        return;
      case 'language':
        await dc.beginDialog(FLOW_IDS.LANGUAGE);
        return;
      case 'my-data':
        await dc.cancelAllDialogs();
        await dc.beginDialog(FLOW_IDS.MY_DATA);
        return;
      case 'link-accounts':
        if (!consented) {
          await say(dc, 'linkAccounts.needsConsent');
          return resume(dc);
        }
        await dc.cancelAllDialogs();
        await dc.beginDialog(FLOW_IDS.LINK_ACCOUNTS);
        return;
      case 'withdraw-consent':
        if (!consented) {
          await say(dc, 'privacy.notConsented');
          return resume(dc);
        }
        await dc.beginDialog(FLOW_IDS.WITHDRAW_CONSENT);
        return;
      case 'stop': {
        // Unsubscribe from every process's updates, then ask the pending question again.
        if (!consented || !s.participant) {
          await say(dc, 'subscriptions.nothingToStop');
          return resume(dc);
        }
        const ended = await unsubscribeFromEverything(opts.domain, {
          participantId: s.participant.id,
          channel: s.channelId,
        });
        // Nothing was on: said so, as before consent, rather than "you will no longer get…".
        const anything =
          ended.subscriptions + ended.follows + ended.skippedDeliveries > 0 || ended.consentWithdrawn;
        await say(dc, anything ? 'subscriptions.stopped' : 'subscriptions.nothingToStop');
        // «Mis suscripciones» on screen would be asked again as it was, listing what just ended: the menu.
        if (dc.stack.some((d) => d.id === FLOW_IDS.SUBSCRIPTIONS)) {
          await dc.cancelAllDialogs();
          await dc.beginDialog(FLOW_IDS.ROOT);
          return;
        }
        return resume(dc);
      }
    }
  }

  /**
   * A turn that took notices and then failed on a store (the turn itself, or the gate's release: a lost
   * state compare-and-set, Redis down) keeps none of its replies: the channel answers 503 and retries, so
   * the notices wait again, for the retry to show them. A turn that did not fail keeps its replies (and a
   * repeat of its activity gets them back from the gate's record, taking nothing). An error of another
   * kind is a bug, which the channel does not retry: the notices stay taken, lest a notice that makes
   * every turn fail keep its person out for good. Putting back never throws over the turn's own error:
   * if it fails too, the notices are lost, and that is logged.
   */
  async function putBackNotices(
    inbound: InboundActivity,
    took: { notices?: TakenNotices },
    error: unknown,
  ): Promise<void> {
    const notices = took.notices;
    if (!notices || !isInfrastructureError(error)) return;
    try {
      await returnPendingNotices(opts.domain, notices);
    } catch (failure) {
      log.error(
        {
          err: failure,
          turnError: error instanceof Error ? error.name : String(error),
          channelId: inbound.channelId,
          conversationTag: conversationTag(inbound.channelId, inbound.conversation.id),
          activityId: inbound.id,
          noticeIds: notices.noticeIds.map(String),
        },
        'turn failed; the notices it took could not be put back',
      );
    }
  }

  /**
   * After an interruption: ask the pending question again — on a stack built in another language, its flow
   * asks it afresh in the new one (once a turn) —, or start from the top.
   */
  async function resume(dc: DialogContext): Promise<void> {
    if (!dc.activeDialog) {
      await dc.beginDialog(FLOW_IDS.ROOT);
      return;
    }
    if (dc.context.turnState.get(STALE_LANGUAGE) === true) {
      dc.context.turnState.delete(STALE_LANGUAGE);
      if (await restartInNewLanguage(dc)) return;
    }
    await dc.repromptDialog();
  }

  async function say(
    dc: DialogContext,
    key: Parameters<typeof t>[1],
    vars?: Record<string, unknown>,
  ): Promise<void> {
    await dc.context.sendActivity(t(session(dc.context).locale, key, vars));
  }

  /** A reply to `inbound` built outside a turn (the flood answer, the group hint). */
  function reply(inbound: InboundActivity, text: string): OutboundActivity {
    return {
      type: ActivityTypes.Message,
      text,
      channelId: inbound.channelId,
      conversation: inbound.conversation as OutboundActivity['conversation'],
      from: inbound.recipient as OutboundActivity['from'],
      recipient: inbound.from as OutboundActivity['recipient'],
      replyToId: inbound.id,
    };
  }

  /**
   * A group other than the moderators' room. Participation is personal: the bot only says where to find
   * it, when it is added or addressed (the channel passes on only messages addressed to it: a command, a
   * mention, a reply to it) — to each member who does so at most once every GROUP_HINT_SECONDS, to at most
   * GROUP_HINTS_PER_HOUR members of a group an hour — and keeps nothing else (those marks only). No turn
   * runs: no lock, no flood count, no state.
   */
  async function groupTurn(inbound: InboundActivity): Promise<OutboundActivity[]> {
    const added =
      inbound.type === ActivityTypes.ConversationUpdate &&
      (inbound.membersAdded ?? []).some((m) => m.id === inbound.recipient?.id);
    if (inbound.type !== ActivityTypes.Message && !added) return [];
    const group = `${opts.prefix}:group-hint:${inbound.channelId}:${inbound.conversation.id}`;
    // The member's mark holds nothing but its existence, under a digest of their id (no Telegram id in
    // Redis for someone who may never take part), and expires with their quiet time.
    const key = `${group}:${createHash('sha256').update(inbound.from.id).digest('base64url').slice(0, 22)}`;
    const first = await opts.redis.set(key, '1', {
      condition: 'NX',
      expiration: { type: 'EX', value: GROUP_HINT_SECONDS },
    });
    if (first === null) return [];
    const told = Number(await COUNT_IN_HOUR.run(opts.redis, [`${group}:hour`], ['3600']));
    if (told > GROUP_HINTS_PER_HOUR) return [];
    let locale: Locale;
    try {
      const participant = await findParticipant(opts.domain, {
        channel: inbound.channelId,
        externalId: inbound.from.id,
      });
      locale = participant?.locale ?? toLocale(inbound.locale) ?? DEFAULT_LOCALE;
    } catch (error) {
      // Not said: the channel's retry may say it.
      await opts.redis.del(key).catch(() => undefined);
      throw error;
    }
    return [reply(inbound, t(locale, 'engine.privateOnly'))];
  }

  function check(activity: InboundActivity): void {
    const ok = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 256;
    if (!ok(activity.type)) throw new InvalidActivityError('type');
    if (!ok(activity.channelId)) throw new InvalidActivityError('channelId');
    if (!ok(activity.conversation?.id)) throw new InvalidActivityError('conversation.id');
    if (!ok(activity.from?.id)) throw new InvalidActivityError('from.id');
    if (activity.id !== undefined && !ok(activity.id)) throw new InvalidActivityError('id');
  }

  return {
    async runTurn(activity: InboundActivity, hooks?: TurnHooks): Promise<OutboundActivity[]> {
      check(activity);
      const inbound: InboundActivity = {
        ...activity,
        recipient: activity.recipient ?? { id: 'plaza', name: 'Plaza' },
      };
      if (inbound.conversation.isGroup && inbound.conversation.conversationType !== MODERATORS_ROOM)
        return groupTurn(inbound);
      // Once per window (turn-gate.ts), in the conversation's language: its profile (read with the gate, no
      // round trip of its own) holds the language chosen here, or the participant's as of their last turn.
      const slowDown = (stored: string | undefined): OutboundActivity[] => {
        log.info(
          {
            channelId: inbound.channelId,
            conversationTag: conversationTag(inbound.channelId, inbound.conversation.id),
          },
          'flood limit',
        );
        const profile = readTurnState(stored).values.profile as Profile | undefined;
        const locale = toLocale(profile?.locale) ?? toLocale(inbound.locale) ?? DEFAULT_LOCALE;
        return [reply(inbound, t(locale, 'engine.slowDown'))];
      };
      // The conversation's state is read with the gate and written with its release (turn-state.ts).
      const stateKey = stateKeyOf(opts.prefix, inbound.channelId, inbound.conversation.id);
      // The notices the turn takes, put back if it fails (putBackNotices).
      const took: { notices?: TakenNotices } = {};
      const run = gate.run(
        {
          conversationKey: `${inbound.channelId}:${inbound.conversation.id}`,
          activityKey: inbound.id ? `${inbound.channelId}:${inbound.id}` : undefined,
          senderKey:
            inbound.type === ActivityTypes.Message ? `${inbound.channelId}:${inbound.from.id}` : undefined,
          stateKey,
          onStart: hooks?.onStart,
        },
        async (slot) => {
          const state = readTurnState(slot.stored);
          const replies = await adapter.processActivity(inbound, (ctx) => {
            attachTurnState(ctx, state);
            return turn(ctx, took);
          });
          if (state.deleted) slot.remove(state.expected);
          else slot.save(state.expected, writeTurnState(state), opts.stateTtlSeconds);
          return replies;
        },
        slowDown,
      );
      try {
        return await run;
      } catch (error) {
        await putBackNotices(inbound, took, error);
        throw error;
      }
    },
    drain: () => gate.drain(),
    render: {
      async caseCard(caseId) {
        const locale = opts.moderatorsLocale ?? DEFAULT_LOCALE;
        const view = await getModerationCase(opts.domain, { caseId, locale });
        return view ? renderCaseCard(view, locale) : undefined;
      },
      async notice(noticeId) {
        const [view] = await describeNotices(opts.domain, { noticeIds: [noticeId] });
        return view
          ? { type: ActivityTypes.Message, text: noticeText(view), locale: view.locale }
          : undefined;
      },
      async broadcast(broadcastId, locale) {
        const lang = toLocale(locale) ?? DEFAULT_LOCALE;
        const message = await getBroadcastMessage(opts.domain, { broadcastId, locale: lang });
        return message
          ? { type: ActivityTypes.Message, text: broadcastMessageText(lang, message), locale: lang }
          : undefined;
      },
      broadcastProgress: (progress, final) =>
        broadcastProgressText(opts.moderatorsLocale ?? DEFAULT_LOCALE, progress, final),
    },
  };
}
