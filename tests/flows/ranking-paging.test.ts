// The ranking and the results beyond their first ten: «Ver más» shows the next ten, numbered on from the
// previous page; the last page has no «Ver más», and the menu comes back after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposals, type ProcessFixture } from '../support/fixtures.ts';
import { createClosedProcess } from '../support/closed-voting.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let closed: ProcessFixture;
let open: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  // No supports: the ranking is the proposals' order of creation, «número N» at position N.
  closed = await createClosedProcess(db, 'Barrios vivos');
  await createProposals(db, closed, 23);
  open = await createProcess(db, { phase: 'voting', title: 'Votación abierta' });
  await createProposals(db, open, 23);
});
afterAll(() => plaza?.cleanup());

async function rankingOf(process: ProcessFixture): Promise<Chat> {
  const chat = new Chat(plaza.engine, { channelId: 'console' });
  await script(chat, [...consentSteps, [`/start process_${process.slug}`, /Fase actual/]]);
  await chat.press('Ranking');
  return chat;
}

const line = (n: number, outcome = '') => `${n}. Propuesta de prueba número ${n} — 0 apoyos${outcome}`;

describe('results beyond the first ten', () => {
  it('«Ver más» shows positions 11–20, then 21–23, then the menu comes back', async () => {
    const chat = await rankingOf(closed);
    expect(chat.text()).toContain('Resultados de «Barrios vivos»');
    expect(chat.text()).toContain(line(10, ' · pendiente de decisión'));
    expect(chat.text()).not.toContain('número 11 ');
    expect(chat.text()).toContain('Y 13 propuestas más.');
    expect(chat.buttons()).toContain('Ver más');
    await script(chat, [
      [
        press('Ver más'),
        [
          'Resultados de «Barrios vivos»',
          line(11, ' · pendiente de decisión'),
          line(20, ' · pendiente de decisión'),
          'Y 3 propuestas más.',
        ],
      ],
    ]);
    expect(chat.text()).not.toMatch(/número (10|21) /);
    await script(chat, [
      ['más', [line(21, ' · pendiente de decisión'), line(23, ' · pendiente de decisión')]],
    ]);
    expect(chat.text()).not.toContain('número 20 ');
    expect(chat.text()).not.toContain('propuestas más');
    expect(chat.buttons()).not.toContain('Ver más');
    expect(chat.buttons().length).toBeGreaterThan(0);
  });
});

describe('the ranking so far beyond the first ten', () => {
  it('says more follow, and «Ver más» shows positions 11–20 and then 21–23', async () => {
    const chat = await rankingOf(open);
    expect(chat.text()).toContain('Ranking de «Votación abierta»');
    expect(chat.text()).toContain(line(10));
    expect(chat.text()).not.toContain('número 11 ');
    expect(chat.text()).toContain('Hay más propuestas en el ranking.');
    await script(chat, [[press('Ver más'), [line(11), line(20), 'Hay más propuestas en el ranking.']]]);
    expect(chat.text()).not.toMatch(/número (10|21) /);
    await script(chat, [[press('Ver más'), [line(21), line(23)]]]);
    expect(chat.text()).not.toContain('Hay más propuestas');
    expect(chat.buttons()).not.toContain('Ver más');
  });

  it('«Menú» instead of «Ver más» goes back to the menu', async () => {
    const chat = await rankingOf(open);
    await script(chat, [[press('Menú'), '¿Qué quieres hacer']]);
  });
});
