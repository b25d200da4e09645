// Binding processes in chat: supporting asks an unverified participant for their code; a wrong one can be
// typed again, a right one verifies and the support asked for is given; a code works for one person only;
// reading and commenting need no code; too many attempts and a paused process are explained.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importVerificationCodes } from '../../src/domain/import-verification-codes.ts';
import {
  MAX_FAILED_PROCESS_ATTEMPTS,
  MAX_VERIFICATION_ATTEMPTS,
} from '../../src/domain/verification-codes.ts';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import {
  createParticipant,
  createProcess,
  createProposals,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let binding: ProcessFixture;
let ids: number[];
beforeAll(async () => {
  plaza = await createTestPlaza();
  binding = await bindingProcess('Presupuesto vinculante', ['VEC-12340', 'VEC-56780', 'VEC-90120']);
  ids = await createProposals(db(), binding, 3);
});
afterAll(() => plaza?.cleanup());

const db = () => plaza.database.prisma;

async function bindingProcess(title: string, codes: string[]) {
  const process = await createProcess(db(), { phase: 'voting', title });
  await db().process.update({ where: { id: process.id }, data: { requiresVerification: true } });
  await importVerificationCodes(plaza.domain, { processId: process.id, csv: codes.join('\n') });
  return process;
}

async function consentedChat(): Promise<Chat> {
  const chat = new Chat(plaza.engine);
  await script(chat, consentSteps);
  return chat;
}

const participantOf = async (chat: Chat) =>
  (
    await db().participant.findFirstOrThrow({
      where: { accounts: { some: { externalId: chat.userId } } },
      select: { id: true },
    })
  ).id;

const supportsOf = async (chat: Chat) =>
  db().support.count({ where: { participantId: await participantOf(chat) } });

const ASKED = [/Este proceso es vinculante/, /Si tienes tu código, escríbelo ahora/];

describe('supporting in a binding process', () => {
  it('asks for the code, lets a wrong one be typed again, and gives the support once verified', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${ids[0]}`, [/#\d+ Propuesta de prueba número 1/, /0 apoyos/]],
      [press('Apoyar'), ASKED],
      ['no lo tengo a mano', [/Eso no parece un código/, /Si tienes tu código/]],
      // Too short to be a code (8 characters at least): answered at the prompt too.
      ['VEC-123', [/Eso no parece un código: tienen al menos 8 letras o números/, /Si tienes tu código/]],
      ['VEC-00000', [/Ese código no es de este proceso/, /Escribe el código de nuevo/]],
      [
        ' vec-12340 ',
        [
          /✅ Listo: has verificado tu participación en este proceso/,
          /¡Apoyo registrado! Has usado 1 de 3 apoyos; te quedan 2/,
          /1 apoyo\b/,
          /Ya la apoyas/,
        ],
      ],
    ]);
    expect(await supportsOf(chat)).toBe(1);
    const me = await participantOf(chat);
    // Text that cannot be a code spent no attempt.
    expect(
      await db().verificationAttempt.findMany({
        where: { participantId: me },
        orderBy: { id: 'asc' },
        select: { succeeded: true },
      }),
    ).toEqual([{ succeeded: false }, { succeeded: true }]);

    // Verified: the next support is given at once.
    await script(chat, [
      [`/start proposal_${ids[1]}`, /Propuesta de prueba número 2/],
      [press('Apoyar'), /¡Apoyo registrado! Has usado 2 de 3 apoyos/],
    ]);
    expect(chat.text()).not.toMatch(/vinculante|código/);
    expect(await supportsOf(chat)).toBe(2);
  });

  it('refuses a code someone else used, and «cancelar» leaves without supporting', async () => {
    const first = await consentedChat();
    await script(first, [
      [`/start proposal_${ids[0]}`, /número 1/],
      [press('Apoyar'), ASKED],
      ['VEC-56780', /¡Apoyo registrado!/],
    ]);
    const second = await consentedChat();
    await script(second, [
      [`/start proposal_${ids[0]}`, /número 1/],
      [press('Apoyar'), ASKED],
      [
        'VEC-56780',
        [
          /Ese código ya se ha usado/,
          /desde tu otra cuenta \(Telegram o el chat web\), escribe «vincular»/,
          /Escribe el código de nuevo/,
        ],
      ],
      ['cancelar', [/Cancelado/, /¿Qué quieres hacer\?/]],
    ]);
    expect(await supportsOf(first)).toBe(1);
    expect(await supportsOf(second)).toBe(0);
    expect(
      await db().verificationCode.count({
        where: { processId: binding.id, redeemedById: await participantOf(second) },
      }),
    ).toBe(0);
  });

  it('lets the unverified read proposals and comment on them', async () => {
    const chat = await consentedChat();
    const comment = 'Me parece muy buena idea para el barrio.';
    await script(chat, [
      [`/start process_${binding.slug}`, /Presupuesto vinculante/],
      [press('Ver y apoyar propuestas'), [/3 en total/, /Propuesta de prueba número 3/]],
      [`/start proposal_${ids[2]}`, [/#\d+ Propuesta de prueba número 3/, /apoyos?/]],
      [press('Comentarios'), /Todavía no hay comentarios/],
      [press('Escribir un comentario'), /Escribe tu comentario/],
      [comment, /Así quedará tu comentario/],
      [press('Enviar'), /¡Recibido!/],
    ]);
    expect(
      await db().comment.findFirstOrThrow({
        where: { proposalId: ids[2] },
        select: { body: true, authorId: true },
      }),
    ).toEqual({ body: comment, authorId: await participantOf(chat) });
    expect(await supportsOf(chat)).toBe(0);
  });

  it(`stops asking after ${MAX_VERIFICATION_ATTEMPTS} wrong codes and explains when to try again`, async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${ids[1]}`, /número 2/],
      [press('Apoyar'), ASKED],
    ]);
    for (let i = 1; i < MAX_VERIFICATION_ATTEMPTS; i++)
      await script(chat, [[`MAL-0000${i}`, [/no es de este proceso/, /Escribe el código de nuevo/]]]);
    await script(chat, [
      [
        'MAL-00090',
        [
          /no es de este proceso/,
          /Has probado varios códigos seguidos.+espera 15 minutos/s,
          /¿Qué quieres hacer/,
        ],
      ],
      // Asked again later in the window: the right code is refused unread.
      [press('Apoyar'), ASKED],
      ['VEC-90120', /Has probado varios códigos seguidos/],
    ]);
    expect(await supportsOf(chat)).toBe(0);
    expect(await db().verificationCode.count({ where: { processId: binding.id, redeemedAt: null } })).toBe(1);
  });

  it('counts the attempts of earlier questions too: the last one allowed says how long to wait, at once', async () => {
    const process = await bindingProcess('Proceso de intentos', ['INT-00001']);
    const [proposal] = await createProposals(db(), process, 1);
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposal}`, /Propuesta de prueba/],
      [press('Apoyar'), ASKED],
      ['MAL-00001', [/no es de este proceso/, /Escribe el código de nuevo/]],
      ['MAL-00002', [/no es de este proceso/, /Escribe el código de nuevo/]],
      ['MAL-00003', [/no es de este proceso/, /Escribe el código de nuevo/]],
      ['cancelar', /Cancelado/],
      [`/start proposal_${proposal}`, /Propuesta de prueba/],
      [press('Apoyar'), ASKED],
      ['MAL-00004', [/no es de este proceso/, /Escribe el código de nuevo/]],
    ]);
    // The fifth in 15 minutes, over two questions: no invitation to type another.
    await chat.say('MAL-00005');
    expect(chat.text()).toMatch(/no es de este proceso/);
    expect(chat.text()).toMatch(/Has probado varios códigos seguidos.+espera 15 minutos/s);
    expect(chat.text()).not.toMatch(/Escribe el código de nuevo/);
    expect(chat.text()).toMatch(/¿Qué quieres hacer ahora\?/);
    expect(await db().verificationCode.count({ where: { processId: process.id, redeemedAt: null } })).toBe(1);
  });

  it('reads a code typed in groups with spaces, as printed on the letter', async () => {
    const process = await bindingProcess('Proceso de cartas', ['ABCD-1234-EFGH']);
    const [proposal] = await createProposals(db(), process, 1);
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposal}`, /Propuesta de prueba/],
      [press('Apoyar'), ASKED],
      ['ABCD 1234 EFGH', [/✅ Listo: has verificado tu participación/, /¡Apoyo registrado!/]],
    ]);
    expect(await supportsOf(chat)).toBe(1);
  });

  it('lets «no» leave the question, back to the proposal, without spending an attempt', async () => {
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${ids[2]}`, /número 3/],
      [press('Apoyar'), ASKED],
      [
        'No.',
        [
          /De acuerdo. Cuando tengas tu código, vuelve a pulsar «Apoyar»/,
          /número 3/,
          /¿Qué quieres hacer ahora\?/,
        ],
      ],
      [press('Apoyar'), ASKED],
      ['no gracias', /Cuando tengas tu código/],
    ]);
    expect(await supportsOf(chat)).toBe(0);
    expect(
      await db().verificationAttempt.count({ where: { participantId: await participantOf(chat) } }),
    ).toBe(0);
  });

  it('explains a paused process kindly', async () => {
    const paused = await bindingProcess('Proceso en pausa', ['PAU-00010']);
    const [proposal] = await createProposals(db(), paused, 1);
    const someone = await createParticipant(db());
    await db().verificationAttempt.createMany({
      data: Array.from({ length: MAX_FAILED_PROCESS_ATTEMPTS + 1 }, () => ({
        participantId: someone.id,
        processId: paused.id,
        succeeded: false,
      })),
    });
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposal}`, /Propuesta de prueba/],
      [press('Apoyar'), ASKED],
      ['PAU-00010', [/la verificación de este proceso está en pausa/, /tu código sigue valiendo/]],
    ]);
    expect(await supportsOf(chat)).toBe(0);
    expect(await db().verificationCode.count({ where: { processId: paused.id, redeemedAt: null } })).toBe(1);
  });
});
