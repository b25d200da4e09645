// Long polling, for a laptop or any place Telegram cannot reach: getUpdates in a loop, each update handled in
// order, the offset confirmed only past updates that were handled — an update that failed (Redis or the
// database down) is fetched again on the next round. Stops cleanly between rounds.
//
// Failures are logged as outages (src/outage-log.ts): one line when they start, a reminder a minute, one line
// when updates flow again — never a line per attempt. Both loops back off (getUpdates from 2 s, an update
// that could not be handled from 1 s, up to 30 s), unless Telegram says how long to wait (429).
import type { Update } from 'telegraf/types';
import { isInfrastructureError } from '../../src/engine/errors.ts';
import type { Logger } from '../../src/logger.ts';
import { backoffMs, OutageLog } from '../../src/outage-log.ts';
import type { CallApi } from './outbox.ts';
import type { TelegramChannel } from './telegram-channel.ts';

/** The update kinds Plaza handles; also what set-webhook asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'];

export interface Polling {
  stop(): Promise<void>;
}

/** Why getUpdates fails: each cause has its own line, naming what the operator can do about it. */
type FailureKind = 'webhook' | 'other-poller' | 'token' | 'api';

export function startPolling(opts: {
  callApi: CallApi;
  channel: Pick<TelegramChannel, 'handleUpdate'>;
  logger: Logger;
  /** Long-poll timeout Telegram holds a getUpdates for when there is nothing to fetch. Default 25 s. */
  timeoutSeconds?: number;
  /**
   * How long past the long-poll timeout a getUpdates may go unanswered before it is abandoned and retried:
   * a connection that stalls (a NAT or proxy dropping it silently) must not freeze polling. Default 10 s.
   */
  answerGraceMs?: number;
  /**
   * Back-off after failures: from `retryBaseMs` (default 1 s; for getUpdates twice that), doubling, at most
   * `retryMaxMs` (default 30 s).
   */
  retryBaseMs?: number;
  retryMaxMs?: number;
}): Polling {
  const log = opts.logger.child({ module: 'telegram-polling' });
  const timeoutSeconds = opts.timeoutSeconds ?? 25;
  const callLimitMs = timeoutSeconds * 1000 + (opts.answerGraceMs ?? 10_000);
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const retryMaxMs = opts.retryMaxMs ?? 30_000;
  let running = true;
  let offset: number | undefined;
  const controller = new AbortController();
  // getUpdates failing: one outage per cause (a webhook set, another poller, a rejected token, the API not
  // answering); when the cause changes the new one is told at once.
  let fetching: { kind: FailureKind; outage: OutageLog } | undefined;
  let fetchFailures = 0;
  // Updates fetched but not handled because Redis or the database is down.
  const handling = new OutageLog({
    logger: log,
    level: 'warn',
    down: 'telegram updates not processed while a store is unreachable; fetching them again with back-off',
    up: 'telegram updates processed again',
  });
  let handleFailures = 0;

  const loop = (async () => {
    while (running) {
      let updates: Update[];
      const call = limitedSignal(controller.signal, callLimitMs);
      try {
        updates = (await opts.callApi(
          'getUpdates',
          { offset, timeout: timeoutSeconds, allowed_updates: ALLOWED_UPDATES },
          { signal: call.signal },
        )) as Update[];
        call.release();
      } catch (error) {
        call.release();
        if (!running) break;
        const e = error as { code?: unknown; description?: unknown; parameters?: { retry_after?: number } };
        const code = typeof e.code === 'number' ? e.code : undefined;
        const description = typeof e.description === 'string' ? e.description : undefined;
        const kind = failureKind(code, description);
        if (fetching?.kind !== kind) fetching = { kind, outage: fetchOutage(log, kind, description) };
        const retryAfter = e.parameters?.retry_after;
        const wait = retryAfter ? retryAfter * 1000 : backoffMs(++fetchFailures, 2 * retryBaseMs, retryMaxMs);
        fetching.outage.failed(error, {
          code,
          description,
          retryInMs: wait,
          ...(call.timedOut() ? { noAnswerWithinMs: callLimitMs } : {}),
        });
        await sleep(wait, controller.signal);
        continue;
      }
      fetching?.outage.recovered();
      fetching = undefined;
      fetchFailures = 0;
      for (const update of updates) {
        try {
          await opts.channel.handleUpdate(update);
          offset = update.update_id + 1;
          handling.recovered();
          handleFailures = 0;
        } catch (error) {
          if (isInfrastructureError(error)) {
            const wait = backoffMs(++handleFailures, retryBaseMs, retryMaxMs);
            handling.failed(error, { updateId: update.update_id, retryInMs: wait });
            await sleep(wait, controller.signal);
            break;
          }
          // A bug must not block the bot forever: log it and move on, as the webhook does.
          log.error({ updateId: update.update_id, err: error }, 'update failed; skipped');
          offset = update.update_id + 1;
        }
      }
    }
  })();

  return {
    async stop() {
      running = false;
      controller.abort();
      await loop;
    },
  };
}

function failureKind(code: number | undefined, description: string | undefined): FailureKind {
  // 409: "Conflict: can't use getUpdates method while webhook is active…", "Conflict: terminated by
  // setWebhook request", or "Conflict: terminated by other getUpdates request…".
  if (code === 409) return /webhook/i.test(description ?? '') ? 'webhook' : 'other-poller';
  if (code === 401 || code === 404) return 'token';
  return 'api';
}

function fetchOutage(log: Logger, kind: FailureKind, description: string | undefined): OutageLog {
  const telegram = description ? ` (Telegram: "${description}")` : '';
  const up = 'telegram polling: fetching updates again';
  switch (kind) {
    case 'webhook':
      return new OutageLog({
        logger: log,
        down:
          `telegram polling gets no updates: a webhook is set for this bot${telegram}. ` +
          'Run `plaza telegram delete-webhook` or set TELEGRAM_MODE=webhook',
        up,
      });
    case 'other-poller':
      return new OutageLog({
        logger: log,
        down:
          `telegram polling gets no updates: another process is polling with this bot token${telegram}. ` +
          'Stop it, or give each installation a bot of its own',
        up,
      });
    case 'token':
      return new OutageLog({
        logger: log,
        down:
          `telegram polling gets no updates: Telegram rejected TELEGRAM_BOT_TOKEN${telegram}. ` +
          'Copy the token again from @BotFather and restart',
        up,
      });
    case 'api':
      return new OutageLog({
        logger: log,
        level: 'warn',
        // The cause varies from one attempt to the next: each line's fields carry its code and description.
        down: 'telegram getUpdates failing (network error, 5xx or no answer in time); retrying with back-off',
        up,
      });
  }
}

/**
 * A signal for one call: aborted by `parent` (stop) or after `ms`. Built by hand rather than with
 * AbortSignal.any, which in Node 20 keeps every combined signal alive as long as the long-lived parent
 * (nodejs/node#55351). `release()` after the call removes the listener and the timer.
 */
function limitedSignal(parent: AbortSignal, ms: number) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ms);
  if (parent.aborted) controller.abort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    /** Safe to call more than once. */
    release() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/** Waits `ms`, or less if `signal` aborts; leaves no listener on `signal` (it lives as long as the loop). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
