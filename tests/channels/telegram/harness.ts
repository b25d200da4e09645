// Plaza with its Telegram channel in webhook mode against the fake Bot API, over real HTTP, and a chat that
// plays the person: it posts updates to /telegram/webhook with the secret header, as Telegram does, and
// reads what the bot sent from the fake.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp, createTelegram, type TelegramWiring } from '../../../src/main.ts';
import { SECRET_HEADER } from '../../../channels/telegram/webhook-router.ts';
import type { Engine } from '../../../src/engine/engine.ts';
import type { Logger } from '../../../src/logger.ts';
import { createTestPlaza, type TestPlaza } from '../../support/plaza.ts';
import type { ChatLike } from '../../support/conversation.ts';
import { startFakeBotApi, type FakeBotApi, type FakeCall } from '../../fakes/telegram-bot-api.ts';

export const BOT_TOKEN = '123456789:TEST-token_abcdefghijklmnopqrstuvwx';
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export interface TelegramPlaza {
  plaza: TestPlaza;
  fake: FakeBotApi;
  telegram: TelegramWiring;
  webhookUrl: string;
  post(update: unknown, secret?: string | null): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

let nextUpdateId = Math.floor(Math.random() * 1_000_000) * 1000;
export const newUpdateId = () => ++nextUpdateId;

export async function startTelegramPlaza(
  opts: {
    env?: Record<string, string>;
    fake?: Parameters<typeof startFakeBotApi>[0];
    /** The runtime's logger (default: silent). */
    logger?: Logger;
    /** Wraps the engine the Telegram channel is given (e.g. to inject failures); the web chat keeps the real one. */
    wrapEngine?: (engine: Engine) => Engine;
  } = {},
): Promise<TelegramPlaza> {
  const fake = await startFakeBotApi({
    token: BOT_TOKEN,
    perChatPerSecond: null,
    globalPerSecond: null,
    ...opts.fake,
  });
  const plaza = await createTestPlaza(
    {
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_CHAT_INTERVAL_MS: '0',
      TELEGRAM_MESSAGES_PER_SECOND: '1000',
      ...opts.env,
    },
    { logger: opts.logger },
  );
  const telegram = createTelegram(
    opts.wrapEngine ? { ...plaza, engine: opts.wrapEngine(plaza.engine) } : plaza,
  )!;
  telegram.channel.outbox.start();
  const app = createHttpApp(plaza, telegram);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
  return {
    plaza,
    fake,
    telegram,
    webhookUrl,
    async post(update, secret = WEBHOOK_SECRET) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret !== null) headers[SECRET_HEADER] = secret;
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers,
        body: typeof update === 'string' ? update : JSON.stringify(update),
      });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await telegram.channel.outbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await plaza.cleanup();
      await fake.close();
    },
  };
}

export function textUpdate(
  chatId: number,
  text: string,
  opts: { languageCode?: string; updateId?: number } = {},
) {
  const from = { id: chatId, is_bot: false, first_name: 'Ana', language_code: opts.languageCode ?? 'es' };
  const entities = text.startsWith('/')
    ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }]
    : undefined;
  return {
    update_id: opts.updateId ?? newUpdateId(),
    message: {
      message_id: newUpdateId(),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
      from,
      text,
      entities,
    },
  };
}

export function callbackUpdate(chatId: number, data: string, messageId = 1, updateId = newUpdateId()) {
  const from = { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' };
  return {
    update_id: updateId,
    callback_query: {
      id: `cq-${updateId}`,
      from,
      chat_instance: 'x',
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private' },
        from: { id: 1, is_bot: true, first_name: 'Plaza' },
        text: '…',
      },
    },
  };
}

/** Waits until every message queued for the chat has been sent. */
export async function delivered(t: TelegramPlaza, chatId: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await t.telegram.channel.outbox.pending(String(chatId))) > 0) {
    if (Date.now() > deadline) throw new Error(`chat ${chatId}: messages still queued after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

type InlineButton = { text: string; callback_data: string };

/** A person in a private chat with the bot, driven through the webhook. */
export class TelegramChat implements ChatLike {
  private answer: FakeCall[] = [];
  private lastKeyboard: InlineButton[] = [];

  constructor(
    private readonly t: TelegramPlaza,
    readonly chatId: number = 100_000_000 + Math.floor(Math.random() * 800_000_000),
  ) {}

  get userId(): string {
    return String(this.chatId);
  }

  async send(update: { update_id: number }): Promise<void> {
    const before = this.t.fake.sent(this.chatId).length;
    const res = await this.t.post(update);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body}`);
    await delivered(this.t, this.chatId);
    this.answer = this.t.fake.sent(this.chatId).slice(before);
    const withKeyboard = [...this.answer].reverse().find((c) => keyboardOf(c).length > 0);
    if (withKeyboard) this.lastKeyboard = keyboardOf(withKeyboard);
  }

  say(text: string): Promise<void> {
    return this.send(textUpdate(this.chatId, text));
  }

  async press(title: string): Promise<void> {
    const button = this.lastKeyboard.find((b) => b.text.includes(title));
    if (!button)
      throw new Error(
        `No button "${title}". Buttons: ${JSON.stringify(this.lastKeyboard.map((b) => b.text))}`,
      );
    await this.send(callbackUpdate(this.chatId, button.callback_data));
  }

  text(): string {
    return this.answer
      .map((c) => String((c.response.result as { text?: string } | undefined)?.text ?? ''))
      .join('\n');
  }

  buttons(): string[] {
    return this.lastKeyboard.map((b) => b.text.replace(/^\d+\. /, ''));
  }

  keyboard(): InlineButton[] {
    return this.lastKeyboard;
  }

  calls(): FakeCall[] {
    return this.answer;
  }
}

function keyboardOf(call: FakeCall): InlineButton[] {
  const markup = call.params.reply_markup as { inline_keyboard?: InlineButton[][] } | string | undefined;
  const parsed =
    typeof markup === 'string' ? (JSON.parse(markup) as { inline_keyboard?: InlineButton[][] }) : markup;
  return (parsed?.inline_keyboard ?? []).flat();
}

/** A seeded PRNG (mulberry32) in [0, 1): the same seed gives the same sequence, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Polls `probe` until it gives something (not undefined or false); fails naming `what` after `ms`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The text of a message Telegram answered with (a sendMessage or an edit). */
export const textOf = (c: FakeCall): string =>
  String((c.response.result as { text?: string } | undefined)?.text ?? '');

/** The message id Telegram gave a sent message. */
export const messageIdOf = (c: FakeCall): number => (c.response.result as { message_id: number }).message_id;
