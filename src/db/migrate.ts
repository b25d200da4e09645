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
const LOCK_KEY = 72_707_001;

export async function applyMigrations(db: SqlRunner, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    return await applyPending(db, dir);
  } finally {
    await db.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
  }
}

async function applyPending(db: SqlRunner, dir: string): Promise<string[]> {
  await db.exec(CREATE_TABLE);
  const rows = await db.query<{ migration_name: string; finished_at: unknown; rolled_back_at: unknown }>(
    'SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) throw new MigrationError(failed.migration_name, new Error('a previous attempt did not finish'));
  const done = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
  const applied: string[] = [];
  for (const m of listMigrations(dir)) {
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
