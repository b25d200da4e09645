// «Procesos» with more processes than one page: those open to participation first, «Más procesos» for the
// rest, and a process's slug typed picks it from any page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let open: ProcessFixture;
let proposing: ProcessFixture;
const closed: ProcessFixture[] = [];
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  // The oldest processes are the ones open to participation; 22 newer ones are past it.
  open = await createProcess(db, { phase: 'voting', title: 'Presupuestos participativos' });
  proposing = await createProcess(db, { phase: 'proposals', title: 'Ideas para el barrio' });
  for (let i = 0; i < 22; i++)
    closed.push(await createProcess(db, { phase: 'results', title: `Proceso cerrado ${i + 1}` }));
});
afterAll(() => plaza?.cleanup());

describe('«Procesos» beyond one page', () => {
  it('lists the processes open to participation first, and pages the rest with «Más procesos»', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [
        press('Procesos'),
        [
          '¿Qué proceso quieres ver?',
          '1. Ideas para el barrio — Propuestas',
          '2. Presupuestos participativos — Votación',
          '3. Proceso cerrado 22 — Resultados',
          '20. Proceso cerrado 5 — Resultados',
        ],
      ],
    ]);
    expect(chat.text()).not.toContain('Proceso cerrado 4 ');
    expect(chat.buttons()).toContain('Más procesos');
    await script(chat, [
      [press('Más procesos'), ['1. Proceso cerrado 4 — Resultados', '4. Proceso cerrado 1 — Resultados']],
    ]);
    expect(chat.text()).not.toContain('Proceso cerrado 5 ');
    expect(chat.buttons()).not.toContain('Más procesos');
    await script(chat, [[press('Proceso cerrado 1'), ['Proceso cerrado 1', 'Fase actual: Resultados']]]);
  });

  it('the open process is reached from «Procesos» by its number, its title or its slug', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [press('Procesos'), '2. Presupuestos participativos'],
      ['2', ['Presupuestos participativos', 'Fase actual: Votación']],
      ['menú', '¿Qué quieres hacer?'],
      [press('Procesos'), '¿Qué proceso quieres ver?'],
      ['Presupuestos participativos', 'Fase actual: Votación'],
      ['menú', '¿Qué quieres hacer?'],
      [press('Procesos'), '¿Qué proceso quieres ver?'],
      [open.slug, 'Fase actual: Votación'],
    ]);
  });

  it('a slug typed picks a process on a later page; one that names none is not understood, the page asked again', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [press('Procesos'), '¿Qué proceso quieres ver?'],
      [closed[0]!.slug, ['Proceso cerrado 1', 'Fase actual: Resultados']],
      ['menú', '¿Qué quieres hacer?'],
      [press('Procesos'), '¿Qué proceso quieres ver?'],
      ['no-hay-tal-proceso', ['No te he entendido.', '¿Qué proceso quieres ver?', '1. Ideas para el barrio']],
      [press('Más procesos'), '1. Proceso cerrado 4'],
      ['ni-este-tampoco', ['No te he entendido.', '1. Proceso cerrado 4']],
    ]);
    expect(proposing.id).toBeGreaterThan(open.id);
  });
});
