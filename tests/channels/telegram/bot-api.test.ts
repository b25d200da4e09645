// The Bot API client hides the bot token in every error it throws: telegraf hides it only in fetch()'s own
// errors, not when the answer is not JSON (`invalid json response body at …/bot<TOKEN>/…`). A call made
// without a signal of its own has a time limit: an API that accepts the connection and never answers must
// not hold a start-up or a command forever.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApiTimeoutError, createBotApi } from '../../../channels/telegram/bot-api.ts';
import { startFakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { BOT_TOKEN } from './harness.ts';

let proxy: Server;
let apiRoot: string;
beforeAll(async () => {
  // What a proxy in front of the API may answer: an HTML page, not Telegram's JSON.
  proxy = createServer((_req, res) => {
    res.writeHead(413, { 'content-type': 'text/html' });
    res.end('<html><body><h1>413 Request Entity Too Large</h1></body></html>');
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  apiRoot = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => proxy.close(resolve)));

async function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('the call was expected to fail');
    },
    (e: unknown) => e as Error,
  );
}

describe('createBotApi', () => {
  it("hides the token in a non-JSON answer's error, message and stack", async () => {
    const api = createBotApi({ token: BOT_TOKEN, apiRoot });
    const error = await failure(api.callApi('sendMessage', { chat_id: 1, text: 'hola' }));
    expect(error.message).toMatch(/^invalid json response body at .*\/bot<token>\/sendMessage/);
    expect(error.message).not.toContain(BOT_TOKEN);
    expect(error.stack).not.toContain(BOT_TOKEN);
  });

  it('hides the token when the API cannot be reached', async () => {
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: 'http://127.0.0.1:1' });
    const error = await failure(api.callApi('getMe', {}));
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain(BOT_TOKEN);
    expect(error.stack).not.toContain(BOT_TOKEN);
  });

  it('check() explains a non-JSON answer in one line, without the token', async () => {
    const api = createBotApi({ token: BOT_TOKEN, apiRoot });
    const error = await failure(api.check());
    expect(error.name).toBe('TelegramStartError');
    expect(error.message).toMatch(
      /^Cannot reach the Telegram Bot API at http:\/\/127\.0\.0\.1:\d+: invalid json/,
    );
    expect(error.message).not.toContain(BOT_TOKEN);
  });

  it('a call without its own signal gives up after the time limit, naming the method, without the token', async () => {
    const silent = await startSilentServer();
    try {
      const api = createBotApi({ token: BOT_TOKEN, apiRoot: silent.apiRoot, timeoutMs: 200 });
      const started = Date.now();
      const error = await failure(api.callApi('getWebhookInfo', {}));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error).toBeInstanceOf(BotApiTimeoutError);
      expect(error.message).toBe('getWebhookInfo: the Telegram Bot API did not answer within 0.2 s');
      expect(error.stack).not.toContain(BOT_TOKEN);
      expect(String((error.cause as Error).stack)).not.toContain(BOT_TOKEN);
    } finally {
      await silent.close();
    }
  });

  it('check() explains a Bot API that never answers in one line', async () => {
    const silent = await startSilentServer();
    try {
      const api = createBotApi({ token: BOT_TOKEN, apiRoot: silent.apiRoot, timeoutMs: 200 });
      const error = await failure(api.check());
      expect(error.name).toBe('TelegramStartError');
      expect(error.message).toBe(
        `Cannot reach the Telegram Bot API at ${silent.apiRoot}: it did not answer within 0.2 s`,
      );
    } finally {
      await silent.close();
    }
  });

  it("a call with its own signal keeps that signal's limit, not the default", async () => {
    const fake = await startFakeBotApi({ token: BOT_TOKEN, latencyMs: 400 });
    try {
      const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot, timeoutMs: 100 });
      await expect(api.callApi('getMe', {}, { signal: AbortSignal.timeout(10_000) })).resolves.toMatchObject({
        username: 'plaza_test_bot',
      });
    } finally {
      await fake.close();
    }
  });
});

/** A server that accepts connections and never answers (a stalled proxy, a black-holed route). */
async function startSilentServer(): Promise<{ apiRoot: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
