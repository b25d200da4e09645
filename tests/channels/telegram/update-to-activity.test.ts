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
      updateToActivity(msg({ text: 'hola', chat: { id: -100, type: 'supergroup', title: 'g' } })),
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
      const update = { update_id: 9, message: { message_id: 2, date: 0, chat: other, from, text: 'hola' } };
      expect(updateToActivity(update as unknown as Update, opts)).toMatchObject({
        chatId: '-1010',
        activity: { conversation: { id: '-1010', isGroup: true, conversationType: 'supergroup' } },
      });
    });
  });
});
