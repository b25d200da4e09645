// A whole citizen conversation through the real HTTP server (`createHttpApp`) with the botframework-directlinejs
// client library: token, join, consent, a process opened by deep link, a proposal sent for moderation and a
// support — then the rows and the moderation job it left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcess, createProposals, type ProcessFixture } from '../support/fixtures.ts';
import { DirectLineChat, participantOf, startPlazaServer, type PlazaServer } from './support.ts';
import { caseJobOf } from '../support/plaza.ts';

let server: PlazaServer;
let budget: ProcessFixture;
let published: number[];

beforeAll(async () => {
  server = await startPlazaServer();
  const db = server.plaza.database.prisma;
  budget = await createProcess(db, {
    phase: 'voting',
    acceptsProposals: true,
    supportsPerParticipant: 3,
    title: 'Presupuestos de barrio',
  });
  published = await createProposals(db, budget, 2);
});

afterAll(async () => {
  await server?.close();
});

const TITLE = 'Bancos a la sombra en la plaza mayor';
const BODY = 'Poner bancos bajo los árboles de la plaza mayor para que la gente mayor pueda descansar.';

describe('web chat over Direct Line against the real engine', () => {
  it('joins, consents, proposes and supports; the rows and the moderation job exist', async () => {
    const chat = await DirectLineChat.open(server.directLineUrl);
    try {
      // The page posts this event when a conversation starts; the bot greets and asks the language.
      await chat.send({ type: 'event', name: 'webchat/join', value: { locale: 'es-ES' } }, [
        /Soy Plaza/,
        /¿En qué idioma prefieres hablar\?/,
      ]);
      expect(chat.buttons()).toEqual(expect.arrayContaining(['Español', 'English']));

      await chat.press('Español', /Responsable/, /¿Tienes 14 años o más\?/);
      expect(chat.buttons()).toEqual(['Sí', 'No']);
      await chat.press('Sí', /¿Aceptas que tratemos tus datos/);
      expect(chat.buttons()).toEqual(expect.arrayContaining(['Sí, acepto', 'No']));
      await chat.press('Sí, acepto', /¡Gracias! Ya puedes participar/, /¿Qué quieres hacer\?/);
      expect(chat.buttons()).toContain('Ver y apoyar propuestas');

      await chat.say(
        `/start process_${budget.slug}`,
        /Presupuestos de barrio/,
        /Puedes hacer propuestas/,
        /Puedes apoyar hasta 3 propuestas/,
      );
      expect(chat.buttons()).toEqual(
        expect.arrayContaining(['Ver y apoyar propuestas', 'Hacer una propuesta', 'Ranking', 'Menú']),
      );

      await chat.press(
        'Hacer una propuesta',
        /Vas a hacer una propuesta en «Presupuestos de barrio»/,
        /título/,
      );
      await chat.say(TITLE, /explica tu propuesta/);
      await chat.say(BODY, /¿En qué categoría encaja mejor\?/);
      expect(chat.buttons()).toEqual(expect.arrayContaining(['Movilidad', 'Atención']));
      await chat.press(
        'Atención',
        /Así quedará tu propuesta/,
        TITLE,
        BODY,
        /Categoría: Atención/,
        /¿La envías\?/,
      );
      expect(chat.buttons()).toEqual(
        expect.arrayContaining(['Enviar propuesta', 'Cambiar el título', 'Descartar']),
      );
      await chat.press(
        'Enviar propuesta',
        /¡Recibida! Tu propuesta \(#\d+\) la revisará el equipo de moderación/,
      );
      const sentId = Number(/#(\d+)/.exec(chat.text())![1]);

      // After sending, the conversation is back at the menu of the process in focus.
      expect(chat.text()).toMatch(/¿Qué quieres hacer\? \(Proceso: Presupuestos de barrio\)/);
      await chat.press(
        'Ver y apoyar propuestas',
        /página 1 de 1, 2 en total/,
        /Propuesta de prueba número 1/,
      );
      // Pending proposals are not listed: only the two published ones.
      expect(chat.text()).not.toContain(TITLE);
      await chat.press('Propuesta de prueba número 1', /#\d+ Propuesta de prueba número 1/, /0 apoyos/);
      expect(chat.buttons()).toContain('Apoyar');
      await chat.press('Apoyar', /¡Apoyo registrado! Has usado 1 de 3 apoyos; te quedan 2/, /Ya la apoyas/);
      expect(chat.buttons()).toContain('Retirar mi apoyo');

      // Every reply reached the client as a bot activity of this conversation.
      const botReplies = chat.received.filter((a) => (a.from as { id?: string }).id === 'plaza');
      expect(botReplies.length).toBeGreaterThan(10);
      for (const reply of botReplies) {
        expect(reply).toMatchObject({ type: 'message', conversation: { id: chat.conversationId } });
      }

      // The database: one participant for this web chat user, with consent, the support and the proposal.
      const db = server.plaza.database.prisma;
      const participant = await participantOf(server.plaza, chat.userId);
      expect(participant).not.toBeNull();
      expect(participant!.consents).toMatchObject([
        { purpose: 'participation', action: 'given', channel: 'webchat' },
      ]);
      expect(participant!.supports.map((s) => s.proposalId)).toEqual([published[0]]);
      const proposal = await db.proposal.findUniqueOrThrow({ where: { id: sentId } });
      expect(proposal).toMatchObject({
        processId: budget.id,
        authorId: participant!.id,
        title: TITLE,
        body: BODY,
        categoryId: budget.categories[1]!.id,
        status: 'pending',
      });
      const job = await caseJobOf(server.plaza, sentId);
      expect(job?.data).toEqual({ caseId: expect.any(Number) });
    } finally {
      chat.end();
    }
    expect(server.answered.filter((a) => a.status >= 500)).toEqual([]);
  });

  it('erases the person on request and still shows the goodbye; the transcript goes, the page goes on', async () => {
    const chat = await DirectLineChat.open(server.directLineUrl);
    try {
      await chat.send({ type: 'event', name: 'webchat/join', value: { locale: 'es-ES' } }, [
        /¿En qué idioma prefieres hablar\?/,
      ]);
      await chat.press('Español', /¿Tienes 14 años o más\?/);
      await chat.press('Sí', /¿Aceptas que tratemos tus datos/);
      await chat.press('Sí, acepto', /¿Qué quieres hacer\?/);
      await chat.say('Mis datos', /Esto es lo que Plaza guarda sobre ti/);
      await chat.press('Borrar mis datos', /No se puede deshacer/);
      await chat.press('Sí', /escribe BORRAR/);
      const answeredBefore = server.answered.length;
      await chat.say('BORRAR', /hemos borrado tus datos/);
      expect(server.answered.slice(answeredBefore).filter((a) => a.status >= 400)).toEqual([]);
      expect(await participantOf(server.plaza, chat.userId)).toBeNull();
      // Redis keeps none of the earlier conversation: only what came after the erasure.
      const { REDIS_PREFIX } = server.plaza.config;
      const stream = await server.plaza.redis.zRange(
        `${REDIS_PREFIX}:dl:conv:{${chat.conversationId}}:acts`,
        0,
        -1,
      );
      expect(stream.join('\n')).not.toMatch(/Mis datos|Sí, acepto|Español/);
      expect(stream.join('\n')).toMatch(/hemos borrado tus datos/);
      // The page goes on: whoever writes next starts afresh.
      await chat.say('hola', /¿En qué idioma prefieres hablar\?/);
    } finally {
      chat.end();
    }
  });
});
