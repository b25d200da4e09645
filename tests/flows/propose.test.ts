import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { caseJobOf, createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let open: ProcessFixture;
let closed: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  open = await createProcess(plaza.database.prisma, { phase: 'proposals', title: 'Proceso abierto' });
  closed = await createProcess(plaza.database.prisma, { phase: 'information', title: 'Proceso cerrado' });
});
afterAll(() => plaza?.cleanup());

async function consentedChat(): Promise<Chat> {
  const chat = new Chat(plaza.engine);
  await script(chat, consentSteps);
  return chat;
}

const TITLE = 'Más autobuses nocturnos los fines de semana';
const BODY = 'Que haya autobuses cada 30 minutos entre la 1 y las 5 de la madrugada los viernes y sábados.';

describe('submitting a proposal', () => {
  it('walks title → text → category → preview → send, stores it pending and enqueues moderation', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, [/Proceso abierto/, /Puedes hacer propuestas/]],
      [press('Hacer una propuesta'), [/Vas a hacer una propuesta en «Proceso abierto»/, /título/]],
      ['corto', [/demasiado corto \(5 caracteres; mínimo 10\)/, /título/]],
      [TITLE, /explica tu propuesta/],
      [BODY, /¿En qué categoría/],
      [press('Movilidad'), [/Así quedará tu propuesta/, TITLE, BODY, /Categoría: Movilidad/, /¿La envías\?/]],
      [press('Enviar'), /la revisará el equipo de moderación/],
    ]);
    const proposal = await plaza.database.prisma.proposal.findFirstOrThrow({ where: { processId: open.id } });
    expect(proposal).toMatchObject({
      title: TITLE,
      body: BODY,
      status: 'pending',
      categoryId: open.categories[0]!.id,
    });
    const job = await caseJobOf(plaza, proposal.id);
    expect(job?.data).toEqual({ caseId: expect.any(Number) });
  });

  it('lets the author edit one part from the preview and keeps the others', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      [BODY, /categoría/],
      ['2', /Categoría: Atención/],
      [press('Cambiar el título'), /título/],
      ['Un título distinto y suficientemente largo', [/Un título distinto/, BODY, /Categoría: Atención/]],
      ['enviar', /#\d+/],
    ]);
    const proposal = await plaza.database.prisma.proposal.findFirstOrThrow({
      where: { processId: open.id, title: 'Un título distinto y suficientemente largo' },
    });
    expect(proposal.categoryId).toBe(open.categories[1]!.id);
  });

  it('explains a body that is too long and keeps asking', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      ['x'.repeat(2001), [/demasiado largo \(2001 caracteres; máximo 2000\)/, /explica/]],
    ]);
  });

  it('says clearly when the process does not accept proposals', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${closed.slug}`, /Proceso cerrado/],
      ['menú', /¿Qué quieres hacer\? \(Proceso: Proceso cerrado\)/],
      [
        press('Hacer una propuesta'),
        [/Ahora no se pueden hacer propuestas en «Proceso cerrado»/, /Información/],
      ],
    ]);
  });

  it('"cancelar" mid-flow drops the draft, sends nothing and shows the menu', async () => {
    const chat = await consentedChat();
    const before = await plaza.database.prisma.proposal.count();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      ['cancelar', [/Cancelado/, /¿Qué quieres hacer\?/]],
      // Cancelled means dropped: the next proposal starts afresh.
      [press('Hacer una propuesta'), [/Vas a hacer una propuesta/, /título/]],
    ]);
    expect(chat.text()).not.toMatch(/a medias/);
    expect(await plaza.database.prisma.proposal.count()).toBe(before);
  });

  it('"ayuda" mid-flow explains and asks the same question again', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      ['ayuda', [/«menú» para volver/, /explica tu propuesta/]],
      [BODY, /categoría/],
    ]);
  });

  it('«privacidad» mid-flow shows the notice, and «Volver» goes back to the proposal, title kept', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      ['privacidad', [/Responsable del tratamiento/, /¿Qué quieres hacer ahora\?/]],
    ]);
    expect(chat.buttons()).toEqual(['Retirar mi consentimiento', 'Volver']);
    await script(chat, [
      [press('Volver'), /explica tu propuesta/],
      [BODY, /categoría/],
      [press('Movilidad'), [/Así quedará tu propuesta/, TITLE]],
    ]);
  });

  it('"menú" mid-flow goes back to the menu', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      ['menu', /¿Qué quieres hacer\?/],
      [press('Ranking'), /Ranking|Todavía no hay propuestas/],
    ]);
  });

  it('"menú" after the title and text keeps the draft: «Hacer una propuesta» goes on from it', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      [BODY, /categoría/],
      ['menú', /¿Qué quieres hacer\?/],
      [
        press('Hacer una propuesta'),
        [`Seguimos con la propuesta que dejaste a medias: «${TITLE}»`, /categoría/],
      ],
      [press('Movilidad'), [/Así quedará tu propuesta/, TITLE, BODY]],
      [press('Descartar'), /Propuesta descartada/],
      // Discarded: gone for good.
      [press('Hacer una propuesta'), [/Vas a hacer una propuesta/, /título/]],
    ]);
  });

  it('a category removed before «Enviar» keeps the title and text and asks for the category again', async () => {
    const db = plaza.database.prisma;
    const proc = await createProcess(db, { phase: 'proposals', title: 'Proceso de categorías' });
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${proc.slug}`, /Proceso de categorías/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      [BODY, /categoría/],
      [press('Atención'), [/Categoría: Atención/, /¿La envías\?/]],
    ]);
    // Staff replace the (unused) category meanwhile.
    await db.category.delete({ where: { id: proc.categories[1]!.id } });
    await db.category.create({
      data: { processId: proc.id, key: 'servicios', label: { es: 'Servicios', en: 'Services' }, position: 3 },
    });
    await script(chat, [[press('Enviar propuesta'), [/Esa categoría ya no existe/, /¿En qué categoría/]]]);
    expect(chat.buttons()).toEqual(expect.arrayContaining(['Movilidad', 'Servicios']));
    expect(chat.buttons()).not.toContain('Atención');
    await script(chat, [
      [press('Servicios'), [/Así quedará tu propuesta/, TITLE, BODY, /Categoría: Servicios/]],
      [press('Enviar propuesta'), /¡Recibida!/],
    ]);
    const proposal = await db.proposal.findFirstOrThrow({ where: { processId: proc.id } });
    expect(proposal).toMatchObject({ title: TITLE, body: BODY });
  });

  it('a category removed before «Enviar», then «menú»: the draft is still there', async () => {
    const db = plaza.database.prisma;
    const proc = await createProcess(db, { phase: 'proposals', title: 'Proceso de categorías 2' });
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${proc.slug}`, /Proceso de categorías 2/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      [BODY, /categoría/],
      [press('Atención'), /¿La envías\?/],
    ]);
    await db.category.delete({ where: { id: proc.categories[1]!.id } });
    await script(chat, [
      [press('Enviar propuesta'), /¿En qué categoría/],
      ['menú', /¿Qué quieres hacer\?/],
      [press('Hacer una propuesta'), [`dejaste a medias: «${TITLE}»`, /¿En qué categoría/]],
    ]);
  });

  it('a draft is kept for its own process only, and is gone once sent', async () => {
    const other = await createProcess(plaza.database.prisma, { phase: 'proposals', title: 'Otro proceso' });
    const chat = await consentedChat();
    await script(chat, [
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), /título/],
      [TITLE, /explica/],
      [`/start process_${other.slug}`, /Otro proceso/],
      [press('Hacer una propuesta'), [/Vas a hacer una propuesta en «Otro proceso»/, /título/]],
      [`/start process_${open.slug}`, /Proceso abierto/],
      [press('Hacer una propuesta'), [/dejaste a medias: «Más autobuses/, /explica tu propuesta/]],
      [BODY, /categoría/],
      [press('Movilidad'), /¿La envías\?/],
      [press('Enviar propuesta'), /¡Recibida!/],
      [press('Hacer una propuesta'), [/Vas a hacer una propuesta/, /título/]],
    ]);
  });
});
