// The Bot API client hides the bot token in every error it throws: telegraf hides it only in fetch()'s own
// errors, not when the answer is not JSON (`invalid json response body at …/bot<TOKEN>/…`).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApi } from '../../../channels/telegram/bot-api.ts';
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
});
