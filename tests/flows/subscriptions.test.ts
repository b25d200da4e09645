import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chat, consentSteps, englishConsentSteps, press, script } from '../support/conversation.ts';
import { createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let budget: ProcessFixture;
let parks: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  budget = await createProcess(db, { phase: 'proposals', title: 'Presupuestos de barrio' });
  parks = await createProcess(db, { phase: 'voting', title: 'Parques y jardines' });
});
afterAll(() => plaza?.cleanup());

const SUBSCRIBE = 'Recibir novedades de este proceso';
const UNSUBSCRIBE = 'Dejar de recibir novedades';
const ASK = /¿Quieres que te enviemos novedades de este proceso \(fases, resultados\)\? .*«baja»/;

const whose = (chat: Chat) => ({ participant: { accounts: { some: { externalId: chat.userId } } } });
const subscriptionsOf = async (chat: Chat) =>
  (
    await plaza.database.prisma.subscription.findMany({ where: whose(chat), orderBy: { processId: 'asc' } })
  ).map((s) => s.processId);
const updatesLedgerOf = async (chat: Chat) =>
  (
    await plaza.database.prisma.consentRecord.findMany({
      where: { ...whose(chat), purpose: 'updates' },
      orderBy: { id: 'asc' },
    })
  ).map((r) => r.action);

/** A consenting Spanish speaker subscribed to the budget process (answering the consent question). */
async function subscribedChat(): Promise<Chat> {
  const chat = new Chat(plaza.engine);
  await script(chat, [
    ...consentSteps,
    [`/start process_${budget.slug}`, /Presupuestos de barrio/],
    [press(SUBSCRIBE), ASK],
    [press('Sí'), /Hecho: te enviaremos las novedades de «Presupuestos de barrio»/],
  ]);
  return chat;
}

describe('subscribing to a process', () => {
  it('asks for the updates consent once; the second process subscribes without asking again', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [...consentSteps, [`/start process_${budget.slug}`, /Presupuestos de barrio/]]);
    expect(chat.buttons()).toContain(SUBSCRIBE);
    await script(chat, [
      [press(SUBSCRIBE), ASK],
      [
        press('Sí'),
        [
          /Hecho: te enviaremos las novedades de «Presupuestos de barrio»/,
          /¿Qué quieres hacer\? \(Proceso: Presupuestos de barrio\)/,
        ],
      ],
      [`/start process_${parks.slug}`, /Parques y jardines/],
      [press(SUBSCRIBE), /Hecho: te enviaremos las novedades de «Parques y jardines»/],
    ]);
    expect(chat.text()).not.toMatch(/¿Quieres que te enviemos/);
    expect(await subscriptionsOf(chat)).toEqual([budget.id, parks.id]);
    expect(await updatesLedgerOf(chat)).toEqual(['given']);

    // Its page now offers to stop them instead.
    await script(chat, [[`/start process_${parks.slug}`, /Parques y jardines/]]);
    expect(chat.buttons()).toContain(UNSUBSCRIBE);
    expect(chat.buttons()).not.toContain(SUBSCRIBE);
    await script(chat, [[press(UNSUBSCRIBE), /Hecho: ya no recibirás novedades de «Parques y jardines»/]]);
    expect(await subscriptionsOf(chat)).toEqual([budget.id]);
  });

  it('respects a "no": nothing is recorded, and the question comes back next time', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${budget.slug}`, /Presupuestos de barrio/],
      [press(SUBSCRIBE), ASK],
      [press('No'), [/De acuerdo, no te enviaremos novedades/, /¿Qué quieres hacer\?/]],
      [`/start process_${budget.slug}`, /Presupuestos de barrio/],
      [press(SUBSCRIBE), ASK],
      ['quizá', [/Contesta «sí» o «no»/, ASK]],
    ]);
    expect(await subscriptionsOf(chat)).toEqual([]);
    expect(await updatesLedgerOf(chat)).toEqual([]);
  });

  it('lists the subscriptions in «Mis suscripciones»; each can be dropped, one at a time, and back', async () => {
    const chat = await subscribedChat();
    await script(chat, [
      [`/start process_${parks.slug}`, /Parques y jardines/],
      [press(SUBSCRIBE), /Hecho/],
      [
        press('Mis suscripciones'),
        [/Recibes novedades de estos procesos:/, /1\. Presupuestos de barrio\n2\. Parques y jardines/],
      ],
    ]);
    expect(chat.buttons()).toEqual(['Presupuestos de barrio', 'Parques y jardines', 'Menú']);
    await script(chat, [
      [
        press('Presupuestos de barrio'),
        [/Hecho: ya no recibirás novedades de «Presupuestos de barrio»/, /1\. Parques y jardines/],
      ],
    ]);
    expect(chat.buttons()).toEqual(['Parques y jardines', 'Menú']);
    expect(await subscriptionsOf(chat)).toEqual([parks.id]);
    await script(chat, [
      [press('Menú'), /¿Qué quieres hacer\?/],
      [press('Mis suscripciones'), /1\. Parques y jardines/],
      ['1', [/ya no recibirás novedades de «Parques y jardines»/, /No recibes novedades de ningún proceso/]],
    ]);
    expect(chat.text()).toMatch(/¿Qué quieres hacer\?/);
    expect(await subscriptionsOf(chat)).toEqual([]);
  });

  it('says so when there is nothing in «Mis suscripciones»', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [
        press('Mis suscripciones'),
        [
          /No recibes novedades de ningún proceso. Puedes suscribirte desde la página/,
          /¿Qué quieres hacer\?/,
        ],
      ],
    ]);
  });
});

describe('«baja» at any step', () => {
  it('in the middle of a proposal: unsubscribes from everything and asks the pending question again', async () => {
    const chat = await subscribedChat();
    await script(chat, [
      [`/start process_${parks.slug}`, /Parques y jardines/],
      [press(SUBSCRIBE), /Hecho/],
      [`/start process_${budget.slug}`, /Presupuestos de barrio/],
      [press('Hacer una propuesta'), /Escribe el título/],
      [
        'baja',
        [
          /Ya no recibirás novedades de ningún proceso ni avisos de comentarios nuevos en las propuestas que seguías\. Puedes volver a suscribirte desde cada proceso\./,
          /Escribe el título de tu propuesta/,
        ],
      ],
      ['Más bancos a la sombra en el parque', /explica tu propuesta/],
    ]);
    expect(await subscriptionsOf(chat)).toEqual([]);
    expect(await updatesLedgerOf(chat)).toEqual(['given', 'withdrawn']);

    // Subscribing again asks for the updates consent again.
    await script(chat, [
      ['cancelar', /Cancelado/],
      [`/start process_${budget.slug}`, /Presupuestos de barrio/],
      [press(SUBSCRIBE), ASK],
    ]);
  });

  it.each(['/stop', 'stop', 'Darme de baja', 'unsubscribe'])(
    '"%s" works too, from the menu',
    async (word) => {
      const chat = await subscribedChat();
      await script(chat, [[word, [/Ya no recibirás novedades de ningún proceso/, /¿Qué quieres hacer\?/]]]);
      expect(await subscriptionsOf(chat)).toEqual([]);
    },
  );

  it('with «Mis suscripciones» on screen: the menu follows, not the list of what just ended', async () => {
    const chat = await subscribedChat();
    await script(chat, [
      [press('Mis suscripciones'), /1\. Presupuestos de barrio/],
      ['baja', [/Ya no recibirás novedades de ningún proceso/, /¿Qué quieres hacer\?/]],
    ]);
    expect(chat.text()).not.toMatch(/Recibes novedades de estos procesos/);
    expect(chat.buttons()).not.toContain('Presupuestos de barrio');
    expect(await subscriptionsOf(chat)).toEqual([]);
  });

  it('is only a command as a whole message', async () => {
    const chat = await subscribedChat();
    await script(chat, [
      [press('Hacer una propuesta'), /Escribe el título/],
      ['Dar de baja el vado de mi calle', /explica tu propuesta/],
    ]);
    expect(await subscriptionsOf(chat)).toEqual([budget.id]);
  });

  it('with nothing to stop after consent: says so, as before consent', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [
        'baja',
        [
          /No tienes ninguna suscripción, así que no hay nada de lo que darte de baja/,
          /¿Qué quieres hacer\?/,
        ],
      ],
    ]);
  });

  it('before consent: there is nothing to unsubscribe from, and the question comes back', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps.slice(0, 2),
      [
        'baja',
        [
          /No tienes ninguna suscripción, así que no hay nada de lo que darte de baja/,
          /¿Tienes 14 años o más\?/,
        ],
      ],
    ]);
    expect(await plaza.database.prisma.channelAccount.count({ where: { externalId: chat.userId } })).toBe(0);
  });

  it('speaks English', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...englishConsentSteps,
      [`/start process_${budget.slug}`, /Process /],
      [press('Get updates on this process'), /Would you like us to send you updates on this process/],
      [press('Yes'), /Done: we will send you the updates on "Process /],
      ['stop', [/You will no longer get updates on any process/, /What would you like to do\?/]],
    ]);
    expect(await subscriptionsOf(chat)).toEqual([]);
  });
});

describe('withdrawing consent', () => {
  it('ends every subscription and the updates consent; after consenting again, the question is asked again', async () => {
    const chat = await subscribedChat();
    await script(chat, [
      ['retirar consentimiento', /Dejarás de poder participar y de recibir novedades/],
      [press('Sí'), /has retirado tu consentimiento/],
    ]);
    expect(await subscriptionsOf(chat)).toEqual([]);
    expect(await updatesLedgerOf(chat)).toEqual(['given', 'withdrawn']);
    await script(chat, [
      ['baja', /No tienes ninguna suscripción/],
      ...consentSteps.slice(1),
      [`/start process_${budget.slug}`, /Presupuestos de barrio/],
      [press(SUBSCRIBE), ASK],
    ]);
  });
});
