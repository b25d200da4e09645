import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposal, createProposals, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let voting: ProcessFixture;
let results: ProcessFixture;
let votingIds: number[];
let resultsIds: number[];
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  voting = await createProcess(db, { phase: 'voting', supportsPerParticipant: 2, title: 'Votación abierta' });
  results = await createProcess(db, { phase: 'results', title: 'En resultados' });
  votingIds = await createProposals(db, voting, 7);
  resultsIds = await createProposals(db, results, 1);
});
afterAll(() => plaza?.cleanup());

async function chatIn(process: ProcessFixture): Promise<Chat> {
  const chat = new Chat(plaza.engine);
  await script(chat, [...consentSteps, [`/start process_${process.slug}`, /Fases/]]);
  return chat;
}

const supportsOf = (chat: Chat) =>
  plaza.database.prisma.support.count({
    where: { participant: { accounts: { some: { externalId: chat.userId } } } },
  });

describe('supporting proposals', () => {
  it('browses page by page, opens one, supports it and sees the count', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      [press('Ver y apoyar propuestas'), [/página 1 de 2, 7 en total/, /1\. Propuesta de prueba número 7/]],
      [press('Más propuestas'), [/página 2 de 2/, /Propuesta de prueba número 2/]],
      [press('Anteriores'), /página 1 de 2/],
      ['la segunda', [/#\d+ Propuesta de prueba número 6/, /0 apoyos/]],
      [
        press('Apoyar'),
        [/¡Apoyo registrado! Has usado 1 de 2 apoyos; te queda 1/, /1 apoyo\b/, /Ya la apoyas/],
      ],
    ]);
    expect(await supportsOf(chat)).toBe(1);
  });

  it('a typed number picks that position, even when titles contain numbers', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      [press('Ver y apoyar propuestas'), /1\. Propuesta de prueba número 7/],
      ['3', /#\d+ Propuesta de prueba número 5\n/],
      [press('Volver a la lista'), /página 1 de 2/],
      ['el 1', /Propuesta de prueba número 7\n/],
    ]);
  });

  it('refuses a second support of the same proposal and offers to withdraw it instead', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      [`/start proposal_${votingIds[0]}`, /Propuesta de prueba número 1/],
      [press('Apoyar'), /Apoyo registrado/],
      ['apoyar', /No te he entendido/],
    ]);
    expect(chat.buttons()).toContain('Retirar mi apoyo');
    expect(await supportsOf(chat)).toBe(1);
  });

  it('enforces the process limit with a clear answer', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      [`/start proposal_${votingIds[0]}`, /número 1/],
      [press('Apoyar'), /te queda 1/],
      [`/start proposal_${votingIds[1]}`, /número 2/],
      [press('Apoyar'), /te quedan 0/],
      [`/start proposal_${votingIds[2]}`, /número 3/],
      [press('Apoyar'), /Ya has usado tus 2 apoyos en este proceso/],
    ]);
    expect(await supportsOf(chat)).toBe(2);
  });

  it('withdraws a support while voting is open, freeing a slot', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      [`/start proposal_${votingIds[3]}`, /número 4/],
      [press('Apoyar'), /Apoyo registrado/],
      [press('Retirar mi apoyo'), [/Has retirado tu apoyo/, /0 apoyos/]],
    ]);
    expect(await supportsOf(chat)).toBe(0);
  });

  it('explains that supports are only accepted during voting', async () => {
    const chat = await chatIn(results);
    await script(chat, [
      [`/start proposal_${resultsIds[0]}`, /Propuesta de prueba número 1/],
      [press('Apoyar'), /solo durante la fase de votación/],
    ]);
    expect(await supportsOf(chat)).toBe(0);
  });

  it('shows the current ranking', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      [
        press('Ranking'),
        [/Ranking de «Votación abierta»/, /1\. Propuesta de prueba número \d+ — \d+ apoyos?/],
      ],
    ]);
  });

  it('answers an unknown proposal link without breaking the conversation', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      ['/start proposal_999999', [/No he encontrado esa propuesta/, /¿Qué quieres hacer\?/]],
      // Too long a number, or no link at all: said so, then the menu.
      [
        '/start proposal_99999999999999999999',
        [/Ese enlace no lleva a ninguna propuesta ni a ningún proceso/, /¿Qué quieres hacer\?/],
      ],
      ['/start proceso_x', [/Ese enlace no lleva a ninguna propuesta/, /¿Qué quieres hacer\?/]],
    ]);
  });

  it('an unknown process link is said to, and the person picks a process: none is opened in its place', async () => {
    const chat = await chatIn(voting);
    await script(chat, [
      ['/start process_no-existe', [/No he encontrado ese proceso/, /¿Qué proceso quieres ver\?/]],
    ]);
    expect(chat.text()).not.toMatch(/Votación abierta\n/);
  });

  // Button titles are cut to 32 characters, and a press arrives as the button's title.
  describe('the list’s buttons', () => {
    const SMALL = 'Oficinas móviles en los pueblos pequeños';
    const LARGE = 'Oficinas móviles en los pueblos grandes también';
    let offices: ProcessFixture;
    let small: number;
    let large: number;
    beforeAll(async () => {
      const db = plaza.database.prisma;
      offices = await createProcess(db, { phase: 'voting', title: 'Oficinas' });
      small = await createProposal(db, offices, { title: SMALL });
      large = await createProposal(db, offices, { title: LARGE });
    });

    it('two titles that start alike get buttons of their own, numbered as in the list: each opens its own', async () => {
      const chat = await chatIn(offices);
      await script(chat, [[press('Ver y apoyar propuestas'), [`1. ${LARGE} —`, `2. ${SMALL} —`]]]);
      // Each button pressed (its title comes back as text), in the order the list shows them.
      const [newer, older] = chat.buttons();
      await script(chat, [
        [older!, [`#${small} ${SMALL}\n`, /0 apoyos/]],
        [press('Volver a la lista'), /página 1 de 1/],
        [newer!, `#${large} ${LARGE}\n`],
        [press('Volver a la lista'), /página 1 de 1/],
      ]);
      expect(chat.buttons()).toEqual([
        '1. Oficinas móviles en los pueb…',
        '2. Oficinas móviles en los pueb…',
        'Menú',
      ]);
    });

    it('a title typed in full, as the list shows it, opens that proposal; its words inside a sentence do not', async () => {
      const chat = await chatIn(offices);
      await script(chat, [
        [press('Ver y apoyar propuestas'), /página 1 de 1/],
        [SMALL, `#${small} ${SMALL}\n`],
        [press('Volver a la lista'), /página 1 de 1/],
        [LARGE.toLowerCase(), `#${large} ${LARGE}\n`],
        [press('Volver a la lista'), /página 1 de 1/],
        ['pues los pueblos pequeños me parecen más urgentes', [/No te he entendido/, /página 1 de 1/]],
      ]);
    });

    it('a proposal titled like a button of the page does not take that button: navigation wins', async () => {
      const db = plaza.database.prisma;
      const process = await createProcess(db, { phase: 'voting', title: 'Paginación' });
      await createProposals(db, process, 5);
      const named = await createProposal(db, process, { title: 'Más propuestas' });
      const chat = await chatIn(process);
      await script(chat, [
        [press('Ver y apoyar propuestas'), [/página 1 de 2, 6 en total/, /1\. Más propuestas —/]],
        // The pagination button, pressed: its title comes back as text.
        ['Más propuestas', /página 2 de 2/],
        [press('Anteriores'), /página 1 de 2/],
        ['más', /página 2 de 2/],
        [press('Anteriores'), /página 1 de 2/],
      ]);
      expect(chat.buttons()).toEqual([
        '1. Más propuestas',
        'Propuesta de prueba número 5',
        'Propuesta de prueba número 4',
        'Propuesta de prueba número 3',
        'Propuesta de prueba número 2',
        'Más propuestas',
        'Menú',
      ]);
      await script(chat, [['1. Más propuestas', `#${named} Más propuestas\n`]]);
    });

    it('a proposal titled like a command («Ayuda», «/menu») is opened by its button, numbered; typed, the command runs', async () => {
      const db = plaza.database.prisma;
      const process = await createProcess(db, { phase: 'voting', title: 'Palabras de orden' });
      const help = await createProposal(db, process, { title: 'Ayuda' });
      const menu = await createProposal(db, process, { title: '¿Menú?' });
      const chat = await chatIn(process);
      await script(chat, [[press('Ver y apoyar propuestas'), /página 1 de 1, 2 en total/]]);
      expect(chat.buttons()).toEqual(['1. ¿Menú?', '2. Ayuda', 'Menú']);
      await script(chat, [
        [press('2. Ayuda'), `#${help} Ayuda\n`],
        [press('Volver a la lista'), /página 1 de 1/],
        [press('1. ¿Menú?'), `#${menu} ¿Menú?\n`],
        [press('Volver a la lista'), /página 1 de 1/],
        ['ayuda', /Con Plaza puedes leer/],
      ]);
    });
  });
});
