// `plaza telegram …` and the start-up check against the fake Bot API.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/main.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { BOT_TOKEN } from './harness.ts';

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await startFakeBotApi({ token: BOT_TOKEN });
});
afterAll(() => fake?.close());

async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  try {
    const code = await runCli(args, { LOG_LEVEL: 'silent', TELEGRAM_API_ROOT: fake.apiRoot, ...env });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('plaza telegram', () => {
  const env = {
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_URL: 'https://plaza.example.org',
    TELEGRAM_WEBHOOK_SECRET: 'a-webhook-secret-of-sufficient-length',
  };

  it('set-webhook points Telegram at /telegram/webhook with the secret and the update kinds Plaza reads', async () => {
    const r = await cli(['telegram', 'set-webhook'], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('https://plaza.example.org/telegram/webhook');
    expect(fake.webhook).toMatchObject({
      url: 'https://plaza.example.org/telegram/webhook',
      secret_token: 'a-webhook-secret-of-sufficient-length',
    });
    expect(r.out + r.err).not.toContain('a-webhook-secret-of-sufficient-length');
  });

  it('info shows the webhook; delete-webhook removes it', async () => {
    expect((await cli(['telegram', 'info'], env)).out).toMatch(
      /"bot": "plaza_test_bot"[\s\S]*plaza\.example\.org/,
    );
    expect((await cli(['telegram', 'delete-webhook'], env)).code).toBe(0);
    expect(fake.webhook).toBeNull();
  });

  it('a wrong token gives one clear line, without the token', async () => {
    const wrong = '999:WRONG-token-abcdefghijklmnopqrstuv';
    const r = await cli(['telegram', 'info'], { ...env, TELEGRAM_BOT_TOKEN: wrong });
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/Telegram rejected TELEGRAM_BOT_TOKEN \(401/);
    expect(r.err).not.toContain(wrong);
  });

  it('an unreachable Bot API gives one clear line, without the token', async () => {
    const r = await cli(['telegram', 'info'], { ...env, TELEGRAM_API_ROOT: 'http://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^plaza telegram: Cannot reach the Telegram Bot API at http:\/\/127\.0\.0\.1:1/);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).not.toContain(BOT_TOKEN);
  });

  it('set-webhook from a configuration in polling mode warns that such a Plaza removes it, and sets it', async () => {
    const polling = await cli(['telegram', 'set-webhook'], { ...env, TELEGRAM_MODE: 'polling' });
    expect(polling.code).toBe(0);
    expect(polling.err.split('\n')).toHaveLength(1);
    expect(polling.err).toMatch(/warning: TELEGRAM_MODE is polling here.*TELEGRAM_MODE=webhook/);
    expect(polling.err).not.toContain('a-webhook-secret-of-sufficient-length');
    expect(fake.webhook).toMatchObject({ url: 'https://plaza.example.org/telegram/webhook' });

    const webhook = await cli(['telegram', 'set-webhook'], { ...env, TELEGRAM_MODE: 'webhook' });
    expect(webhook.code).toBe(0);
    expect(webhook.err).toBe('');
  });

  it('a mistyped subcommand or a missing setting is answered as such (2), even with the API unreachable', async () => {
    const unreachable = { ...env, TELEGRAM_API_ROOT: 'http://127.0.0.1:1' };
    const typo = await cli(['telegram', 'set-webhok'], unreachable);
    expect(typo).toMatchObject({ code: 2, err: 'Usage: plaza telegram set-webhook | delete-webhook | info' });
    expect((await cli(['telegram'], unreachable)).code).toBe(2);

    const { TELEGRAM_WEBHOOK_URL: _url, ...noUrl } = unreachable;
    const missing = await cli(['telegram', 'set-webhook'], noUrl);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^plaza telegram set-webhook: set TELEGRAM_WEBHOOK_URL/);
  });

  it('a Bot API that accepts the connection and never answers ends the command after 15 s, in one line', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const apiRoot = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const r = await cli(['telegram', 'info'], { ...env, TELEGRAM_API_ROOT: apiRoot });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `plaza telegram: Cannot reach the Telegram Bot API at ${apiRoot}: it did not answer within 15 s`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 25_000);

  it('webhook mode without a secret is refused at start, naming the variable', async () => {
    const r = await cli(['serve'], { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_MODE: 'webhook' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_MODE=webhook/);
  });
});
