// Telegram's side of the webhook, for the load generator: update bodies shaped like Telegram's (private chat,
// a text message, `bot_command` entity for commands), increasing update ids, and a keep-alive HTTP client that
// POSTs them with the secret header and times each POST until its answer has been read.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Update ids increase across the whole run, as Telegram's do for one bot. */
let lastUpdateId = 1_000_000;

export function textUpdate(chatId: number, text: string): string {
  const updateId = ++lastUpdateId;
  const command = /^\/\S+/.exec(text);
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
      from: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    },
  });
}

/** Epoch milliseconds with sub-millisecond resolution; comparable with the fake Bot API's `at` (same clock). */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export interface PostResult {
  /** HTTP status, or 0 when the connection failed (see `error`). */
  status: number;
  error?: string;
  /** When the POST was issued (epochNow). */
  sentAt: number;
  /** Milliseconds from issuing the POST to the last byte of the answer: Telegram's acknowledgement latency. */
  ms: number;
}

export class WebhookClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly path: string,
    private readonly secret: string,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Never rejects: a failed connection resolves with status 0. */
  post(body: string): Promise<PostResult> {
    const headers = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      [SECRET_HEADER]: this.secret,
    };
    const sentAt = epochNow();
    const started = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        { host: this.host, port: this.port, method: 'POST', path: this.path, headers, agent: this.agent },
        (res) => {
          res.on('data', () => undefined);
          res.on('error', (e: NodeJS.ErrnoException) =>
            resolve({ status: 0, error: e.code ?? 'error', sentAt, ms: performance.now() - started }),
          );
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, sentAt, ms: performance.now() - started }),
          );
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ status: 0, error: e.code ?? 'network', sentAt, ms: performance.now() - started }),
      );
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** What a reply is, from its text: a registered support, a proposal shown, or anything else. */
export type ReplyKind = 'support' | 'open' | 'other';

export function replyKind(text: string): ReplyKind {
  if (/¡Apoyo registrado!/.test(text)) return 'support';
  if (/#\d+ Propuesta de prueba/.test(text)) return 'open';
  return 'other';
}
