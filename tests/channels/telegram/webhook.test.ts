// The webhook route and the channel around the real engine: what people send that is not text, slow turns,
// a person who blocks the bot, and the stores being down (Telegram must retry, nothing lost).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../../channels/telegram/telegram-channel.ts';
import { createLogger } from '../../../src/logger.ts';
import type { TurnRunner } from '../../../src/engine/types.ts';
import { consentSteps } from '../../support/scripts.ts';
import { script } from '../../support/conversation.ts';
import { createBotApi } from '../../../channels/telegram/bot-api.ts';
import {
  delivered,
  newUpdateId,
  startTelegramPlaza,
  TelegramChat,
  textUpdate,
  type TelegramPlaza,
} from './harness.ts';

let t: TelegramPlaza;
beforeAll(async () => {
  t = await startTelegramPlaza();
});
afterAll(() => t?.close());

const update = (chatId: number, message: Record<string, unknown>, key = 'message') => ({
  update_id: newUpdateId(),
  [key]: {
    message_id: newUpdateId(),
    date: 0,
    chat: { id: chatId, type: 'private' },
    from: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' },
    ...message,
  },
});

describe('the Telegram webhook', () => {
  it('answers stickers, photos, voice notes and locations politely and repeats the question', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 2));
    for (const content of [
      { sticker: {} },
      { photo: [] },
      { voice: {} },
      { location: { latitude: 1, longitude: 2 } },
    ]) {
      await chat.send(update(chat.chatId, content));
      expect(chat.text()).toMatch(/solo entiendo mensajes de texto y botones[\s\S]*¿Tienes 14 años o más\?/);
    }
  });

  it('answers an edited message, and says in a group that it only talks in private', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 1));
    await chat.send(update(chat.chatId, { text: 'editado' }, 'edited_message'));
    expect(chat.text()).toMatch(/No puedo ver los mensajes editados[\s\S]*idioma/);

    const group = -1_000_000_000 - Math.floor(Math.random() * 1000);
    const res = await t.post({
      update_id: newUpdateId(),
      message: {
        message_id: 1,
        date: 0,
        chat: { id: group, type: 'group', title: 'Vecinos' },
        from: { id: 5, is_bot: false, first_name: 'B' },
        text: '/start',
      },
    });
    expect(res.status).toBe(200);
    await delivered(t, group);
    expect(t.fake.texts(group)).toEqual([
      expect.stringMatching(/Solo puedo atenderte en una conversación privada/),
    ]);
    expect(await t.plaza.database.prisma.channelAccount.count({ where: { externalId: '5' } })).toBe(0);
  });

  it('a forged or stale button gets "expired" and the current question, and changes nothing', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 2));
    const stale = chat.keyboard()[0]!.callback_data; // "Sí" of the age question
    await chat.press('Sí');
    expect(chat.text()).toMatch(/¿Aceptas/);
    await chat.send({
      update_id: newUpdateId(),
      callback_query: {
        id: 'q',
        from: { id: chat.chatId, is_bot: false, first_name: 'Ana' },
        chat_instance: 'c',
        data: stale,
        message: { message_id: 1, date: 0, chat: { id: chat.chatId, type: 'private' } },
      },
    } as never);
    expect(chat.text()).toMatch(/Ese botón ya no es válido[\s\S]*¿Aceptas/);
    expect(await t.plaza.database.prisma.channelAccount.count({ where: { externalId: chat.userId } })).toBe(
      0,
    );
    expect(t.fake.callsOf('answerCallbackQuery').length).toBeGreaterThan(0);
  });

  it('refuses an update nested 5,000 deep with 400 (retrying it would fail alike); the chat goes on', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 1));
    const before = t.fake.sent(chat.chatId).length;
    // A raw body: JSON.stringify in the test would itself overflow on such an update.
    const deep = JSON.stringify(textUpdate(chat.chatId, 'hola')).replace(
      /}}$/,
      `,"reply_markup":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await t.post(deep);
      expect(res.status, res.body).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'bad_update' } });
    }
    expect(t.fake.sent(chat.chatId)).toHaveLength(before);
    await chat.say('Español');
    expect(chat.text()).toMatch(/14 años/);
  });

  it('marks a person who blocked the bot unreachable, and reachable again when they write', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    t.fake.forbid(chat.chatId);
    await t.post(textUpdate(chat.chatId, 'ayuda'));
    const account = () =>
      t.plaza.database.prisma.channelAccount.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
      });
    const deadline = Date.now() + 5000;
    while ((await account()).unreachableAt === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect((await account()).unreachableAt).toBeInstanceOf(Date);
    t.fake.unforbid(chat.chatId);
    await chat.say('menú');
    expect((await account()).unreachableAt).toBeNull();
    expect(chat.text()).toMatch(/¿Qué quieres hacer\?/);
  });
});

describe('the Telegram channel around a slow or failing engine', () => {
  const chatId = 4242;
  function channelWith(engine: TurnRunner) {
    return createTelegramChannel({
      engine,
      redis: t.plaza.redis,
      prefix: t.plaza.config.REDIS_PREFIX,
      callApi: createBotApi({ token: t.fake.token, apiRoot: t.fake.apiRoot }).callApi,
      logger: createLogger('silent'),
      secret: 'x',
      perSecond: 100,
      chatIntervalMs: 0,
      typingAfterMs: 200,
    });
  }

  const typingCalls = (chat: number) =>
    t.fake.callsOf('sendChatAction').filter((c) => String(c.params.chat_id) === String(chat)).length;

  it('shows "typing…" while a turn takes long', async () => {
    const channel = channelWith({
      runTurn: async (a, hooks) => {
        hooks?.onStart?.();
        await new Promise((r) => setTimeout(r, 400));
        return [{ type: 'message', text: `eco: ${a.text}` }];
      },
    });
    const u = textUpdate(chatId, 'despacio');
    await channel.handleUpdate(u as never);
    expect(typingCalls(chatId)).toBe(1);
    expect(await channel.outbox.pending(String(chatId))).toBe(1);
  });

  it('counts the time from when the turn runs: a wait for a free slot adds no "typing…" call', async () => {
    const chat = chatId + 1;
    const channel = channelWith({
      runTurn: async (a, hooks) => {
        // Waited 400 ms for a slot (a busy process), then ran quickly.
        await new Promise((r) => setTimeout(r, 400));
        hooks?.onStart?.();
        await new Promise((r) => setTimeout(r, 20));
        return [{ type: 'message', text: `eco: ${a.text}` }];
      },
    });
    await channel.handleUpdate(textUpdate(chat, 'en cola') as never);
    expect(await channel.outbox.pending(String(chat))).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(typingCalls(chat)).toBe(0);
  });

  it('sends no "typing…" while Telegram\'s flood control (a 429) holds the sends', async () => {
    const chat = chatId + 2;
    const channel = channelWith({
      runTurn: async (a, hooks) => {
        hooks?.onStart?.();
        if (a.text === 'despacio') await new Promise((r) => setTimeout(r, 400));
        return [{ type: 'message', text: `eco: ${a.text}` }];
      },
    });
    t.fake.failNext('sendMessage', { error_code: 429, retry_after: 5 });
    await channel.handleUpdate(textUpdate(chat, 'primero') as never);
    await channel.outbox.tick();
    expect(channel.outbox.paused()).toBe(true);
    await channel.handleUpdate(textUpdate(chat, 'despacio') as never);
    expect(typingCalls(chat)).toBe(0);
  });

  it('answers 503 while the stores are down, and applies the update once when Telegram retries', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    const before = t.fake.sent(chat.chatId).length;
    // The database "goes down" for one turn: the engine's first query fails with a connection error.
    const db = t.plaza.domain.db as unknown as { $queryRaw: (...args: unknown[]) => unknown };
    const original = db.$queryRaw;
    let down = true;
    db.$queryRaw = function (this: unknown, ...args: unknown[]) {
      if (down) {
        down = false;
        return Promise.reject(Object.assign(new Error("Can't reach database server"), { code: 'P1001' }));
      }
      return original.apply(this, args);
    };
    try {
      const u = textUpdate(chat.chatId, 'ayuda');
      expect((await t.post(u)).status).toBe(503);
      expect((await t.post(u)).status).toBe(200);
      expect((await t.post(u)).status).toBe(200);
      await delivered(t, chat.chatId);
      expect(t.fake.sent(chat.chatId).length - before).toBe(1);
    } finally {
      db.$queryRaw = original;
    }
  });
});
