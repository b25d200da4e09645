// Opens the database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, otherwise an embedded
// PGlite under PLAZA_DATA_DIR. Both run the same generated client and the same committed migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaClient } from '../generated/prisma/client.ts';
import { applyMigrations, type SqlRunner } from './migrate.ts';
import { lockEmbeddedDatabase } from './embedded-lock.ts';
import { createStatementNamer } from './statement-names.ts';

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
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const adapter = new PrismaPg(
      {
        connectionString: opts.databaseUrl,
        max: opts.poolSize ?? 10,
        // Connections are renewed every 10 minutes: a kept plan that a migration by another process made
        // unusable ("cached plan must not change result type") does not outlive its connection by more.
        maxLifetimeSeconds: 600,
      },
      opts.preparedStatements === false ? undefined : { statementNameGenerator: createStatementNamer() },
    );
    const prisma = new PrismaClient({ adapter });
    const connectionString = opts.databaseUrl;
    // Migrations run on one dedicated session: the advisory lock and multi-statement scripts need it.
    const migrate = async () => {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        return await applyMigrations({
          query: async (sql, params) => (await client.query(sql, params)).rows,
          exec: async (sql) => {
            await client.query(sql);
          },
        });
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
    migrate: () => applyMigrations(runner),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}
