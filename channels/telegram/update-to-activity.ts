// Telegram Update → what the engine should see. Pure: no I/O. Button presses come back as `callback` and are
// resolved against the button store by the handler (their data is untrusted input).
import type { Update } from 'telegraf/types';
import { MODERATORS_ROOM, type InboundActivity } from '../../src/engine/types.ts';

export const TELEGRAM_CHANNEL_ID = 'telegram';

export type MappedUpdate =
  | { kind: 'activity'; chatId: string; activity: InboundActivity }
  | {
      kind: 'callback';
      chatId: string;
      callbackQueryId: string;
      data: string;
      /** The activity to send once the data is resolved to a button title (text filled in then). */
      activity: InboundActivity;
    }
  /** A member update: the person blocked (or unblocked) the bot. */
  | { kind: 'blocked' | 'unblocked'; chatId: string; userId: string }
  | { kind: 'ignore'; reason: string };

// Message contents the bot cannot read: answered politely by the engine as "I only understand text".
const NON_TEXT = [
  'sticker',
  'photo',
  'voice',
  'video',
  'video_note',
  'audio',
  'document',
  'animation',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
  'game',
  'story',
] as const;

type AnyMessage = Record<string, unknown> & {
  message_id: number;
  chat: { id: number; type: string };
  from?: { id: number; is_bot?: boolean; language_code?: string };
  text?: string;
};

export interface MappingOptions {
  /** The moderators' group: its activities are marked MODERATORS_ROOM, one conversation per member. */
  moderatorsChatId?: string;
}

function base(updateId: number, message: AnyMessage, type: string, opts: MappingOptions): InboundActivity {
  const chat = message.chat;
  const from = message.from ?? { id: chat.id };
  const room = opts.moderatorsChatId !== undefined && String(chat.id) === opts.moderatorsChatId;
  return {
    type,
    id: String(updateId),
    channelId: TELEGRAM_CHANNEL_ID,
    // In the moderators' room each member has a conversation of their own (their own pending question),
    // while replies go to the group (the mapped chatId).
    conversation: room
      ? { id: `${chat.id}:${from.id}`, isGroup: true, conversationType: MODERATORS_ROOM }
      : { id: String(chat.id), isGroup: chat.type !== 'private', conversationType: chat.type },
    from: { id: String(from.id) },
    recipient: { id: 'plaza', name: 'Plaza' },
    locale: from.language_code,
    timestamp: new Date(),
  };
}

export function updateToActivity(update: Update, opts: MappingOptions = {}): MappedUpdate {
  const inRoom = (chat: { id: number }) =>
    opts.moderatorsChatId !== undefined && String(chat.id) === opts.moderatorsChatId;
  const u = update as Update & Record<string, unknown>;
  if (typeof u.update_id !== 'number') return { kind: 'ignore', reason: 'no-update-id' };

  if ('message' in u && u.message) {
    const message = u.message as unknown as AnyMessage;
    if (message.from?.is_bot) return { kind: 'ignore', reason: 'from-bot' };
    const activity = base(u.update_id, message, 'message', opts);
    if (typeof message.text === 'string') {
      activity.text = message.text;
      return { kind: 'activity', chatId: String(message.chat.id), activity };
    }
    // Moderators share pictures and files among themselves: not addressed to the bot.
    if (inRoom(message.chat)) return { kind: 'ignore', reason: 'room-non-text' };
    const content = NON_TEXT.find((k) => k in message) ?? 'other';
    if (content === 'other' && !('caption' in message)) {
      // Service messages (a member joined, a title changed…) are not addressed to the bot.
      return { kind: 'ignore', reason: 'service-message' };
    }
    activity.attachments = [{ contentType: `application/vnd.telegram.${content}` }];
    return { kind: 'activity', chatId: String(message.chat.id), activity };
  }

  if ('edited_message' in u && u.edited_message) {
    const message = u.edited_message as unknown as AnyMessage;
    if (inRoom(message.chat)) return { kind: 'ignore', reason: 'room-edit' };
    const activity = base(u.update_id, message, 'messageUpdate', opts);
    return { kind: 'activity', chatId: String(message.chat.id), activity };
  }

  if ('callback_query' in u && u.callback_query) {
    const q = u.callback_query as unknown as {
      id: string;
      from: { id: number; language_code?: string };
      message?: AnyMessage;
      data?: string;
    };
    if (!q.message) return { kind: 'ignore', reason: 'inline-callback' };
    const activity = base(u.update_id, { ...q.message, from: q.from }, 'message', opts);
    return {
      kind: 'callback',
      chatId: String(q.message.chat.id),
      callbackQueryId: q.id,
      data: typeof q.data === 'string' ? q.data : '',
      activity,
    };
  }

  if ('my_chat_member' in u && u.my_chat_member) {
    const m = u.my_chat_member as unknown as {
      chat: { id: number; type: string };
      from: { id: number };
      new_chat_member: { status: string };
    };
    if (m.chat.type !== 'private') return { kind: 'ignore', reason: 'group-membership' };
    const status = m.new_chat_member.status;
    if (status === 'kicked') return { kind: 'blocked', chatId: String(m.chat.id), userId: String(m.from.id) };
    if (status === 'member')
      return { kind: 'unblocked', chatId: String(m.chat.id), userId: String(m.from.id) };
    return { kind: 'ignore', reason: 'membership' };
  }

  return { kind: 'ignore', reason: 'unsupported-update' };
}
