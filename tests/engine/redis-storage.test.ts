import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ETagConflictError, RedisStorage } from '../../src/engine/redis-storage.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { deleteKeys, REDIS_URL } from '../support/plaza.ts';

let redis: Redis;
const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  redis = await connectRedis({ url: REDIS_URL });
});
afterAll(async () => {
  await deleteKeys({ redis }, `${prefix}:*`);
  await redis.quit();
});

describe('RedisStorage', () => {
  it('reads back what it wrote, with a new eTag each write', async () => {
    const storage = new RedisStorage(redis, { prefix, ttlSeconds: 60 });
    await storage.write({ a: { n: 1 } });
    const first = (await storage.read(['a', 'missing']))['a'];
    expect(first).toMatchObject({ n: 1 });
    expect(typeof first.eTag).toBe('string');
    await storage.write({ a: { ...first, n: 2 } });
    const second = (await storage.read(['a']))['a'];
    expect(second.n).toBe(2);
    expect(second.eTag).not.toBe(first.eTag);
  });

  it('refuses a write carrying a stale eTag, and lets "*" overwrite', async () => {
    const storage = new RedisStorage(redis, { prefix, ttlSeconds: 60 });
    await storage.write({ b: { v: 'x' } });
    const loaded = (await storage.read(['b']))['b'];
    await storage.write({ b: { ...loaded, v: 'y' } });
    await expect(storage.write({ b: { ...loaded, v: 'z' } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['b']))['b'].v).toBe('y');
    await storage.write({ b: { v: 'w', eTag: '*' } });
    expect((await storage.read(['b']))['b'].v).toBe('w');
  });

  it('lets items expire and deletes them', async () => {
    const storage = new RedisStorage(redis, { prefix, ttlSeconds: 42 });
    await storage.write({ c: { v: 1 } });
    const ttl = await redis.ttl(`${prefix}:state:c`);
    expect(ttl).toBeGreaterThan(30);
    expect(ttl).toBeLessThanOrEqual(42);
    await storage.delete(['c']);
    expect(await storage.read(['c'])).toEqual({});
  });
});
