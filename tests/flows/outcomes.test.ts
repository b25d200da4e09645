// "¿Qué pasó con mi propuesta?" and a process's commitments, as conversations: what the citizen says or
// presses, and what Plaza answers, in Spanish and in English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from '../../src/domain/answer-proposal.ts';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { handleNotificationJob } from '../../src/queues/notifications/handler.ts';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { updateCommitment } from '../../src/domain/update-commitment.ts';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import {
  createCase,
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let staff: { id: string };
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
  staff = await createStaffMember(db(), { role: 'staff' });
});
afterAll(() => plaza?.cleanup());

const at = (iso: string) => ({ ...plaza.domain, now: () => new Date(iso) });

const englishSteps: Parameters<typeof script>[1] = [
  ['hello', /Which language/],
  [press('English'), /Are you 14 or older\?/],
  ['yes', /Do you agree/],
  [press('Yes, I agree'), /What would you like to do\?/],
];

async function participantOf(chat: Chat): Promise<string> {
  const account = await db().channelAccount.findFirstOrThrow({ where: { externalId: chat.userId } });
  return account.participantId;
}

async function commitment(
  process: ProcessFixture,
  input: {
    title: { es: string; en?: string };
    department?: string;
    dueDate?: string;
    proposalIds?: number[];
  },
  now = '2027-01-10T10:00:00Z',
) {
  const r = await createCommitment(at(now), {
    staffMemberId: staff.id,
    processId: process.id,
    department: 'Movilidad',
    ...input,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.commitment.id;
}

/** Four proposals of this chat's participant: one selected with an answer and a commitment. */
async function proposalsOf(chat: Chat, process: ProcessFixture) {
  const me = await participantOf(chat);
  const pending = await createProposal(db(), process, {
    authorId: me,
    status: 'pending',
    title: 'Fuente en la plaza',
  });
  const bus = await createProposal(db(), process, { authorId: me, title: 'Autobús al hospital' });
  const rejected = await createProposal(db(), process, {
    authorId: me,
    status: 'rejected',
    title: 'Texto no válido',
  });
  await db().proposal.update({ where: { id: rejected }, data: { rejectionReason: 'duplicate' } });
  const bench = await createProposal(db(), process, { authorId: me, title: 'Bancos a la sombra' });
  const answered = await answerProposal(plaza.domain, {
    staffMemberId: staff.id,
    proposalId: bus,
    status: 'selected',
    answer: 'Se pondrá en marcha en 2027.',
  });
  if (!answered.ok) throw new Error(answered.reason);
  const id = await commitment(process, {
    title: { es: 'Línea 7 al hospital', en: 'Line 7 to the hospital' },
    dueDate: '2027-06-30',
    proposalIds: [bus],
  });
  await updateCommitment(plaza.domain, { staffMemberId: staff.id, commitmentId: id, progress: 40 });
  return { pending, bus, rejected, bench };
}

describe('«¿Qué pasó con mi propuesta?»', () => {
  it('lists my proposals a page at a time with status, answer and commitments (Spanish)', async () => {
    const process = await createProcess(db(), { phase: 'results', title: 'Movilidad 2027' });
    const chat = new Chat(plaza.engine);
    await script(chat, [
      ...consentSteps,
      ['¿Qué pasó con mi propuesta?', [/Todavía no has hecho ninguna propuesta/, /¿Qué quieres hacer\?/]],
    ]);
    expect(chat.buttons()).toContain('¿Qué pasó con mi propuesta?');
    await proposalsOf(chat, process);
    await script(chat, [
      [
        'mis propuestas',
        [
          'Tus propuestas (1–3 de 4):',
          '1. «Bancos a la sombra» — Movilidad 2027\nEstado: publicada, todavía sin resultado',
          '2. «Texto no válido» — Movilidad 2027\nEstado: ✖ no publicada\nMotivo: Repetida: ya existe una igual',
          '3. «Autobús al hospital» — Movilidad 2027\nEstado: 🏅 seleccionada\n' +
            'Respuesta de la administración: Se pondrá en marcha en 2027.\n' +
            'Compromisos:\n• Línea 7 al hospital — en marcha, 40 %, fecha prevista: 30 de junio de 2027',
        ],
      ],
    ]);
    expect(chat.text()).not.toContain('Fuente en la plaza');
    expect(chat.buttons()).toEqual(['Más propuestas', 'Menú']);
    await script(chat, [
      [
        press('Más propuestas'),
        [
          'Tus propuestas (4–4 de 4):',
          '4. «Fuente en la plaza» — Movilidad 2027\nEstado: ⏳ pendiente de moderación',
        ],
      ],
    ]);
    // The pending one can be withdrawn from here.
    expect(chat.buttons()).toEqual(['Retirar «Fuente en la plaza»', 'Anteriores', 'Menú']);
    await script(chat, [
      [press('Anteriores'), 'Tus propuestas (1–3 de 4):'],
      [press('Menú'), /¿Qué quieres hacer\?/],
      // Pressed from the menu, by its button.
      [press('¿Qué pasó con mi propuesta?'), 'Tus propuestas (1–3 de 4):'],
      [press('Menú'), /¿Qué quieres hacer\?/],
      // Typed without accents or question marks, as people write.
      ['que paso con mi propuesta', 'Tus propuestas (1–3 de 4):'],
    ]);
  });

  it('withdraws a proposal still waiting for moderation, after asking; a decided one no longer', async () => {
    const process = await createProcess(db(), { phase: 'proposals', title: 'Plazas' });
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const me = await participantOf(chat);
    const fountain = await createProposal(db(), process, {
      authorId: me,
      status: 'pending',
      title: 'Fuente en la plaza',
    });
    const benches = await createProposal(db(), process, {
      authorId: me,
      status: 'pending',
      title: 'Bancos a la sombra en todas las plazas del barrio',
    });
    await script(chat, [
      [
        'mis propuestas',
        [
          'Tus propuestas (1–2 de 2):',
          '1. «Bancos a la sombra en todas las plazas del barrio» — Plazas\nEstado: ⏳ pendiente de moderación',
          '2. «Fuente en la plaza» — Plazas\nEstado: ⏳ pendiente de moderación',
        ],
      ],
    ]);
    expect(chat.buttons()).toEqual([
      'Retirar «Bancos a la sombra en todas…»',
      'Retirar «Fuente en la plaza»',
      'Menú',
    ]);
    await script(chat, [
      [
        press('Retirar «Fuente en la plaza»'),
        /¿Retiras tu propuesta «Fuente en la plaza»\? Todavía no se ha publicado/,
      ],
      ['no', ['De acuerdo, tu propuesta sigue pendiente de moderación.', 'Tus propuestas (1–2 de 2):']],
      [press('Retirar «Fuente en la plaza»'), /¿Retiras tu propuesta/],
      [
        press('Sí'),
        [/Hecho: has retirado tu propuesta «Fuente en la plaza»\. No se publicará\./, /¿Qué quieres hacer\?/],
      ],
      ['mis propuestas', [/2\. «Fuente en la plaza» — Plazas\nEstado: retirada/]],
    ]);
    expect(await db().proposal.findUniqueOrThrow({ where: { id: fountain } })).toMatchObject({
      status: 'withdrawn',
    });
    expect(chat.buttons()).toEqual(['Retirar «Bancos a la sombra en todas…»', 'Menú']);
    // Published by moderation while the question was on screen: too late, and the list says how it is now.
    await script(chat, [[press('Retirar «Bancos a la sombra en todas…»'), /¿Retiras tu propuesta/]]);
    await db().proposal.update({ where: { id: benches }, data: { status: 'published' } });
    await script(chat, [
      [
        press('Sí'),
        [
          /Ya no se puede retirar: el equipo de moderación acaba de revisarla/,
          /1\. «Bancos a la sombra en todas las plazas del barrio» — Plazas\nEstado: publicada/,
        ],
      ],
    ]);
    expect(await db().proposal.findUniqueOrThrow({ where: { id: benches } })).toMatchObject({
      status: 'published',
    });
  });

  it('«hola» right after news about what the question shows: the menu afresh, not the stale list', async () => {
    const process = await createProcess(db(), { phase: 'proposals', title: 'Fuentes' });
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const { caseId } = await createCase(db(), process, {
      authorId: await participantOf(chat),
      title: 'Fuente en el parque',
    });
    await script(chat, [['mis propuestas', [/«Fuente en el parque»/, /pendiente de moderación/]]]);
    expect(
      await decideModeration(plaza.domain, { caseId, staffMemberId: staff.id, decision: 'approve' }),
    ).toMatchObject({ ok: true });
    await handleNotificationJob({ domain: plaza.domain, senders: {} }, { kind: 'case-decided', caseId });
    await script(chat, [
      ['hola', [/Tu propuesta «Fuente en el parque» ya está publicada/, /¡Hola!/, /¿Qué quieres hacer\?/]],
    ]);
    expect(chat.text()).not.toMatch(/pendiente de moderación/);
  });

  it('right after news, an answer that is none still gets the question again (not the news alone)', async () => {
    const process = await createProcess(db(), { phase: 'proposals', title: 'Fuentes bis' });
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const { caseId } = await createCase(db(), process, {
      authorId: await participantOf(chat),
      title: 'Fuente en la plaza',
    });
    await script(chat, [['menú', /¿Qué quieres hacer\?/]]);
    expect(
      await decideModeration(plaza.domain, { caseId, staffMemberId: staff.id, decision: 'approve' }),
    ).toMatchObject({ ok: true });
    await handleNotificationJob({ domain: plaza.domain, senders: {} }, { kind: 'case-decided', caseId });
    await script(chat, [
      [
        'quiero una fuente',
        [/Tu propuesta «Fuente en la plaza» ya está publicada/, /No te he entendido/, /¿Qué quieres hacer\?/],
      ],
    ]);
    expect(chat.buttons().length).toBeGreaterThan(2);
  });

  it('answers in English, with the commitment in English', async () => {
    const process = await createProcess(db(), { phase: 'results' });
    const chat = new Chat(plaza.engine, { locale: 'en-GB' });
    await script(chat, [...englishSteps, ['my proposals', /You haven't made any proposal yet/]]);
    const me = await participantOf(chat);
    const bus = await createProposal(db(), process, {
      authorId: me,
      title: 'Bus to the hospital',
      status: 'selected',
    });
    await commitment(process, {
      title: { es: 'Línea 7 al hospital', en: 'Line 7 to the hospital' },
      dueDate: '2027-06-30',
      proposalIds: [bus],
    });
    await script(chat, [
      [
        'What happened to my proposal?',
        [
          'Your proposals (1–1 of 1):',
          `1. "Bus to the hospital" — Process ${process.slug}\nStatus: 🏅 selected\n` +
            'Commitments:\n• Line 7 to the hospital — planned, 0%, due 30 June 2027',
          /What would you like to do\?/,
        ],
      ],
    ]);
  });

  it('a proposal that was public and was taken down says so, not "not published"', async () => {
    const process = await createProcess(db(), { phase: 'proposals', title: 'Post' });
    await db().process.update({ where: { id: process.id }, data: { moderationMode: 'post' } });
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const me = await participantOf(chat);
    const { caseId, proposalId } = await createCase(db(), process, {
      authorId: me,
      status: 'published',
      title: 'Ya era pública',
    });
    await db().proposal.update({ where: { id: proposalId }, data: { publishedAt: new Date() } });
    const mod = await createStaffMember(db());
    await decideModeration(plaza.domain, {
      caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'spam',
    });
    await script(chat, [
      [
        'mis propuestas',
        [
          'Tus propuestas (1–1 de 1):',
          '1. «Ya era pública» — Post\nEstado: ✖ retirada por el equipo de moderación\nMotivo: Publicidad o spam',
        ],
      ],
    ]);
  });
});

describe('a process’s commitments', () => {
  it('pages through them and opens one with its history (Spanish)', async () => {
    const process = await createProcess(db(), { phase: 'results', title: 'Barrio verde' });
    const empty = await createProcess(db(), { phase: 'results', title: 'Sin compromisos' });
    const selected = await createProposal(db(), process, { status: 'selected', title: 'Más árboles' });
    const first = await commitment(
      process,
      {
        title: { es: 'Plantar 200 árboles' },
        department: 'Parques',
        dueDate: '2027-10-31',
        proposalIds: [selected],
      },
      '2027-01-10T10:00:00Z',
    );
    await updateCommitment(at('2027-02-15T10:00:00Z'), {
      staffMemberId: staff.id,
      commitmentId: first,
      progress: 50,
      note: 'Cien plantados en el parque norte',
    });
    // A later update with no news for citizens: the due date moves.
    await updateCommitment(at('2027-03-01T10:00:00Z'), {
      staffMemberId: staff.id,
      commitmentId: first,
      dueDate: '2027-11-30',
    });
    for (let i = 2; i <= 6; i++)
      await commitment(process, { title: { es: `Compromiso ${i}` }, department: 'Obras' });

    const chat = new Chat(plaza.engine);
    await script(chat, [...consentSteps, [`/start process_${empty.slug}`, /Sin compromisos/]]);
    expect(chat.buttons()).not.toContain('Compromisos');
    await script(chat, [[`/start process_${process.slug}`, /Barrio verde/]]);
    expect(chat.buttons()).toContain('Compromisos');
    await script(chat, [
      [
        press('Compromisos'),
        [
          'Compromisos de «Barrio verde» (1–5 de 6):',
          '1. Plantar 200 árboles\n   Parques · en marcha · 50 %\n   Fecha prevista: 30 de noviembre de 2027\n' +
            '   Última novedad (15 de febrero de 2027): Cien plantados en el parque norte',
          '2. Compromiso 2\n   Obras · previsto · 0 %',
          /Elige uno para ver su historial/,
        ],
      ],
    ]);
    expect(chat.text()).not.toContain('Compromiso 6');
    expect(chat.buttons()).toEqual([
      '1. Plantar 200 árboles',
      '2. Compromiso 2',
      '3. Compromiso 3',
      '4. Compromiso 4',
      '5. Compromiso 5',
      'Más compromisos',
      'Menú',
    ]);
    await script(chat, [
      [press('Más compromisos'), ['Compromisos de «Barrio verde» (6–6 de 6):', '6. Compromiso 6']],
      [press('Anteriores'), '(1–5 de 6)'],
      [
        '1',
        [
          'Plantar 200 árboles',
          'Responsable: Parques\nEstado: en marcha · 50 %\nFecha prevista: 30 de noviembre de 2027\nResponde a: «Más árboles»',
          'Historial:\n10 de enero de 2027 — previsto · 0 %\n' +
            '15 de febrero de 2027 — en marcha · 50 % — Cien plantados en el parque norte',
        ],
      ],
    ]);
    expect(chat.text()).not.toContain('1 de marzo de 2027');
    expect(chat.buttons()).toEqual(['Volver a la lista', 'Menú']);
    await script(chat, [
      [press('Volver a la lista'), '(1–5 de 6)'],
      [press('Menú'), /¿Qué quieres hacer\? \(Proceso: Barrio verde\)/],
    ]);
  });

  it('reads them in English, typed', async () => {
    const process = await createProcess(db(), { phase: 'results' });
    await commitment(process, {
      title: { es: 'Carril bici', en: 'Bike lane' },
      department: 'Mobility',
      dueDate: '2028-03-01',
    });
    const chat = new Chat(plaza.engine, { locale: 'en-GB' });
    await script(chat, [
      ...englishSteps,
      [`/start process_${process.slug}`, new RegExp(`Process ${process.slug}`)],
      [
        'commitments',
        [
          `Commitments of "Process ${process.slug}" (1–1 of 1):`,
          '1. Bike lane\n   Mobility · planned · 0%\n   Due: 1 March 2028',
          /Choose one to see its history/,
        ],
      ],
      [press('Bike lane'), ['Responsible: Mobility\nStatus: planned · 0%\nDue: 1 March 2028', 'History:\n']],
      [press('Menu'), /What would you like to do\?/],
    ]);
  });
});
