// A database URL is shown (start-up lines, error messages) with no part of its password: drivers split the
// credentials at the LAST `@`, so a password may hold `@` (and `?`, `:`), and all of it stays hidden.
import { describe, expect, it, vi } from 'vitest';
import { DatabaseUnavailableError, openDatabase, redactDatabaseUrl } from '../../src/db/client.ts';
import { runCli } from '../../src/main.ts';

describe('redactDatabaseUrl', () => {
  it('hides the whole password, up to the last @, and the query string', () => {
    expect(redactDatabaseUrl('postgresql://postgres:Pa55@Word99@127.0.0.1:5499/x')).toBe(
      'postgresql://postgres:***@127.0.0.1:5499/x',
    );
    expect(redactDatabaseUrl('postgresql://plaza:a@b@c:d@db.example.org/plaza?sslmode=require')).toBe(
      'postgresql://plaza:***@db.example.org/plaza',
    );
    // A `?` in the password does not cut the URL inside it.
    expect(redactDatabaseUrl('postgresql://plaza:pa?ss@db/plaza')).toBe('postgresql://plaza:***@db/plaza');
    expect(redactDatabaseUrl('postgresql://plaza:s3cret@db/plaza?password=x')).toBe(
      'postgresql://plaza:***@db/plaza',
    );
    // Nothing to hide.
    expect(redactDatabaseUrl('postgresql://plaza@db/plaza')).toBe('postgresql://plaza@db/plaza');
    expect(redactDatabaseUrl('postgresql://db:5432/plaza')).toBe('postgresql://db:5432/plaza');
  });

  it("keeps every part of a password with @ out of the error and of `plaza migrate`'s line", async () => {
    const url = 'postgresql://postgres:Pa55@Word99@127.0.0.1:1/x';
    const db = await openDatabase({ databaseUrl: url, dataDir: '', connectTimeoutMs: 2000 });
    const error = await db.migrate().then(
      () => undefined,
      (e: unknown) => e,
    );
    await db.close();
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(
      /^Cannot connect to PostgreSQL at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/x: /,
    );
    expect((error as Error).message).not.toContain('Word99');

    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    try {
      expect(await runCli(['migrate'], { DATABASE_URL: url, LOG_LEVEL: 'silent' })).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^plaza migrate: Cannot connect to PostgreSQL at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/x: /,
    );
    expect(lines[0]).not.toMatch(/Word99|Pa55/);
  });
});
