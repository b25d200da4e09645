// The Bot API client (telegraf's), and the start-up check that turns a wrong token or an unreachable API
// into one clear line.
import { Telegram } from 'telegraf';
import type { CallApi } from './outbox.ts';

/** How long a call made without a signal of its own may wait for Telegram's answer. */
export const DEFAULT_API_TIMEOUT_MS = 15_000;

export class TelegramStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TelegramStartError';
  }
}

/** A call made without a signal of its own got no answer within the client's time limit. */
export class BotApiTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${method}: the Telegram Bot API did not answer within ${seconds(timeoutMs)}`, options);
    this.name = 'BotApiTimeoutError';
  }
}

export interface BotApi {
  callApi: CallApi;
  /** getMe; throws TelegramStartError with a one-line explanation. */
  check(): Promise<{ id: number; username?: string }>;
}

/**
 * `timeoutMs`: the time limit of a call made without its own `signal` (default 15 s). telegraf's own is
 * 500 s, so an API that accepts the connection and never answers would otherwise hold a start-up's getMe or
 * a `plaza telegram` command for minutes. A caller that passes a signal sets its own limit (the outbox:
 * half its lease; polling: the long poll plus a margin).
 */
export function createBotApi(opts: { token: string; apiRoot: string; timeoutMs?: number }): BotApi {
  const telegram = new Telegram(opts.token, { apiRoot: opts.apiRoot, webhookReply: false });
  const timeoutMs = opts.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  // node-fetch errors quote the request URL, which contains the token. telegraf hides it in fetch()'s own
  // errors only, not in res.json()'s — `invalid json response body at …/bot<TOKEN>/sendMessage` when something
  // before the API answers a non-JSON page (a proxy's 413). So every error leaves callApi with the token
  // hidden in its message and stack.
  const hide = (text: string) => (opts.token ? text.split(opts.token).join('<token>') : text);
  const callApi: CallApi = async (method, params, options) => {
    const signal = options?.signal ?? AbortSignal.timeout(timeoutMs);
    try {
      return (await telegram.callApi(method as never, params as never, { signal } as never)) as unknown;
    } catch (error) {
      // node-fetch says only "The user aborted a request.": name the method and the limit instead.
      if (options?.signal === undefined && signal.aborted) {
        throw new BotApiTimeoutError(method, timeoutMs, { cause: hideIn(error, hide) });
      }
      throw hideIn(error, hide);
    }
  };
  return {
    callApi,
    async check() {
      try {
        return (await callApi('getMe', {})) as { id: number; username?: string };
      } catch (error) {
        if (error instanceof BotApiTimeoutError) {
          throw new TelegramStartError(
            `Cannot reach the Telegram Bot API at ${opts.apiRoot}: it did not answer within ${seconds(timeoutMs)}`,
          );
        }
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

/** "15 s", "0.2 s". */
function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** Rewrites the error's message and stack with `hide`; returns the same error. */
function hideIn(error: unknown, hide: (text: string) => string): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as { message?: unknown; stack?: unknown };
  if (typeof e.message === 'string') e.message = hide(e.message);
  if (typeof e.stack === 'string') e.stack = hide(e.stack);
  return error;
}
