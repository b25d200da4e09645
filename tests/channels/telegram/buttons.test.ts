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

/** A new press: its own update id. */
let lastPress = 5_000_000;
const press = (chatId?: string) => ({ pressId: String(++lastPress), chatId });

describe('button data', () => {
  it('resolves the latest keyboard of a chat, within 64 bytes', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const data = await store.save('42', 1_000_000_123, ['Sí', 'No', 'Leer el aviso completo']);
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);
    expect(await store.resolve('42', data[2]!, press())).toEqual({
      ok: true,
      title: 'Leer el aviso completo',
    });
  });

  it('refuses forged data: other chat, tampered signature or index, garbage', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [yes] = await store.save('43', 7, ['Sí', 'No']);
    const [k, , sig] = yes!.split('.');
    expect(await store.resolve('44', yes!, press())).toEqual({ ok: false, reason: 'forged' });
    expect(await store.resolve('43', `${k}.1.${sig}`, press())).toEqual({ ok: false, reason: 'forged' });
    expect(await store.resolve('43', `${k}.0.${'A'.repeat(16)}`, press())).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(await store.resolve('43', 'x'.repeat(64), press())).toEqual({ ok: false, reason: 'forged' });
    expect(await store.resolve('43', '', press())).toEqual({ ok: false, reason: 'forged' });
    const otherSecret = new ButtonStore(redis, { prefix, secret: 'another' });
    expect(await otherSecret.resolve('43', yes!, press())).toEqual({ ok: false, reason: 'forged' });
  });

  it('says "expired" for a button of an older keyboard, and keeps the newer one on a late repeat', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [old] = await store.save('45', 10, ['Apoyar']);
    const [fresh] = await store.save('45', 11, ['Menú']);
    expect(await store.resolve('45', old!, press())).toEqual({ ok: false, reason: 'expired' });
    await store.save('45', 10, ['Apoyar']); // a repeated older update renders its keyboard again
    expect(await store.resolve('45', fresh!, press())).toEqual({ ok: true, title: 'Menú' });
  });

  it('signs action buttons for one chat: anyone there may press them, nobody may alter them', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const data = store.postBack('-100200', 'case:2147483647:redact_approve');
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    // A member's own keyboard key differs from the chat: action buttons are checked against the chat.
    expect(await store.resolve('-100200:77', data, press('-100200'))).toEqual({
      ok: true,
      postBack: 'case:2147483647:redact_approve',
    });
    expect(await store.resolve('-100300:77', data, press('-100300'))).toEqual({
      ok: false,
      reason: 'forged',
    });
    const tampered = data.replace('case:2147483647', 'case:2147483646');
    expect(await store.resolve('-100200:77', tampered, press('-100200'))).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(() => store.postBack('-100200', 'Not Allowed!')).toThrow(/not allowed/);
  });

  it('keeps a group member’s question theirs: another member’s press is forged', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [reason] = await store.save('-100200:1', 20, ['Spam']);
    expect(await store.resolve('-100200:1', reason!, press('-100200'))).toEqual({ ok: true, title: 'Spam' });
    expect(await store.resolve('-100200:2', reason!, press('-100200'))).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('takes one press per keyboard: another press is "expired", the same update again resolves alike', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [yes, no] = await store.save('46', 30, ['Sí', 'No']);
    const first = press();
    expect(await store.resolve('46', yes!, first)).toEqual({ ok: true, title: 'Sí' });
    // A double tap (the same button, or another of the same keyboard) before a new keyboard replaced it.
    expect(await store.resolve('46', yes!, press())).toEqual({ ok: false, reason: 'expired' });
    expect(await store.resolve('46', no!, press())).toEqual({ ok: false, reason: 'expired' });
    // Telegram resending the first press (its turn failed, or its answer was lost): resolved as before.
    expect(await store.resolve('46', yes!, first)).toEqual({ ok: true, title: 'Sí' });
    // That update's replies rendered again keep the keyboard taken…
    await store.save('46', 30, ['Sí', 'No']);
    expect(await store.resolve('46', no!, press())).toEqual({ ok: false, reason: 'expired' });
    expect(await store.resolve('46', yes!, first)).toEqual({ ok: true, title: 'Sí' });
    // …and the next keyboard takes a press of its own; its TTL is kept when a press takes it.
    const [menu] = await store.save('46', 31, ['Menú']);
    const ttl = await redis.ttl(`${prefix}:tg:kb:46`);
    expect(await store.resolve('46', menu!, press())).toEqual({ ok: true, title: 'Menú' });
    expect(await redis.ttl(`${prefix}:tg:kb:46`)).toBeGreaterThan(ttl - 5);
    expect(await store.resolve('46', menu!, press())).toEqual({ ok: false, reason: 'expired' });
  });

  it('takes concurrent presses of one keyboard once, whatever the titles hold', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    // A lone surrogate (which Redis's cjson refuses) and JSON look-alikes in a title.
    const titles = ['Sí', 'x\udc00 "},{"id":1,', '🗳️ Apoyar'];
    const data = await store.save('47', 40, titles);
    const presses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.resolve('47', data[i % 3]!, press())),
    );
    expect(presses.filter((p) => p.ok)).toHaveLength(1);
    expect(titles).toContain(presses.find((p) => p.ok)!.title);
  });

  it('does not take action buttons: anyone in the chat may press them, each press counts', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const data = store.postBack('-100400', 'case:7:approve');
    for (const member of ['-100400:1', '-100400:2', '-100400:2'])
      expect(await store.resolve(member, data, press('-100400'))).toEqual({
        ok: true,
        postBack: 'case:7:approve',
      });
  });

  it('reads a keyboard stored before presses were recorded, and a new message outside a turn frees it', async () => {
    const store = new ButtonStore(redis, { prefix, secret: 's3cret' });
    const [old] = await store.save('48', 50, ['Sí']);
    await redis.set(`${prefix}:tg:kb:48`, JSON.stringify({ id: 50, titles: ['Sí'] }), {
      expiration: { type: 'EX', value: 60 },
    });
    expect(await store.resolve('48', old!, press())).toEqual({ ok: true, title: 'Sí' });
    expect(await store.resolve('48', old!, press())).toEqual({ ok: false, reason: 'expired' });
    // Keyboard 0 (a notice or broadcast, sent outside a turn): each one is new.
    await redis.del(`${prefix}:tg:kb:48`);
    const [notice] = await store.save('48', 0, ['Ver']);
    expect(await store.resolve('48', notice!, press())).toEqual({ ok: true, title: 'Ver' });
    await store.save('48', 0, ['Ver']);
    expect(await store.resolve('48', notice!, press())).toEqual({ ok: true, title: 'Ver' });
  });
});
