// Applies prisma/migrations/*/migration.sql in order and records them in Prisma's own `_prisma_migrations`
// table, so `prisma migrate status` and `migrate deploy` agree with what ran here. Used at start on both
// PostgreSQL and PGlite: Prisma's CLI cannot reach an embedded PGlite and needs a native engine offline.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script in one round trip. */
  exec(sql: string): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`Migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'MigrationError';
  }
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string; checksum: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Serialises concurrent starts (a server and a worker starting together): one migrates, the other waits. */
export const MIGRATION_LOCK_KEY = 72_707_001;

export interface MigrationLockWait {
  /** How long this process has waited so far. */
  waitedMs: number;
  /** The PostgreSQL session holding the lock (pg_stat_activity), when it can be seen. */
  holder?: { pid: number; applicationName?: string; since?: Date };
}

export interface ApplyMigrationsOptions {
  dir?: string;
  /**
   * Told while another session holds the migrations' lock: after `firstNoticeMs`, then every `noticeEveryMs`
   * (not at every try). The wait itself has no end: another process's migration may rightly take long.
   */
  onLockWait?: (wait: MigrationLockWait) => void;
  firstNoticeMs?: number;
  noticeEveryMs?: number;
  /** How often the lock is tried again. */
  pollMs?: number;
  /**
   * Told when the database records migrations that are not in `dir`: a newer Plaza migrated it and this
   * version runs on a schema it does not know (a rolled-back deployment). Not refused — migrations are
   * meant to keep the previous version working — but said, with their names.
   */
  onAhead?: (names: string[]) => void;
}

/** The line for a database migrated by a newer version (logged at start-up, printed by `plaza migrate`). */
export function describeMigrationsAhead(names: string[]): string {
  return (
    `the database has ${names.length} migration${names.length === 1 ? '' : 's'} this version of Plaza ` +
    `does not know (${names.join(', ')}): a newer version migrated it; run that version, or check that ` +
    'this one works on its schema'
  );
}

/** The line for a wait on the migrations' lock (logged at start-up, printed by the database commands). */
export function describeLockWait(wait: MigrationLockWait): string {
  const holder = wait.holder
    ? `, held by PostgreSQL session ${wait.holder.pid}` +
      (wait.holder.applicationName ? ` (${wait.holder.applicationName})` : '') +
      (wait.holder.since ? `, connected at ${wait.holder.since.toISOString()}` : '')
    : '';
  return (
    `waiting ${Math.round(wait.waitedMs / 1000)} s for another process's migration to finish ` +
    `(PostgreSQL advisory lock ${MIGRATION_LOCK_KEY}${holder}); a session left holding it can be ended with ` +
    'SELECT pg_terminate_backend(<session>)'
  );
}

/**
 * Takes the migrations' advisory lock, trying again until it is free. A blocking pg_advisory_lock would
 * wait as long, but without a word: a start held up by another process's migration, or by a session left
 * holding the lock, must say so.
 */
async function takeLock(db: SqlRunner, opts: ApplyMigrationsOptions): Promise<void> {
  const started = Date.now();
  const firstNoticeMs = opts.firstNoticeMs ?? 5000;
  const noticeEveryMs = opts.noticeEveryMs ?? 30_000;
  const pollMs = opts.pollMs ?? 250;
  let nextNotice = started + firstNoticeMs;
  for (;;) {
    const [row] = await db.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`,
    );
    if (row?.locked) return;
    if (opts.onLockWait && Date.now() >= nextNotice) {
      nextNotice = Date.now() + noticeEveryMs;
      opts.onLockWait({ waitedMs: Date.now() - started, holder: await lockHolder(db) });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Who holds the lock, to name in the waiting line; undefined when it cannot be seen (no privilege…). */
async function lockHolder(db: SqlRunner): Promise<MigrationLockWait['holder']> {
  try {
    // A bigint key's advisory lock: classid its high 32 bits, objid its low ones, objsubid 1.
    const [row] = await db.query<{ pid: number; application_name: string | null; since: Date | null }>(
      `SELECT l.pid, a.application_name, a.backend_start AS since
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ${MIGRATION_LOCK_KEY}
          AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        LIMIT 1`,
    );
    if (!row) return undefined;
    return {
      pid: Number(row.pid),
      applicationName: row.application_name || undefined,
      since: row.since ? new Date(row.since) : undefined,
    };
  } catch {
    return undefined;
  }
}

export async function applyMigrations(
  db: SqlRunner,
  dirOrOptions: string | ApplyMigrationsOptions = {},
): Promise<string[]> {
  const opts = typeof dirOrOptions === 'string' ? { dir: dirOrOptions } : dirOrOptions;
  const dir = opts.dir ?? MIGRATIONS_DIR;
  await takeLock(db, opts);
  try {
    return await applyPending(db, dir, opts.onAhead);
  } finally {
    await db.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  }
}

async function applyPending(
  db: SqlRunner,
  dir: string,
  onAhead: ApplyMigrationsOptions['onAhead'],
): Promise<string[]> {
  await db.exec(CREATE_TABLE);
  const rows = await db.query<{ migration_name: string; finished_at: unknown; rolled_back_at: unknown }>(
    'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) throw new MigrationError(failed.migration_name, new Error('a previous attempt did not finish'));
  const done = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
  const applied: string[] = [];
  const migrations = listMigrations(dir);
  const known = new Set(migrations.map((m) => m.name));
  const ahead = [...done].filter((name) => !known.has(name)).sort();
  if (ahead.length > 0) onAhead?.(ahead);
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    try {
      // The script and its record commit together: a failure leaves neither behind.
      await db.exec(
        `BEGIN;\n${m.sql}\n;\nINSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) ` +
          `VALUES ('${randomUUID()}', '${m.checksum}', '${m.name.replace(/'/g, "''")}', now(), 1);\nCOMMIT;`,
      );
    } catch (error) {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw new MigrationError(m.name, error);
    }
    applied.push(m.name);
  }
  return applied;
}
