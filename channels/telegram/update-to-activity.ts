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

// Message contents the bot cannot read: answered politely by the engine as "I only understand text". A
// kind not listed here nor in SERVICE_MESSAGES (one Telegram adds later) is answered the same way, as
// `application/vnd.telegram.other`.
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
  'paid_media',
  'checklist',
  'giveaway',
  'invoice',
] as const;

// Telegram's service messages (a member joined, a title changed, a payment went through…; Bot API 9.x):
// not written to the bot, so not answered.
const SERVICE_MESSAGES = new Set([
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'successful_payment',
  'refunded_payment',
  'users_shared',
  'chat_shared',
  'gift',
  'unique_gift',
  'gift_upgrade_sent',
  'connected_website',
  'write_access_allowed',
  'passport_data',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'chat_owner_left',
  'chat_owner_changed',
  'checklist_tasks_done',
  'checklist_tasks_added',
  'direct_message_price_changed',
  'paid_message_price_changed',
  'managed_bot_created',
  'poll_option_added',
  'poll_option_deleted',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'giveaway_created',
  'giveaway_winners',
  'giveaway_completed',
  'suggested_post_approved',
  'suggested_post_approval_failed',
  'suggested_post_declined',
  'suggested_post_paid',
  'suggested_post_refunded',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
]);

interface TelegramUser {
  id: number;
  is_bot?: boolean;
  language_code?: string;
}

interface Entity {
  type: string;
  offset: number;
  length: number;
  user?: TelegramUser;
}

type AnyMessage = Record<string, unknown> & {
  message_id: number;
  chat: { id: number; type: string };
  from?: TelegramUser;
  text?: string;
  caption?: string;
  entities?: Entity[];
  caption_entities?: Entity[];
  reply_to_message?: { from?: TelegramUser };
  is_automatic_forward?: boolean;
};

export interface MappingOptions {
  /** The moderators' group: its activities are marked MODERATORS_ROOM, one conversation per member. */
  moderatorsChatId?: string;
  /**
   * The bot itself (its id is the bot token's number; its username comes from getMe), to tell in other
   * groups which messages are addressed to it, and in the moderators' room which commands are another
   * bot's. Unknown: any bot's (a username ending in "bot", as Telegram requires of bots; a reply to any bot).
   */
  bot?: { id?: number; username?: string };
}

/** Whether `name` (a command's or a mention's, without the @) is the bot's username (unknown: any bot's). */
function isThisBot(name: string, bot: MappingOptions['bot'] = {}): boolean {
  return bot.username !== undefined ? name.toLowerCase() === bot.username.toLowerCase() : /bot$/i.test(name);
}

// A command begins the text (as commands.ts reads it): `/word`, or `/word@bot` for one bot of several.
const COMMAND = /^\/[A-Za-z0-9_]{1,32}(?:@(\w+))?(?=\s|$)/;

/**
 * Whether a message in a group is addressed to the bot: a command (`/start`, or `/start@<the bot>`), a
 * mention of the bot, or a reply to one of its messages. Other group messages (a bot that may read them
 * all, with privacy mode off or as an administrator, gets every one) are none of its business.
 */
function addressesBot(message: AnyMessage, bot: MappingOptions['bot'] = {}): boolean {
  const isBot = (name: string) => isThisBot(name, bot);
  const isBotUser = (user: TelegramUser | undefined) =>
    user !== undefined && (bot.id !== undefined ? user.id === bot.id : user.is_bot === true);
  const text =
    typeof message.text === 'string'
      ? message.text
      : typeof message.caption === 'string'
        ? message.caption
        : '';
  const command = COMMAND.exec(text);
  if (command && (command[1] === undefined || isBot(command[1]))) return true;
  const entities = typeof message.text === 'string' ? message.entities : message.caption_entities;
  for (const e of Array.isArray(entities) ? entities : []) {
    if (typeof e !== 'object' || e === null) continue;
    // Offsets and lengths count UTF-16 code units, as JavaScript strings do.
    const word = text.slice(e.offset, e.offset + e.length);
    if (e.type === 'mention' && isBot(word.slice(1))) return true;
    if (e.type === 'text_mention' && isBotUser(e.user)) return true;
  }
  return isBotUser(message.reply_to_message?.from);
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
    const room = inRoom(message.chat);
    if (message.chat.type !== 'private' && !room) {
      // A channel's post copied into its discussion group: nobody wrote it to the bot.
      if (message.is_automatic_forward) return { kind: 'ignore', reason: 'automatic-forward' };
      if (!addressesBot(message, opts.bot)) return { kind: 'ignore', reason: 'group-not-addressed' };
    }
    // In the moderators' room every message passes (a reason typed, a number chosen), save a command addressed
    // to another bot in the group (`/cola@other_bot`): that bot's, not Plaza's. The room's flow then reads any
    // `@name` after a command as Plaza's own.
    if (room && typeof message.text === 'string') {
      const command = COMMAND.exec(message.text.trimStart());
      if (command?.[1] !== undefined && !isThisBot(command[1], opts.bot))
        return { kind: 'ignore', reason: 'room-other-bot' };
    }
    const activity = base(u.update_id, message, 'message', opts);
    if (typeof message.text === 'string') {
      activity.text = message.text;
      return { kind: 'activity', chatId: String(message.chat.id), activity };
    }
    // Moderators share pictures and files among themselves: not addressed to the bot.
    if (room) return { kind: 'ignore', reason: 'room-non-text' };
    // Service messages (a member joined, a title changed…) are not addressed to the bot.
    if (Object.keys(message).some((k) => SERVICE_MESSAGES.has(k)))
      return { kind: 'ignore', reason: 'service-message' };
    const content = NON_TEXT.find((k) => k in message) ?? 'other';
    activity.attachments = [{ contentType: `application/vnd.telegram.${content}` }];
    // A photo or file with a caption: the caption is what the person wrote (the engine says the rest was
    // not seen).
    if (typeof message.caption === 'string' && message.caption.trim() !== '') activity.text = message.caption;
    return { kind: 'activity', chatId: String(message.chat.id), activity };
  }

  if ('edited_message' in u && u.edited_message) {
    const message = u.edited_message as unknown as AnyMessage;
    if (inRoom(message.chat)) return { kind: 'ignore', reason: 'room-edit' };
    // In other groups the bot answers nothing but "write to me in private": an edit changes nothing.
    if (message.chat.type !== 'private') return { kind: 'ignore', reason: 'group-edit' };
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
      from: TelegramUser;
      old_chat_member?: { status?: string };
      new_chat_member: { status: string };
    };
    const status = m.new_chat_member.status;
    if (m.chat.type === 'group' || m.chat.type === 'supergroup') {
      // Added to a group (not the moderators'): the engine says, once, where it can be found.
      const was = m.old_chat_member?.status;
      const inNow = status === 'member' || status === 'administrator';
      const inBefore =
        was === 'member' || was === 'administrator' || was === 'creator' || was === 'restricted';
      if (!inNow || inBefore || inRoom(m.chat)) return { kind: 'ignore', reason: 'group-membership' };
      const activity = base(
        u.update_id,
        { message_id: 0, chat: m.chat, from: m.from },
        'conversationUpdate',
        opts,
      );
      activity.membersAdded = [{ id: activity.recipient!.id, name: activity.recipient!.name ?? '' }];
      return { kind: 'activity', chatId: String(m.chat.id), activity };
    }
    if (m.chat.type !== 'private') return { kind: 'ignore', reason: 'group-membership' };
    if (status === 'kicked') return { kind: 'blocked', chatId: String(m.chat.id), userId: String(m.from.id) };
    if (status === 'member')
      return { kind: 'unblocked', chatId: String(m.chat.id), userId: String(m.from.id) };
    return { kind: 'ignore', reason: 'membership' };
  }

  return { kind: 'ignore', reason: 'unsupported-update' };
}
