// POST /telegram/webhook. The secret header is checked before anything else: missing or wrong → 401, nothing
// parsed, stored or logged (the secret never appears in a log). Then, by TELEGRAM_WEBHOOK_ACK:
// - `processed` (no inbox given): the update is handled; Telegram gets 200 only once it has been processed
//   and its replies durably queued, and 503 while Redis or the database are unreachable, so it sends the
//   update again. An update that fails for any other reason is logged and acknowledged: Telegram holds back a
//   chat's later updates while one is retried, and a bug would block it.
// - `queued` (an inbox given): the update is put in the Redis inbox (inbox.ts) and Telegram gets 200 as soon
//   as Redis holds it — the turn runs afterwards, in the inbox's consumers. 503 when Redis did not take it.
// In both modes a body that is not an update — or one nested more than MAX_UPDATE_DEPTH levels deep, which
// no Telegram update is and which JSON.stringify (the inbox, turn state, logs) cannot serialise — is answered
// 400 `bad_update` before anything is queued or run: bad input, which no retry would make good. Unreadable
// JSON is 400 `invalid_json`, a body over MAX_UPDATE_BYTES 413, a compressed or non-UTF-8 one 415.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Update } from 'telegraf/types';
import { isInfrastructureError } from '../../src/engine/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { exceedsJsonDepth } from '../json-depth.ts';
import { OutageLog } from '../../src/outage-log.ts';
import { InboxUnavailableError, type TelegramInbox } from './inbox.ts';
import type { TelegramChannel } from './telegram-channel.ts';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Real updates nest about ten levels (a reply's keyboard); far more is not from Telegram. */
export const MAX_UPDATE_DEPTH = 32;
/** The largest body read; Telegram's updates are a few kilobytes. */
export const MAX_UPDATE_BYTES = 1024 * 1024;

const OK = {};
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'Wrong or missing secret token' } };
const BAD_UPDATE = { error: { code: 'bad_update', message: 'Not a Telegram update' } };
const UNREADABLE = { error: { code: 'invalid_json', message: 'Unreadable update' } };
const TOO_LARGE = { error: { code: 'payload_too_large', message: 'Unreadable update' } };
const RETRY = { error: { code: 'retry', message: 'Temporarily unavailable' } };
const UNSUPPORTED = {
  error: { code: 'unsupported_media_type', message: 'Updates are sent as uncompressed UTF-8 JSON' },
};

/** A JSON answer, written at once (headers the app set before, such as nosniff, are kept). */
function answer(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) return;
  const text = body === OK ? '{}' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    // The rest of a body too large to read is not waited for: the connection ends with the answer.
    ...(status === 413 ? { Connection: 'close' } : {}),
  });
  res.end(text);
}

type ReadUpdate =
  | { ok: true; update: Update }
  /** `status` undefined: the request ended before its body did; nobody is left to answer. */
  | { ok: false; status?: number; body: object };

/**
 * The update in the request's body. What Telegram sends is UTF-8 JSON, `Content-Type: application/json`;
 * any other type is not an update (400 `bad_update`), a body that is not a JSON object or array is
 * `invalid_json`, a compressed body or another charset is refused (415), more than MAX_UPDATE_BYTES is 413.
 */
function readUpdate(req: IncomingMessage): Promise<ReadUpdate> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const [mediaType, ...params] = type.split(';').map((part) => part.trim());
  if (mediaType !== 'application/json') return discard(req, { ok: false, status: 400, body: BAD_UPDATE });
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if ((charset !== undefined && charset !== 'utf-8') || encoding !== 'identity')
    return discard(req, { ok: false, status: 415, body: UNSUPPORTED });
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_UPDATE_BYTES) return Promise.resolve({ ok: false, status: 413, body: TOO_LARGE });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: ReadUpdate) => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_UPDATE_BYTES) {
        done({ ok: false, status: 413, body: TOO_LARGE });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(parseUpdate(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    const onGone = () => done({ ok: false, body: UNREADABLE });
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

function discard(req: IncomingMessage, result: ReadUpdate): Promise<ReadUpdate> {
  req.resume();
  return Promise.resolve(result);
}

function parseUpdate(raw: Buffer): ReadUpdate {
  if (raw.length === 0) return { ok: false, status: 400, body: BAD_UPDATE };
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, status: 400, body: UNREADABLE };
  }
  // As express.json's strict mode did: a JSON scalar is no request body at all.
  if (typeof value !== 'object' || value === null) return { ok: false, status: 400, body: UNREADABLE };
  if (
    typeof (value as { update_id?: unknown }).update_id !== 'number' ||
    exceedsJsonDepth(value, MAX_UPDATE_DEPTH)
  )
    return { ok: false, status: 400, body: BAD_UPDATE };
  return { ok: true, update: value as Update };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function createTelegramWebhookRouter(opts: {
  channel: TelegramChannel;
  secret: string;
  logger: Logger;
  /** Set: acknowledge once the update is queued in it (TELEGRAM_WEBHOOK_ACK=queued). */
  inbox?: Pick<TelegramInbox, 'accept'>;
}): Router {
  const router = express.Router();
  const expected = digest(opts.secret);
  const log = opts.logger.child({ module: 'telegram-webhook' });
  // While Redis or the database is down every update is refused with 503 (Telegram resends it): one line when
  // that starts, a reminder a minute, one when updates go through again — not a line per request.
  const refusing = new OutageLog({
    logger: log,
    down: 'updates refused while a store is unreachable; Telegram will resend them',
    up: 'updates accepted again',
    level: 'warn',
  });

  // The route reads its body and writes its answers itself (readUpdate, answer): it is the app's hot path,
  // and express.json / res.json with their helpers (type-is, raw-body, etag…) cost ~0.035 ms of the
  // server's CPU per update more (bench profile, 2026-11-27: ~2 % of a turn).
  router.post('/webhook', (req: Request, res: Response, next: NextFunction) => {
    const given = req.headers[SECRET_HEADER];
    // Compare digests: equal length, constant time, and the header's length is not revealed either.
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      log.warn({ ip: req.ip }, 'telegram webhook: wrong or missing secret');
      answer(res, 401, UNAUTHORIZED);
      return;
    }
    // Anything `handle` did not expect goes to the app's error boundary (500, logged), as express would
    // send a rejected handler's error: never an unhandled rejection.
    readUpdate(req)
      .then((read) => {
        if (read.ok) return handle(read.update, res);
        if (read.status !== undefined) answer(res, read.status, read.body);
      })
      .catch(next);
  });

  async function handle(update: Update, res: Response): Promise<void> {
    if (opts.inbox) {
      try {
        // A repeated update_id resolves false: already queued (or handled), acknowledged all the same.
        await opts.inbox.accept(update);
        refusing.recovered();
        answer(res, 200, OK);
      } catch (error) {
        // InboxUnavailableError: the store failed (down, read-only, out of memory), Telegram retries.
        // Anything else is the update itself (it could not be serialised): a retry would fail alike.
        if (!(error instanceof InboxUnavailableError)) {
          log.warn(
            { updateId: update.update_id, err: { name: (error as Error | undefined)?.name } },
            'update refused: cannot be queued',
          );
          answer(res, 400, BAD_UPDATE);
          return;
        }
        refusing.failed({ name: (error.cause as Error | undefined)?.name }, { updateId: update.update_id });
        answer(res, 503, RETRY);
      }
      return;
    }
    try {
      await opts.channel.handleUpdate(update);
      refusing.recovered();
      answer(res, 200, OK);
    } catch (error) {
      if (isInfrastructureError(error)) {
        refusing.failed({ name: (error as Error).name }, { updateId: update.update_id });
        answer(res, 503, RETRY);
        return;
      }
      log.error(
        { updateId: update.update_id, err: error },
        'update failed; acknowledged to keep the chat moving',
      );
      answer(res, 200, OK);
    }
  }

  return router;
}
