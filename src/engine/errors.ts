// Which failures mean "the turn could not run, try again later" (a store is down or contended) rather than
// "this turn hit a bug". The first kind propagates to the channel, which answers 503 / lets Telegram retry;
// the second is apologised for in chat and the dialog is reset.
//
// Errors are recognised by what the drivers really throw, not by `name` alone: node-redis's error classes
// leave `name` as "Error", a raw query's failure (Prisma P2010) carries the driver adapter's error only in its
// `meta`, and botbuilder-dialogs wraps a step's error in a DialogContextError that keeps it in `.error`.
import { ErrorReply } from 'redis';
import { isRedisConnectionError } from '../redis/client.ts';

/**
 * Errors of our own, and Prisma's, that mean a store is down or contended. The node-redis class names are
 * matched too, for an error that was given one (node-redis's own leave `name` as "Error": matched below by
 * class and message).
 */
const INFRA_NAMES = new Set([
  'RedisUnavailableError',
  'StateConflictError',
  'TurnLockTimeoutError',
  'PrismaClientInitializationError',
  'DatabaseUnavailableError',
  // BullMQ's, for a command on a closed connection (its cause is node-redis's error).
  'ConnectionClosedError',
  'ClientClosedError',
  'ClientOfflineError',
  'ConnectionTimeoutError',
  'SocketClosedUnexpectedlyError',
  'ReconnectStrategyError',
]);

/**
 * Redis replies meaning the server cannot take commands now: loading its data, a read-only replica (a
 * failover in progress), no master, out of memory, a script running too long, a cluster being resharded,
 * snapshots failing (writes refused), too few replicas.
 */
const REDIS_UNAVAILABLE_REPLY =
  /^(LOADING|READONLY|MASTERDOWN|OOM|BUSY|TRYAGAIN|CLUSTERDOWN|MISCONF|NOREPLICAS)\b/;

// Prisma: can't reach (P1001), reached but timed out (P1002), operation timed out (P1008), connection closed
// (P1017), no pool connection in time (P2024), transaction API error (P2028), write conflict or deadlock
// (P2034), too many connections (P2037).
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034', 'P2037']);

/** @prisma/driver-adapter-utils error kinds that are about the connection, not the query. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
]);

// Socket errors, and SQLSTATEs: 08 connection exception, 53 insufficient resources (too many connections,
// out of memory, disk full), 57P01-57P03 shut down / crashed / cannot connect now, 57014 a statement
// cancelled (statement_timeout: the database too slow to answer), 55P03 a lock not obtained in time
// (lock_timeout), 40001/40P01 serialisation failure / deadlock. 0A000: a prepared statement's kept plan no
// longer fits the table after another process's migration (its connection is renewed within 10 minutes:
// src/db/client.ts).
const INFRA_CODES =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|08\w{3}|53\w{3}|57P0[1-3]|57014|55P03|40001|40P01|0A000)$/;

// Messages of the drivers' connection errors, for errors that carry no code (node-redis; pg and pg-pool,
// whose errors adapter-pg passes on as they are). "connection is closed": ioredis's and BullMQ's.
const INFRA_MESSAGES = new RegExp(
  [
    '^(The client is closed|The client is offline|Socket closed unexpectedly|Connection timeout|Disconnects client',
    '|Connection terminated|Connection terminated unexpectedly|Connection terminated due to connection timeout',
    '|timeout expired|timeout exceeded when trying to connect|Cannot use a pool after calling end on the pool',
    '|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$',
    '|connection is closed',
  ].join(''),
  'i',
);

export function isInfrastructureError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  // node-redis: the connection is down, closing, reconnecting or timed out — the client's own classification,
  // of this error only (its causes are walked below).
  if (isRedisConnectionError(error, 2)) return true;
  const e = error as {
    name?: unknown;
    code?: unknown;
    kind?: unknown;
    severity?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: unknown };
    cause?: unknown;
    error?: unknown;
    originalError?: unknown;
  };
  if (error instanceof ErrorReply && REDIS_UNAVAILABLE_REPLY.test(error.message)) return true;
  if (typeof e.name === 'string' && INFRA_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string') {
    if (PRISMA_CODES.has(e.code) || INFRA_CODES.test(e.code)) return true;
    // A PostgreSQL error that ended the session (pg's DatabaseError, or the adapter's `postgres` kind):
    // the database refused or dropped the connection ("not currently accepting connections", timeouts).
    if (typeof e.severity === 'string' && /^(FATAL|PANIC)$/.test(e.severity)) return true;
  }
  // A driver adapter error's cause: `{ kind: 'DatabaseNotReachable', … }`.
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && INFRA_MESSAGES.test(e.message)) return true;
  // Where the original error is kept: a Prisma error's driver adapter error (P2010 and others keep it in
  // `meta`, not as a cause), botbuilder's DialogContextError (`.error`), node-redis's ReconnectStrategyError
  // (`.originalError`), and the standard `.cause`.
  return [e.meta?.driverAdapterError, e.error, e.originalError, e.cause].some(
    (inner) => inner !== error && isInfrastructureError(inner, depth + 1),
  );
}
