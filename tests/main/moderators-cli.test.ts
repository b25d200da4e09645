// `plaza moderators …` through the CLI entry point, on a database of its own (no Redis needed).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticateToken } from '../../src/domain/authenticate-token.ts';
import { runCli } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb?.drop());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  try {
    const code = await runCli(['moderators', ...args], {
      LOG_LEVEL: 'silent',
      DATABASE_URL: testDb.url,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('plaza moderators', () => {
  it('adds a moderator, gives them a token shown once that authenticates, and removes them', async () => {
    expect((await cli(['add', '987654321', '--name', 'Lucía'])).code).toBe(0);
    expect((await cli(['list'])).out).toMatch(/987654321.*Lucía|Lucía.*987654321/);
    const issued = await cli(['token', '987654321']);
    expect(issued.code).toBe(0);
    const token = /plaza_[A-Za-z0-9_-]{43}/.exec(issued.out)?.[0];
    expect(token).toBeDefined();
    const deps = { db: testDb.prisma, now: () => new Date() };
    expect(await authenticateToken(deps as never, { token: token! })).toMatchObject({
      ok: true,
      staff: { name: 'Lucía', role: 'moderator' },
    });
    expect((await cli(['remove', '987654321'])).code).toBe(0);
    expect(await authenticateToken(deps as never, { token: token! })).toMatchObject({ ok: false });
  });

  it('answers bad usage with one clear line and exit code 2', async () => {
    const r = await cli(['add', 'not-a-number']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
  });
});
