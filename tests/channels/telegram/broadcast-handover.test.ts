// A broadcast delivery the outbox still holds — Telegram failing, the message retried for up to an hour — is
// not handed over a second time when the broadcast job finds it "on its way" for long and forces it: that
// would reach the person twice once Telegram is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramPlaza, type TelegramPlaza } from './harness.ts';

let t: TelegramPlaza;
beforeAll(async () => {
  t = await startTelegramPlaza();
  // Nothing goes out meanwhile: the message stays where a failing Telegram would keep it, in the queue.
  await t.telegram.channel.outbox.stop();
});
afterAll(() => t?.close());

describe('handing a broadcast delivery over again', () => {
  it('is refused while the outbox still holds it, and done once it no longer does', async () => {
    const chat = '880001';
    const message = { type: 'message' as const, text: 'Novedades del proceso' };
    const { outbox } = t.telegram.channel;
    expect(await t.telegram.channel.sendBroadcast(9_000_001n, chat, message)).toBe('queued');
    expect(await t.telegram.channel.sendBroadcast(9_000_001n, chat, message, { force: true })).toBe(
      'in-flight',
    );
    expect(await outbox.pending(chat)).toBe(1);
    // Lost half-way (a partial Redis loss): handed over anew.
    await t.plaza.redis.del(`${t.plaza.config.REDIS_PREFIX}:tg:out:${chat}`);
    expect(await t.telegram.channel.sendBroadcast(9_000_001n, chat, message, { force: true })).toBe('queued');
    expect(await outbox.pending(chat)).toBe(1);
  });
});
