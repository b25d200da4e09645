import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { RedisScript } from '../../src/redis/script.ts';
import { REDIS_URL } from '../support/plaza.ts';

let redis: Redis;
beforeAll(async () => {
  redis = await connectRedis({ url: REDIS_URL });
});
afterAll(() => redis?.quit());

describe('RedisScript', () => {
  it('sends its source when Redis does not know it (NOSCRIPT), then runs by SHA', async () => {
    // A source Redis has never seen: the first call falls back to EVAL, which also loads it.
    const script = new RedisScript(`return {KEYS[1], ARGV[1], '${Date.now()}-${Math.random()}'}`);
    expect(((await script.run(redis, ['k'], ['v'])) as unknown[]).slice(0, 2)).toEqual(['k', 'v']);
    expect(((await script.run(redis, ['k2'], ['v2'])) as unknown[]).slice(0, 2)).toEqual(['k2', 'v2']);
  });
});
