// The demo's "no Redis" message is printed as is at start-up: it names the URL without its password.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ensureLocalRedis, NoRedisError } from '../../src/redis/local-redis.ts';

describe('ensureLocalRedis', () => {
  it('names the Redis that does not answer without its password', async () => {
    // 192.0.2.1 (TEST-NET-1) never answers, and is not local: nothing is started.
    const error = await ensureLocalRedis('redis://plaza:hunter2-pass@192.0.2.1:6379/0', tmpdir()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoRedisError);
    const message = (error as Error).message;
    expect(message).toContain('redis://plaza:***@192.0.2.1:6379/0');
    expect(message).not.toContain('hunter2-pass');
    expect((error as Error).stack).not.toContain('hunter2-pass');
  });
});
