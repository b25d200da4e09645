// One Redis connection factory for the engine (state, locks, dedupe), the web chat and BullMQ.
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  DisconnectsClientError,
  ReconnectStrategyError,
  RootNodesUnavailableError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';
import type { Logger } from '../logger.ts';
import { OutageLog } from '../outage-log.ts';

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
  /**
   * Where the connection's outages are told, once connected: one line when it is lost ("Redis
   * unreachable"), a reminder a minute while it lasts, one line when it is back. Unset: not logged.
   */
  logger?: Logger;
}

/** The outage log of a client connectRedis made with a logger (queues and workers report to it). */
const outages = new WeakMap<object, OutageLog>();

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
  // Errors while reconnecting are reported through this event (one per attempt); without a listener they
  // would crash. Only the outage's start and end are logged.
  let onError: (error: unknown) => void = () => undefined;
  client.on('error', (error: unknown) => onError(error));
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    throw new RedisUnavailableError(opts.url, error);
  }
  connected = true;
  if (opts.logger) {
    const outage = new OutageLog({
      logger: opts.logger.child({ module: 'redis' }),
      down: 'Redis unreachable; reconnecting',
      up: 'Redis back',
    });
    outages.set(client, outage);
    onError = (error) => outage.failed(error);
    client.on('ready', () => outage.recovered());
  }
  return client as Redis;
}

/** node-redis's connection errors, by class: their `name` is just "Error". */
const CONNECTION_ERRORS = [
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  ReconnectStrategyError,
  RootNodesUnavailableError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
];
/** The same by name, for errors that were given one (BullMQ's; tests' stand-ins). */
const CONNECTION_NAMES = new Set([
  'ClientClosedError',
  'ClientOfflineError',
  'ConnectionTimeoutError',
  'SocketClosedUnexpectedlyError',
  'SocketTimeoutError',
  'ReconnectStrategyError',
  'DisconnectsClientError',
  // BullMQ's
  'ConnectionClosedError',
]);
const CONNECTION_CODES =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;
const CONNECTION_MESSAGES =
  /^(Connection is closed|The client is closed|The client is offline|Disconnects client|Socket closed unexpectedly|connect ECONNREFUSED)/i;

/** Whether an error says the Redis connection is down (not what a command did). Looks two causes deep. */
export function isRedisConnectionError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 2) return false;
  if (CONNECTION_ERRORS.some((type) => error instanceof type)) return true;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if ((typeof e.name === 'string' && CONNECTION_NAMES.has(e.name)) || CONNECTION_NAMES.has(String(ctor)))
    return true;
  if (typeof e.code === 'string' && CONNECTION_CODES.test(e.code)) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  return isRedisConnectionError(e.cause, depth + 1);
}

const A_MINUTE = 60_000;
/** How long a component's own connection error waits for the shared client to tell the outage. */
const SETTLE_MS = 2000;

/**
 * An 'error' listener for something that uses `redis` (a BullMQ Queue or Worker, with connections of its own
 * besides the client's): every error goes to the logger, and none repeats. A lost connection is left to the
 * shared client's outage log when it tells one (connectRedis with a logger: "Redis unreachable"; BullMQ
 * reports one error per reconnection attempt and per connection); otherwise it is logged at most once a
 * minute. Other errors are logged at error level, each kind at most once a minute (with how many were left
 * out).
 */
export function redisErrorListener(
  redis: Redis,
  logger: Logger,
  message: string,
  fields: Record<string, unknown> = {},
): (error: unknown) => void {
  const seen = new Map<string, { at: number; repeated: number }>();
  let lostAt: number | undefined;
  let lostWarnedAt = -Infinity;
  return (error: unknown) => {
    if (isRedisConnectionError(error)) {
      if (outages.get(redis)?.isDown || lostAt !== undefined) return;
      const at = Date.now();
      lostAt = at;
      // This component's connection may notice a lost server before the shared client does.
      setTimeout(() => {
        lostAt = undefined;
        const outage = outages.get(redis);
        if (outage && (outage.isDown || outage.lastFailureAt >= at - SETTLE_MS)) return;
        if (Date.now() - lostWarnedAt < A_MINUTE) return;
        lostWarnedAt = Date.now();
        logger.warn({ ...fields, err: error }, `${message}: Redis connection lost; reconnecting`);
      }, SETTLE_MS).unref();
      return;
    }
    const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
    const key = `${String(e.name)}|${String(e.code)}|${String(e.message).slice(0, 200)}`;
    const now = Date.now();
    const last = seen.get(key);
    if (last && now - last.at < A_MINUTE) {
      last.repeated++;
      return;
    }
    if (seen.size > 100) seen.clear();
    seen.set(key, { at: now, repeated: 0 });
    logger.error({ ...fields, err: error, ...(last?.repeated ? { repeated: last.repeated } : {}) }, message);
  };
}
