import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { createRedisParticipantTraces } from '../../src/redis/participant-traces.ts';
import { TelegramInbox } from '../../channels/telegram/inbox.ts';
import { createLogger } from '../../src/logger.ts';

const REDIS_URL = process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let redis: Redis;
const prefix = `plazatest-${randomBytes(5).toString('hex')}`;
const otherPrefix = `plazatest-${randomBytes(5).toString('hex')}`;
beforeAll(async () => {
  redis = await connectRedis({ url: REDIS_URL });
});
afterAll(async () => {
  for (const p of [prefix, otherPrefix])
    for await (const keys of redis.scanIterator({ MATCH: `${p}:*`, COUNT: 500 }))
      if (keys.length > 0) await redis.del(keys);
  await redis.quit();
});

const all = async (p: string) => {
  const found: string[] = [];
  for await (const keys of redis.scanIterator({ MATCH: `${p}:*`, COUNT: 500 }))
    found.push(...(keys as unknown as string[]));
  return found.sort();
};

describe('createRedisParticipantTraces', () => {
  it('matches ids literally (glob characters), stays in its prefix, and may be repeated', async () => {
    const user = 'u-a*b?[c]';
    const lookalike = 'u-aXXbY[c]';
    for (const p of [prefix, otherPrefix])
      for (const id of [user, lookalike]) {
        await redis.set(`${p}:state:console/conversations/${id}/`, '{}');
        await redis.set(`${p}:lock:console:${id}`, 't');
        await redis.set(`${p}:flood:console:${id}:123`, '1');
        await redis.set(
          `${p}:seen:console:${randomBytes(4).toString('hex')}`,
          JSON.stringify([{ conversation: { id }, recipient: { id } }]),
        );
      }
    const otherBefore = await all(otherPrefix);
    const traces = createRedisParticipantTraces(redis, { prefix, scanCount: 200 });
    await traces.forget([{ channel: 'console', externalId: user }]);
    await traces.forget([{ channel: 'console', externalId: user }]);
    const left = await all(prefix);
    expect(left).toHaveLength(4);
    expect(left.every((k) => k.includes(lookalike) || k.includes(':seen:'))).toBe(true);
    for (const k of left.filter((k) => k.includes(':seen:'))) expect(await redis.get(k)).toContain(lookalike);
    expect(await all(otherPrefix)).toEqual(otherBefore);
  });

  it('finds the web chat conversations bound to a user, and no other', async () => {
    const mine = `c${randomBytes(4).toString('hex')}`;
    const theirs = `c${randomBytes(4).toString('hex')}`;
    await redis.hSet(`${prefix}:dl:conv:{${mine}}`, { user: 'u-me', seq: '1' });
    await redis.zAdd(`${prefix}:dl:conv:{${mine}}:acts`, { score: 1, value: '1:{}' });
    await redis.set(`${prefix}:dl:conv:{${mine}}:once:${mine}|c1`, '1');
    await redis.hSet(`${prefix}:dl:conv:{${theirs}}`, { user: 'u-other', seq: '1' });
    await redis.set(`${prefix}:state:webchat/conversations/${mine}/`, '{}');
    await redis.set(`${prefix}:state:webchat/conversations/${theirs}/`, '{}');
    await createRedisParticipantTraces(redis, { prefix }).forget([
      { channel: 'webchat', externalId: 'u-me' },
    ]);
    const left = (await all(prefix)).filter((k) => k.includes('dl:conv') || k.includes('webchat/'));
    expect(left).toEqual(
      [`${prefix}:dl:conv:{${theirs}}`, `${prefix}:state:webchat/conversations/${theirs}/`].sort(),
    );
  });

  it('keeps the shell of the web chat conversation the erasure was asked in, without its transcript', async () => {
    const here = `c${randomBytes(4).toString('hex')}`;
    const other = `c${randomBytes(4).toString('hex')}`;
    for (const c of [here, other]) {
      await redis.hSet(`${prefix}:dl:conv:{${c}}`, { user: 'u-here', seq: '4' });
      await redis.zAdd(`${prefix}:dl:conv:{${c}}:acts`, { score: 4, value: '4:{"text":"BORRAR"}' });
      await redis.set(`${prefix}:dl:conv:{${c}}:once:${c}|c4`, '1');
    }
    await createRedisParticipantTraces(redis, { prefix }).forget([
      { channel: 'webchat', externalId: 'u-here', conversationId: here },
    ]);
    const left = (await all(prefix)).filter((k) => k.includes(here) || k.includes(other));
    // The goodbye is appended to it next; its watermark goes on from where the page is.
    expect(left).toEqual([`${prefix}:dl:conv:{${here}}`]);
    expect(await redis.hGetAll(`${prefix}:dl:conv:{${here}}`)).toEqual({ user: 'u-here', seq: '4' });
  });

  it("removes a Telegram chat's queued updates from the inbox, and no one else's", async () => {
    const handled: number[] = [];
    const inbox = new TelegramInbox({
      redis,
      prefix,
      channel: { handleUpdate: async (u) => void handled.push(u.update_id) },
      logger: createLogger('silent'),
    });
    const me = 700_000_000 + Math.floor(Math.random() * 1e6);
    const other = me + 1;
    for (const chat of [me, other])
      await inbox.accept({
        update_id: chat,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: chat, type: 'private' },
          text: 'Vivo en la calle Mayor 3',
        },
      } as never);
    await createRedisParticipantTraces(redis, { prefix }).forget([
      { channel: 'telegram', externalId: String(me) },
    ]);
    expect(await inbox.pending(String(me))).toBe(0);
    expect(await inbox.pending(String(other))).toBe(1);
    // The chat's ready entry is left to the consumers (removing it apart from the list could race an
    // accept): a claim drops it, and the other chat's update is still handled.
    inbox.start({ concurrency: 1 });
    try {
      const deadline = Date.now() + 10_000;
      while ((await inbox.backlog()) > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
    } finally {
      await inbox.stop();
    }
    expect(await inbox.backlog()).toBe(0);
    expect(await inbox.pending(String(other))).toBe(0);
    expect(handled).toEqual([other]);
  });
});
