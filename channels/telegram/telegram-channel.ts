// The Telegram channel: an Update in, the engine's turn, the replies queued for delivery (outbox.ts).
// `handleUpdate` resolves once the update has been processed and its replies durably queued — only then may
// Telegram be acknowledged; it rejects when that could not happen (Redis or the database unreachable), so
// the webhook answers 5xx and Telegram sends the update again. A repeated update_id is applied once: the
// engine returns the first turn's replies and the outbox queues them once.
import type { Update } from 'telegraf/types';
import { EXPIRED_BUTTON_EVENT } from '../../src/engine/engine.ts';
import type { InboundActivity, TurnRunner } from '../../src/engine/types.ts';
import type { Logger } from '../../src/logger.ts';
import type { Redis } from '../../src/redis/client.ts';
import { ButtonStore } from './buttons.ts';
import { TelegramOutbox, type CallApi, type OutgoingCall } from './outbox.ts';
import { buttonLabel, keyboardRows, renderReplies } from './render.ts';
import { updateToActivity } from './update-to-activity.ts';

export interface TelegramChannelOptions {
  engine: TurnRunner;
  redis: Redis;
  prefix: string;
  callApi: CallApi;
  logger: Logger;
  /** Signs button data (the bot token serves: it is secret and stable). */
  secret: string;
  perSecond: number;
  chatIntervalMs: number;
  /** The person blocked or unblocked the bot (403 on send, or a my_chat_member update). */
  onReachability?: (userId: string, reachable: boolean) => Promise<void>;
  /** Show "typing…" when a turn takes longer than this. */
  typingAfterMs?: number;
}

export interface TelegramChannel {
  handleUpdate(update: Update): Promise<void>;
  outbox: TelegramOutbox;
}

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
    // In a private chat the chat id is the person's user id.
    onBlocked: async (chatId) => opts.onReachability?.(chatId, false),
  });

  /** Best effort, outside the outbox: a lost "typing…" or spinner stop harms nobody. */
  const bestEffort = (method: string, params: Record<string, unknown>) => {
    opts.callApi(method, params).catch((error: { code?: number }) => {
      log.debug({ method, code: error?.code }, 'best-effort call failed');
    });
  };

  async function runTurn(chatId: string, activity: InboundActivity): Promise<Omit<OutgoingCall, 'id'>[]> {
    const typing = setTimeout(
      () => bestEffort('sendChatAction', { chat_id: chatId, action: 'typing' }),
      opts.typingAfterMs ?? 1000,
    );
    try {
      const replies = await opts.engine.runTurn(activity);
      return await toCalls(chatId, Number(activity.id), renderReplies(replies));
    } finally {
      clearTimeout(typing);
    }
  }

  async function toCalls(
    chatId: string,
    keyboardId: number,
    messages: ReturnType<typeof renderReplies>,
  ): Promise<Omit<OutgoingCall, 'id'>[]> {
    const calls: Omit<OutgoingCall, 'id'>[] = [];
    for (const m of messages) {
      const params: Record<string, unknown> = {
        chat_id: chatId,
        text: m.html,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      };
      if (m.buttons.length > 0) {
        const data = await buttons.save(chatId, keyboardId, m.buttons);
        const items = m.buttons.map((title, i) => ({ label: buttonLabel(i, title), value: data[i]! }));
        params.reply_markup = {
          inline_keyboard: keyboardRows(items).map((row) =>
            row.map((b) => ({ text: b.label, callback_data: b.value })),
          ),
        };
      }
      calls.push({ method: 'sendMessage', params });
    }
    return calls;
  }

  async function handleUpdate(update: Update): Promise<void> {
    const mapped = updateToActivity(update);
    const updateKey = String(update.update_id);
    switch (mapped.kind) {
      case 'ignore':
        log.debug({ updateId: update.update_id, reason: mapped.reason }, 'update ignored');
        return;
      case 'blocked':
      case 'unblocked':
        await opts.onReachability?.(mapped.userId, mapped.kind === 'unblocked');
        return;
      case 'activity': {
        const calls = await runTurn(mapped.chatId, mapped.activity);
        await outbox.enqueue(updateKey, mapped.chatId, calls);
        return;
      }
      case 'callback': {
        bestEffort('answerCallbackQuery', { callback_query_id: mapped.callbackQueryId });
        const press = await buttons.resolve(mapped.chatId, mapped.data);
        const activity: InboundActivity = press.ok
          ? { ...mapped.activity, type: 'message', text: press.title }
          : { ...mapped.activity, type: 'event', name: EXPIRED_BUTTON_EVENT };
        if (!press.ok) log.info({ updateId: update.update_id, reason: press.reason }, 'button refused');
        const calls = await runTurn(mapped.chatId, activity);
        await outbox.enqueue(updateKey, mapped.chatId, calls);
        return;
      }
    }
  }

  return { handleUpdate, outbox };
}
