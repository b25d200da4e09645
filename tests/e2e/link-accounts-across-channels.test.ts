// One person, one vote across channels, through the real ways in: a Telegram chat driven through the webhook
// (with the fake Bot API) and a web chat driven through Direct Line with the client library, on one Plaza.
// The same person supports the same proposal from both (two accounts: two supports), links the accounts —
// code on Telegram, typed in the web chat, two digits back on Telegram — and the proposal has one support.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramChat, startTelegramPlaza, type TelegramPlaza } from '../channels/telegram/harness.ts';
import { consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposals } from '../support/fixtures.ts';
import { DirectLineChat } from './support.ts';

let t: TelegramPlaza;
let proposalId: number;
const db = () => t.plaza.database.prisma;

beforeAll(async () => {
  t = await startTelegramPlaza();
  const process = await createProcess(db(), { phase: 'voting', supportsPerParticipant: 3 });
  [proposalId] = (await createProposals(db(), process, 1)) as [number];
});
afterAll(async () => {
  await t?.close();
});

describe('linking a Telegram and a web chat account', () => {
  it('turns two supports of one person into one, and the joined accounts support as one', async () => {
    const telegram = new TelegramChat(t);
    await script(telegram, [
      ...consentSteps,
      [`/start proposal_${proposalId}`, /0 apoyos/],
      [press('Apoyar'), [/¡Apoyo registrado!/, /1 apoyo\b/]],
    ]);

    const web = await DirectLineChat.open(t.webhookUrl.replace('/telegram/webhook', '/v3/directline'));
    try {
      await web.send({ type: 'event', name: 'webchat/join', value: { locale: 'es-ES' } }, [/idioma/]);
      await web.press('Español', /¿Tienes 14 años o más\?/);
      await web.press('Sí', /¿Aceptas que tratemos tus datos/);
      await web.press('Sí, acepto', /¿Qué quieres hacer\?/);
      await web.say(`/start proposal_${proposalId}`, /1 apoyo\b/);
      await web.say('apoyar', /¡Apoyo registrado!/, /2 apoyos/);
      expect(await db().support.count({ where: { proposalId } })).toBe(2);

      await script(telegram, [
        ['vincular', /¿Qué quieres hacer\?/],
        [press('Mostrar un código aquí'), /Tu código es \d{3} \d{3}/],
      ]);
      const code = /Tu código es (\d{3} \d{3})/.exec(telegram.text())![1]!;
      await web.say('vincular', /¿Qué quieres hacer\?/);
      await web.press('Tengo un código', /Escribe el código de 6 cifras/);
      await web.say(code, /vuelve a Telegram y escribe allí este número: \d{2}/);
      const digits = /este número: (\d{2})/.exec(web.text())![1]!;
      await script(telegram, [
        ['hola', /Alguien ha escrito tu código de vinculación en el chat web/],
        [digits, /Hecho: ahora eres una sola persona en Telegram y en el chat web/],
      ]);

      expect(await db().support.count({ where: { proposalId } })).toBe(1);
      const accounts = await db().channelAccount.findMany({
        where: { OR: [{ externalId: telegram.userId }, { externalId: web.userId }] },
        select: { participantId: true },
      });
      expect(new Set(accounts.map((a) => a.participantId)).size).toBe(1);
      // From either channel, the proposal now shows one support, theirs.
      await web.say(`/start proposal_${proposalId}`, /1 apoyo\b/, /Ya la apoyas/);
      await script(telegram, [[`/start proposal_${proposalId}`, [/1 apoyo\b/, /Ya la apoyas/]]]);
    } finally {
      web.end();
    }
  });
});
