import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEvent } from '../../src/domain/create-event.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createParticipant, createProcess, createStaffMember } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
beforeAll(async () => {
  plaza = await createTestPlaza();
});
afterAll(() => plaza?.cleanup());

const accountsOf = (chat: Chat) =>
  plaza.database.prisma.channelAccount.count({ where: { channel: chat.channelId, externalId: chat.userId } });

describe('onboarding and consent', () => {
  it('creates the participant only when consent is given, and records it in the ledger', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps.slice(0, 3));
    expect(await accountsOf(chat)).toBe(0);
    await script(chat, consentSteps.slice(3));
    const account = await plaza.database.prisma.channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: chat.channelId, externalId: chat.userId } },
      include: { participant: { include: { consents: true } } },
    });
    expect(account.participant.consents).toMatchObject([
      { purpose: 'participation', action: 'given', noticeVersion: 1, channel: 'webchat' },
    ]);
    expect(account.participant.ageConfirmedAt).toBeInstanceOf(Date);
  });

  it('respects a refusal: explains it, stores nothing, and starts again on the next hello', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps.slice(0, 3),
      [press('No'), [/respetamos tu decisión/, /no guardamos nada/]],
      ['quiero proponer algo', /idioma/],
    ]);
    expect(await accountsOf(chat)).toBe(0);
  });

  it('turns away under-14s kindly, counts the answer without storing who, and does not ask again', async () => {
    const chat = new Chat(plaza.engine);
    const before = await plaza.database.prisma.underageAnswer.count();
    await script(chat, [
      ...consentSteps.slice(0, 2),
      ['no', /Solo para confirmar: ¿tienes menos de 14 años\?/],
      [press('Tengo menos de 14'), [/14 años o más/, /No guardamos ningún dato tuyo/]],
      ['hola', [/Nos dijiste que tienes menos de 14 años/, /madre, padre o tutor/]],
      ['/start', /Nos dijiste que tienes menos de 14 años/],
      ['sí', /Nos dijiste que tienes menos de 14 años/],
    ]);
    expect(chat.text()).not.toMatch(/¿Tienes 14 años o más\?|¿Aceptas/);
    expect(await accountsOf(chat)).toBe(0);
    const answers = await plaza.database.prisma.underageAnswer.findMany({ orderBy: { id: 'desc' } });
    expect(answers).toHaveLength(before + 1);
    expect(answers[0]).toEqual({ id: expect.any(Number), channel: 'webchat', createdAt: expect.any(Date) });
    // The day only, nothing finer that could be matched with an access log.
    expect(answers[0]!.createdAt.toISOString()).toMatch(/T00:00:00\.000Z$/);

    // A day later the question is asked again (someone who tapped "No" by mistake is not locked out).
    const later = vi.spyOn(plaza.domain, 'now').mockReturnValue(new Date(Date.now() + 24 * 3600_000 + 1));
    try {
      await script(chat, [['hola', [/Soy Plaza/, /idioma/]]]);
    } finally {
      later.mockRestore();
    }
  });

  it('a «No» at the age question is confirmed first: «Tengo 14 o más» goes on to consent', async () => {
    const chat = new Chat(plaza.engine);
    const before = await plaza.database.prisma.underageAnswer.count();
    await script(chat, [
      ...consentSteps.slice(0, 2),
      [press('No'), /¿tienes menos de 14 años\?/],
      // «no» again would now mean the opposite: a bare yes or no is no answer here.
      ['no', [/No te he entendido/, /¿tienes menos de 14 años\?/]],
      ['sí', [/No te he entendido/, /¿tienes menos de 14 años\?/]],
      [press('Tengo 14 o más'), /¿Aceptas que tratemos tus datos/],
      [press('Sí, acepto'), /¡Gracias!/],
    ]);
    expect(await plaza.database.prisma.underageAnswer.count()).toBe(before);
  });

  it('«idioma» before consent, after a refusal: the choice is kept for onboarding', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps.slice(0, 3),
      [press('No'), /respetamos tu decisión/],
      ['idioma', /idioma|language/i],
    ]);
    await chat.press('English');
    expect(chat.text()).not.toMatch(/¡Hola!|Soy Plaza/);
    // The next hello is answered in English: the choice was not thrown away by the consent gate.
    await script(chat, [['hello', /Hello! 👋 I'm Plaza/]]);
    expect(await accountsOf(chat)).toBe(0);
  });

  it('shows the full notice on request and asks again', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps.slice(0, 3),
      [press('Leer el aviso'), [/Agencia Española de Protección de Datos/, /¿Aceptas/]],
      ['sí', /¡Gracias!/],
    ]);
    expect(await accountsOf(chat)).toBe(1);
  });

  it('answers typed replies: numbers, words and "vale"', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ['buenas', /idioma/],
      ['1', /¿Tienes 14 años/],
      ['vale', /¿Aceptas/],
      ['la primera', /¡Gracias!/],
    ]);
    expect(await accountsOf(chat)).toBe(1);
  });

  it('speaks English when chosen, and remembers it', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ['hello', /Which language/],
      [press('English'), [/Controller/, /Are you 14 or older\?/]],
      ['yes', /Do you agree/],
      [press('Yes, I agree'), [/Thank you!/, /What would you like to do\?/]],
      ['menu', /What would you like to do\?/],
    ]);
    const participant = await plaza.database.prisma.participant.findFirstOrThrow({
      where: { accounts: { some: { externalId: chat.userId } } },
    });
    expect(participant.locale).toBe('en');
  });

  it('shows the privacy notice with /privacidad before consent, then returns to the question', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps.slice(0, 2),
      ['/privacidad', [/Responsable del tratamiento/, /¿Tienes 14 años o más\?/]],
    ]);
  });

  it('withdrawing consent takes no more steps than giving it, and the gate closes again', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    await script(chat, [
      ['retirar consentimiento', /¿Seguro que quieres retirar/],
      [press('Sí'), /has retirado tu consentimiento/],
    ]);
    // No registrations: nothing said about them.
    expect(chat.text()).not.toMatch(/inscripci/);
    await script(chat, [['hola', /idioma/]]);
    const ledger = await plaza.database.prisma.consentRecord.findMany({
      where: { participant: { accounts: { some: { externalId: chat.userId } } } },
      orderBy: { id: 'asc' },
    });
    expect(ledger.map((r) => r.action)).toEqual(['given', 'withdrawn']);
  });

  it('withdrawing consent ends the registrations for events to come and says how many, in each language', async () => {
    const db = plaza.database.prisma;
    const staff = await createStaffMember(db, { role: 'staff' });
    const process = await createProcess(db, { phase: 'proposals' });
    const newEvent = async (capacity: number) => {
      const r = await createEvent(plaza.domain, {
        staffMemberId: staff.id,
        processId: process.id,
        kind: 'workshop',
        title: { es: 'Taller de calles', en: 'Streets workshop' },
        place: 'Centro cívico Norte',
        startsAt: new Date(Date.now() + 10 * 24 * 3600_000),
        capacity,
      });
      if (!r.ok) throw new Error(r.reason);
      return r.event.id;
    };
    const participantOf = async (chat: Chat) =>
      (
        await db.channelAccount.findUniqueOrThrow({
          where: { channel_externalId: { channel: chat.channelId, externalId: chat.userId } },
        })
      ).participantId;
    const full = await newEvent(1);
    const open = await newEvent(10);

    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const me = await participantOf(chat);
    const waiting = await createParticipant(db);
    for (const [participantId, eventId] of [
      [me, full],
      [waiting.id, full],
      [me, open],
    ] as const)
      await registerForEvent(plaza.domain, { participantId, eventId });
    await script(chat, [
      ['retirar consentimiento', /¿Seguro que quieres retirar/],
      [
        press('Sí'),
        [
          /has retirado tu consentimiento/,
          'También hemos cancelado tus inscripciones en 2 talleres o eventos próximos.',
        ],
      ],
    ]);
    const statuses = await db.eventRegistration.findMany({
      where: { eventId: { in: [full, open] } },
      orderBy: { id: 'asc' },
      select: { participantId: true, eventId: true, status: true },
    });
    expect(statuses.map((r) => [r.participantId, r.eventId, r.status])).toEqual([
      [me, full, 'cancelled'],
      [waiting.id, full, 'registered'],
      [me, open, 'cancelled'],
    ]);

    const english = new Chat(plaza.engine, { locale: 'en-US' });
    await script(english, [
      ['hello', /Which language/],
      [press('English'), /Are you 14 or older\?/],
      ['yes', /Do you agree/],
      [press('Yes, I agree'), /What would you like to do\?/],
    ]);
    await registerForEvent(plaza.domain, { participantId: await participantOf(english), eventId: open });
    await script(english, [
      ['withdraw consent', /Are you sure you want to withdraw your consent\?/],
      [
        press('Yes'),
        [
          /you have withdrawn your consent/,
          'We have also cancelled your registration for 1 upcoming workshop or event.',
        ],
      ],
    ]);
  });
});
