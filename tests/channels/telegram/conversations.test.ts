// The conversation scripts of the web chat, through the real webhook route with the secret header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { press, script } from '../../support/conversation.ts';
import { createProcess, createProposals, type ProcessFixture } from '../../support/fixtures.ts';
import { BODY, TITLE, consentSteps, proposeSteps, supportSteps } from '../../support/scripts.ts';
import { startTelegramPlaza, TelegramChat, textUpdate, type TelegramPlaza } from './harness.ts';
import { caseJobOf } from '../../support/plaza.ts';

let t: TelegramPlaza;
let voting: ProcessFixture;
let proposalIds: number[];
beforeAll(async () => {
  t = await startTelegramPlaza();
  voting = await createProcess(t.plaza.database.prisma, {
    phase: 'voting',
    acceptsProposals: true,
    title: 'Barrios vivos',
  });
  proposalIds = await createProposals(t.plaza.database.prisma, voting, 3);
});
afterAll(() => t?.close());

describe('Telegram conversations', () => {
  it('gives consent with buttons, stores the Telegram account, and shows the menu', async () => {
    const chat = new TelegramChat(t);
    await script(chat, consentSteps);
    const account = await t.plaza.database.prisma.channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'telegram', externalId: chat.userId } },
      include: { participant: { include: { consents: true } } },
    });
    expect(account.participant.consents).toMatchObject([{ action: 'given', channel: 'telegram' }]);
  });

  it('makes a proposal (typed text, buttons, an edit, help on the way)', async () => {
    const chat = new TelegramChat(t);
    await script(chat, [...consentSteps, ...proposeSteps(voting.slug, 'Barrios vivos')]);
    const proposal = await t.plaza.database.prisma.proposal.findFirstOrThrow({
      where: { title: TITLE, processId: voting.id },
    });
    expect(proposal).toMatchObject({ body: BODY, status: 'pending', categoryId: voting.categories[1]!.id });
    expect(await caseJobOf(t.plaza, proposal.id)).toBeTruthy();
  });

  it('supports a proposal, withdraws, supports again by typing, sees the ranking', async () => {
    const chat = new TelegramChat(t);
    await script(chat, [...consentSteps, ...supportSteps(proposalIds[0]!)]);
    expect(await t.plaza.database.prisma.support.count({ where: { proposalId: proposalIds[0] } })).toBe(1);
  });

  it('answers typed replies as well as buttons: numbers and words', async () => {
    const chat = new TelegramChat(t);
    await script(chat, [
      ['hola', /idioma/],
      ['1', /¿Tienes 14 años/],
      ['sí', /¿Aceptas/],
      ['sí, acepto', /¡Gracias!/],
      ['la segunda', /Hacer una propuesta|título|proceso/i],
    ]);
  });

  it("takes Telegram's language_code as the first guess of the language", async () => {
    const chat = new TelegramChat(t);
    await chat.send(textUpdate(chat.chatId, '/start', { languageCode: 'en' }));
    expect(chat.text()).toMatch(/Hello! 👋 I'm Plaza/);
  });

  it('opens a deep-linked proposal right after onboarding', async () => {
    const chat = new TelegramChat(t);
    await script(chat, [
      [`/start proposal_${proposalIds[1]}`, /idioma/],
      [press('Español'), /14 años/],
      [press('Sí'), /¿Aceptas/],
      [press('Sí, acepto'), [/¡Gracias!/, /Propuesta de prueba número 2/]],
    ]);
    expect(chat.buttons()).toContain('Apoyar');
  });

  it('numbers the buttons and lays them out in rows', async () => {
    const chat = new TelegramChat(t);
    await chat.say('hola');
    expect(chat.keyboard().map((b) => b.text)).toEqual(['1. Español', '2. English']);
    const markup = chat.calls().at(-1)!.params.reply_markup as { inline_keyboard: unknown[][] };
    expect(markup.inline_keyboard).toHaveLength(1);
  });
});
