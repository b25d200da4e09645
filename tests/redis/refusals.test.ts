// A Redis that answers and refuses the connection — a wrong or missing password, a database index it does
// not have — is said to be so, in one line without the password: not "does not answer", which would send the
// operator looking for a network problem. `plaza demo` does not try to start a redis-server of its own then.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tmpdir } from 'node:os';
import { runCli } from '../../src/main.ts';
import { connectRedis, RedisUnavailableError } from '../../src/redis/client.ts';
import { ensureLocalRedis } from '../../src/redis/local-redis.ts';
import { OwnRedis } from '../engine/outage-servers.ts';

const PASSWORD = 'Pa55@Word99';
let own: OwnRedis;
beforeAll(async () => {
  own = await OwnRedis.create();
  own.cli('CONFIG', 'SET', 'requirepass', PASSWORD);
});
afterAll(() => {
  try {
    own.cli('-a', PASSWORD, '--no-auth-warning', 'SHUTDOWN', 'NOSAVE');
  } catch {
    /* gone */
  }
  own?.remove();
});

async function failure(url: string): Promise<RedisUnavailableError> {
  const error = await connectRedis({ url, connectTimeoutMs: 1000 }).then(
    (client) => {
      client.destroy();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RedisUnavailableError);
  return error as RedisUnavailableError;
}

const encoded = encodeURIComponent(PASSWORD);

describe('a Redis that refuses the connection', () => {
  it('names the reason: wrong password, no password, no such database; never the password', async () => {
    const at = `127.0.0.1:${own.port}`;
    const wrong = await failure(`redis://:wrong-one@${at}`);
    expect(wrong.message).toBe(
      `Redis refused the password (WRONGPASS) at redis://:***@${at}: check the user name and password in REDIS_URL`,
    );
    expect(wrong.kind).toBe('refused');
    expect((await failure(`redis://nobody:x@${at}`)).message).toMatch(
      /^Redis refused the password \(WRONGPASS\)/,
    );
    expect((await failure(`redis://${at}`)).message).toBe(
      `Redis wants a password (NOAUTH) at redis://${at}: put it in REDIS_URL (redis://:<password>@host:port)`,
    );
    const database = await failure(`redis://:${PASSWORD}@${at}/42`);
    expect(database.message).toBe(
      `Redis has no database 42 (ERR DB index is out of range) at redis://:***@${at}/42: use one below its ` +
        '`databases` setting (16 by default) in REDIS_URL',
    );
    expect(JSON.stringify([database.message, database.url, database.stack])).not.toMatch(/Word99|Pa55/);
    // The right password, written either way, connects.
    for (const url of [`redis://:${PASSWORD}@${at}`, `redis://:${encoded}@${at}/1`]) {
      const client = await connectRedis({ url });
      expect(await client.ping()).toBe('PONG');
      client.destroy();
    }
  });

  it('says why nothing answers, too', async () => {
    const error = await failure('redis://127.0.0.1:1');
    expect(error.message).toBe('Redis does not answer at redis://127.0.0.1:1: connection refused');
    expect(error.kind).toBe('unreachable');
  });

  it('stops `plaza serve` with that one line', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    try {
      const env = { LOG_LEVEL: 'silent', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/x' };
      expect(await runCli(['serve'], { ...env, REDIS_URL: `redis://:nope@127.0.0.1:${own.port}` })).toBe(1);
      expect(await runCli(['worker'], { ...env, REDIS_URL: `redis://127.0.0.1:${own.port}` })).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([
      `plaza serve: Redis refused the password (WRONGPASS) at redis://:***@127.0.0.1:${own.port}: check the user name and password in REDIS_URL`,
      `plaza worker: Redis wants a password (NOAUTH) at redis://127.0.0.1:${own.port}: put it in REDIS_URL (redis://:<password>@host:port)`,
    ]);
  });

  it('the demo says so too, instead of looking for a redis-server to start', async () => {
    const error = await ensureLocalRedis(`redis://127.0.0.1:${own.port}`, tmpdir()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(
      /^Redis wants a password \(NOAUTH\) at redis:\/\/127\.0\.0\.1:\d+: /,
    );
    expect((error as Error).message).not.toMatch(/redis-server/);
  });
});
