// A double tap: two presses of the same button reach the webhook at the same moment (two callback_query
// updates, one keyboard, different update_ids). The press is resolved before the engine's turn gate, so both
// used to pass the button check and the second one's title answered the NEXT question (consent the person
// never saw, a broadcast sent without its confirmation). A keyboard takes one press: the second gets "that
// button has expired" and the current question again, and changes nothing. Telegram resending the same
// update is still the same press.
import { SocketClosedUnexpectedlyError } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { press, script } from '../../support/conversation.ts';
import { consentSteps } from '../../support/scripts.ts';
import { createProcess, createProposals, createStaffMember } from '../../support/fixtures.ts';
import { createSubscriber } from '../../support/subscribers.ts';
import {
  callbackUpdate,
  delivered,
  startTelegramPlaza,
  TelegramChat,
  type TelegramPlaza,
} from './harness.ts';

const EXPIRED = 'Ese botón ya no es válido. Te repito la pregunta actual:';

/** Update ids whose first attempt fails before the engine runs the turn (Redis lost, say). */
const failOnce = new Set<string>();

let t: TelegramPlaza;
let processTitle: string;
let proposalId: number;
beforeAll(async () => {
  t = await startTelegramPlaza({
    wrapEngine: (engine) => ({
      drain: () => engine.drain(),
      render: engine.render,
      async runTurn(activity) {
        if (activity.id !== undefined && failOnce.delete(activity.id)) {
          // What node-redis throws when Redis goes away mid-command.
          throw new SocketClosedUnexpectedlyError();
        }
        return engine.runTurn(activity);
      },
    }),
  });
  const db = t.plaza.database.prisma;
  processTitle = 'Doble toque';
  const process = await createProcess(db, { phase: 'voting', title: processTitle });
  [proposalId] = (await createProposals(db, process, 1)) as [number];
  await createSubscriber(db, process.id, { channel: 'telegram', locale: 'es' });
});
afterAll(() => t?.close());

/** The callback data of a button of the chat's latest keyboard, by its title. */
function dataOf(chat: TelegramChat, title: string): string {
  const button = chat.keyboard().find((b) => b.text.replace(/^\d+\. /, '') === title);
  if (!button) throw new Error(`No button "${title}" in ${JSON.stringify(chat.buttons())}`);
  return button.callback_data;
}

/** Posts the updates at the same moment (each must be answered 200) and returns the texts sent meanwhile. */
async function atOnce(chat: TelegramChat, updates: unknown[]): Promise<string[]> {
  const before = t.fake.texts(chat.chatId).length;
  const answers = await Promise.all(updates.map((u) => t.post(u)));
  for (const answer of answers) expect(answer.status, answer.body).toBe(200);
  await delivered(t, chat.chatId);
  return t.fake.texts(chat.chatId).slice(before);
}

/** Two presses of one button: two updates, one callback data. */
const doubleTap = (chat: TelegramChat, title: string) => {
  const data = dataOf(chat, title);
  return atOnce(chat, [callbackUpdate(chat.chatId, data), callbackUpdate(chat.chatId, data)]);
};

/** The double tap's answers: one to the press, one "expired" asking the question the press led to. */
function expectOneAnswer(texts: string[], answer: RegExp, question: RegExp) {
  expect(texts).toHaveLength(2);
  const expired = texts.filter((text) => text.startsWith(EXPIRED));
  expect(expired, texts.join('\n---\n')).toHaveLength(1);
  expect(expired[0]).toMatch(question);
  const answered = texts.filter((text) => !text.startsWith(EXPIRED));
  expect(answered).toEqual([expect.stringMatching(answer)]);
  expect(answered[0]).toMatch(question);
}

describe('Telegram double taps (webhook, acknowledged once processed)', () => {
  it('"Sí" twice on the age question: one answer, the second press expired, no consent given', async () => {
    const db = t.plaza.database.prisma;
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 2));
    const texts = await doubleTap(chat, 'Sí');
    expectOneAnswer(texts, /¿Aceptas que tratemos tus datos/, /¿Aceptas que tratemos tus datos/);
    expect(await db.channelAccount.count({ where: { externalId: chat.userId } })).toBe(0);
    // The consent question is still the one pending: the person answers it themself.
    await chat.say('sí, acepto');
    expect(chat.text()).toMatch(/¡Gracias!/);
    const account = await db.channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
      include: { participant: { include: { consents: true } } },
    });
    expect(account.participant.consents).toHaveLength(1);
  });

  it('a button of the main menu twice: one action, the second press expired', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    expect(chat.buttons()).toContain('Procesos');
    const texts = await doubleTap(chat, 'Procesos');
    expectOneAnswer(texts, new RegExp(processTitle), new RegExp(processTitle));
  });

  it('"Apoyar" twice: one support, the second press expired (not "No te he entendido")', async () => {
    const db = t.plaza.database.prisma;
    const chat = new TelegramChat(t);
    await script(chat, [...consentSteps, [`/start proposal_${proposalId}`, /0 apoyos/]]);
    const texts = await doubleTap(chat, 'Apoyar');
    expectOneAnswer(texts, /¡Apoyo registrado!/, /¿Qué quieres hacer ahora\?/);
    expect(texts.join('\n')).not.toMatch(/No te he entendido/);
    const account = await db.channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
    });
    expect(await db.support.count({ where: { participantId: account.participantId } })).toBe(1);
  });

  it('"Enviar ahora" twice in /difundir: the confirmation is still asked, nothing is sent', async () => {
    const db = t.plaza.database.prisma;
    const staff = await createStaffMember(db, { role: 'staff' });
    const chat = new TelegramChat(t, Number(staff.telegramUserId));
    await script(chat, [
      ['/difundir', /¿Para las personas suscritas a qué proceso\?/],
      [press(processTitle), /¿A quién se la envías/],
      [press('A todas'), /texto en español/],
      ['Mañana presentamos los resultados.', /texto en inglés/],
      [press('Omitir'), /¿Cuándo la envías\?/],
    ]);
    const broadcasts = await db.broadcast.count();
    const texts = await doubleTap(chat, 'Enviar ahora');
    expectOneAnswer(texts, /Se enviará ahora a 1 persona suscrita/, /¿La envías\?/);
    expect(await db.broadcast.count()).toBe(broadcasts);
    await chat.say('cancelar');
    expect(chat.text()).toMatch(/Difusión cancelada/);
    expect(await db.broadcast.count()).toBe(broadcasts);
  });

  it('the same update twice at once (Telegram resending it) is one press: one answer', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 2));
    const update = callbackUpdate(chat.chatId, dataOf(chat, 'Sí'));
    const texts = await atOnce(chat, [update, update]);
    expect(texts).toEqual([expect.stringMatching(/^(?!Ese botón)[\s\S]*¿Aceptas que tratemos tus datos/)]);
  });

  it('a press whose turn failed (503) is still that press when Telegram sends it again', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps.slice(0, 2));
    const update = callbackUpdate(chat.chatId, dataOf(chat, 'Sí'));
    failOnce.add(String(update.update_id));
    const first = await t.post(update);
    expect(first.status).toBe(503);
    await chat.send(update);
    expect(chat.text()).toMatch(/^(?!Ese botón)[\s\S]*¿Aceptas que tratemos tus datos/);
  });
});
