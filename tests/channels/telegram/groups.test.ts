// Telegram groups other than the moderators': the bot answers only when added or addressed (a command, a
// mention, a reply to it), says "write to me in private" at most once per group in six hours, and ignores
// the members' own conversation and a channel's automatic forwards. And, in a private chat, a message kind
// the bot cannot read (a forwarded giveaway, story…) gets the polite "only text" answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { script, consentSteps } from '../../support/conversation.ts';
import {
  BOT_TOKEN,
  delivered,
  newUpdateId,
  startTelegramPlaza,
  TelegramChat,
  type TelegramPlaza,
} from './harness.ts';

let t: TelegramPlaza;
beforeAll(async () => {
  t = await startTelegramPlaza();
});
afterAll(async () => {
  await t?.close();
});

const botId = Number(BOT_TOKEN.split(':')[0]);
const bot = { id: botId, is_bot: true, first_name: 'Plaza (test)', username: 'plaza_test_bot' };
let nextGroup = -1_000_000_000_000 - Math.floor(Math.random() * 1_000_000);
const newGroup = () => ({ id: --nextGroup, type: 'supergroup', title: 'Vecinos del barrio' });
const member = (id: number) => ({ id, is_bot: false, first_name: 'Vecina', language_code: 'es' });

function inGroup(group: { id: number }, from: object, extra: Record<string, unknown>) {
  return {
    update_id: newUpdateId(),
    message: { message_id: newUpdateId(), date: Math.floor(Date.now() / 1000), chat: group, from, ...extra },
  };
}

/** Posts the updates one by one, as Telegram does, and returns what the bot sent to the group meanwhile. */
async function post(group: { id: number }, ...updates: object[]): Promise<string[]> {
  const before = t.fake.texts(group.id).length;
  for (const update of updates) expect((await t.post(update)).status).toBe(200);
  await delivered(t, group.id);
  return t.fake.texts(group.id).slice(before);
}

describe('a group the bot is in (privacy mode off: it gets every message)', () => {
  it('stays silent while members talk among themselves, and on a channel’s automatic forwards', async () => {
    const group = newGroup();
    const ana = member(900_000_001);
    const sent = await post(
      group,
      inGroup(group, ana, { text: 'Hola a todos, ¿vais a la reunión?' }),
      inGroup(group, member(900_000_002), { text: 'Sí, allí nos vemos' }),
      inGroup(group, ana, { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }] }),
      inGroup(group, ana, { sticker: { file_id: 's' } }),
      inGroup(group, ana, {
        text: 'Mirad lo que dice @alcaldia',
        entities: [{ type: 'mention', offset: 17, length: 9 }],
      }),
      inGroup(
        group,
        { id: 777000, is_bot: false, first_name: 'Telegram' },
        {
          text: '/start Nuevo presupuesto participativo',
          is_automatic_forward: true,
          sender_chat: { id: -1009999, type: 'channel', title: 'Ayuntamiento' },
        },
      ),
      inGroup(group, ana, { new_chat_members: [member(900_000_003)] }),
    );
    expect(sent).toEqual([]);
    expect(
      await t.plaza.database.prisma.channelAccount.count({ where: { externalId: String(ana.id) } }),
    ).toBe(0);
  });

  it('says once, when added, that it only talks in private; then not again to the one who added it', async () => {
    const group = newGroup();
    const admin = member(900_000_010);
    const added = {
      update_id: newUpdateId(),
      my_chat_member: {
        chat: group,
        from: admin,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'left', user: bot },
        new_chat_member: { status: 'member', user: bot },
      },
    };
    expect(await post(group, added)).toEqual([
      expect.stringMatching(/^Solo puedo atenderte en una conversación privada/),
    ]);
    // Addressed now by the one who added it: silence (it was said to them a moment ago); by someone else:
    // told once; a message not addressed to it: nothing.
    const sent = await post(
      group,
      inGroup(group, admin, { text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }),
      inGroup(group, member(900_000_011), {
        text: '@plaza_test_bot ¿cómo voto?',
        entities: [{ type: 'mention', offset: 0, length: 15 }],
      }),
      inGroup(group, admin, { text: 'hola' }),
    );
    expect(sent).toEqual([expect.stringMatching(/^Solo puedo atenderte en una conversación privada/)]);
  });

  it('answers each member who addresses it — a command, a mention or a reply — once', async () => {
    for (const addressing of [
      { text: '/ayuda@plaza_test_bot', entities: [{ type: 'bot_command', offset: 0, length: 21 }] },
      { text: 'Oye @plaza_test_bot', entities: [{ type: 'mention', offset: 4, length: 15 }] },
      {
        text: '¿y esto?',
        reply_to_message: { message_id: 1, date: 0, chat: { id: 0 }, from: bot, text: 'Solo puedo…' },
      },
    ]) {
      const group = newGroup();
      const sent = await post(
        group,
        inGroup(group, member(900_000_020), { text: 'buenas' }),
        inGroup(group, member(900_000_021), addressing),
        inGroup(group, member(900_000_021), addressing),
        inGroup(group, member(900_000_022), addressing),
      );
      expect(sent, JSON.stringify(addressing)).toEqual([
        expect.stringMatching(/^Solo puedo atenderte en una conversación privada/),
        expect.stringMatching(/^Solo puedo atenderte en una conversación privada/),
      ]);
    }
  });
});

/** A message of the given kind in a person's private chat with the bot. */
function privateMessage(chatId: number, extra: Record<string, unknown>) {
  return {
    update_id: newUpdateId(),
    message: {
      message_id: newUpdateId(),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
      from: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' },
      ...extra,
    },
  };
}

describe('a private chat', () => {
  it.each(['giveaway', 'story', 'paid_media', 'checklist'])(
    'answers a forwarded %s with "only text" and the pending question',
    async (kind) => {
      const chat = new TelegramChat(t);
      await script(chat, consentSteps.slice(0, 1));
      const origin = {
        type: 'channel',
        chat: { id: -1001, type: 'channel', title: 'x' },
        message_id: 3,
        date: 0,
      };
      await chat.send(privateMessage(chat.chatId, { forward_origin: origin, [kind]: { id: 1 } }));
      expect(chat.text()).toMatch(/solo entiendo mensajes de texto[\s\S]*idioma/);
    },
  );

  it('reads a photo’s caption as the answer, and says the picture itself was not seen', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 1));
    await chat.send(
      privateMessage(chat.chatId, {
        photo: [{ file_id: 'x', file_unique_id: 'y', width: 90, height: 90 }],
        caption: 'Español',
      }),
    );
    expect(chat.text()).toMatch(/No puedo ver imágenes ni archivos[\s\S]*¿Tienes 14 años o más\?/);
    // Without a caption: "only text", and the question again.
    await chat.send(
      privateMessage(chat.chatId, { photo: [{ file_id: 'x', file_unique_id: 'z', width: 9, height: 9 }] }),
    );
    expect(chat.text()).toMatch(/solo entiendo mensajes de texto[\s\S]*¿Tienes 14 años o más\?/);
  });

  it('a caption that answers nothing: the note, then «not understood» and the question with its buttons', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    await chat.send(
      privateMessage(chat.chatId, {
        photo: [{ file_id: 'x', file_unique_id: 'w', width: 90, height: 90 }],
        caption: 'Más bancos por favor',
      }),
    );
    expect(chat.text()).toMatch(
      /No puedo ver imágenes ni archivos[\s\S]*No te he entendido[\s\S]*¿Qué quieres hacer\?/,
    );
    expect(chat.buttons().length).toBeGreaterThan(2);
  });

  it('stays silent on a service message', async () => {
    const chat = new TelegramChat(t);
    await chat.send(privateMessage(chat.chatId, { write_access_allowed: { from_request: true } }));
    expect(chat.calls()).toEqual([]);
  });
});
