// One Redis connection factory for the engine (state, locks, dedupe), the web chat and BullMQ.
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  DisconnectsClientError,
  ErrorReply,
  ReconnectStrategyError,
  RootNodesUnavailableError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';
import { scrubSecrets, type Logger } from '../logger.ts';
import { OutageLog } from '../outage-log.ts';
import { hideUrlPassword } from '../url-credentials.ts';

export type Redis = ReturnType<typeof createClient>;

/**
 * The first connection failed. `refused`: a Redis answered and refused the connection (a wrong or missing
 * password, a database index it does not have…): the message says why, in Redis's own words. `unreachable`:
 * nothing answered (refused, unknown host, no answer in time).
 */
export class RedisUnavailableError extends Error {
  /** The URL tried, with its password hidden (errors end up in log lines and start-up messages). */
  readonly url: string;
  readonly kind: 'unreachable' | 'refused';

  constructor(url: string, cause: unknown, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS) {
    const where = redactUrl(url);
    const failure = connectFailure(cause);
    super(
      failure instanceof ErrorReply
        ? refusal(where, url, failure)
        : `Redis does not answer at ${where}${unreachableReason(failure, timeoutMs)}`,
      { cause },
    );
    this.name = 'RedisUnavailableError';
    this.url = where;
    this.kind = failure instanceof ErrorReply ? 'refused' : 'unreachable';
  }
}

const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

/** What made the first connection fail: node-redis wraps it in a ReconnectStrategyError. */
function connectFailure(cause: unknown): unknown {
  return cause instanceof ReconnectStrategyError ? (cause.socketError ?? cause.originalError) : cause;
}

/** The line for a Redis that answered and refused: the reply's code first, and what to change. */
function refusal(where: string, url: string, reply: ErrorReply): string {
  // Redis's replies name no secret; scrubbed all the same, first line only, kept short.
  const said = scrubSecrets(reply.message.split('\n', 1)[0]!.trim()).slice(0, 200);
  if (/^WRONGPASS\b/.test(said))
    return `Redis refused the password (WRONGPASS) at ${where}: check the user name and password in REDIS_URL`;
  if (/^NOAUTH\b/.test(said))
    return `Redis wants a password (NOAUTH) at ${where}: put it in REDIS_URL (redis://:<password>@host:port)`;
  if (/DB index is out of range/i.test(said)) {
    const db = URL.canParse(url) ? new URL(url).pathname.slice(1) : '';
    return (
      `Redis has no database ${db || 'of that number'} (${said}) at ${where}: use one below its ` +
      '`databases` setting (16 by default) in REDIS_URL'
    );
  }
  return `Redis refused the connection at ${where}: ${said}`;
}

/** Why nothing answered, in a few words (node-redis's message otherwise, secrets scrubbed). */
function unreachableReason(failure: unknown, timeoutMs: number): string {
  if (failure instanceof ConnectionTimeoutError) return `: no answer within ${timeoutMs / 1000} s`;
  const { code, message } = (failure ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(String(message))) return ': connection refused';
  if (code === 'ENOTFOUND' || /ENOTFOUND/.test(String(message))) return ': unknown host';
  if (typeof message !== 'string' || message === '') return '';
  return `: ${scrubSecrets(message.split('\n', 1)[0]!).slice(0, 200)}`;
}

/** Hides the password of a redis:// URL (all of it, up to the last `@`) before it reaches a log line. */
export function redactUrl(url: string): string {
  return hideUrlPassword(url);
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
      connectTimeout: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
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
    throw new RedisUnavailableError(opts.url, error, opts.connectTimeoutMs);
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

/**
 * Closes a client: the commands on their way get their answers first. While Redis is unreachable nothing
 * would answer them (and node-redis's QUIT would wait for the server forever): the client is destroyed at
 * once; so it is if the closing takes more than `waitMs` (the server gone meanwhile).
 */
export async function closeRedis(client: Redis, waitMs = 2000): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    client.close().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
  ]);
  clearTimeout(timer);
  if (!closed && client.isOpen) client.destroy();
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
