// A typed answer picks an option only when it is the whole answer (src/flows/ui.ts, WholeAnswerChoicePrompt):
// the button's words, the number alone, an ordinal, a synonym — not a word or a number inside a sentence.
// Each script below is what a citizen wrote that used to be taken as consent, a support, a sent proposal or
// a withdrawal (a probe through the Telegram webhook found them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Chat,
  consentSteps,
  englishConsentSteps,
  press,
  script,
  type Step,
} from '../support/conversation.ts';
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

describe('the ways people say yes and no', () => {
  const THANKS = { es: /¡Gracias! Ya puedes participar/, en: /Thank you! You can take part now/ };
  const DECLINED = { es: /respetamos tu decisión/, en: /we respect your decision/ };
  const RETRY = { es: NOT_UNDERSTOOD, en: /Sorry, I didn't get that/ };
  const ASK_AGE = { es: /¿Tienes 14 años o más\?/, en: /Are you 14 or older\?/ };
  const CONFIRM_UNDER = { es: /¿tienes menos de 14 años\?/, en: /are you under 14\?/ };
  const steps = { es: consentSteps, en: englishConsentSteps };

  /** A new conversation in `lang`, answered up to the question `upTo` steps in (2: the age, 3: consent). */
  async function at(lang: 'es' | 'en', upTo: 2 | 3) {
    const chat = new Chat(plaza.engine);
    await script(chat, steps[lang].slice(0, upTo) as Step[]);
    return chat;
  }

  /** Each answer in a conversation of its own, at the consent question: what the bot must say. */
  async function atConsent(lang: 'es' | 'en', answers: string[], expected: RegExp, given: number) {
    for (const said of answers) {
      const chat = await at(lang, 3);
      await chat.say(said);
      expect(chat.text(), `${lang}: «${said}»`).toMatch(expected);
      expect(await consents(chat), `${lang}: «${said}»`).toBe(given);
    }
  }

  it('takes the natural ways of agreeing, in either language, as consent', async () => {
    const english = [
      'I accept',
      'accept',
      'agree',
      'I agree',
      'sure',
      '👍',
      '👍🏽',
      'yes, I accept',
      'Yes, I agree.',
      'I agree, thanks',
      'of course',
      'yeah',
    ];
    const spanish = [
      'Acepto',
      'de acuerdo',
      'vale',
      'sí, acepto',
      'claro que sí',
      'por supuesto',
      'estoy de acuerdo',
      '👍',
    ];
    await atConsent('en', english, THANKS.en, 1);
    await atConsent('es', spanish, THANKS.es, 1);
    // Said in the other language than the conversation's, it is the same answer.
    await atConsent('en', ['acepto', 'vale'], THANKS.en, 1);
    await atConsent('es', ['I accept', 'sure'], THANKS.es, 1);
  });

  it('never takes a refusal for consent: «I do not agree» says no, whatever words it shares with yes', async () => {
    const english = [
      'I do not agree',
      "I don't agree",
      'I do not accept',
      "I don't accept",
      'I disagree',
      'no, I do not agree',
      'of course not',
      'no thanks',
      '👎',
    ];
    const spanish = [
      'no acepto',
      'no estoy de acuerdo',
      'claro que no',
      'por supuesto que no',
      'no, gracias',
      '👎',
    ];
    await atConsent('en', english, DECLINED.en, 0);
    await atConsent('es', spanish, DECLINED.es, 0);
    // Neither yes nor no: asked again.
    const unsure = ['not sure', "I'm not sure", 'I do not know if I agree', 'agree to what?', '👍 👎'];
    await atConsent('en', unsure, RETRY.en, 0);
    await atConsent('es', ['no sé si acepto', 'de acuerdo no', 'vale, no', 'claro, pero no'], RETRY.es, 0);
  });

  it('reads the same words alike at every yes/no question (the age), and not at «are you under 14?»', async () => {
    for (const [lang, yes, no] of [
      ['en', ['sure', 'I agree', 'of course', '👍'], ["I don't agree", 'nope', 'of course not', '👎']],
      ['es', ['claro que sí', 'por supuesto', 'vale', '👍'], ['claro que no', 'para nada', '👎']],
    ] as const) {
      for (const said of yes) {
        const chat = await at(lang, 2);
        await script(chat, [[said, /Do you agree|¿Aceptas que tratemos/]]);
      }
      for (const said of no) {
        const chat = await at(lang, 2);
        await script(chat, [[said, CONFIRM_UNDER[lang]]]);
        // At «are you under 14?» no yes or no is taken, whichever words: asked again.
        for (const again of [...yes, ...no])
          await script(chat, [[again, [RETRY[lang], CONFIRM_UNDER[lang]]]]);
      }
      const unsure = await at(lang, 2);
      await script(unsure, [[lang === 'en' ? 'not sure' : 'no sé', [RETRY[lang], ASK_AGE[lang]]]]);
    }
  });
});
