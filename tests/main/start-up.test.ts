// What a start says, and refuses: `plaza serve` on the embedded database (nothing could ever run its queue
// workers beside it), and a DIRECTLINE_SECRET warning only where web chat is served.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { runCli } from '../../src/main.ts';
import { createRuntime } from '../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { deleteKeys, REDIS_URL } from '../support/plaza.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb?.drop());

describe('plaza serve on the embedded database', () => {
  it('is refused with one line and exit code 2, before opening anything', async () => {
    const dataDir = path.join(tmpdir(), `plaza-serve-${randomBytes(4).toString('hex')}`);
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    try {
      for (const DATABASE_URL of [undefined, '']) {
        const env = { PLAZA_DATA_DIR: dataDir, REDIS_URL, LOG_LEVEL: 'silent', DATABASE_URL };
        expect(await runCli(['serve'], env)).toBe(2);
      }
    } finally {
      spy.mockRestore();
    }
    const line =
      'plaza serve: the embedded database (DATABASE_URL unset) runs in one process, with the queue workers: ' +
      'run `plaza all`, or set DATABASE_URL to a PostgreSQL database to run `plaza serve` and `plaza worker` apart.';
    expect(lines).toEqual([line, line]);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('DIRECTLINE_SECRET unset', () => {
  it('is not warned about by what `plaza worker` and `plaza chat` build (they serve no web chat)', async () => {
    const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
    const lines: { msg: string }[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const runtime = await createRuntime(
      loadConfig({ DATABASE_URL: testDb.url, REDIS_URL, REDIS_PREFIX: prefix, DIRECTLINE_SECRET: '' }),
      logger,
    );
    try {
      expect(runtime.directLineSecret.length).toBeGreaterThanOrEqual(32);
      expect(lines.map((l) => l.msg).filter((m) => m.includes('DIRECTLINE_SECRET'))).toEqual([]);
    } finally {
      await deleteKeys(runtime, `${prefix}:*`);
      await runtime.close();
    }
  });
});
