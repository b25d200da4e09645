// While a store is down the webhook refuses every update with 503 (Telegram resends them): the log says so
// once when it starts and once when updates go through again, not once per request.
import { SocketClosedUnexpectedlyError } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { consentSteps } from '../../support/scripts.ts';
import { script } from '../../support/conversation.ts';
import { newUpdateId, startTelegramPlaza, TelegramChat, type TelegramPlaza } from './harness.ts';

const logLines: { level: number; msg: string }[] = [];
let t: TelegramPlaza;
let down = false;

beforeAll(async () => {
  t = await startTelegramPlaza({
    logger: createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) }),
    wrapEngine: (engine) => ({
      drain: () => engine.drain(),
      render: engine.render,
      async runTurn(activity) {
        // What node-redis throws while Redis is away.
        if (down) throw new SocketClosedUnexpectedlyError();
        return engine.runTurn(activity);
      },
    }),
  });
});
afterAll(() => t?.close());

it('logs one line when updates start being refused and one when they are accepted again', async () => {
  const chat = new TelegramChat(t);
  const text = (s: string) => ({
    update_id: newUpdateId(),
    message: {
      message_id: newUpdateId(),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat.chatId, type: 'private', first_name: 'Ana' },
      from: { id: chat.chatId, is_bot: false, first_name: 'Ana', language_code: 'es' },
      text: s,
    },
  });
  const before = logLines.length;
  down = true;
  for (let i = 0; i < 20; i++) expect((await t.post(text('hola'))).status).toBe(503);
  down = false;
  await script(chat, consentSteps.slice(0, 1));
  const lines = logLines.slice(before).filter((l) => /updates (refused|accepted)/.test(l.msg));
  expect(lines.map((l) => l.msg)).toEqual([
    'updates refused while a store is unreachable; Telegram will resend them',
    expect.stringMatching(/^updates accepted again after \d+ s$/),
  ]);
});
