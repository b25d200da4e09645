// Long polling: updates fetched with getUpdates, handled in order, the offset confirmed only past handled ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApi } from '../../../channels/telegram/bot-api.ts';
import { startPolling, type Polling } from '../../../channels/telegram/polling.ts';
import { createLogger } from '../../../src/logger.ts';
import { delivered, startTelegramPlaza, type TelegramPlaza } from './harness.ts';

let t: TelegramPlaza;
let polling: Polling;
beforeAll(async () => {
  t = await startTelegramPlaza({ env: { TELEGRAM_MODE: 'polling' } });
  polling = startPolling({
    callApi: createBotApi({ token: t.fake.token, apiRoot: t.fake.apiRoot }).callApi,
    channel: t.telegram.channel,
    logger: createLogger('silent'),
    timeoutSeconds: 1,
  });
});
afterAll(async () => {
  await polling?.stop();
  await t?.close();
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Telegram long polling', () => {
  it('handles pushed updates in order, answers button presses, and stops cleanly', async () => {
    const chatId = 31337;
    t.fake.pushText(chatId, 'hola');
    await until(() => t.fake.texts(chatId).length === 1);
    expect(t.fake.texts(chatId)[0]).toMatch(/Soy Plaza/);
    const keyboard = (
      t.fake.sent(chatId)[0]!.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard;
    const messageId = (t.fake.sent(chatId)[0]!.response.result as { message_id: number }).message_id;
    t.fake.pushCallback(chatId, keyboard[0]![0]!.callback_data, { messageId });
    await until(() => t.fake.texts(chatId).length === 2);
    await delivered(t, chatId);
    expect(t.fake.texts(chatId)[1]).toMatch(/¿Tienes 14 años o más\?/);
    expect(t.fake.callsOf('answerCallbackQuery')).toHaveLength(1);
    const stopped = Date.now();
    await polling.stop();
    expect(Date.now() - stopped).toBeLessThan(2000);
  });
});
