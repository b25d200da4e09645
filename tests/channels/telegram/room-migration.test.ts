// The moderators' group turned into a supergroup: Telegram moves it to a new chat id and the configured one
// no longer takes messages. Only the operator can change TELEGRAM_MODERATORS_CHAT_ID, so the migration
// notice is logged at error level with the setting to use; nothing is said in the chat.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { newUpdateId, startTelegramPlaza, type TelegramPlaza } from './harness.ts';

const ROOM = '-4242424242';
const logLines: string[] = [];
let t: TelegramPlaza;

beforeAll(async () => {
  t = await startTelegramPlaza({
    env: { TELEGRAM_MODERATORS_CHAT_ID: ROOM },
    logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }),
  });
});
afterAll(() => t?.close());

const migration = (chatId: string, to: number) => ({
  update_id: newUpdateId(),
  message: {
    message_id: 7,
    date: Math.floor(Date.now() / 1000),
    chat: { id: Number(chatId), type: 'group', title: 'Moderación' },
    from: { id: 1087968824, is_bot: true, first_name: 'Group' },
    migrate_to_chat_id: to,
  },
});

it('names the new id in one error line when the moderators’ group becomes a supergroup', async () => {
  expect((await t.post(migration(ROOM, -1009876543210))).status).toBe(200);
  const errors = logLines
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .filter((l) => l.level >= 50);
  expect(errors).toHaveLength(1);
  expect(errors[0]!.msg).toContain('TELEGRAM_MODERATORS_CHAT_ID=-1009876543210');
  expect(t.fake.sent(ROOM)).toEqual([]);
});

it('another group’s migration is none of the operator’s business', async () => {
  const before = logLines.length;
  expect((await t.post(migration('-555', -1005555))).status).toBe(200);
  const errors = logLines
    .slice(before)
    .map((l) => JSON.parse(l) as { level: number })
    .filter((l) => l.level >= 40);
  expect(errors).toEqual([]);
});
