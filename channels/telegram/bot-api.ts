// The Bot API client (telegraf's), and the start-up check that turns a wrong token or an unreachable API
// into one clear line.
import { Telegram } from 'telegraf';
import type { CallApi } from './outbox.ts';

export class TelegramStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TelegramStartError';
  }
}

export interface BotApi {
  callApi: CallApi;
  /** getMe; throws TelegramStartError with a one-line explanation. */
  check(): Promise<{ id: number; username?: string }>;
}

export function createBotApi(opts: { token: string; apiRoot: string }): BotApi {
  const telegram = new Telegram(opts.token, { apiRoot: opts.apiRoot, webhookReply: false });
  const callApi: CallApi = (method, params, options) =>
    telegram.callApi(method as never, params as never, options as never) as Promise<unknown>;
  return {
    callApi,
    async check() {
      try {
        return (await callApi('getMe', {})) as { id: number; username?: string };
      } catch (error) {
        const e = error as { code?: unknown; description?: string; name?: string; message?: string };
        // node-fetch errors quote the request URL, which contains the token.
        const hide = (text: string) => text.split(opts.token).join('<token>');
        if (e.code === 401 || e.code === 404) {
          throw new TelegramStartError(
            `Telegram rejected TELEGRAM_BOT_TOKEN (${e.code} ${e.description ?? ''}). Copy the token again from @BotFather.`,
          );
        }
        throw new TelegramStartError(
          `Cannot reach the Telegram Bot API at ${opts.apiRoot}: ${hide(e.description ?? e.message ?? String(error))}`,
        );
      }
    },
  };
}
