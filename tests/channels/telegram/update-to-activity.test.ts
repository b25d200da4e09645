import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { updateToActivity } from '../../../channels/telegram/update-to-activity.ts';

const chat = { id: 77, type: 'private', first_name: 'Ana' };
const from = { id: 77, is_bot: false, first_name: 'Ana', language_code: 'es' };
const msg = (extra: Record<string, unknown>) =>
  ({ update_id: 5, message: { message_id: 1, date: 0, chat, from, ...extra } }) as unknown as Update;

describe('Telegram updates as activities', () => {
  it('maps a text message, keeping no name', () => {
    const mapped = updateToActivity(msg({ text: 'hola' }));
    expect(mapped).toMatchObject({
      kind: 'activity',
      chatId: '77',
      activity: {
        type: 'message',
        id: '5',
        channelId: 'telegram',
        text: 'hola',
        locale: 'es',
        from: { id: '77' },
      },
    });
    expect(JSON.stringify(mapped)).not.toContain('Ana');
  });

  it.each(['sticker', 'photo', 'voice', 'location', 'document', 'video_note'])(
    'maps a %s as a message the bot cannot read',
    (kind) => {
      const mapped = updateToActivity(msg({ [kind]: {} }));
      expect(mapped).toMatchObject({ kind: 'activity', activity: { type: 'message', attachments: [{}] } });
      expect((mapped as { activity: { text?: string } }).activity.text).toBeUndefined();
    },
  );

  it('maps an edit as messageUpdate and a group message as a group conversation', () => {
    expect(
      updateToActivity({
        update_id: 6,
        edited_message: { message_id: 1, date: 0, chat, from, text: 'x' },
      } as unknown as Update),
    ).toMatchObject({ activity: { type: 'messageUpdate' } });
    expect(
      updateToActivity(msg({ text: '/start', chat: { id: -100, type: 'supergroup', title: 'g' } })),
    ).toMatchObject({ activity: { conversation: { id: '-100', isGroup: true } } });
  });

  it('maps a button press to a callback with its data', () => {
    const update = {
      update_id: 7,
      callback_query: {
        id: 'q1',
        from,
        chat_instance: 'c',
        data: 'abc',
        message: { message_id: 3, date: 0, chat },
      },
    } as unknown as Update;
    expect(updateToActivity(update)).toMatchObject({
      kind: 'callback',
      callbackQueryId: 'q1',
      data: 'abc',
      chatId: '77',
    });
  });

  it('sees a block and an unblock; ignores service messages and other update kinds', () => {
    const member = (status: string) =>
      ({
        update_id: 8,
        my_chat_member: { chat, from, date: 0, old_chat_member: {}, new_chat_member: { status } },
      }) as unknown as Update;
    expect(updateToActivity(member('kicked'))).toEqual({ kind: 'blocked', chatId: '77', userId: '77' });
    expect(updateToActivity(member('member'))).toEqual({ kind: 'unblocked', chatId: '77', userId: '77' });
    expect(updateToActivity(msg({ new_chat_members: [] }))).toMatchObject({ kind: 'ignore' });
    expect(updateToActivity({ update_id: 9, poll: {} } as unknown as Update)).toMatchObject({
      kind: 'ignore',
    });
    expect(updateToActivity(msg({ text: 'x', from: { ...from, is_bot: true } }))).toMatchObject({
      kind: 'ignore',
    });
  });

  it.each(['giveaway', 'story', 'paid_media', 'checklist', 'invoice', 'something_telegram_adds_later'])(
    'answers a %s (forwarded) in a private chat as a message the bot cannot read',
    (kind) => {
      const mapped = updateToActivity(msg({ [kind]: {}, forward_origin: { type: 'hidden_user' } }));
      expect(mapped).toMatchObject({ kind: 'activity', activity: { type: 'message', attachments: [{}] } });
    },
  );

  it.each([
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
    'connected_website',
    'write_access_allowed',
    'passport_data',
    'proximity_alert_triggered',
    'boost_added',
    'chat_background_set',
    'checklist_tasks_done',
    'checklist_tasks_added',
    'forum_topic_created',
    'forum_topic_edited',
    'forum_topic_closed',
    'forum_topic_reopened',
    'general_forum_topic_hidden',
    'general_forum_topic_unhidden',
    'giveaway_created',
    'giveaway_winners',
    'giveaway_completed',
    'video_chat_scheduled',
    'video_chat_started',
    'video_chat_ended',
    'video_chat_participants_invited',
    'web_app_data',
  ])('stays silent on the service message %s', (kind) => {
    expect(updateToActivity(msg({ [kind]: {} }))).toEqual({ kind: 'ignore', reason: 'service-message' });
  });

  describe('in a group that is not the moderators’', () => {
    const group = { id: -100200, type: 'supergroup', title: 'Vecinos' };
    const bot = { id: 4242, is_bot: true, first_name: 'Plaza', username: 'plaza_bot' };
    const inGroup = (extra: Record<string, unknown>) =>
      ({
        update_id: 10,
        message: { message_id: 2, date: 0, chat: group, from, ...extra },
      }) as unknown as Update;
    const cmd = (text: string) => ({
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
    });
    const mention = (text: string, name: string) => ({
      text,
      entities: [{ type: 'mention', offset: text.indexOf(name), length: name.length }],
    });

    it('passes on only what is addressed to the bot: a command, a mention, a reply to it', () => {
      const opts = { bot: { id: 4242, username: 'plaza_bot' } };
      const addressed = [
        cmd('/start'),
        cmd('/ayuda@Plaza_Bot'),
        mention('hola @plaza_bot ¿qué haces?', '@plaza_bot'),
        { text: 'sí', reply_to_message: { message_id: 1, date: 0, chat: group, from: bot, text: '…' } },
        {
          photo: [],
          caption: '@plaza_bot mira',
          caption_entities: [{ type: 'mention', offset: 0, length: 10 }],
        },
        { text: 'Plaza', entities: [{ type: 'text_mention', offset: 0, length: 5, user: bot }] },
      ];
      for (const extra of addressed)
        expect(updateToActivity(inGroup(extra), opts), JSON.stringify(extra)).toMatchObject({
          kind: 'activity',
          chatId: '-100200',
          activity: { conversation: { id: '-100200', isGroup: true } },
        });
      const notAddressed = [
        { text: 'hola a todos' },
        { photo: [] },
        { sticker: {} },
        cmd('/start@other_bot'),
        mention('pregúntale a @other_bot', '@other_bot'),
        { text: 'ok', reply_to_message: { message_id: 1, date: 0, chat: group, from, text: 'x' } },
        { text: 'ok', reply_to_message: { message_id: 1, date: 0, chat: group, from: { ...bot, id: 7 } } },
        { new_chat_members: [bot] },
      ];
      for (const extra of notAddressed)
        expect(updateToActivity(inGroup(extra), opts), JSON.stringify(extra)).toMatchObject({
          kind: 'ignore',
        });
    });

    it('without knowing the bot, takes any bot’s mention or reply as addressed to it', () => {
      expect(updateToActivity(inGroup(mention('@plaza_bot hola', '@plaza_bot')))).toMatchObject({
        kind: 'activity',
      });
      expect(
        updateToActivity(
          inGroup({ text: 'sí', reply_to_message: { message_id: 1, date: 0, chat: group, from: bot } }),
        ),
      ).toMatchObject({ kind: 'activity' });
      expect(updateToActivity(inGroup(mention('hola @ana', '@ana')))).toMatchObject({ kind: 'ignore' });
    });

    it('ignores a channel’s automatic forwards, even a command, and edits', () => {
      const telegram = { id: 777000, is_bot: false, first_name: 'Telegram' };
      expect(
        updateToActivity(inGroup({ ...cmd('/start'), from: telegram, is_automatic_forward: true })),
      ).toEqual({ kind: 'ignore', reason: 'automatic-forward' });
      const edit = {
        update_id: 11,
        edited_message: { message_id: 2, date: 0, chat: group, from, ...cmd('/start') },
      };
      expect(updateToActivity(edit as unknown as Update)).toMatchObject({ kind: 'ignore' });
    });

    it('maps the bot being added as a conversationUpdate; other membership changes are ignored', () => {
      const member = (oldStatus: string, newStatus: string, chat: object = group) =>
        ({
          update_id: 12,
          my_chat_member: {
            chat,
            from,
            date: 0,
            old_chat_member: { status: oldStatus, user: bot },
            new_chat_member: { status: newStatus, user: bot },
          },
        }) as unknown as Update;
      expect(updateToActivity(member('left', 'member'))).toMatchObject({
        kind: 'activity',
        chatId: '-100200',
        activity: {
          type: 'conversationUpdate',
          conversation: { id: '-100200', isGroup: true },
          membersAdded: [{ id: 'plaza' }],
          recipient: { id: 'plaza' },
        },
      });
      expect(updateToActivity(member('kicked', 'administrator'))).toMatchObject({ kind: 'activity' });
      expect(updateToActivity(member('member', 'administrator'))).toMatchObject({ kind: 'ignore' });
      expect(updateToActivity(member('member', 'left'))).toMatchObject({ kind: 'ignore' });
      expect(
        updateToActivity(member('left', 'member', { id: -1009, type: 'supergroup' }), {
          moderatorsChatId: '-1009',
        }),
      ).toMatchObject({ kind: 'ignore' });
      expect(updateToActivity(member('left', 'administrator', { id: -1005, type: 'channel' }))).toMatchObject(
        {
          kind: 'ignore',
        },
      );
    });
  });

  describe('in the moderators’ group', () => {
    const room = { id: -1009, type: 'supergroup', title: 'Moderación' };
    const opts = { moderatorsChatId: '-1009' };
    const inRoom = (extra: Record<string, unknown>) =>
      ({
        update_id: 6,
        message: { message_id: 2, date: 0, chat: room, from, ...extra },
      }) as unknown as Update;

    it('gives each member a conversation of their own, answered in the group', () => {
      expect(updateToActivity(inRoom({ text: '/cola' }), opts)).toMatchObject({
        kind: 'activity',
        chatId: '-1009',
        activity: {
          text: '/cola',
          conversation: { id: '-1009:77', isGroup: true, conversationType: 'plaza-moderators' },
        },
      });
    });

    it('drops a command addressed to another bot in the group; passes its own, or one addressed to none', () => {
      const known = { ...opts, bot: { id: 42, username: 'Plaza_Test_Bot' } };
      for (const text of ['/cola@other_bot', '/ayuda@OtherBot ahora', '/start@somebot x'])
        expect(updateToActivity(inRoom({ text }), known), text).toEqual({
          kind: 'ignore',
          reason: 'room-other-bot',
        });
      for (const text of ['/cola', '/cola@plaza_test_bot', '/ayuda@Plaza_Test_Bot', 'a /cola@other_bot', '3'])
        expect(updateToActivity(inRoom({ text }), known), text).toMatchObject({
          kind: 'activity',
          activity: { text },
        });
      // Before getMe has answered, any bot's name may be Plaza's: passed on, as in other groups.
      expect(updateToActivity(inRoom({ text: '/cola@other_bot' }), opts)).toMatchObject({ kind: 'activity' });
      expect(updateToActivity(inRoom({ text: '/cola@lucia' }), opts)).toMatchObject({ kind: 'ignore' });
    });

    it('ignores pictures and edits people share there', () => {
      expect(updateToActivity(inRoom({ photo: [] }), opts)).toMatchObject({ kind: 'ignore' });
      const edit = { update_id: 7, edited_message: { message_id: 2, date: 0, chat: room, from, text: 'x' } };
      expect(updateToActivity(edit as unknown as Update, opts)).toMatchObject({ kind: 'ignore' });
    });

    it('maps a press to the group chat and the member’s conversation', () => {
      const press = {
        update_id: 8,
        callback_query: { id: 'q', from, data: 'p.x.y', message: { message_id: 3, date: 0, chat: room } },
      } as unknown as Update;
      expect(updateToActivity(press, opts)).toMatchObject({
        kind: 'callback',
        chatId: '-1009',
        activity: { conversation: { id: '-1009:77', conversationType: 'plaza-moderators' } },
      });
    });

    it('treats any other group as before', () => {
      const other = { ...room, id: -1010 };
      const update = { update_id: 9, message: { message_id: 2, date: 0, chat: other, from, text: '/start' } };
      expect(updateToActivity(update as unknown as Update, opts)).toMatchObject({
        chatId: '-1010',
        activity: { conversation: { id: '-1010', isGroup: true, conversationType: 'supergroup' } },
      });
    });
  });
});
