// One Redis connection factory for the engine (state, locks, dedupe), the web chat and BullMQ.
import { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

export class RedisUnavailableError extends Error {
  /** The URL tried, with its password hidden (errors end up in log lines and start-up messages). */
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(`Redis does not answer at ${redactUrl(url)}`, { cause });
    this.name = 'RedisUnavailableError';
    this.url = redactUrl(url);
  }
}

/** Hides a password in a redis:// URL before it reaches a log line. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):([^@/]*)@/, '//$1:***@');
}

export interface RedisOptions {
  url: string;
  /** Fail the first connection after this many ms instead of retrying forever. */
  connectTimeoutMs?: number;
}

/**
 * Connects and returns a client. The first connection fails fast (RedisUnavailableError); once connected,
 * the client reconnects by itself with a capped backoff, and commands issued meanwhile fail instead of
 * queueing without bound (callers answer "try again" rather than hang).
 */
export async function connectRedis(opts: RedisOptions): Promise<Redis> {
  let connected = false;
  const client = createClient({
    url: opts.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: opts.connectTimeoutMs ?? 3000,
      reconnectStrategy: (retries, cause) => {
        if (!connected) return cause;
        return Math.min(50 * 2 ** retries, 2000);
      },
    },
  });
  // Errors while reconnecting are reported through this event; without a listener they would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    throw new RedisUnavailableError(opts.url, error);
  }
  connected = true;
  return client as Redis;
}
