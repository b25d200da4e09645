import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ButtonStore } from '../../../channels/telegram/buttons.ts';
import { connectRedis, type Redis } from '../../../src/redis/client.ts';
import { deleteKeys, REDIS_URL } from '../../support/plaza.ts';

let redis: Redis;
const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  redis = await connectRedis({ url: REDIS_URL });
});
afterAll(async () => {
  await deleteKeys({ redis }, `${prefix}:*`);
  await redis.quit();
});

describe('button data', () => {
  it('resolves the latest keyboard of a chat, within 64 bytes', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const data = await store.save('42', 1_000_000_123, ['Sí', 'No', 'Leer el aviso completo']);
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);
    expect(await store.resolve('42', data[2]!)).toEqual({ ok: true, title: 'Leer el aviso completo' });
  });

  it('refuses forged data: other chat, tampered signature or index, garbage', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [yes] = await store.save('43', 7, ['Sí', 'No']);
    const [k, , sig] = yes!.split('.');
    expect(await store.resolve('44', yes!)).toEqual({ ok: false, reason: 'forged' });
    expect(await store.resolve('43', `${k}.1.${sig}`)).toEqual({ ok: false, reason: 'forged' });
    expect(await store.resolve('43', `${k}.0.${'A'.repeat(16)}`)).toEqual({ ok: false, reason: 'forged' });
    expect(await store.resolve('43', 'x'.repeat(64))).toEqual({ ok: false, reason: 'forged' });
    expect(await store.resolve('43', '')).toEqual({ ok: false, reason: 'forged' });
    const otherSecret = new ButtonStore(redis, { prefix, secret: 'another' });
    expect(await otherSecret.resolve('43', yes!)).toEqual({ ok: false, reason: 'forged' });
  });

  it('says "expired" for a button of an older keyboard, and keeps the newer one on a late repeat', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [old] = await store.save('45', 10, ['Apoyar']);
    const [fresh] = await store.save('45', 11, ['Menú']);
    expect(await store.resolve('45', old!)).toEqual({ ok: false, reason: 'expired' });
    await store.save('45', 10, ['Apoyar']); // a repeated older update renders its keyboard again
    expect(await store.resolve('45', fresh!)).toEqual({ ok: true, title: 'Menú' });
  });

  it('signs action buttons for one chat: anyone there may press them, nobody may alter them', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const data = store.postBack('-100200', 'case:2147483647:redact_approve');
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    // A member's own keyboard key differs from the chat: action buttons are checked against the chat.
    expect(await store.resolve('-100200:77', data, '-100200')).toEqual({
      ok: true,
      postBack: 'case:2147483647:redact_approve',
    });
    expect(await store.resolve('-100300:77', data, '-100300')).toEqual({ ok: false, reason: 'forged' });
    const tampered = data.replace('case:2147483647', 'case:2147483646');
    expect(await store.resolve('-100200:77', tampered, '-100200')).toEqual({ ok: false, reason: 'forged' });
    expect(() => store.postBack('-100200', 'Not Allowed!')).toThrow(/not allowed/);
  });

  it('keeps a group member’s question theirs: another member’s press is forged', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [reason] = await store.save('-100200:1', 20, ['Spam']);
    expect(await store.resolve('-100200:1', reason!, '-100200')).toEqual({ ok: true, title: 'Spam' });
    expect(await store.resolve('-100200:2', reason!, '-100200')).toEqual({ ok: false, reason: 'forged' });
  });
});
