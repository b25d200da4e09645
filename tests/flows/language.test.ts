// Changing the language mid-conversation: the question that was pending comes back in the new language,
// its buttons too, and nothing already done is asked again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let open: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  open = await createProcess(plaza.database.prisma, { phase: 'proposals', title: 'Proceso abierto' });
});
afterAll(() => plaza?.cleanup());

async function consentedChat(): Promise<Chat> {
  const chat = new Chat(plaza.engine);
  await script(chat, consentSteps);
  return chat;
}

const SPANISH = /¿Qué quieres hacer|Hablaremos|título|¿Tienes 14|¿Aceptas/;

describe('the language question', () => {
  it('asks again in both languages when the answer is not one of them', async () => {
    const chat = new Chat(plaza.engine, { locale: 'pt-BR' });
    await script(chat, [
      ['olá', /Which language do you prefer\?/],
      [
        'português',
        [
          /No te he entendido: pulsa un botón\. \/ Sorry, I didn't get that: press a button\./,
          /Which language/,
        ],
      ],
      [press('English'), /Are you 14 or older\?/],
    ]);
  });
});

describe('changing the language', () => {
  it('«idioma» at the menu: the menu comes back in English, buttons included', async () => {
    const chat = await consentedChat();
    await script(chat, [
      ['idioma', /Which language do you prefer\?/],
      [press('English'), [/We'll talk in English\./, /What would you like to do\?/]],
    ]);
    expect(chat.text()).not.toMatch(SPANISH);
    expect(chat.buttons()).toContain('Make a proposal');
    // The English buttons work, typed or pressed.
    await script(chat, [
      ['idioma', /Which language/],
      [press('Español'), [/Hablaremos en español/, /¿Qué quieres hacer\?/]],
    ]);
    expect(chat.text()).not.toMatch(/What would you like/);
    expect(chat.buttons()).toContain('Hacer una propuesta');
  });

  it('the menu’s own language button: the menu again, in the new language', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [press('Idioma / Language'), /Which language/],
      [press('English'), [/We'll talk in English\./, /What would you like to do\?/]],
    ]);
    expect(chat.text()).not.toMatch(SPANISH);
    expect(chat.buttons()).toContain('Make a proposal');
  });

  it('during onboarding: the pending question in the new language, the language not asked again', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps.slice(0, 2),
      ['idioma', /Which language/],
      [press('English'), [/We'll talk in English\./, /Are you 14 or older\?/]],
    ]);
    expect(chat.text()).not.toMatch(/Which language|Hello! 👋/);
    expect(chat.text()).not.toMatch(SPANISH);
    await script(chat, [
      [press('Yes'), /Do you agree/],
      ['idioma', /Which language/],
      [press('Español'), [/Hablaremos en español/, /¿Aceptas que tratemos tus datos/]],
      [press('Sí, acepto'), [/¡Gracias!/, /¿Qué quieres hacer\?/]],
    ]);
    const participant = await plaza.database.prisma.participant.findFirstOrThrow({
      where: { accounts: { some: { externalId: chat.userId } } },
    });
    expect(participant.locale).toBe('es');
  });

  it('writing a proposal: the pending question in English, the title already written kept', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      ['Más autobuses nocturnos los fines de semana', /explica tu propuesta/],
      ['idioma', /Which language/],
      [press('English'), [/We'll talk in English\./, /Now explain your proposal/]],
    ]);
    expect(chat.text()).not.toMatch(SPANISH);
    await script(chat, [
      ['Que haya autobuses cada 30 minutos entre la 1 y las 5 de la madrugada.', /Which category/i],
    ]);
  });
});
