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
// 400 `bad_update` before anything is queued or run: bad input, which no retry would make good.
import { timingSafeEqual, createHash } from 'node:crypto';
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

  router.post(
    '/webhook',
    (req: Request, res: Response, next: NextFunction) => {
      const given = req.get(SECRET_HEADER);
      // Compare digests: equal length, constant time, and the header's length is not revealed either.
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
        log.warn({ ip: req.ip }, 'telegram webhook: wrong or missing secret');
        res.status(401).json({ error: { code: 'unauthorized', message: 'Wrong or missing secret token' } });
        return;
      }
      next();
    },
    express.json({ limit: '1mb' }),
    async (req: Request, res: Response) => {
      const update = req.body as Update | undefined;
      if (
        !update ||
        typeof update !== 'object' ||
        typeof (update as { update_id?: unknown }).update_id !== 'number' ||
        exceedsJsonDepth(update, MAX_UPDATE_DEPTH)
      ) {
        res.status(400).json({ error: { code: 'bad_update', message: 'Not a Telegram update' } });
        return;
      }
      if (opts.inbox) {
        try {
          // A repeated update_id resolves false: already queued (or handled), acknowledged all the same.
          await opts.inbox.accept(update);
          refusing.recovered();
          res.status(200).json({});
        } catch (error) {
          // InboxUnavailableError: the store failed (down, read-only, out of memory), Telegram retries.
          // Anything else is the update itself (it could not be serialised): a retry would fail alike.
          if (!(error instanceof InboxUnavailableError)) {
            log.warn(
              { updateId: update.update_id, err: { name: (error as Error | undefined)?.name } },
              'update refused: cannot be queued',
            );
            res.status(400).json({ error: { code: 'bad_update', message: 'Not a Telegram update' } });
            return;
          }
          refusing.failed({ name: (error.cause as Error | undefined)?.name }, { updateId: update.update_id });
          res.status(503).json({ error: { code: 'retry', message: 'Temporarily unavailable' } });
        }
        return;
      }
      try {
        await opts.channel.handleUpdate(update);
        refusing.recovered();
        res.status(200).json({});
      } catch (error) {
        if (isInfrastructureError(error)) {
          refusing.failed({ name: (error as Error).name }, { updateId: update.update_id });
          res.status(503).json({ error: { code: 'retry', message: 'Temporarily unavailable' } });
          return;
        }
        log.error(
          { updateId: update.update_id, err: error },
          'update failed; acknowledged to keep the chat moving',
        );
        res.status(200).json({});
      }
    },
  );

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status === 400 || status === 413) {
      res.status(status).json({
        error: {
          code: status === 413 ? 'payload_too_large' : 'invalid_json',
          message: 'Unreadable update',
        },
      });
      return;
    }
    next(error);
  });
  return router;
}
