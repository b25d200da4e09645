// Long polling: updates fetched with getUpdates, handled in order, the offset confirmed only past handled ones.
// Failures are logged once when they start (naming the cause and the fix) and once when they end; a stalled
// getUpdates is abandoned and retried.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { SocketClosedUnexpectedlyError } from 'redis';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApi } from '../../../channels/telegram/bot-api.ts';
import type { CallApi } from '../../../channels/telegram/outbox.ts';
import { startPolling, type Polling } from '../../../channels/telegram/polling.ts';
import { createLogger } from '../../../src/logger.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { BOT_TOKEN, delivered, startTelegramPlaza, type TelegramPlaza } from './harness.ts';

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

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** Polling against `callApi` with a channel that records the updates it handled; the log kept in `lines`. */
function pollWith(
  callApi: CallApi,
  opts: { handle?: (update: Update) => Promise<void>; timeoutSeconds?: number; answerGraceMs?: number } = {},
) {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const handled: number[] = [];
  const polling = startPolling({
    callApi,
    channel: {
      async handleUpdate(update) {
        await opts.handle?.(update);
        handled.push(update.update_id);
      },
    },
    logger: createLogger('info', {
      write: (line: string) => {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      },
    }),
    timeoutSeconds: opts.timeoutSeconds ?? 1,
    answerGraceMs: opts.answerGraceMs,
    retryBaseMs: 5,
    retryMaxMs: 20,
  });
  return { polling, lines, raw, handled };
}

describe('Telegram long polling, when it fails', () => {
  let fake: FakeBotApi;
  beforeAll(async () => {
    fake = await startFakeBotApi({ token: BOT_TOKEN, perChatPerSecond: null, globalPerSecond: null });
  });
  afterAll(() => fake?.close());

  it("a webhook set: one error line naming it and the fix, with Telegram's words; one line when it works again", async () => {
    fake.reset();
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot });
    await api.callApi('setWebhook', {
      url: 'https://plaza.example.org/telegram/webhook',
      secret_token: 'a-secret-of-16-chars',
    });
    const p = pollWith(api.callApi);
    try {
      await until(() => fake.callsOf('getUpdates').length >= 4);
      expect(p.lines).toEqual([
        expect.objectContaining({
          level: 50,
          msg: expect.stringMatching(
            /a webhook is set for this bot \(Telegram: "Conflict: can't use getUpdates method while webhook is active.*"\)\. Run `plaza telegram delete-webhook` or set TELEGRAM_MODE=webhook$/,
          ),
          code: 409,
        }),
      ]);
      await api.callApi('deleteWebhook', {});
      const update = fake.pushText(424242, 'hola');
      await until(() => p.handled.includes(update.update_id));
      expect(p.lines.map((l) => [l.level, l.msg])).toEqual([
        [50, expect.stringContaining('a webhook is set')],
        [30, expect.stringMatching(/^telegram polling: fetching updates again after \d+ s$/)],
      ]);
      expect(p.raw.join('\n')).not.toContain(BOT_TOKEN);
      expect(p.raw.join('\n')).not.toContain('a-secret-of-16-chars');
    } finally {
      await p.polling.stop();
      await api.callApi('deleteWebhook', {});
    }
  });

  it('another process polling with the token: one error line saying so', async () => {
    fake.reset();
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot });
    const p = pollWith(api.callApi, { timeoutSeconds: 2 });
    try {
      // The other process: each of its long polls ends ours, and ours, retried, ends its.
      const deadline = Date.now() + 1500;
      while (Date.now() < deadline) {
        await api.callApi('getUpdates', { timeout: 1 }).catch(() => undefined);
      }
      const errors = p.lines.filter((l) => l.level === 50);
      expect(errors).toEqual([
        expect.objectContaining({
          msg: expect.stringMatching(
            /another process is polling with this bot token \(Telegram: "Conflict: terminated by other getUpdates request.*"\)/,
          ),
        }),
      ]);
    } finally {
      await p.polling.stop();
    }
  });

  it('a rejected token: one error line, without the token, however many attempts', async () => {
    fake.reset();
    const wrong = '999:WRONG-token-abcdefghijklmnopqrstuv';
    const p = pollWith(createBotApi({ token: wrong, apiRoot: fake.apiRoot }).callApi);
    try {
      await until(() => fake.callsOf('getUpdates').length >= 4);
      expect(p.lines).toEqual([
        expect.objectContaining({
          level: 50,
          msg: expect.stringMatching(/Telegram rejected TELEGRAM_BOT_TOKEN \(Telegram: "Unauthorized"\)/),
        }),
      ]);
      expect(p.raw.join('\n')).not.toContain(wrong);
    } finally {
      await p.polling.stop();
    }
  });

  it('Redis or the database down: one line when updates stop being processed, one when they are again', async () => {
    fake.reset();
    let failures = 0;
    const p = pollWith(createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot }).callApi, {
      async handle() {
        // What node-redis throws while Redis is away, six times.
        if (++failures <= 6) throw new SocketClosedUnexpectedlyError();
      },
    });
    try {
      const update = fake.pushText(434343, 'hola');
      await until(() => p.handled.includes(update.update_id));
      expect(failures).toBe(7);
      expect(p.lines.map((l) => [l.level, l.msg])).toEqual([
        [
          40,
          'telegram updates not processed while a store is unreachable; fetching them again with back-off',
        ],
        [30, expect.stringMatching(/^telegram updates processed again after \d+ s$/)],
      ]);
      expect(p.handled).toEqual([update.update_id]);
    } finally {
      await p.polling.stop();
    }
  });

  it('a getUpdates left unanswered is abandoned after the long-poll timeout plus the grace, and retried', async () => {
    const connections: Socket[] = [];
    const silent = createServer((socket) => void connections.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const apiRoot = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const p = pollWith(createBotApi({ token: BOT_TOKEN, apiRoot }).callApi, {
      timeoutSeconds: 0,
      answerGraceMs: 300,
    });
    try {
      await until(() => connections.length >= 3);
      expect(p.lines).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'telegram getUpdates failing (network error, 5xx or no answer in time); retrying with back-off',
          noAnswerWithinMs: 300,
        }),
      ]);
      const stopped = Date.now();
      await p.polling.stop();
      expect(Date.now() - stopped).toBeLessThan(1000);
    } finally {
      await p.polling.stop();
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('retrying many times leaves no listener behind (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning);
    process.on('warning', onWarning);
    let calls = 0;
    const p = pollWith(async () => {
      calls++;
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    });
    try {
      await until(() => calls >= 25);
      await p.polling.stop();
      // Warnings are emitted on the next tick.
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      expect(p.lines).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
      await p.polling.stop();
    }
  });
});
