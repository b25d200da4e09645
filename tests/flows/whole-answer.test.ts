// A typed answer picks an option only when it is the whole answer (src/flows/ui.ts, WholeAnswerChoicePrompt):
// the button's words, the number alone, an ordinal, a synonym — not a word or a number inside a sentence.
// Each script below is what a citizen wrote that used to be taken as consent, a support, a sent proposal or
// a withdrawal (a probe through the Telegram webhook found them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposals, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let proposals: ProcessFixture;
let voting: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  proposals = await createProcess(db, { phase: 'proposals', title: 'Proceso abierto' });
  voting = await createProcess(db, { phase: 'voting', supportsPerParticipant: 3, title: 'Votación' });
  await createProposals(db, voting, 3);
});
afterAll(() => plaza?.cleanup());

const db = () => plaza.database.prisma;
const mine = (chat: Chat) => ({ participant: { accounts: { some: { externalId: chat.userId } } } });
const consents = (chat: Chat) => db().consentRecord.count({ where: { ...mine(chat), action: 'given' } });

const ASK_CONSENT = /¿Aceptas que tratemos tus datos/;
const NOT_UNDERSTOOD = /No te he entendido/;

describe('a sentence is not an answer', () => {
  it('questions and conditions at the consent question are not consent; the button is', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [...consentSteps.slice(0, 3)]);
    for (const said of [
      '¿y si no quiero?',
      'depende, si me explicas qué datos guardáis',
      'antes de decir que sí, ¿quién verá mis datos?',
      'ok pero quiero leer el aviso primero',
    ])
      await script(chat, [[said, [NOT_UNDERSTOOD, ASK_CONSENT]]]);
    expect(await consents(chat)).toBe(0);
    await script(chat, [['sí, acepto', /¡Gracias!/]]);
    expect(await consents(chat)).toBe(1);
  });

  it('a doubt at the age question is asked again, not taken for «no» (which locks a person out for a day)', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps.slice(0, 2),
      ['no sé si quiero, ¿para qué es esto?', [NOT_UNDERSTOOD, /¿Tienes 14 años o más\?/]],
      ['tengo 70 años', [NOT_UNDERSTOOD, /¿Tienes 14 años o más\?/]],
      ['sí', ASK_CONSENT],
    ]);
  });

  it('«no quiero apoyar esta» supports nothing; «quiero apoyar» does', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${voting.slug}`, /Fases/],
      [press('Ver y apoyar propuestas'), /página 1 de 1/],
      ['la primera', /0 apoyos/],
      ['no quiero apoyar esta', NOT_UNDERSTOOD],
    ]);
    expect(await db().support.count({ where: mine(chat) })).toBe(0);
    await script(chat, [['quiero apoyar', /¡Apoyo registrado!/]]);
    expect(await db().support.count({ where: mine(chat) })).toBe(1);
  });

  it('«espera que tengo 1 duda» at «¿La envías?» does not send the proposal', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${proposals.slug}`, /Puedes hacer propuestas/],
      [press('Hacer una propuesta'), /título/],
      ['Más bancos a la sombra en el parque', /explica tu propuesta/],
      [
        'Que pongan bancos bajo los árboles del parque grande, que en verano no hay dónde sentarse.',
        /categoría/,
      ],
      [press('Movilidad'), /¿La envías\?/],
      ['espera que tengo 1 duda', [NOT_UNDERSTOOD, /¿La envías\?/]],
    ]);
    expect(await db().proposal.count({ where: { processId: proposals.id } })).toBe(0);
    await script(chat, [['1', /la revisará el equipo de moderación/]]);
    expect(await db().proposal.count({ where: { processId: proposals.id } })).toBe(1);
  });

  it('a greeting at a question with buttons is greeted back and the question asked again', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [...consentSteps, ['¡Hola!', [/¡Hola! 👋/, /¿Qué quieres hacer\?/]]]);
    expect(chat.text()).not.toMatch(NOT_UNDERSTOOD);
    // Where words are expected, it is the words.
    await script(chat, [
      [`/start process_${proposals.slug}`, /Puedes hacer propuestas/],
      [press('Hacer una propuesta'), /título/],
      ['hola', /demasiado corto/],
    ]);
  });

  it('«ni de broma y no insistas» does not withdraw consent', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      ['retirar consentimiento', /¿Seguro que quieres retirar/],
      ['ni de broma y no insistas', [NOT_UNDERSTOOD, /¿Seguro que quieres retirar/]],
      ['no', /no cambia nada/i],
    ]);
    expect(await db().consentRecord.count({ where: { ...mine(chat), action: 'withdrawn' } })).toBe(0);
  });

  it('a number with a decimal part picks no option (botbuilder reads «1,5» as 1); «2.» is the second', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    for (const said of ['1,5', '1.5', '2.0', '2,50', 'la 1,5', 'dos coma cinco'])
      await script(chat, [[said, [NOT_UNDERSTOOD, /¿Qué quieres hacer\?/]]]);
    // A full stop after a whole number ends the sentence: the second option, «Hacer una propuesta».
    await script(chat, [
      [`/start process_${proposals.slug}`, /Puedes hacer propuestas/],
      ['1,5', [NOT_UNDERSTOOD, /¿Qué quieres hacer ahora\?/]],
      ['la 2.', /Escribe el título de tu propuesta/],
    ]);
  });

  it('«1,5» at «¿La envías?» does not send the proposal', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${proposals.slug}`, /Puedes hacer propuestas/],
      [press('Hacer una propuesta'), /título/],
      ['Fuentes de agua potable en la plaza', /explica tu propuesta/],
      ['Que pongan dos fuentes de agua potable en la plaza mayor, una a cada lado.', /categoría/],
      [press('Movilidad'), /¿La envías\?/],
      ['1,5', [NOT_UNDERSTOOD, /¿La envías\?/]],
      ['1.5', [NOT_UNDERSTOOD, /¿La envías\?/]],
    ]);
    expect(
      await db().proposal.count({
        where: { processId: proposals.id, title: 'Fuentes de agua potable en la plaza' },
      }),
    ).toBe(0);
  });
});
