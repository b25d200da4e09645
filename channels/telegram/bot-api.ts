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
  // node-fetch errors quote the request URL, which contains the token. telegraf hides it in fetch()'s own
  // errors only, not in res.json()'s — `invalid json response body at …/bot<TOKEN>/sendMessage` when something
  // before the API answers a non-JSON page (a proxy's 413). So every error leaves callApi with the token
  // hidden in its message and stack.
  const hide = (text: string) => (opts.token ? text.split(opts.token).join('<token>') : text);
  const callApi: CallApi = async (method, params, options) => {
    try {
      return (await telegram.callApi(method as never, params as never, options as never)) as unknown;
    } catch (error) {
      throw hideIn(error, hide);
    }
  };
  return {
    callApi,
    async check() {
      try {
        return (await callApi('getMe', {})) as { id: number; username?: string };
      } catch (error) {
        const e = error as { code?: unknown; description?: string; name?: string; message?: string };
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

/** Rewrites the error's message and stack with `hide`; returns the same error. */
function hideIn(error: unknown, hide: (text: string) => string): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as { message?: unknown; stack?: unknown };
  if (typeof e.message === 'string') e.message = hide(e.message);
  if (typeof e.stack === 'string') e.stack = hide(e.stack);
  return error;
}
