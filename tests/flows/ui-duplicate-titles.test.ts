// Buttons with the same title, as scripts: a press arrives as its button's title, so two options that would
// show the same title (two workshops called alike, two proposals cut to the same words) carry their number
// as well, «Taller de movilidad (2)», and each button acts on its own item. Typing the shared words picks
// neither: the question is asked again. And «atrás» answers a question that has a way back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../src/domain/create-event.ts';
import { exactChoice, toChoices } from '../../src/flows/ui.ts';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import {
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let process: ProcessFixture;
const db = () => plaza.database.prisma;
const DAY = 24 * 3600_000;
// Two workshops with one title, a week apart (the first sooner, so listed first).
const workshops: { id: number; day: string }[] = [];

const dayOf = (at: Date) =>
  new Intl.DateTimeFormat('es-ES', { day: 'numeric', month: 'long', timeZone: 'Europe/Madrid' }).format(at);

beforeAll(async () => {
  plaza = await createTestPlaza();
  process = await createProcess(db(), { phase: 'proposals', title: 'Barrio con talleres' });
  const staff = await createStaffMember(db(), { role: 'staff' });
  for (const days of [5, 12]) {
    const startsAt = new Date(Date.now() + days * DAY);
    const r = await createEvent(plaza.domain, {
      staffMemberId: staff.id,
      processId: process.id,
      kind: 'workshop',
      title: { es: 'Taller de movilidad', en: 'Mobility workshop' },
      place: 'Centro cívico',
      startsAt,
      capacity: 10,
    });
    if (!r.ok) throw new Error(r.reason);
    workshops.push({ id: r.event.id, day: dayOf(startsAt) });
  }
});
afterAll(() => plaza?.cleanup());

const registrations = async (chat: Chat) =>
  db().eventRegistration.findMany({
    where: { participant: { accounts: { some: { externalId: chat.userId } } } },
    select: { eventId: true, status: true },
    orderBy: { eventId: 'asc' },
  });

describe('two buttons with the same title', () => {
  it('events: each workshop button registers for its own workshop, and cancels its own registration', async () => {
    const [first, second] = workshops as [(typeof workshops)[0], (typeof workshops)[0]];
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${process.slug}`, /Barrio con talleres/],
      [press('Talleres y eventos'), /Taller de movilidad/],
    ]);
    expect(chat.buttons()).toEqual(
      expect.arrayContaining(['Taller de movilidad (1)', 'Taller de movilidad (2)']),
    );
    // The shared words name both: asked again, neither picked.
    await script(chat, [['Taller de movilidad', /No te he entendido/]]);
    await script(chat, [
      [press('Taller de movilidad (2)'), [/¿Te apunto a «Taller de movilidad»/, second.day]],
      [press('Sí'), /Taller de movilidad/],
    ]);
    expect(await registrations(chat)).toEqual([{ eventId: second.id, status: 'registered' }]);

    // The first one too, by its number; then cancel the second from «Mis inscripciones».
    await script(chat, [
      ['1', [/¿Te apunto a «Taller de movilidad»/, first.day]],
      [press('Sí'), /Taller de movilidad/],
      [press('Mis inscripciones'), /Taller de movilidad/],
    ]);
    expect(chat.buttons()).toEqual(
      expect.arrayContaining(['Taller de movilidad (1)', 'Taller de movilidad (2)']),
    );
    await script(chat, [
      [press('Taller de movilidad (2)'), [/¿Cancelo tu inscripción en «Taller de movilidad»/, second.day]],
      [press('Sí'), /Taller de movilidad/],
    ]);
    const after = await registrations(chat);
    expect(after.find((r) => r.eventId === first.id)?.status).toBe('registered');
    expect(after.find((r) => r.eventId === second.id)?.status).not.toBe('registered');
  });

  it('my proposals: the second «Retirar…» button withdraws the second proposal, not the first', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const account = await db().channelAccount.findFirstOrThrow({ where: { externalId: chat.userId } });
    const north = await createProposal(db(), process, {
      status: 'pending',
      authorId: account.participantId,
      title: 'Más bancos en el parque del barrio norte',
    });
    const south = await createProposal(db(), process, {
      status: 'pending',
      authorId: account.participantId,
      title: 'Más bancos en el parque del barrio sur',
    });
    await script(chat, [
      ['menú', /¿Qué quieres hacer/],
      [press('¿Qué pasó con mi propuesta?'), /barrio norte[\s\S]*barrio sur|barrio sur[\s\S]*barrio norte/],
    ]);
    const withdraws = chat.buttons().filter((b) => b.startsWith('Retirar'));
    expect(withdraws).toHaveLength(2);
    expect(new Set(withdraws).size).toBe(2);
    // Whichever is listed second: its button asks about it, and withdraws it.
    const statuses = async () =>
      Object.fromEntries(
        (
          await db().proposal.findMany({
            where: { id: { in: [north, south] } },
            select: { id: true, status: true },
          })
        ).map((p) => [p.id, p.status]),
      );
    await chat.say(withdraws[1]!);
    const asked = /barrio norte/.test(chat.text())
      ? north
      : /barrio sur/.test(chat.text())
        ? south
        : undefined;
    expect(asked, chat.text()).toBeDefined();
    await chat.press('Sí');
    const other = asked === north ? south : north;
    expect(await statuses()).toEqual({ [asked!]: 'withdrawn', [other]: 'pending' });
  });

  it('a title shown once keeps its title', async () => {
    const choices = toChoices([
      { value: 'a', title: 'Taller de calles' },
      { value: 'b', title: 'Taller de movilidad' },
      { value: 'menu', title: 'Menú', synonyms: ['menú', 'menu', 'volver'] },
    ]);
    expect(choices.map((c) => c.action?.title)).toEqual(['Taller de calles', 'Taller de movilidad', 'Menú']);
  });

  it('equal titles (case, accents and punctuation aside) get their numbers; each press picks its own', () => {
    const choices = toChoices([
      { value: 'a', title: 'Más bancos…' },
      { value: 'menu', title: 'Menú' },
      { value: 'b', title: 'mas bancos' },
    ]);
    const titles = choices.map((c) => String(c.action?.title));
    expect(titles).toEqual(['Más bancos… (1)', 'Menú', 'mas bancos (3)']);
    expect(titles.map((t) => exactChoice(t, choices)?.value)).toEqual(['a', 'menu', 'b']);
    expect(exactChoice('más bancos', choices)).toBeUndefined();
  });

  it('a press picks the option of that title even when an earlier option has it as a synonym', () => {
    const choices = toChoices([
      { value: 'prev', title: 'Anteriores', synonyms: ['lista'] },
      { value: 'list', title: 'Lista' },
    ]);
    expect(exactChoice('Lista', choices)?.value).toBe('list');
  });

  it('two options with the same title typed name neither', () => {
    // Choices built without toChoices (as stored by an older question): asked again, never the first.
    const same = { type: 'imBack', title: 'Taller', value: 'Taller' };
    expect(
      exactChoice('taller', [
        { value: 'a', action: same },
        { value: 'b', action: same },
      ]),
    ).toBeUndefined();
  });
});

describe('«atrás» answers a question that has a way back', () => {
  it('at the events list it goes back to the menu', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${process.slug}`, /Barrio con talleres/],
      [press('Talleres y eventos'), /Taller de movilidad/],
      ['atrás', /¿Qué quieres hacer/],
    ]);
    expect(chat.text()).not.toMatch(/No te he entendido/);
  });

  it('at a proposal it goes back to the list; «volver» and «back» too', async () => {
    const title = `Fuente nueva en la plaza ${Math.random().toString(36).slice(2, 8)}`;
    await createProposal(db(), process, { title });
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      [`/start process_${process.slug}`, /Barrio con talleres/],
      [press('Ver y apoyar'), title],
      [press(title.slice(0, 20)), [title, /¿Qué quieres hacer ahora\?/]],
      ['atrás', title],
    ]);
    expect(chat.text()).not.toMatch(/No te he entendido/);
    expect(chat.buttons().some((b) => b.startsWith('Fuente nueva'))).toBe(true);
  });

  it('back words are added to the one option that has a way back, and only when one has', () => {
    const one = toChoices([
      { value: 'x', title: 'Algo' },
      { value: 'back', title: 'Volver a la lista', synonyms: ['lista'] },
    ]);
    expect(one[1]!.synonyms).toEqual(['lista']);
    const withBack = toChoices([
      { value: 'x', title: 'Algo' },
      { value: 'menu', title: 'Menú', synonyms: ['menú', 'volver'] },
    ]);
    expect(exactChoice('atrás', withBack)?.value).toBe('menu');
    expect(exactChoice('Atras', withBack)?.value).toBe('menu');
    expect(exactChoice('back', withBack)?.value).toBe('menu');
    // Two ways back (previous page, menu): «atrás» is asked again rather than guessed.
    const two = toChoices([
      { value: 'prev', title: 'Anteriores', synonyms: ['anterior', 'back'] },
      { value: 'menu', title: 'Menú', synonyms: ['menú', 'volver'] },
    ]);
    expect(exactChoice('atrás', two)).toBeUndefined();
    expect(exactChoice('back', two)?.value).toBe('prev');
    expect(exactChoice('volver', two)?.value).toBe('menu');
  });
});
