// «Talleres y eventos» as scripts: from a process's page, the upcoming events with date (process time zone),
// place and places left or waiting list; register with a confirmation; see my registrations; cancel one
// with a confirmation — in Spanish and in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../src/domain/create-event.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { withdrawConsent } from '../../src/domain/withdraw-consent.ts';
import { Chat, consentSteps, press, script, type Step } from '../support/conversation.ts';
import {
  createParticipant,
  createProcess,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let process: ProcessFixture;
let workshop: number;
let results: number;
const db = () => plaza.database.prisma;
const DAY = 24 * 3600_000;

// A date well ahead, at 18:30 in Madrid whatever the season: the local day is computed, not hard-coded.
const startsAt = (() => {
  const d = new Date(Date.now() + 10 * DAY);
  d.setUTCHours(12, 0, 0, 0);
  const offset =
    Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Madrid',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(d),
    ) - 12;
  return new Date(d.getTime() + (18.5 - 12 - offset) * 3600_000);
})();
const day = (locale: string) =>
  new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'Europe/Madrid',
  }).format(startsAt);

beforeAll(async () => {
  plaza = await createTestPlaza();
  process = await createProcess(db(), { phase: 'proposals', title: 'Movilidad en el barrio' });
  const staff = await createStaffMember(db(), { role: 'staff' });
  const make = async (
    kind: 'workshop' | 'results_event',
    title: { es: string; en: string },
    capacity: number,
    at: Date,
  ) => {
    const r = await createEvent(plaza.domain, {
      staffMemberId: staff.id,
      processId: process.id,
      kind,
      title,
      place: 'Centro cívico Norte',
      startsAt: at,
      capacity,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.event.id;
  };
  workshop = await make('workshop', { es: 'Taller de calles', en: 'Streets workshop' }, 2, startsAt);
  results = await make(
    'results_event',
    { es: 'Presentación final', en: 'Final presentation' },
    1,
    new Date(startsAt.getTime() + DAY),
  );
  // Someone already took the presentation's only place.
  const other = await createParticipant(db());
  await registerForEvent(plaza.domain, { participantId: other.id, eventId: results });
});
afterAll(() => plaza?.cleanup());

const registrationsOf = async (chat: Chat) =>
  (
    await db().eventRegistration.findMany({
      where: { participant: { accounts: { some: { externalId: chat.userId } } } },
      orderBy: { eventId: 'asc' },
    })
  ).map((r) => [r.eventId, r.status]);

describe('workshops and events in the chat', () => {
  it('in Spanish: list → register → my registrations → cancel', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [...consentSteps, [`/start process_${process.slug}`, /Movilidad en el barrio/]]);
    expect(chat.buttons()).toContain('Talleres y eventos');
    await script(chat, [
      [
        press('Talleres y eventos'),
        [
          'Talleres y eventos de «Movilidad en el barrio»:',
          `1. Taller: Taller de calles\n🗓 ${day('es-ES')}, 18:30\n📍 Centro cívico Norte\n🎟 Quedan 2 plazas`,
          `2. Presentación de resultados: Presentación final\n🗓`,
          '🎟 Completo: lista de espera',
        ],
      ],
    ]);
    expect(chat.buttons()).toEqual(['Taller de calles', 'Presentación final', 'Mis inscripciones', 'Menú']);
    await script(chat, [
      [
        press('Taller de calles'),
        `¿Te apunto a «Taller de calles» (${day('es-ES')}, 18:30, Centro cívico Norte)?`,
      ],
      ['no', ['De acuerdo, no te apunto.', '🎟 Quedan 2 plazas']],
      [press('Taller de calles'), /¿Te apunto/],
      [
        press('Sí'),
        [
          `✅ Hecho: tienes plaza en «Taller de calles», ${day('es-ES')}, 18:30, en Centro cívico Norte. Te lo recordaremos el día antes.`,
          '✅ Tienes plaza',
        ],
      ],
      [
        press('Presentación final'),
        /No quedan plazas en «Presentación final» .*¿Te apunto a la lista de espera\?/,
      ],
      [
        press('Sí'),
        [/⏳ Hecho: estás en la lista de espera de «Presentación final» \(puesto 1\)/, /puesto 1\)/],
      ],
      // Already in: said so, with the way out (or back), instead of asking to sign up again.
      [
        press('Taller de calles'),
        `Ya tienes plaza en «Taller de calles» (${day('es-ES')}, 18:30, Centro cívico Norte). ¿Quieres cancelar tu inscripción?`,
      ],
      [press('Volver a la lista'), ['Talleres y eventos de «Movilidad en el barrio»:', '✅ Tienes plaza']],
      [
        press('Mis inscripciones'),
        [
          'Tus inscripciones:',
          `1. Taller de calles\n🗓 ${day('es-ES')}, 18:30\n📍 Centro cívico Norte\n✅ Tienes plaza`,
          '2. Presentación final',
          '⏳ Estás en la lista de espera (puesto 1)',
          'Pulsa una si quieres cancelarla.',
        ],
      ],
    ]);
    expect(await registrationsOf(chat)).toEqual([
      [workshop, 'registered'],
      [results, 'waitlisted'],
    ]);
    await script(chat, [
      [press('Taller de calles'), `¿Cancelo tu inscripción en «Taller de calles» (${day('es-ES')}, 18:30)?`],
      [press('No'), ['De acuerdo, mantienes tu inscripción.', 'Tus inscripciones:']],
      [press('Taller de calles'), /¿Cancelo/],
      [
        press('Sí'),
        [
          'Hecho: has cancelado tu inscripción en «Taller de calles». Gracias por avisar: tu plaza pasa a otra persona.',
          /1\. Presentación final/,
        ],
      ],
      [press('Presentación final'), /¿Cancelo/],
      [
        press('Sí'),
        [
          'Hecho: has salido de la lista de espera de «Presentación final».',
          'No tienes inscripciones en talleres ni eventos próximos.',
          /¿Qué quieres hacer\?/,
        ],
      ],
    ]);
    expect(await registrationsOf(chat)).toEqual([
      [workshop, 'cancelled'],
      [results, 'cancelled'],
    ]);
  });

  it('in English: list → register → my registrations → cancel', async () => {
    const chat = new Chat(plaza.engine, { locale: 'en-GB' });
    await script(chat, [
      ['hello', /Which language/],
      [press('English'), /Are you 14 or older\?/],
      [press('Yes'), /Do you agree/],
      [press('Yes, I agree'), /What would you like to do\?/],
      [`/start process_${process.slug}`, /Process /],
      [
        press('Workshops and events'),
        [
          /Workshops and events of “Process p-[0-9a-f]+”:/,
          `1. Workshop: Streets workshop\n🗓 ${day('en-GB')} at 18:30\n📍 Centro cívico Norte\n🎟 2 places left`,
          '2. Results presentation: Final presentation',
          '🎟 Full: waiting list',
        ],
      ],
      [
        press('Streets workshop'),
        `Shall I sign you up for “Streets workshop” (${day('en-GB')} at 18:30, Centro cívico Norte)?`,
      ],
      [press('Yes'), [/✅ Done: you have a place in “Streets workshop”/, '✅ You have a place']],
      [press('My registrations'), ['Your registrations:', '1. Streets workshop', '✅ You have a place']],
      [press('Streets workshop'), /Shall I cancel your registration for “Streets workshop”/],
      [
        press('Yes'),
        [
          'Done: you cancelled your registration for “Streets workshop”. Thanks for letting us know: your place goes to someone else.',
          'You have no registrations for upcoming workshops or events.',
          /What would you like to do\?/,
        ],
      ],
    ] satisfies Step[]);
    expect(await registrationsOf(chat)).toEqual([[workshop, 'cancelled']]);
  });

  it('consent withdrawn from another channel while confirming: not registered, asked to consent again', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${process.slug}`, /Movilidad en el barrio/],
      [press('Talleres y eventos'), /Taller de calles/],
      [press('Taller de calles'), /¿Te apunto a «Taller de calles»/],
    ]);
    const me = await db().participant.findFirstOrThrow({
      where: { accounts: { some: { externalId: chat.userId } } },
      select: { id: true },
    });
    expect(await withdrawConsent(plaza.domain, { participantId: me.id, channel: 'telegram' })).toEqual({
      ok: true,
    });
    // The conversation starts again from the consent question; nothing is registered.
    await chat.press('Sí');
    expect(chat.text()).not.toMatch(/Hecho: tienes plaza|algo ha fallado/);
    expect(chat.text()).toMatch(/¿Qué idioma|Which language|14 años/);
    expect(await registrationsOf(chat)).toEqual([]);
  });

  it('an event you are already in offers to cancel: a place, or a spot on the waiting list', async () => {
    const own = await createProcess(db(), { phase: 'proposals', title: 'Talleres propios' });
    const staff = await createStaffMember(db(), { role: 'staff' });
    const make = async (es: string, capacity: number) => {
      const r = await createEvent(plaza.domain, {
        staffMemberId: staff.id,
        processId: own.id,
        kind: 'workshop',
        title: { es, en: es },
        place: 'Biblioteca',
        startsAt,
        capacity,
      });
      if (!r.ok) throw new Error(r.reason);
      return r.event.id;
    };
    const open = await make('Taller abierto', 1);
    const full = await make('Taller lleno', 1);
    const other = await createParticipant(db());
    await registerForEvent(plaza.domain, { participantId: other.id, eventId: full });
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${own.slug}`, /Talleres propios/],
      [press('Talleres y eventos'), /Taller abierto/],
      [press('Taller abierto'), /¿Te apunto/],
      [press('Sí'), /Hecho: tienes plaza en «Taller abierto»/],
      [press('Taller lleno'), /¿Te apunto a la lista de espera\?/],
      [press('Sí'), /lista de espera de «Taller lleno» \(puesto 1\)/],
      [press('Taller abierto'), /Ya tienes plaza en «Taller abierto» .*¿Quieres cancelar tu inscripción\?/],
    ]);
    expect(chat.buttons()).toEqual(['Cancelar mi inscripción', 'Volver a la lista']);
    expect(chat.text()).not.toMatch(/¿Te apunto/);
    await script(chat, [
      [
        press('Cancelar mi inscripción'),
        [/Hecho: has cancelado tu inscripción en «Taller abierto»/, '🎟 Queda 1 plaza'],
      ],
      [
        press('Taller lleno'),
        'Estás en la lista de espera de «Taller lleno» (puesto 1). ¿Quieres salir de ella?',
      ],
    ]);
    expect(chat.buttons()).toEqual(['Cancelar mi inscripción', 'Volver a la lista']);
    await script(chat, [
      // Typed answers to «¿Quieres salir de ella?»: «no» keeps it, «sí» leaves.
      ['no', ['Talleres y eventos de «Talleres propios»:', '⏳ Estás en la lista de espera (puesto 1)']],
      [press('Taller lleno'), /¿Quieres salir de ella\?/],
      ['sí', ['Hecho: has salido de la lista de espera de «Taller lleno».', '🎟 Completo']],
    ]);
    expect(await registrationsOf(chat)).toEqual([
      [open, 'cancelled'],
      [full, 'cancelled'],
    ]);
  });

  it('a process without upcoming events offers no «Talleres y eventos»', async () => {
    const quiet = await createProcess(db(), { title: 'Sin eventos' });
    const chat = new Chat(plaza.engine);
    await script(chat, [...consentSteps, [`/start process_${quiet.slug}`, /Sin eventos/]]);
    expect(chat.buttons()).not.toContain('Talleres y eventos');
  });
});
