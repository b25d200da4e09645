// The Telegram channel: an Update in, the engine's turn, the replies queued for delivery (outbox.ts).
// `handleUpdate` resolves once the update has been processed and its replies durably queued — only then may
// Telegram be acknowledged; it rejects when that could not happen (Redis or the database unreachable), so
// the webhook answers 5xx and Telegram sends the update again. A repeated update_id is applied once: the
// engine returns the first turn's replies and the outbox queues them once.
import type { Update } from 'telegraf/types';
import { EXPIRED_BUTTON_EVENT } from '../../src/engine/engine.ts';
import {
  isPresserOnly,
  type InboundActivity,
  type OutboundActivity,
  type ProactiveRenderer,
  type TurnRunner,
} from '../../src/engine/types.ts';
import { POSTBACK_EVENT } from '../../src/flows/index.ts';
import type { Logger } from '../../src/logger.ts';
import type { Redis } from '../../src/redis/client.ts';
import { ButtonStore, type KeyboardWrite } from './buttons.ts';
import { TelegramOutbox, type CallApi, type OutgoingCall, type QueuedUpload } from './outbox.ts';
import { buttonLabel, keyboardRows, renderReplies } from './render.ts';
import { updateToActivity } from './update-to-activity.ts';

export interface TelegramChannelOptions {
  engine: TurnRunner & { render?: ProactiveRenderer };
  redis: Redis;
  prefix: string;
  callApi: CallApi;
  logger: Logger;
  /** Signs button data (the bot token serves: it is secret and stable). */
  secret: string;
  perSecond: number;
  chatIntervalMs: number;
  /** Most messages to one group in any minute (Telegram's 20); 0: no such window. Default 20. */
  groupMessagesPerMinute?: number;
  /** How long a process holds a chat's head message while sending it (see outbox.ts). */
  leaseMs?: number;
  /** Messages on their way at once (the outbox's concurrency). */
  concurrency?: number;
  /** The person blocked or unblocked the bot (403 on send, or a my_chat_member update). */
  onReachability?: (userId: string, reachable: boolean) => Promise<void>;
  /** Show "typing…" when a turn has run longer than this (TurnHooks.onStart: its wait for a slot aside). */
  typingAfterMs?: number;
  /** The moderators' group (case cards, decisions). */
  moderatorsChatId?: string;
  /**
   * The bot itself, read at every update (filled in once getMe has answered): in other groups, only what is
   * addressed to it is answered (update-to-activity.ts).
   */
  bot?: { id?: number; username?: string };
  /** What became of a recorded message (a broadcast delivery `bc:<id>`): sent, or given up with a reason. */
  onRecord?: (record: string, outcome: { sent: true } | { failed: string }) => Promise<void>;
  /** Asked right before a recorded message goes out: false drops it (the person unsubscribed meanwhile). */
  shouldSend?: (record: string) => Promise<boolean>;
  /**
   * A notice queued by deliverNotice did not go out after all (the person blocked the bot: its chat's queue
   * was dropped; or it was given up): it is to wait for their next message (mark-notice-undelivered).
   */
  onNoticeUnsent?: (noticeId: bigint) => Promise<void>;
}

/** The moderators' room as the moderation and notification workers use it. */
export interface ModeratorsRoom {
  /** Queues the case's card for the group, once per case. */
  post(caseId: number): Promise<void>;
  /**
   * Shows the case's current state (after a decision) in the room, once: its card is edited to it, without
   * buttons. A card whose message is no longer known while nothing of it waits in the room's queue (its
   * 90 days passed, Redis lost it) is gone for the room's purposes: the state is posted as a new card
   * instead, recorded as the case's card from then on. Throws CardNotSentYetError while the card is still
   * queued (its message not known yet): retry later.
   */
  update(caseId: number): Promise<void>;
  /** Where the case's card is: taken by Telegram (its message id known), still queued, or neither. */
  card(caseId: number): Promise<'sent' | 'queued' | 'none'>;
  /**
   * Edits the card of a case erased with its author's texts to `text`, without buttons (once per case).
   * False while the card's message is not known (not sent yet, or forgotten after 90 days).
   */
  withdraw(caseId: number, text: string): Promise<boolean>;
}

export interface TelegramChannel {
  handleUpdate(update: Update): Promise<void>;
  outbox: TelegramOutbox;
  /** Present when a moderators' group is configured. */
  room?: ModeratorsRoom;
  /** Queues a notice for a person's private chat, once per notice. False when there is nothing to say. */
  deliverNotice(noticeId: bigint, chatId: string): Promise<boolean>;
  /**
   * Queues one broadcast delivery, once per delivery id; its outcome comes back through onRecord. For a
   * delivery handed over before: 'sent' if it went out, 'in-flight' while it is still on its way.
   */
  sendBroadcast(
    deliveryId: bigint,
    chatId: string,
    message: OutboundActivity,
    opts?: { force?: boolean },
  ): Promise<'queued' | 'sent' | 'in-flight'>;
  /** Shows a broadcast's progress in a staff chat: the first call sends a message, later ones edit it. */
  showProgress(broadcastId: number, chatId: string, text: string, final: boolean): Promise<void>;
}

/** A card's edit was asked for while the card itself is still queued for the room: the job retries later. */
export class CardNotSentYetError extends Error {
  constructor(caseId: number) {
    super(`The card of case ${caseId} has not been sent yet`);
    this.name = 'CardNotSentYetError';
  }
}

const CARD_TTL_SECONDS = 90 * 24 * 3600;

/**
 * A card posted anew with its case's outcome (the first one's message forgotten) is recorded as
 * `case:<id>:outcome`: not taken for the first card still queued (`card`, `update`), and kept, once sent, as the
 * case's card (`case:<id>`).
 */
const OUTCOME_CARD = ':outcome';

/** A notice's record in the outbox (`notice:<id>`). */
const NOTICE_RECORD = 'notice:';

/** A turn's (or a message's) calls, and the keyboard they carry, for `outbox.enqueue`. */
interface Outgoing {
  calls: Omit<OutgoingCall, 'id'>[];
  keyboard?: KeyboardWrite;
}

/** What a press's answer (answerCallbackQuery) may show: 0–200 characters of plain text. */
const PRESS_ANSWER_MAX = 200;

const pressAnswerText = (texts: string[]): string => {
  const chars = [...texts.join('\n')];
  return chars.length <= PRESS_ANSWER_MAX
    ? chars.join('')
    : `${chars.slice(0, PRESS_ANSWER_MAX - 1).join('')}…`;
};

export function createTelegramChannel(opts: TelegramChannelOptions): TelegramChannel {
  const log = opts.logger.child({ module: 'telegram' });
  const buttons = new ButtonStore(opts.redis, { prefix: opts.prefix, secret: opts.secret });
  const outbox = new TelegramOutbox({
    redis: opts.redis,
    prefix: opts.prefix,
    callApi: opts.callApi,
    logger: log,
    perSecond: opts.perSecond,
    chatIntervalMs: opts.chatIntervalMs,
    groupLimit:
      opts.groupMessagesPerMinute === undefined
        ? undefined
        : { messages: opts.groupMessagesPerMinute, perMs: 60_000 },
    leaseMs: opts.leaseMs,
    concurrency: opts.concurrency,
    // The moderators' room: a 403 (the bot removed from it) keeps its cards queued and retried, loudly,
    // instead of dropping them as for a person who blocked the bot.
    keptChats: opts.moderatorsChatId ? { [opts.moderatorsChatId]: "moderators' room" } : undefined,
    // In a private chat the chat id is the person's user id.
    // Unreachable first, so the notices it held, waiting again, are not pushed anew meanwhile.
    onBlocked: async (chatId, dropped) => {
      await opts.onReachability?.(chatId, false);
      for (const call of dropped) await noticeUnsent(call);
    },
    // A case card's message id, to edit it once the case is decided.
    onSent: async (call, result) => {
      const messageId = (result as { message_id?: number } | undefined)?.message_id;
      if (!call.record || call.record.startsWith(NOTICE_RECORD)) return;
      if (call.record.startsWith('bc:')) return opts.onRecord?.(call.record, { sent: true });
      const record = call.record.endsWith(OUTCOME_CARD)
        ? call.record.slice(0, -OUTCOME_CARD.length)
        : call.record;
      if (messageId !== undefined)
        await opts.redis.set(cardKey(record), `${String(call.params.chat_id)}:${messageId}`, {
          expiration: { type: 'EX', value: CARD_TTL_SECONDS },
        });
    },
    onDropped: async (call, reason) => {
      if (call.record?.startsWith('bc:')) await opts.onRecord?.(call.record, { failed: reason });
      await noticeUnsent(call);
    },
    shouldSend: async (call) => (call.record && opts.shouldSend ? opts.shouldSend(call.record) : true),
  });
  const cardKey = (record: string) => `${opts.prefix}:tg:card:${record}`;
  async function noticeUnsent(call: OutgoingCall): Promise<void> {
    if (call.record?.startsWith(NOTICE_RECORD))
      await opts.onNoticeUnsent?.(BigInt(call.record.slice(NOTICE_RECORD.length)));
  }
  /** More than a card can have: 2,000 characters of body, each at most 5 once escaped, in 4,096-character parts. */
  const MAX_CARD_PARTS = 8;

  /** Best effort, outside the outbox: a lost "typing…" or spinner stop harms nobody. */
  const bestEffort = (method: string, params: Record<string, unknown>) => {
    opts.callApi(method, params).catch((error: { code?: number }) => {
      log.debug({ method, code: error?.code }, 'best-effort call failed');
    });
  };

  /**
   * `notes`: with `presserOnly`, the texts of replies meant for the presser alone (presserOnly), left out of
   * the calls; without it, those are ordinary replies.
   */
  async function runTurn(
    chatId: string,
    activity: InboundActivity,
    turnOpts: { presserOnly?: boolean } = {},
  ): Promise<Outgoing & { notes: string[] }> {
    // From the moment the turn runs, not while it waits for a slot (a busy process would add a call per
    // waiting message), and not while Telegram's flood control holds the outbox's sends.
    let typing: NodeJS.Timeout | undefined;
    const onStart = () => {
      typing = setTimeout(() => {
        if (!outbox.paused()) bestEffort('sendChatAction', { chat_id: chatId, action: 'typing' });
      }, opts.typingAfterMs ?? 1000);
    };
    try {
      let replies = await opts.engine.runTurn(activity, { onStart });
      const notes: string[] = [];
      if (turnOpts.presserOnly && replies.some(isPresserOnly)) {
        for (const r of replies) if (isPresserOnly(r) && typeof r.text === 'string') notes.push(r.text);
        replies = replies.filter((r) => !isPresserOnly(r));
      }
      const out = toCalls(chatId, activity.conversation.id, Number(activity.id), renderReplies(replies));
      return { ...out, notes };
    } finally {
      clearTimeout(typing);
    }
  }

  /**
   * `keyboardKey`: whose question the buttons answer (the chat, or a member's conversation in a group). The
   * keyboard is saved as that key's latest by the outbox, with the messages (`outbox.enqueue`).
   */
  function toCalls(
    chatId: string,
    keyboardKey: string,
    keyboardId: number,
    messages: ReturnType<typeof renderReplies>,
  ): Outgoing {
    const calls: Omit<OutgoingCall, 'id'>[] = [];
    let keyboard: KeyboardWrite | undefined;
    for (const m of messages) {
      // A photo waits in Redis as JSON: its PNG travels as base64 and is uploaded when sent (outbox.ts).
      const params: Record<string, unknown> = m.photo
        ? {
            chat_id: chatId,
            photo: { base64: m.photo.base64, filename: 'chart.png' } satisfies QueuedUpload,
            ...(m.html ? { caption: m.html, parse_mode: 'HTML' } : {}),
          }
        : m.document
          ? {
              chat_id: chatId,
              document: m.document satisfies QueuedUpload,
              ...(m.html ? { caption: m.html, parse_mode: 'HTML' } : {}),
            }
          : {
              chat_id: chatId,
              text: m.html,
              parse_mode: 'HTML',
              link_preview_options: { is_disabled: true },
            };
      const rows: { label: string; value: string }[][] = [];
      if (m.buttons.length > 0) {
        // Messages of one turn share its keyboard id: the last keyboard is the latest (render.ts joins a
        // turn's texts, so there is one).
        const prepared = buttons.prepare(keyboardKey, keyboardId, m.buttons);
        const data = prepared.data;
        keyboard = prepared.write;
        const items = m.buttons.map((title, i) => ({ label: buttonLabel(i, title), value: data[i]! }));
        rows.push(...keyboardRows(items));
      }
      if (m.postBacks.length > 0)
        rows.push(
          ...keyboardRows(
            m.postBacks.map((b) => ({ label: b.title, value: buttons.postBack(chatId, b.value) })),
          ),
        );
      if (rows.length > 0)
        params.reply_markup = {
          inline_keyboard: rows.map((row) => row.map((b) => ({ text: b.label, callback_data: b.value }))),
        };
      calls.push({ method: m.photo ? 'sendPhoto' : m.document ? 'sendDocument' : 'sendMessage', params });
    }
    return { calls, keyboard };
  }

  /** Edits a card (`ref` = "<chat>:<message>", as recorded when posted) to `html`, without buttons, once per key. */
  async function editCard(ref: string, key: string, html: string): Promise<void> {
    const [chatId, messageId] = ref.split(':') as [string, string];
    await outbox.enqueue(key, chatId, [
      {
        method: 'editMessageText',
        params: {
          chat_id: chatId,
          message_id: Number(messageId),
          text: html,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          reply_markup: { inline_keyboard: [] },
        },
      },
    ]);
  }

  /**
   * A press of a case card's button names the card's message (the one that carries the buttons: the one
   * recorded as `case:<id>`). A card the room forgot (its 90 days passed, Redis lost it) is known again by it,
   * before the decision's turn runs: the decision edits that card instead of posting a new one. A message
   * still known is left as recorded.
   */
  async function rememberCard(postBack: string, chatId: string, update: Update): Promise<void> {
    const caseId = /^case:(\d{1,10}):/.exec(postBack)?.[1];
    const messageId = (update as { callback_query?: { message?: { message_id?: unknown } } }).callback_query
      ?.message?.message_id;
    if (caseId === undefined || typeof messageId !== 'number') return;
    await opts.redis.set(cardKey(`case:${caseId}`), `${chatId}:${messageId}`, {
      condition: 'NX',
      expiration: { type: 'EX', value: CARD_TTL_SECONDS },
    });
  }

  const room: ModeratorsRoom | undefined =
    opts.moderatorsChatId && opts.engine.render
      ? {
          async post(caseId) {
            const card = await opts.engine.render!.caseCard(caseId);
            if (!card) return;
            const chatId = opts.moderatorsChatId!;
            const { calls, keyboard } = toCalls(chatId, chatId, 0, renderReplies([card]));
            // The last message carries the buttons: the one to edit once decided. A long card comes in
            // parts; the earlier ones are recorded too, so an erasure can withdraw every part of the text.
            calls.forEach((call, i) => {
              call.record = i === calls.length - 1 ? `case:${caseId}` : `case:${caseId}:part:${i}`;
            });
            await outbox.enqueue(`case-${caseId}`, chatId, calls, keyboard);
          },
          async card(caseId) {
            if ((await opts.redis.exists(cardKey(`case:${caseId}`))) === 1) return 'sent';
            return (await outbox.holds(opts.moderatorsChatId!, `case:${caseId}`)) ? 'queued' : 'none';
          },
          async update(caseId) {
            const chatId = opts.moderatorsChatId!;
            const ref = await opts.redis.get(cardKey(`case:${caseId}`));
            if (!ref && (await outbox.holds(chatId, `case:${caseId}`))) throw new CardNotSentYetError(caseId);
            const card = await opts.engine.render!.caseCard(caseId);
            if (!card) return;
            const decided = { ...card, suggestedActions: undefined };
            // One key for the edit and the new card: the outcome is shown once, either way (a day's key: a
            // repeat within it does nothing; after it, the same text again, which Telegram takes as done).
            const key = `case-${caseId}-decided`;
            if (!ref) {
              // Gone for the room: the outcome as a card of its own, recorded like the first one was.
              const { calls } = toCalls(chatId, chatId, 0, renderReplies([decided]));
              calls.forEach((call, i) => {
                call.record =
                  i === calls.length - 1 ? `case:${caseId}${OUTCOME_CARD}` : `case:${caseId}:part:${i}`;
              });
              await outbox.enqueue(key, chatId, calls);
              log.info(
                { caseId },
                "case card's message not known any more: its outcome posted as a new card",
              );
              return;
            }
            const [message] = renderReplies([decided]).slice(-1);
            if (message) await editCard(ref, key, message.html);
          },
          async withdraw(caseId, text) {
            const ref = await opts.redis.get(cardKey(`case:${caseId}`));
            if (!ref) return false;
            const [message] = renderReplies([{ type: 'message', text }]);
            // Its own key: a card edited to a decision before the erasure is edited again.
            if (message) await editCard(ref, `case-${caseId}-erased`, message.html);
            // The earlier parts of a long card (a card is at most a few parts: BODY_MAX escaped).
            for (let i = 0; i < MAX_CARD_PARTS; i++) {
              const part = await opts.redis.get(cardKey(`case:${caseId}:part:${i}`));
              if (!part) break;
              if (message) await editCard(part, `case-${caseId}-erased-${i}`, message.html);
            }
            return true;
          },
        }
      : undefined;

  async function deliverNotice(noticeId: bigint, chatId: string): Promise<boolean> {
    const activity = await opts.engine.render?.notice(noticeId);
    if (!activity) return false;
    const { calls, keyboard } = toCalls(chatId, chatId, 0, renderReplies([activity]));
    // Recorded, so that a notice its chat's 403 (or a give-up) kept from going out waits again.
    const record = `${NOTICE_RECORD}${noticeId}`;
    calls.forEach((call, i) => {
      if (i === calls.length - 1) call.record = record;
      else call.partOf = record;
    });
    await outbox.enqueue(`notice-${noticeId}`, chatId, calls, keyboard);
    return true;
  }

  async function handleUpdate(update: Update): Promise<void> {
    const mapped = updateToActivity(update, { moderatorsChatId: opts.moderatorsChatId, bot: opts.bot });
    const updateKey = String(update.update_id);
    switch (mapped.kind) {
      case 'ignore': {
        // The moderators' group became a supergroup: Telegram gave it a new id, and the configured one no
        // longer takes messages. Only the operator can change the setting: say so, loudly.
        const moved = (update as { message?: { chat?: { id?: unknown }; migrate_to_chat_id?: unknown } })
          .message;
        if (
          opts.moderatorsChatId !== undefined &&
          String(moved?.chat?.id) === opts.moderatorsChatId &&
          typeof moved?.migrate_to_chat_id === 'number'
        ) {
          log.error(
            { newChatId: moved.migrate_to_chat_id },
            `the moderators' group became a supergroup with a new id: set TELEGRAM_MODERATORS_CHAT_ID=${moved.migrate_to_chat_id} and restart (cases not yet in the group are posted again then)`,
          );
          return;
        }
        log.debug({ updateId: update.update_id, reason: mapped.reason }, 'update ignored');
        return;
      }
      case 'blocked':
      case 'unblocked':
        await opts.onReachability?.(mapped.userId, mapped.kind === 'unblocked');
        return;
      case 'activity': {
        const { calls, keyboard } = await runTurn(mapped.chatId, mapped.activity);
        await outbox.enqueue(updateKey, mapped.chatId, calls, keyboard);
        return;
      }
      case 'callback': {
        // Every press is answered, so that its spinner stops: at once in a private chat; in a group once the
        // turn has run, because a reply meant for the presser alone (presserOnly: «only moderators decide»)
        // is that answer, shown to them over the chat instead of posted for the whole group.
        const inGroup = mapped.activity.conversation.isGroup === true;
        const answerPress = (notes: string[] = []) =>
          bestEffort('answerCallbackQuery', {
            callback_query_id: mapped.callbackQueryId,
            ...(notes.length > 0 ? { text: pressAnswerText(notes), show_alert: true } : {}),
          });
        if (!inGroup) answerPress();
        let notes: string[] = [];
        try {
          // One press per keyboard (buttons.ts): the resolution happens before the engine's turn gate, so a
          // double tap (two updates, one keyboard) would otherwise answer the next question with its title.
          const press = await buttons.resolve(mapped.activity.conversation.id, mapped.data, {
            chatId: mapped.chatId,
            pressId: updateKey,
          });
          const activity: InboundActivity = !press.ok
            ? { ...mapped.activity, type: 'event', name: EXPIRED_BUTTON_EVENT }
            : press.postBack !== undefined
              ? { ...mapped.activity, type: 'event', name: POSTBACK_EVENT, value: press.postBack }
              : { ...mapped.activity, type: 'message', text: press.title };
          if (!press.ok) log.info({ updateId: update.update_id, reason: press.reason }, 'button refused');
          if (press.ok && press.postBack !== undefined && mapped.chatId === opts.moderatorsChatId)
            await rememberCard(press.postBack, mapped.chatId, update);
          const turn = await runTurn(mapped.chatId, activity, { presserOnly: inGroup });
          notes = turn.notes;
          await outbox.enqueue(updateKey, mapped.chatId, turn.calls, turn.keyboard);
        } finally {
          if (inGroup) answerPress(notes);
        }
        return;
      }
    }
  }

  async function sendBroadcast(
    deliveryId: bigint,
    chatId: string,
    message: OutboundActivity,
    sendOpts: { force?: boolean } = {},
  ) {
    const record = `bc:${deliveryId}`;
    const { calls, keyboard } = toCalls(chatId, chatId, 0, renderReplies([message]));
    // A text that fits the limit as written can still come in two messages once rendered (the title line,
    // HTML escapes): every part goes, in order, and the last one's outcome settles the ledger.
    const last = calls.at(-1);
    if (!last) return 'sent' as const;
    for (const call of calls.slice(0, -1)) call.partOf = record;
    last.record = record;
    if (await outbox.wasSent(record)) return 'sent' as const;
    // Asked to hand it over anew (it has been "on its way" for long): while the outbox still holds it —
    // Telegram failing, the message retried for up to an hour — it is not lost, and a second copy would
    // reach the person twice.
    if (sendOpts.force && (await outbox.holds(chatId, record))) return 'in-flight' as const;
    // Forced: a fresh once-key, for a delivery the outbox remembers but no longer holds.
    const key = sendOpts.force ? `bc-${deliveryId}-${Date.now()}` : `bc-${deliveryId}`;
    return (await outbox.enqueue(key, chatId, calls, keyboard))
      ? ('queued' as const)
      : ('in-flight' as const);
  }

  async function showProgress(broadcastId: number, chatId: string, text: string, final: boolean) {
    const [message] = renderReplies([{ type: 'message', text }]);
    if (!message) return;
    const params = { chat_id: chatId, text: message.html, parse_mode: 'HTML' };
    const record = `bcp:${broadcastId}`;
    const ref = await opts.redis.get(cardKey(record));
    if (!ref) {
      // The first progress message; until Telegram confirms it (its id recorded), later updates wait.
      await outbox.enqueue(`bcp-${broadcastId}`, chatId, [{ method: 'sendMessage', params, record }]);
      if (!final) return;
    }
    const messageId = ref?.split(':')[1];
    const calls: Omit<OutgoingCall, 'id'>[] = messageId
      ? [{ method: 'editMessageText', params: { ...params, message_id: Number(messageId) } }]
      : [];
    if (final) calls.push({ method: 'sendMessage', params });
    if (calls.length > 0) await outbox.enqueue(`bcp-${broadcastId}-${Date.now()}`, chatId, calls);
  }

  return { handleUpdate, outbox, room, deliverNotice, sendBroadcast, showProgress };
}
