import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { runCli } from '../src/main.ts';
import { databaseOptions } from '../src/runtime.ts';

describe('configuration', () => {
  it('has working defaults for the demo', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      PLAZA_DATA_DIR: './data',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('.env.example names every setting, and its values are the defaults', () => {
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const named = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const defaults = loadConfig({});
    for (const key of Object.keys(defaults)) expect(named, key).toContain(key);
    const set = Object.fromEntries(
      [...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(loadConfig(set)).toEqual(defaults);
  });

  it('reads DATABASE_PREPARED_STATEMENTS as a boolean, on by default', () => {
    expect(loadConfig({}).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('limits PostgreSQL waits by default: 10 s for a connection, 15 s a statement, 10 s a lock; 0 disables the last two', () => {
    expect(loadConfig({})).toMatchObject({
      DATABASE_CONNECT_TIMEOUT_MS: 10_000,
      DATABASE_STATEMENT_TIMEOUT_MS: 15_000,
      DATABASE_LOCK_TIMEOUT_MS: 10_000,
    });
    expect(
      loadConfig({
        DATABASE_CONNECT_TIMEOUT_MS: '2500',
        DATABASE_STATEMENT_TIMEOUT_MS: '0',
        DATABASE_LOCK_TIMEOUT_MS: '0',
      }),
    ).toMatchObject({
      DATABASE_CONNECT_TIMEOUT_MS: 2500,
      DATABASE_STATEMENT_TIMEOUT_MS: 0,
      DATABASE_LOCK_TIMEOUT_MS: 0,
    });
    // A connection must have some time to open; a negative or fractional limit is a typo.
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '0' })).toThrow(/DATABASE_CONNECT_TIMEOUT_MS/);
    expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '1.5' })).toThrow(/DATABASE_LOCK_TIMEOUT_MS/);
  });

  it('passes the PostgreSQL time limits to the database (every command that opens it)', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://x@h/db',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '3000',
      DATABASE_LOCK_TIMEOUT_MS: '4000',
    });
    expect(databaseOptions(config)).toMatchObject({
      connectTimeoutMs: 2000,
      statementTimeoutMs: 3000,
      lockTimeoutMs: 4000,
    });
  });

  it('requires https for TELEGRAM_WEBHOOK_URL, except on this machine', () => {
    expect(loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://plaza.example.org' }).TELEGRAM_WEBHOOK_URL).toBe(
      'https://plaza.example.org',
    );
    // Telegram refuses to call http://; a self-hosted Bot API server or a test double on this machine may.
    for (const local of ['http://localhost:3000', 'http://127.0.0.1:8081/plaza', 'http://[::1]:3000']) {
      expect(loadConfig({ TELEGRAM_WEBHOOK_URL: local }).TELEGRAM_WEBHOOK_URL).toBe(local);
    }
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ TELEGRAM_WEBHOOK_URL: 'http://plaza.example.org' })).toEqual([
      'TELEGRAM_WEBHOOK_URL: must be an https:// URL (Telegram refuses http://; http:// is accepted only for localhost, 127.0.0.1 and [::1])',
    ]);
    // Another scheme is refused in one line too, the URL check's own.
    expect(problems({ TELEGRAM_WEBHOOK_URL: 'ftp://plaza.example.org' })).toHaveLength(1);
  });

  it('treats an empty DATABASE_URL as unset (embedded database)', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('treats every empty variable as unset: its default, never 0 (a random port, no time limits)', () => {
    const defaults = loadConfig({});
    const names = Object.keys(defaults).filter((name) => name !== 'QUIET_HOURS');
    for (const empty of ['', ' ', '\t']) {
      const config = loadConfig(Object.fromEntries(names.map((name) => [name, empty])));
      expect(config, JSON.stringify(empty)).toEqual(defaults);
    }
    expect(
      loadConfig({
        PORT: '',
        DATABASE_STATEMENT_TIMEOUT_MS: '',
        DATABASE_LOCK_TIMEOUT_MS: ' ',
        TELEGRAM_CHAT_INTERVAL_MS: '',
        TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '',
      }),
    ).toMatchObject({
      PORT: 3000,
      DATABASE_STATEMENT_TIMEOUT_MS: 15_000,
      DATABASE_LOCK_TIMEOUT_MS: 10_000,
      TELEGRAM_CHAT_INTERVAL_MS: 1000,
      TELEGRAM_GROUP_MESSAGES_PER_MINUTE: 20,
    });
    // 0 written out still means what the documentation says (no limit set by Plaza, no group cap).
    expect(
      loadConfig({ DATABASE_LOCK_TIMEOUT_MS: '0', TELEGRAM_GROUP_MESSAGES_PER_MINUTE: '0' }),
    ).toMatchObject({
      DATABASE_LOCK_TIMEOUT_MS: 0,
      TELEGRAM_GROUP_MESSAGES_PER_MINUTE: 0,
    });
  });

  it('keeps the one documented meaning of an empty value: QUIET_HOURS= is "never"', () => {
    expect(loadConfig({}).QUIET_HOURS).toEqual({ start: 22 * 60, end: 9 * 60 });
    expect(loadConfig({ QUIET_HOURS: '' }).QUIET_HOURS).toBeUndefined();
    expect(loadConfig({ QUIET_HOURS: ' ' }).QUIET_HOURS).toBeUndefined();
  });

  it('names every problem, one line each', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'localhost:6379',
        DIRECTLINE_SECRET: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^PORT: /m);
    expect(problems.join('\n')).toMatch(/^DATABASE_URL: must start with postgresql:\/\//m);
    expect(problems.join('\n')).toMatch(/^REDIS_URL: must start with redis:\/\//m);
    expect(problems.join('\n')).toMatch(/^DIRECTLINE_SECRET: must be at least 32 characters/m);
  });

  it('stops `plaza` with those lines and exit code 2, before touching anything', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    expect(await runCli(['serve'], { PORT: '-1' })).toBe(2);
    spy.mockRestore();
    expect(lines.join('\n')).toMatch(/Invalid configuration:\n {2}- PORT: /);
  });

  it('answers an unknown command with the usage', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    expect(await runCli(['frobnicate'], {})).toBe(2);
    spy.mockRestore();
    expect(lines.join('\n')).toMatch(/Unknown command "frobnicate"[\s\S]*plaza demo|demo /);
  });

  it('fails a start with one clear line when Redis does not answer', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    expect(await runCli(['all'], { REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent' })).toBe(1);
    spy.mockRestore();
    expect(lines).toEqual(['plaza all: Redis does not answer at redis://127.0.0.1:1: connection refused']);
  });
});
