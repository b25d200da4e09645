// A Redis that does not answer fails fast, with an error that names the URL without its password — in its
// message, its fields and the log line it ends up in.
import { describe, expect, it } from 'vitest';
import { connectRedis, redactUrl, RedisUnavailableError } from '../../src/redis/client.ts';
import { createLogger } from '../../src/logger.ts';

describe('connectRedis', () => {
  it('fails with RedisUnavailableError, the password hidden everywhere', async () => {
    const error = await connectRedis({
      url: 'redis://plaza:hunter2-pass@127.0.0.1:1/0',
      connectTimeoutMs: 500,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    const e = error as RedisUnavailableError;
    expect(e.message).toBe('Redis does not answer at redis://plaza:***@127.0.0.1:1/0: connection refused');
    expect(e.url).toBe('redis://plaza:***@127.0.0.1:1/0');
    expect(JSON.stringify(e)).not.toContain('hunter2-pass');
    const lines: string[] = [];
    createLogger('info', { write: (line: string) => void lines.push(line) }).error({ err: e }, 'no redis');
    expect(lines.join('')).not.toContain('hunter2-pass');
    expect(JSON.parse(lines[0]!)).toMatchObject({ err: { type: 'RedisUnavailableError' } });
  });

  it('hides every part of a password holding @ (drivers split at the last one)', async () => {
    expect(redactUrl('redis://:Pa55@Word99@127.0.0.1:6399')).toBe('redis://:***@127.0.0.1:6399');
    expect(redactUrl('rediss://plaza:a@b:c@redis.example.org:6380/2')).toBe(
      'rediss://plaza:***@redis.example.org:6380/2',
    );
    expect(redactUrl('redis://plaza@127.0.0.1:6379')).toBe('redis://plaza@127.0.0.1:6379');
    expect(redactUrl('redis://127.0.0.1:6379/0')).toBe('redis://127.0.0.1:6379/0');
    const error = await connectRedis({ url: 'redis://:Pa55@Word99@127.0.0.1:1', connectTimeoutMs: 500 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toMatch(/^Redis does not answer at redis:\/\/:\*\*\*@127\.0\.0\.1:1\b/);
    expect((error as Error).message).not.toMatch(/Word99|Pa55/);
  });
});
