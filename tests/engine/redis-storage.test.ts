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

  it('reads and writes an attached item through its slot, compared with the eTag it had when attached', async () => {
    const storage = new RedisStorage(redis, { prefix, ttlSeconds: 60 });
    await redis.set(`${prefix}:state:d`, 'e1 {"v":"from-redis"}');
    const saved: { expected: string; value: string; ttl: number }[] = [];
    let forgotten = 0;
    storage.attach('d', {
      stored: 'e0 {"v":"from-gate"}',
      save: (expected, value, ttl) => saved.push({ expected, value, ttl }),
      forget: () => forgotten++,
    });
    expect((await storage.read(['d']))['d']).toEqual({ v: 'from-gate', eTag: 'e0' });
    // botbuilder writes with eTag '*': the slot still gets the eTag read with the gate.
    await storage.write({ d: { v: 'new', eTag: '*' } });
    await storage.write({ d: { v: 'newer', eTag: '*' } });
    expect(saved.map((w) => w.expected)).toEqual(['e0', 'e0']);
    expect(saved[1]!.ttl).toBe(60);
    expect(saved[1]!.value).toMatch(/^[0-9a-f-]{36} \{"v":"newer"\}$/);
    // A read after a write sees the write; Redis is untouched until the gate is given back.
    expect((await storage.read(['d']))['d']).toMatchObject({ v: 'newer' });
    expect(await redis.get(`${prefix}:state:d`)).toBe('e1 {"v":"from-redis"}');
    // Deleting forgets what the slot holds and detaches: Redis is written directly again.
    await storage.delete(['d']);
    expect(forgotten).toBe(1);
    expect(await storage.read(['d'])).toEqual({});
    await storage.write({ d: { v: 'after' } });
    expect((await storage.read(['d']))['d']).toMatchObject({ v: 'after' });
  });

  it("expects an item that was absent when attached to be absent still (''), and reads it as absent", async () => {
    const storage = new RedisStorage(redis, { prefix, ttlSeconds: 60 });
    const saved: string[] = [];
    storage.attach('e', { stored: undefined, save: (expected) => saved.push(expected), forget: () => {} });
    expect(await storage.read(['e'])).toEqual({});
    await storage.write({ e: { v: 1 } });
    expect(saved).toEqual(['']);
    storage.detach('e');
  });
});
