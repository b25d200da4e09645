// Long polling, for a laptop or any place Telegram cannot reach: getUpdates in a loop, each update handled in
// order, the offset confirmed only past updates that were handled — an update that failed (Redis or the
// database down) is fetched again on the next round. Stops cleanly between rounds.
import type { Update } from 'telegraf/types';
import { isInfrastructureError } from '../../src/engine/errors.ts';
import type { Logger } from '../../src/logger.ts';
import type { CallApi } from './outbox.ts';
import type { TelegramChannel } from './telegram-channel.ts';

/** The update kinds Plaza handles; also what set-webhook asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'];

export interface Polling {
  stop(): Promise<void>;
}

export function startPolling(opts: {
  callApi: CallApi;
  channel: TelegramChannel;
  logger: Logger;
  timeoutSeconds?: number;
}): Polling {
  const log = opts.logger.child({ module: 'telegram-polling' });
  let running = true;
  let offset: number | undefined;
  const controller = new AbortController();

  const loop = (async () => {
    while (running) {
      let updates: Update[];
      try {
        updates = (await opts.callApi(
          'getUpdates',
          { offset, timeout: opts.timeoutSeconds ?? 25, allowed_updates: ALLOWED_UPDATES },
          { signal: controller.signal },
        )) as Update[];
      } catch (error) {
        if (!running) break;
        const retryAfter = (error as { parameters?: { retry_after?: number } }).parameters?.retry_after;
        log.warn({ code: (error as { code?: unknown }).code, retryAfter }, 'getUpdates failed; retrying');
        await sleep((retryAfter ?? 2) * 1000, controller.signal);
        continue;
      }
      for (const update of updates) {
        try {
          await opts.channel.handleUpdate(update);
          offset = update.update_id + 1;
        } catch (error) {
          if (isInfrastructureError(error)) {
            log.warn(
              { updateId: update.update_id, err: { name: (error as Error).name } },
              'update not processed; fetching it again',
            );
            await sleep(1000, controller.signal);
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
