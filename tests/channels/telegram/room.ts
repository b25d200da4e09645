// The moderators' room for the Telegram moderation tests: a Plaza in webhook mode with its moderators' group,
// the workers that post the cases' cards, a process and two registered moderators; and the moderators' side
// of the group — updates from a member, their presses of a message's buttons, what the bot said back.
import { expect } from 'vitest';
import { startWorker } from '../../../src/main.ts';
import type { Workers } from '../../../src/queues/workers.ts';
import { createProcess, createStaffMember, type ProcessFixture } from '../../support/fixtures.ts';
import type { FakeCall } from '../../fakes/telegram-bot-api.ts';
import {
  messageIdOf,
  newUpdateId,
  startTelegramPlaza,
  textOf,
  until,
  type TelegramPlaza,
} from './harness.ts';

export type Moderator = { id: string; name: string; telegramUserId: string };

export interface ModerationRoom {
  t: TelegramPlaza;
  workers: Workers;
  process: ProcessFixture;
  lucia: Moderator;
  pablo: Moderator;
  close(): Promise<void>;
}

export async function startModerationRoom(room: number): Promise<ModerationRoom> {
  // About the room's conversation, not Telegram's pacing of groups (20 messages a minute, outbox.test.ts).
  const t = await startTelegramPlaza({
    env: { TELEGRAM_MODERATORS_CHAT_ID: String(room), TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '0' },
  });
  const workers = await startWorker(t.plaza, t.telegram);
  const db = t.plaza.database.prisma;
  return {
    t,
    workers,
    process: await createProcess(db, { phase: 'proposals', title: 'Barrios vivos' }),
    lucia: await createStaffMember(db, { name: 'Lucía' }),
    pablo: await createStaffMember(db, { name: 'Pablo' }),
    async close() {
      await workers.close();
      await t.close();
    },
  };
}

export type Button = { text: string; callback_data: string };

export const buttonsOf = (c: FakeCall): Button[] =>
  ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();

export function button(message: FakeCall, label: RegExp): Button {
  const b = buttonsOf(message).find((x) => label.test(x.text));
  if (!b) throw new Error(`no ${label} button: ${JSON.stringify(buttonsOf(message).map((x) => x.text))}`);
  return b;
}

export type RoomInput = { text?: string; data?: string; messageId?: number };

/** A member's message in the group, or their press of a button (`data`) on message `messageId`. */
export function groupUpdate(room: number, fromId: string, body: RoomInput) {
  const from = { id: Number(fromId), is_bot: false, first_name: 'Mod', language_code: 'es' };
  const chat = { id: room, type: 'supergroup', title: 'Moderación' };
  const update_id = newUpdateId();
  if (body.data !== undefined)
    return {
      update_id,
      callback_query: {
        id: `cq-${update_id}`,
        from,
        chat_instance: 'room',
        data: body.data,
        message: { message_id: body.messageId ?? 1, date: 0, chat, from: { id: 1, is_bot: true }, text: '…' },
      },
    };
  return { update_id, message: { message_id: update_id, date: 0, chat, from, text: body.text } };
}

/**
 * Sends a member's update to the room; resolves with what the bot said in the room after it (joined) and,
 * for a press, the text of the press's own answer (answerCallbackQuery: shown to the presser alone; '' when
 * it carried none).
 */
export async function inRoomWithAnswer(
  t: TelegramPlaza,
  room: number,
  who: { telegramUserId: string },
  body: RoomInput,
): Promise<{ said: string; answer: string }> {
  const before = t.fake.sent(room).length;
  const update = groupUpdate(room, who.telegramUserId, body);
  const res = await t.post(update);
  expect(res.status).toBe(200);
  await until('room delivery', async () => (await t.telegram.channel.outbox.pending(String(room))) === 0);
  const said = t.fake.sent(room).slice(before).map(textOf).join('\n');
  const queryId = update.callback_query?.id;
  if (queryId === undefined) return { said, answer: '' };
  const answered = await until('press answered', () =>
    t.fake.callsOf('answerCallbackQuery').find((c) => c.params.callback_query_id === queryId),
  );
  return { said, answer: typeof answered.params.text === 'string' ? answered.params.text : '' };
}

/** Sends a member's update to the room; resolves with what the bot said in the room after it (joined). */
export async function inRoom(
  t: TelegramPlaza,
  room: number,
  who: { telegramUserId: string },
  body: RoomInput,
): Promise<string> {
  return (await inRoomWithAnswer(t, room, who, body)).said;
}

const pressOf = (message: FakeCall, label: RegExp): RoomInput => ({
  data: button(message, label).callback_data,
  messageId: messageIdOf(message),
});

/** A member presses the button of `message` (a card or a question) whose text matches `label`. */
export const pressIn = (
  t: TelegramPlaza,
  room: number,
  who: { telegramUserId: string },
  message: FakeCall,
  label: RegExp,
) => inRoom(t, room, who, pressOf(message, label));

/** pressIn, with the press's own answer apart (inRoomWithAnswer). */
export const pressInWithAnswer = (
  t: TelegramPlaza,
  room: number,
  who: { telegramUserId: string },
  message: FakeCall,
  label: RegExp,
) => inRoomWithAnswer(t, room, who, pressOf(message, label));
