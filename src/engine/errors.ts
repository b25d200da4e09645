// Which failures mean "the turn could not run, try again later" (a store is down or contended) rather than
// "this turn hit a bug". The first kind propagates to the channel, which answers 503 / lets Telegram retry;
// the second is apologised for in chat and the dialog is reset.

const INFRA_NAMES = new Set([
  'RedisUnavailableError',
  'StateConflictError',
  'TurnLockTimeoutError',
  'ClientClosedError',
  'ClientOfflineError',
  'ConnectionTimeoutError',
  'SocketClosedUnexpectedlyError',
  'ReconnectStrategyError',
  'PrismaClientInitializationError',
  'DriverAdapterError',
]);

// Prisma: can't reach / timed out / closed / pool timeout / transaction conflict or deadlock.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

export function isInfrastructureError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { name?: unknown; code?: unknown; cause?: unknown; message?: unknown };
  if (typeof e.name === 'string' && INFRA_NAMES.has(e.name)) {
    // A driver adapter error may be a constraint violation; only connection-level kinds count.
    if (e.name !== 'DriverAdapterError') return true;
  }
  if (typeof e.code === 'string') {
    if (PRISMA_CODES.has(e.code)) return true;
    // 0A000 here: a prepared statement's kept plan no longer fits the table after another process's
    // migration (its connection is renewed within 10 minutes: src/db/client.ts).
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|57P0[1-3]|08\w{3}|53300|0A000)$/.test(e.code))
      return true;
  }
  if (
    typeof e.message === 'string' &&
    /Connection terminated|connection is closed|The client is closed/i.test(e.message)
  ) {
    return true;
  }
  // A raw query's failure (P2010) carries the driver's error in its meta, not as its cause.
  const meta = (error as { meta?: { driverAdapterError?: unknown } }).meta;
  if (meta?.driverAdapterError && isInfrastructureError(meta.driverAdapterError, depth + 1)) return true;
  return isInfrastructureError(e.cause, depth + 1);
}
