import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommentStatus } from '../../src/generated/prisma/enums.ts';
import { Chat, consentSteps, englishConsentSteps, press, script } from '../support/conversation.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let pre: ProcessFixture;
let post: ProcessFixture;
let someone: { id: string };
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  pre = await createProcess(db, { phase: 'voting', title: 'Presupuestos' });
  post = await createProcess(db, { phase: 'voting', title: 'Barrio abierto' });
  await db.process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
  someone = await createParticipant(db);
});
afterAll(() => plaza?.cleanup());

const db = () => plaza.database.prisma;

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

async function comment(
  proposalId: number,
  body: string,
  opts: { status?: CommentStatus; parentId?: number; authorId?: string } = {},
) {
  const c = await db().comment.create({
    data: {
      proposalId,
      body,
      parentId: opts.parentId ?? null,
      authorId: opts.authorId ?? someone.id,
      status: opts.status ?? 'published',
    },
  });
  return c.id;
}

const COMMENT = 'Me parece una idea estupenda para el barrio.';

describe('reading comments', () => {
  it('says there are none yet and offers to write the first one', async () => {
    const proposalId = await createProposal(db(), pre, { title: 'Fuentes de agua potable' });
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /#\d+ Fuentes de agua potable/],
      [
        press('Comentarios (0)'),
        [/Todavía no hay comentarios sobre «Fuentes de agua potable»/, /¿Quieres escribir el primero\?/],
      ],
    ]);
    expect(chat.buttons()).toEqual(['Escribir un comentario', 'Volver a la propuesta', 'Menú']);
    await script(chat, [
      [press('Volver a la propuesta'), [/#\d+ Fuentes de agua potable/, /¿Qué quieres hacer/]],
    ]);
  });

  it('lists published comments with their replies, anonymously, and never rejected or hidden ones', async () => {
    const proposalId = await createProposal(db(), pre);
    const first = await comment(proposalId, 'Hace falta en mi calle.');
    await comment(proposalId, 'Y en la mía también.', { parentId: first });
    await comment(proposalId, 'Texto rechazado', { status: 'rejected' });
    await comment(proposalId, 'Texto oculto', { status: 'hidden' });
    await comment(proposalId, 'Texto pendiente de otra persona', { status: 'pending' });
    await comment(proposalId, 'Segundo comentario publicado.');
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [
        press('Comentarios (3)'),
        [
          /💬 Comentarios sobre «Propuesta [0-9a-f]+»:/,
          '1. Participante: Hace falta en mi calle.\n    ↳ 2. Participante: Y en la mía también.\n3. Participante: Segundo comentario publicado.',
          /responder o denunciar uno por su número/,
        ],
      ],
    ]);
    expect(chat.text()).not.toMatch(/rechazado|oculto|pendiente de otra/);
    expect(chat.buttons()).toEqual([
      'Escribir un comentario',
      'Responder a uno',
      'Denunciar uno',
      'Volver a la propuesta',
      'Menú',
    ]);
  });

  it('pages through many comments; with more numbers than buttons, asks to type one', async () => {
    const proposalId = await createProposal(db(), pre);
    for (let i = 1; i <= 7; i++) {
      const id = await comment(proposalId, `Comentario número ${i}`);
      if (i <= 3) await comment(proposalId, `Respuesta al ${i}`, { parentId: id });
    }
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [
        press('Comentarios (10)'),
        [/página 1 de 2/, /1\. Participante: Comentario número 1/, /8\. Participante: Comentario número 5/],
      ],
      [press('Más comentarios'), [/página 2 de 2/, /1\. Participante: Comentario número 6/]],
      [press('Anteriores'), /página 1 de 2/],
      [press('Responder'), [/¿A qué comentario respondes\?/, /Escribe su número \(del 1 al 8\) o «volver»/]],
    ]);
    expect(chat.buttons()).toEqual([]);
    await script(chat, [
      ['12', [/No hay ningún comentario con ese número/, /del 1 al 8/]],
      ['volver', /página 1 de 2/],
      [press('Responder'), /del 1 al 8/],
      ['4', /Escribe tu respuesta al comentario 4/],
      ['Gracias por la respuesta.', /Así quedará tu respuesta al comentario 4/],
      [press('Enviar'), /se publicará cuando lo revise el equipo de moderación/],
    ]);
    const reply = await db().comment.findFirstOrThrow({ where: { body: 'Gracias por la respuesta.' } });
    const answered = await db().comment.findUniqueOrThrow({ where: { id: reply.parentId! } });
    // Comment 4 on the page is a reply (to comment number 2): the answer joins that thread.
    expect(answered.body).toBe('Comentario número 2');
  });
});

describe('writing comments', () => {
  it('writes a comment: checked text, preview, send → pending, with a moderation case and its job', async () => {
    const proposalId = await createProposal(db(), pre);
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Comentarios'), /Todavía no hay comentarios/],
      [press('Escribir un comentario'), /Escribe tu comentario \(2–1000 caracteres\)/],
      ['a', [/demasiado corto \(1 caracteres; mínimo 2\)/, /Escribe tu comentario/]],
      ['x'.repeat(1001), [/demasiado largo \(1001 caracteres; máximo 1000\)/, /Escribe tu comentario/]],
      ['Una primera versión', [/Así quedará tu comentario:\n\nUna primera versión/, /¿Lo envías\?/]],
      [press('Cambiar el texto'), /Escribe tu comentario/],
      [COMMENT, [/Así quedará tu comentario/, COMMENT]],
      [
        press('Enviar'),
        [
          /¡Recibido! Tu comentario se publicará cuando lo revise el equipo de moderación/,
          `⏳ Tú (pendiente de moderación; solo lo ves tú): ${COMMENT}`,
        ],
      ],
    ]);
    const stored = await db().comment.findFirstOrThrow({ where: { proposalId } });
    expect(stored).toMatchObject({
      body: COMMENT,
      status: 'pending',
      parentId: null,
      authorId: await participantOf(chat),
    });
    const opened = await db().moderationCase.findFirstOrThrow({ where: { commentId: stored.id } });
    expect(opened).toMatchObject({ itemKind: 'comment', reason: 'submitted', decidedAt: null });
    expect((await plaza.queues.moderation.getJob(`case-${opened.id}`))?.data).toEqual({ caseId: opened.id });

    // Others do not see it yet.
    const other = await consentedChat();
    await script(other, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Comentarios (0)'), /Todavía no hay comentarios/],
    ]);
  });

  it('publishes at once in a post-moderated process', async () => {
    const proposalId = await createProposal(db(), post);
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Comentarios'), /Todavía no hay comentarios/],
      ['escribir', /Escribe tu comentario/],
      [COMMENT, /Así quedará tu comentario/],
      ['enviar', [/¡Publicado! Tu comentario ya lo puede leer todo el mundo/, `1. Tú: ${COMMENT}`]],
      [press('Volver a la propuesta'), /#\d+ Propuesta/],
    ]);
    expect(chat.buttons()).toContain('Comentarios (1)');
    expect(await db().comment.findFirstOrThrow({ where: { proposalId } })).toMatchObject({
      status: 'published',
      publishedAt: expect.any(Date),
    });
  });

  it('replies to a comment by pressing it or typing its number', async () => {
    const proposalId = await createProposal(db(), pre);
    const first = await comment(proposalId, 'Falta iluminación en el parque.');
    await comment(proposalId, 'Y bancos para sentarse.');
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Comentarios (2)'), /2\. Participante: Y bancos/],
      [press('Responder a uno'), /¿A qué comentario respondes\?/],
    ]);
    expect(chat.buttons()).toEqual(['«Falta iluminación en el p…»', '«Y bancos para sentarse.»', 'Volver']);
    await script(chat, [
      [press('Falta iluminación'), /Escribe tu respuesta al comentario 1/],
      ['Totalmente de acuerdo.', /Así quedará tu respuesta al comentario 1:\n\nTotalmente de acuerdo\./],
      [
        press('Enviar'),
        [
          /¡Recibido!/,
          '1. Participante: Falta iluminación en el parque.\n    ↳ ⏳ Tú (pendiente de moderación; solo lo ves tú): Totalmente de acuerdo.',
        ],
      ],
      [press('Responder a uno'), /¿A qué comentario/],
      ['2', /Escribe tu respuesta al comentario 2/],
      ['cancelar', [/Cancelado/, /¿Qué quieres hacer\?/]],
    ]);
    const reply = await db().comment.findFirstOrThrow({
      where: { proposalId, authorId: await participantOf(chat) },
    });
    expect(reply).toMatchObject({ parentId: first, status: 'pending', body: 'Totalmente de acuerdo.' });
    expect(await db().comment.count({ where: { proposalId } })).toBe(3);
  });

  it('discards a draft without sending anything', async () => {
    const proposalId = await createProposal(db(), pre);
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Comentarios'), /Todavía no hay/],
      [press('Escribir'), /Escribe tu comentario/],
      [COMMENT, /¿Lo envías\?/],
      [press('Descartar'), [/Comentario descartado/, /Todavía no hay comentarios/]],
    ]);
    expect(await db().comment.count({ where: { proposalId } })).toBe(0);
  });
});

describe('reporting', () => {
  it('reports a comment with a reason, after confirming', async () => {
    const proposalId = await createProposal(db(), pre);
    const target = await comment(proposalId, 'Llamad al 600 000 000 para más detalles.');
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Comentarios (1)'), /1\. Participante: Llamad/],
      [press('Denunciar uno'), /¿Qué comentario quieres denunciar\?/],
      ['1', /¿Por qué quieres denunciar el comentario 1\?/],
    ]);
    expect(chat.buttons()).toEqual([
      'Insultos o faltas de respeto',
      'Datos personales',
      'Spam o publicidad',
      'No trata del tema',
      'Otro motivo',
      'No denunciar',
    ]);
    await script(chat, [
      [press('Datos personales'), /¿Denuncias el comentario 1 por «Datos personales»\?/],
      [
        press('Sí'),
        [/Gracias por avisar\. El equipo de moderación revisará el comentario 1/, /1\. Participante: Llamad/],
      ],
    ]);
    const reports = await db().contentReport.findMany({ where: { commentId: target } });
    expect(reports).toMatchObject([
      { itemKind: 'comment', reason: 'personal-data', participantId: await participantOf(chat) },
    ]);
  });

  it('reports a proposal once; a second time says it was already reported', async () => {
    const proposalId = await createProposal(db(), pre);
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Denunciar'), /¿Por qué quieres denunciar esta propuesta\?/],
      [press('Spam'), /¿Denuncias esta propuesta por «Spam o publicidad»\?/],
      ['no', [/no se ha enviado ninguna denuncia/, /#\d+ Propuesta/]],
      [press('Denunciar'), /¿Por qué/],
      [press('Spam'), /¿Denuncias/],
      ['sí', [/Gracias por avisar\. El equipo de moderación revisará esta propuesta/, /#\d+ Propuesta/]],
      [press('Denunciar'), /¿Por qué/],
      ['3', /¿Denuncias esta propuesta por «Spam o publicidad»\?/],
      [press('Sí'), /Ya habías denunciado esta propuesta/],
    ]);
    expect(await db().contentReport.count({ where: { proposalId } })).toBe(1);
  });

  it('a "no denunciar" leaves nothing', async () => {
    const proposalId = await createProposal(db(), pre);
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Denunciar'), /¿Por qué/],
      [press('No denunciar'), [/no se ha enviado ninguna denuncia/, /#\d+ Propuesta/]],
    ]);
    expect(await db().contentReport.count({ where: { proposalId } })).toBe(0);
  });

  it('does not offer the author to report their own proposal, and refuses reporting their own comment', async () => {
    const chat = await consentedChat();
    const me = await participantOf(chat);
    const proposalId = await createProposal(db(), post, { authorId: me });
    await comment(proposalId, 'Mi propio comentario publicado.', { authorId: me });
    await script(chat, [[`/start proposal_${proposalId}`, /Propuesta/]]);
    expect(chat.buttons()).not.toContain('Denunciar');
    await script(chat, [
      [press('Comentarios (1)'), /1\. Tú: Mi propio comentario publicado\./],
      [press('Denunciar uno'), /¿Qué comentario/],
      [press('Mi propio comentario'), /¿Por qué/],
      [press('Otro motivo'), /¿Denuncias/],
      [press('Sí'), [/No puedes denunciar algo que has escrito tú/, /1\. Tú: Mi propio/]],
    ]);
    expect(await db().contentReport.count({ where: { participantId: me } })).toBe(0);
  });

  it('hides a proposal that reaches the report threshold and goes back to the list', async () => {
    const process = await createProcess(db(), { phase: 'voting', title: 'Umbral' });
    await db().process.update({ where: { id: process.id }, data: { reportThreshold: 1 } });
    const proposalId = await createProposal(db(), process, { title: 'Propuesta denunciable' });
    const chat = await consentedChat();
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta denunciable/],
      [press('Denunciar'), /¿Por qué/],
      [press('Insultos'), /¿Denuncias/],
      [
        press('Sí'),
        [
          /Hemos ocultado esta propuesta mientras el equipo de moderación revisa las denuncias/,
          /¿Qué quieres hacer\?/,
        ],
      ],
    ]);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('hidden');
  });
});

describe('following comments', () => {
  it('a supporter follows and unfollows', async () => {
    const proposalId = await createProposal(db(), pre);
    const chat = await consentedChat();
    await script(chat, [[`/start proposal_${proposalId}`, /Propuesta/]]);
    expect(chat.buttons()).not.toContain('Seguir los comentarios');
    await script(chat, [
      [press('Apoyar'), [/¡Apoyo registrado!/, /Ya la apoyas/]],
      [
        press('Seguir los comentarios'),
        [/te avisaremos cuando haya comentarios nuevos/, /🔔 Sigues sus comentarios/],
      ],
    ]);
    expect(chat.buttons()).toContain('Dejar de seguir');
    expect(chat.buttons()).not.toContain('Seguir los comentarios');
    const me = await participantOf(chat);
    expect(await db().proposalFollow.count({ where: { proposalId, participantId: me } })).toBe(1);
    await script(chat, [[press('Dejar de seguir'), /ya no te avisaremos de los comentarios nuevos/]]);
    expect(chat.text()).not.toMatch(/Sigues sus comentarios/);
    expect(chat.buttons()).toContain('Seguir los comentarios');
    expect(await db().proposalFollow.count({ where: { proposalId, participantId: me } })).toBe(0);
  });

  it('the author may follow their own proposal', async () => {
    const chat = await consentedChat();
    const proposalId = await createProposal(db(), pre, { authorId: await participantOf(chat) });
    await script(chat, [
      [`/start proposal_${proposalId}`, /Propuesta/],
      [press('Seguir los comentarios'), /te avisaremos/],
    ]);
  });

  it('is not offered to someone who neither wrote nor supports the proposal; typing it is explained', async () => {
    const proposalId = await createProposal(db(), pre);
    const chat = await consentedChat();
    await script(chat, [[`/start proposal_${proposalId}`, /Propuesta/]]);
    expect(chat.buttons()).toEqual(['Apoyar', 'Comentarios (0)', 'Denunciar', 'Volver a la lista', 'Menú']);
    await script(chat, [['seguir', /No te he entendido/]]);
    expect(await db().proposalFollow.count({ where: { proposalId } })).toBe(0);
  });
});

describe('in English', () => {
  it('reads, writes and reports comments', async () => {
    const proposalId = await createProposal(db(), pre);
    await comment(proposalId, 'Buena idea.');
    const chat = new Chat(plaza.engine);
    await script(chat, [...englishConsentSteps, [`/start proposal_${proposalId}`, /Propuesta/]]);
    expect(chat.buttons()).toEqual(['Support', 'Comments (1)', 'Report', 'Back to the list', 'Menu']);
    await script(chat, [
      [press('Comments (1)'), [/💬 Comments on "Propuesta [0-9a-f]+":/, '1. Participant: Buena idea.']],
      [press('Write a comment'), /Type your comment \(2–1000 characters\)/],
      ['Great idea!', [/This is how your comment will look/, /Shall I send it\?/]],
      [
        press('Send'),
        [
          /Received! Your comment will be published once/,
          /⏳ You \(waiting for moderation; only you can see it\): Great idea!/,
        ],
      ],
      [press('Report one'), /Which comment do you want to report\?/],
    ]);
    // Quoted as English quotes them.
    expect(chat.buttons()).toEqual(['“Buena idea.”', 'Back']);
    await script(chat, [
      ['1', /Why do you want to report comment 1\?/],
      [press('Off topic'), /Report comment 1 for "Off topic"\?/],
      ['yes', /Thanks for letting us know\. The moderation team will review comment 1\./],
    ]);
  });
});
