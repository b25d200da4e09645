// A database migrated by a newer Plaza (a rolled-back deployment) runs this version on a schema it does not
// know: not refused, but said — with the migrations' names — instead of "up to date" alone.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { listMigrations, MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let testDb: TestDatabase;
let olderDir: string;
const all = listMigrations();
const newest = all.at(-1)!.name;
beforeAll(async () => {
  testDb = await createTestDatabase();
  // This "older version" has every migration but the newest, which the database already has.
  olderDir = mkdtempSync(path.join(tmpdir(), 'plaza-migrations-'));
  for (const m of all.slice(0, -1))
    cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(olderDir, m.name), { recursive: true });
});
afterAll(async () => {
  await testDb?.drop();
  if (olderDir) rmSync(olderDir, { recursive: true, force: true });
});

describe('a database ahead of the code', () => {
  it('is told, naming the migrations this version does not know, and nothing is applied', async () => {
    const { applyMigrations } = await import('../../src/db/migrate.ts');
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const ahead: string[][] = [];
    try {
      const applied = await applyMigrations(
        {
          query: async (sql, params) => (await client.query(sql, params)).rows,
          exec: async (sql) => void (await client.query(sql)),
        },
        { dir: olderDir, onAhead: (names) => void ahead.push(names) },
      );
      expect(applied).toEqual([]);
    } finally {
      await client.end();
    }
    expect(ahead).toEqual([[newest]]);
  });

  it('is said in the log at start-up (openDatabase), and not when the code knows every migration', async () => {
    const lines: { names: string[] }[] = [];
    const db = await openDatabase({
      databaseUrl: testDb.url,
      dataDir: '',
      poolSize: 1,
      onMigrationsAhead: (names) => void lines.push({ names }),
    });
    try {
      expect(await db.migrate()).toEqual([]);
    } finally {
      await db.close();
    }
    expect(lines).toEqual([]);
    const { describeMigrationsAhead } = await import('../../src/db/migrate.ts');
    expect(describeMigrationsAhead([newest])).toMatch(
      new RegExp(`1 migration this version of Plaza does not know \\(${newest}\\): a newer version`),
    );
  });
});
