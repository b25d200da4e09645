// Opens the database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, otherwise an embedded
// PGlite under PLAZA_DATA_DIR. Both run the same generated client and the same committed migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { OutageLog } from '../outage-log.ts';
import {
  applyMigrations,
  describeLockWait,
  describeMigrationsAhead,
  type MigrationLockWait,
  type SqlRunner,
} from './migrate.ts';
import { lockEmbeddedDatabase } from './embedded-lock.ts';
import { createStatementNamer } from './statement-names.ts';
import { hideUrlPassword } from '../url-credentials.ts';

export type Db = InstanceType<typeof PrismaClient>;

export interface Database {
  prisma: Db;
  kind: 'postgresql' | 'pglite';
  /** Runs committed migrations that are not applied yet. Returns the names applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /**
   * PostgreSQL: send queries as named prepared statements, planned once per connection (default true).
   * False for a pooler that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements?: boolean;
  /**
   * PostgreSQL: how long a query waits for a connection — a new one to open (the server answering), or a
   * free one in a busy pool — and the migrations' connection to open. Default 10 s.
   */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: the server cancels a statement of the application's connections running longer than this
   * (SQLSTATE 57014), or waiting longer than `lockTimeoutMs` for a lock (55P03). 0: not set by Plaza (the
   * server's, database's or role's setting applies). Not applied to migrations, which may take longer.
   * Defaults 15 s and 10 s.
   */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /**
   * PostgreSQL: where an outage is told (connections failing to open, and their return); also the
   * migrations' wait for another process's (at warn), unless `onMigrationLockWait` is given.
   */
  logger?: Logger;
  /**
   * Told while migrate() waits for the migrations' lock, held by another session: after 5 s, then every
   * 30 s (the database commands print it; default: `logger` at warn). The wait itself has no limit.
   */
  onMigrationLockWait?: (wait: MigrationLockWait) => void;
  /**
   * Told when migrate() finds migrations in the database that this version does not have (a newer version
   * migrated it): the database commands print it; default: `logger` at warn.
   */
  onMigrationsAhead?: (names: string[]) => void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/** PostgreSQL could not be reached (refused, no answer in time, …) when Plaza opened a connection. */
export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown, timeoutMs: number) {
    const reason = isConnectTimeout(cause)
      ? `no answer within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`
      : cause instanceof Error
        ? cause.message
        : String(cause);
    super(`Cannot connect to PostgreSQL at ${redactDatabaseUrl(url)}: ${reason}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Hides the password of a postgresql:// URL — all of it, up to the last `@` — and its query string (which
 * may carry one), before it is shown.
 */
export function redactDatabaseUrl(url: string): string {
  // Hidden first: a password may hold a `?`, which would otherwise cut the URL inside the password.
  return hideUrlPassword(url).replace(/\?.*$/, '');
}

/** node-postgres's errors for a connection that got no answer in time (the client's own, the pool's). */
function isConnectTimeout(error: unknown): boolean {
  const message = (error as { message?: unknown } | undefined)?.message;
  return (
    typeof message === 'string' &&
    /^(timeout expired|Connection terminated due to connection timeout)/.test(message)
  );
}

/**
 * A node-postgres client class that tells `report` how each connection attempt ended (the pool opens its
 * connections with it): a failure starts (or continues) an outage, a success ends it.
 */
function observedClient(report: (error: unknown) => void): typeof pg.Client {
  return class ObservedClient extends pg.Client {
    override connect(): Promise<pg.Client>;
    override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
    override connect(
      callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void),
    ): Promise<pg.Client> | void {
      const connecting = super.connect();
      const observed = connecting.then(
        (client) => {
          report(undefined);
          return client;
        },
        (error: unknown) => {
          report(error);
          throw error;
        },
      );
      if (!callback) return observed;
      observed.then(
        (client) => (callback as (err: null, c: pg.Client) => void)(null, client),
        (error: Error) => (callback as (err: Error) => void)(error),
      );
    }
  };
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const migrationLog = opts.logger?.child({ module: 'migrations' });
  const onLockWait =
    opts.onMigrationLockWait ??
    (migrationLog
      ? (wait: MigrationLockWait) =>
          migrationLog.warn(
            { waitedSeconds: Math.round(wait.waitedMs / 1000), lockHolderPid: wait.holder?.pid },
            describeLockWait(wait),
          )
      : undefined);
  const onAhead =
    opts.onMigrationsAhead ??
    (migrationLog
      ? (names: string[]) => migrationLog.warn({ unknownMigrations: names }, describeMigrationsAhead(names))
      : undefined);
  if (opts.databaseUrl) {
    const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const statementTimeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const lockTimeoutMs = opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const logger = opts.logger?.child({ module: 'database' });
    const outage = logger
      ? new OutageLog({ logger, down: 'PostgreSQL unreachable', up: 'PostgreSQL back' })
      : undefined;
    // Closed idle connections (the server restarting, a proxy's idle limit) are not an outage by themselves:
    // told at most once a minute; the next connection that cannot open is.
    let idleErrorAt = -Infinity;
    const onIdleError = (error: Error) => {
      if (!logger || Date.now() - idleErrorAt < 60_000) return;
      idleErrorAt = Date.now();
      logger.warn({ err: error }, 'PostgreSQL closed an idle connection');
    };
    const adapter = new PrismaPg(
      {
        connectionString: opts.databaseUrl,
        max: opts.poolSize ?? 10,
        // Connections are renewed every 10 minutes: a kept plan that a migration by another process made
        // unusable ("cached plan must not change result type") does not outlive its connection by more.
        maxLifetimeSeconds: 600,
        // Both opening a connection and waiting for a free one end after this (pg-pool's one setting).
        connectionTimeoutMillis: connectTimeoutMs,
        // Session settings sent when each connection opens (startup parameters, not SET): they hold for
        // named prepared statements and transactions alike. 0 sends nothing.
        ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
        ...(lockTimeoutMs > 0 ? { lock_timeout: lockTimeoutMs } : {}),
        ...(outage
          ? {
              Client: observedClient((error) =>
                error === undefined ? outage.recovered() : outage.failed(error),
              ) as never,
            }
          : {}),
      },
      {
        ...(opts.preparedStatements === false ? {} : { statementNameGenerator: createStatementNamer() }),
        onPoolError: onIdleError,
        onConnectionError: onIdleError,
      },
    );
    const prisma = new PrismaClient({ adapter });
    const connectionString = opts.databaseUrl;
    // Migrations run on one dedicated session: the advisory lock and multi-statement scripts need it. It
    // gets no statement or lock timeout (a migration may rewrite a large table, or wait for another
    // process's migration), only the connect timeout.
    const migrate = async () => {
      const client = new pg.Client({
        connectionString,
        connectionTimeoutMillis: connectTimeoutMs,
        // Named, so that a process waiting for the migrations' lock can say who holds it (unless the URL
        // names the application itself).
        application_name: 'plaza migrations',
      });
      // An error on the session after a failed query (the server gone) must not crash the process.
      client.on('error', () => undefined);
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw new DatabaseUnavailableError(connectionString, error, connectTimeoutMs);
      }
      try {
        return await applyMigrations(
          {
            query: async (sql, params) => (await client.query(sql, params)).rows,
            exec: async (sql) => {
              await client.query(sql);
            },
          },
          { onLockWait, onAhead },
        );
      } finally {
        await client.end();
      }
    };
    return {
      prisma,
      kind: 'postgresql',
      migrate,
      close: () => prisma.$disconnect(),
    };
  }
  const dir = path.resolve(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const unlock = lockEmbeddedDatabase(dir);
  // Loaded only for the embedded database: a PostgreSQL deployment never pays for the wasm build.
  const [{ PGlite: PGliteClass }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
  ]);
  let pglite: PGlite;
  try {
    pglite = new PGliteClass(dir);
    await pglite.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const runner: SqlRunner = {
    query: async (sql, params) => (await pglite.query(sql, params)).rows as never,
    exec: async (sql) => {
      await pglite.exec(sql);
    },
  };
  return {
    prisma,
    kind: 'pglite',
    migrate: () => applyMigrations(runner, { onLockWait, onAhead }),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}
