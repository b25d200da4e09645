// What `plaza serve` / `plaza all` tell the operator at start: a webhook removed to poll (the URL it pointed
// to, so that a laptop taking a production bot's updates leaves a trace), and a database with no privacy
// notice (nobody could register).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotApi } from '../../../channels/telegram/bot-api.ts';
import { createLogger } from '../../../src/logger.ts';
import { removeWebhookForPolling, warnWithoutPrivacyNotice } from '../../../src/main.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/telegram-bot-api.ts';
import { createTestPlaza, type TestPlaza } from '../../support/plaza.ts';
import { BOT_TOKEN } from './harness.ts';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function capture() {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const logger = createLogger('info', {
    write: (line: string) => {
      raw.push(line);
      lines.push(JSON.parse(line) as LogLine);
    },
  });
  return { logger, lines, raw };
}

describe('polling mode at start', () => {
  let fake: FakeBotApi;
  beforeAll(async () => {
    fake = await startFakeBotApi({ token: BOT_TOKEN });
  });
  afterAll(() => fake?.close());

  it('removes a webhook with a warn line naming its URL, never the secret', async () => {
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot });
    const secret = 'production-webhook-secret-0123456789';
    await api.callApi('setWebhook', {
      url: 'https://plaza.example.org/telegram/webhook',
      secret_token: secret,
    });
    const log = capture();
    await removeWebhookForPolling(api, log.logger);
    expect(fake.webhook).toBeNull();
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 40,
        webhookUrl: 'https://plaza.example.org/telegram/webhook',
        msg: expect.stringContaining(
          "telegram webhook removed to poll for updates (TELEGRAM_MODE=polling): Telegram was sending this bot's updates to https://plaza.example.org/telegram/webhook",
        ),
      }),
    ]);
    expect(log.raw.join('\n')).not.toContain(secret);
    expect(log.raw.join('\n')).not.toContain(BOT_TOKEN);
  });

  it('says nothing when no webhook is set', async () => {
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot });
    await api.callApi('deleteWebhook', {});
    const log = capture();
    await removeWebhookForPolling(api, log.logger);
    expect(log.lines).toEqual([]);
  });
});

describe('the privacy notice at start', () => {
  let plaza: TestPlaza;
  beforeAll(async () => {
    plaza = await createTestPlaza();
  });
  afterAll(() => plaza?.cleanup());

  it('without one, a warn line says nobody can register and how to publish one', async () => {
    // This file's database is a clone of the template, which has the notice.
    const withNotice = capture();
    await warnWithoutPrivacyNotice(plaza.domain, withNotice.logger);
    expect(withNotice.lines).toEqual([]);

    await plaza.database.prisma.privacyNotice.deleteMany();
    const without = capture();
    await warnWithoutPrivacyNotice(plaza.domain, without.logger);
    expect(without.lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(
          /^no privacy notice published: nobody can register until one is\. Publish it with POST \/admin\/privacy-notices .*`plaza seed`/,
        ),
      }),
    ]);
  });
});
