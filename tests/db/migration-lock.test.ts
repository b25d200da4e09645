// Another session holding the migrations' advisory lock (a migration under way elsewhere, or a session left
// holding it) keeps a start, and every database command, waiting — rightly, a migration may take long — but
// not silently: after a few seconds one line says what it waits for and who holds the lock, then again every
// 30 s, not at every try.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { applyMigrations, MIGRATION_LOCK_KEY, type MigrationLockWait } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/logger.ts';
import { runCli } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb?.drop());

/** A session of another "process" holding the lock for `ms`. */
async function holdLock(ms: number): Promise<{ pid: number; released: Promise<void> }> {
  const holder = new pg.Client({ connectionString: testDb.url, application_name: 'other-plaza' });
  await holder.connect();
  await holder.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
    { pid: number },
  ];
  const released = new Promise<void>((resolve) =>
    setTimeout(() => {
      void holder
        .query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`)
        .then(() => holder.end())
        .then(resolve);
    }, ms),
  );
  return { pid, released };
}

describe('waiting for the migrations lock', () => {
  it('tells the wait after a while, then periodically (not at every try), naming who holds the lock', async () => {
    const { pid, released } = await holdLock(2600);
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const waits: MigrationLockWait[] = [];
    const tries = vi.fn();
    try {
      const applied = await applyMigrations(
        {
          query: async (sql, params) => {
            if (sql.includes('pg_try_advisory_lock')) tries();
            return (await client.query(sql, params)).rows;
          },
          exec: async (sql) => void (await client.query(sql)),
        },
        { onLockWait: (wait) => void waits.push(wait), firstNoticeMs: 500, noticeEveryMs: 1000, pollMs: 50 },
      );
      expect(applied).toEqual([]);
    } finally {
      await released;
      await client.end();
    }
    // About 0.5 s, 1.5 s, 2.5 s: three lines for some fifty tries.
    expect(tries.mock.calls.length).toBeGreaterThan(20);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits.length).toBeLessThanOrEqual(3);
    expect(waits[0]!.waitedMs).toBeGreaterThanOrEqual(500);
    expect(waits[0]!.holder).toMatchObject({ pid, applicationName: 'other-plaza', since: expect.any(Date) });
  });

  it('says so on the terminal for `plaza migrate`, and in the log at start-up, then goes on', async () => {
    const { pid, released } = await holdLock(6500);
    const lines: string[] = [];
    const out: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    const logged: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void logged.push(JSON.parse(line)) });
    const db = await openDatabase({ databaseUrl: testDb.url, dataDir: '', logger });
    try {
      const [code, applied] = await Promise.all([
        runCli(['migrate'], { DATABASE_URL: testDb.url, LOG_LEVEL: 'silent' }),
        db.migrate(),
      ]);
      expect(code).toBe(0);
      expect(applied).toEqual([]);
    } finally {
      error.mockRestore();
      log.mockRestore();
      await released;
      await db.close();
    }
    const expected = new RegExp(
      `^waiting [5-6] s for another process's migration to finish \\(PostgreSQL advisory lock ` +
        `${MIGRATION_LOCK_KEY}, held by PostgreSQL session ${pid} \\(other-plaza\\), connected at \\S+Z\\); a ` +
        'session left holding it can be ended with SELECT pg_terminate_backend\\(<session>\\)$',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]!.replace(/^plaza migrate: /, '')).toMatch(expected);
    expect(lines[0]).toMatch(/^plaza migrate: /);
    expect(out).toEqual(['Database is up to date.']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, module: 'migrations', lockHolderPid: pid });
    expect(String(logged[0]!.msg)).toMatch(expected);
  }, 20_000);
});
