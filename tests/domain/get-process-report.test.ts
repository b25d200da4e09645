import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProcessReport, type ProcessReport } from '../../src/domain/get-process-report.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

// One process seeded row by row with known times (Europe/Madrid is UTC+1 in early March 2026), and a second
// process whose rows must never be counted in the first one's report.
let t: DomainTest;
let proc: ProcessFixture;
let other: ProcessFixture;
const ids: Record<string, number> = {};
const GENERATED_AT = new Date('2026-04-01T08:00:00Z');
const at = (iso: string) => new Date(`2026-03-${iso}Z`);
const minutes = (d: Date, n: number) => new Date(d.getTime() + n * 60_000);

beforeAll(async () => {
  t = await createDomainTest();
  proc = await createProcess(t.db, { title: 'Presupuestos 2026' });
  other = await createProcess(t.db);
  const [movilidad, atencion] = proc.categories.map((c) => c.id) as [number, number];

  const a = await createParticipant(t.db, 'telegram');
  const b = await createParticipant(t.db, 'webchat');
  // C joined through Telegram and later also wrote from the web chat: counted once, under Telegram.
  const c = await createParticipant(t.db, 'telegram');
  await t.db.channelAccount.create({
    data: { participantId: c.id, channel: 'webchat', externalId: `u-c-${c.id}`, createdAt: new Date() },
  });
  await t.db.channelAccount.updateMany({
    where: { participantId: c.id, channel: 'telegram' },
    data: { createdAt: new Date('2026-01-01T00:00:00Z') },
  });
  const d = await createParticipant(t.db, 'webchat'); // only subscribes
  const e = await createParticipant(t.db, 'telegram'); // subscribes and supports
  const f = await createParticipant(t.db, 'webchat'); // takes part in the other process only
  await t.db.subscription.createMany({
    data: [
      { participantId: d.id, processId: proc.id },
      { participantId: e.id, processId: proc.id },
      { participantId: f.id, processId: other.id },
    ],
  });

  const proposal = async (
    key: string,
    o: { author: string | null; categoryId: number; status: string; createdAt: Date; answer?: string },
  ) => {
    ids[key] = await createProposal(t.db, proc, {
      authorId: o.author ?? undefined,
      categoryId: o.categoryId,
      status: o.status as 'published',
      title: `Título ${key}`,
    });
    await t.db.proposal.update({
      where: { id: ids[key] },
      data: {
        status: o.status as 'published',
        createdAt: o.createdAt,
        answer: o.answer ?? null,
        answeredAt: o.answer ? at('20T12:00:00') : null,
      },
    });
  };
  await proposal('p1', {
    author: a.id,
    categoryId: movilidad,
    status: 'selected',
    createdAt: at('02T10:00:00'),
    answer: 'Lo haremos este año.',
  });
  await proposal('p2', {
    author: b.id,
    categoryId: atencion,
    status: 'not_selected',
    createdAt: at('02T12:00:00'),
  });
  await proposal('p3', {
    author: a.id,
    categoryId: movilidad,
    status: 'published',
    createdAt: at('03T09:00:00'),
  });
  await proposal('p4', {
    author: c.id,
    categoryId: atencion,
    status: 'rejected',
    createdAt: at('03T10:00:00'),
  });
  await proposal('p5', {
    author: null,
    categoryId: movilidad,
    status: 'pending',
    createdAt: at('04T10:00:00'),
  });
  await proposal('p6', {
    author: b.id,
    categoryId: movilidad,
    status: 'hidden',
    createdAt: at('04T11:00:00'),
  });
  // 23:30 UTC on the 4th is the 5th in Madrid.
  await proposal('p7', {
    author: c.id,
    categoryId: atencion,
    status: 'withdrawn',
    createdAt: at('04T23:30:00'),
  });

  await t.db.support.createMany({
    data: [
      { proposalId: ids.p1!, participantId: a.id, createdAt: at('05T10:00:00') },
      { proposalId: ids.p1!, participantId: b.id, createdAt: at('05T11:00:00') },
      { proposalId: ids.p1!, participantId: c.id, createdAt: at('06T10:00:00') },
      { proposalId: ids.p1!, participantId: e.id, createdAt: at('10T23:30:00') }, // the 11th in Madrid
      { proposalId: ids.p3!, participantId: b.id, createdAt: at('06T12:00:00') },
      { proposalId: ids.p3!, participantId: e.id, createdAt: at('06T13:00:00') },
      { proposalId: ids.p2!, participantId: c.id, createdAt: at('11T10:00:00') },
    ],
  });

  const comment = async (
    key: string,
    o: { proposal: string; author: string | null; status: string; createdAt: Date; parent?: string },
  ) => {
    const row = await t.db.comment.create({
      data: {
        proposalId: ids[o.proposal]!,
        authorId: o.author,
        parentId: o.parent ? ids[o.parent]! : null,
        body: `Comentario ${key}`,
        status: o.status as 'published',
        createdAt: o.createdAt,
      },
    });
    ids[key] = row.id;
  };
  await comment('c1', { proposal: 'p1', author: b.id, status: 'published', createdAt: at('07T10:00:00') });
  await comment('c2', { proposal: 'p3', author: a.id, status: 'rejected', createdAt: at('07T11:00:00') });
  await comment('c3', { proposal: 'p1', author: null, status: 'pending', createdAt: at('08T10:00:00') });
  await comment('c4', {
    proposal: 'p1',
    author: c.id,
    status: 'published',
    createdAt: at('08T11:00:00'),
    parent: 'c1',
  });
  await comment('c5', { proposal: 'p2', author: b.id, status: 'hidden', createdAt: at('08T12:00:00') });

  const moderator = await createStaffMember(t.db);
  const kase = (
    item: { proposal?: string; comment?: string },
    reason: 'submitted' | 'reported',
    openedAt: Date,
    decision?: { after: number; decision: 'approve' | 'reject' | 'redact_approve'; reason?: string },
  ) => ({
    processId: proc.id,
    itemKind: item.proposal ? ('proposal' as const) : ('comment' as const),
    proposalId: item.proposal ? ids[item.proposal]! : null,
    commentId: item.comment ? ids[item.comment]! : null,
    reason,
    openedAt,
    decidedAt: decision ? minutes(openedAt, decision.after) : null,
    decision: decision?.decision ?? null,
    decisionReason: decision?.reason ?? null,
    decidedById: decision ? moderator.id : null,
  });
  // Minutes to decision: 10, 30, 20, 120, 60, 5 → sorted 5, 10, 20, 30, 60, 120 → median 25 min = 1500 s.
  await t.db.moderationCase.createMany({
    data: [
      kase({ proposal: 'p1' }, 'submitted', at('02T10:00:00'), { after: 10, decision: 'approve' }),
      kase({ proposal: 'p2' }, 'submitted', at('02T12:00:00'), { after: 30, decision: 'approve' }),
      kase({ proposal: 'p4' }, 'submitted', at('03T10:00:00'), {
        after: 20,
        decision: 'reject',
        reason: 'insults',
      }),
      kase({ comment: 'c2' }, 'submitted', at('07T11:00:00'), {
        after: 120,
        decision: 'reject',
        reason: 'Da el teléfono de su vecino',
      }),
      kase({ proposal: 'p3' }, 'submitted', at('03T09:00:00'), { after: 60, decision: 'redact_approve' }),
      kase({ proposal: 'p6' }, 'submitted', at('04T11:00:00'), { after: 5, decision: 'approve' }),
      kase({ proposal: 'p6' }, 'reported', at('09T11:00:00')),
      kase({ comment: 'c3' }, 'submitted', at('08T10:00:00')),
    ],
  });
  await t.db.contentReport.createMany({
    data: [
      { itemKind: 'proposal', proposalId: ids.p6!, participantId: a.id, reason: 'spam' },
      { itemKind: 'proposal', proposalId: ids.p6!, participantId: c.id, reason: 'spam' },
      { itemKind: 'proposal', proposalId: ids.p6!, participantId: e.id, reason: 'insults' },
      { itemKind: 'comment', commentId: ids.c1!, participantId: e.id, reason: 'off-topic' },
    ],
  });

  const k1 = await t.db.commitment.create({
    data: {
      processId: proc.id,
      title: { es: 'Carril bici en la avenida', en: 'Bike lane on the avenue' },
      department: 'Movilidad',
      dueDate: new Date('2026-06-30'),
      status: 'in_progress',
      progress: 40,
      proposals: { create: [{ proposalId: ids.p1! }] },
      updates: {
        create: [
          { status: 'planned', progress: 0, createdAt: at('21T09:00:00') },
          { status: 'in_progress', progress: 40, createdAt: at('25T09:00:00') },
        ],
      },
    },
  });
  const k2 = await t.db.commitment.create({
    data: {
      processId: proc.id,
      title: { es: 'Estudio de horarios' },
      department: 'Atención ciudadana',
      updates: { create: [{ status: 'planned', progress: 0, createdAt: at('22T09:00:00') }] },
    },
  });
  ids.k1 = k1.id;
  ids.k2 = k2.id;

  // The other process: a proposal, a support, a comment, a case, a report and a commitment of its own.
  const q1 = await createProposal(t.db, other, { authorId: f.id, status: 'published' });
  await t.db.support.create({ data: { proposalId: q1, participantId: f.id } });
  const qc = await t.db.comment.create({
    data: { proposalId: q1, authorId: f.id, body: 'Otro', status: 'published' },
  });
  await t.db.moderationCase.create({
    data: {
      processId: other.id,
      itemKind: 'proposal',
      proposalId: q1,
      reason: 'submitted',
      decidedAt: new Date(),
      decision: 'reject',
      decisionReason: 'spam',
    },
  });
  await t.db.contentReport.create({
    data: { itemKind: 'comment', commentId: qc.id, participantId: a.id, reason: 'spam' },
  });
  await t.db.commitment.create({ data: { processId: other.id, title: { es: 'Otro' }, department: 'X' } });
});
afterAll(() => t?.cleanup());

async function report(processId = proc.id): Promise<ProcessReport> {
  const r = await getProcessReport(t.at(GENERATED_AT), { processId });
  if (!r.ok) throw new Error(r.reason);
  return r.report;
}

describe('getProcessReport', () => {
  it('names the process and the time the figures were taken', async () => {
    const r = await report();
    expect(r.generatedAt).toEqual(GENERATED_AT);
    expect(r.process).toMatchObject({
      id: proc.id,
      slug: proc.slug,
      title: { es: 'Presupuestos 2026', en: `Process ${proc.slug}` },
      timeZone: 'Europe/Madrid',
    });
    expect(r.process.phases.map((p) => p.kind)).toEqual(['voting', 'results']);
  });

  it('counts distinct participants by what they did, by the channel they joined through and by day', async () => {
    const r = await report();
    expect(r.participants).toEqual({
      total: 4,
      proposers: 3,
      supporters: 4,
      commenters: 3,
      byChannel: { telegram: 3, webchat: 1 },
      byDay: [
        { day: '2026-03-02', count: 2 },
        { day: '2026-03-03', count: 2 },
        { day: '2026-03-04', count: 1 },
        { day: '2026-03-05', count: 3 },
        { day: '2026-03-06', count: 3 },
        { day: '2026-03-07', count: 2 },
        { day: '2026-03-08', count: 2 },
        { day: '2026-03-11', count: 2 },
      ],
    });
    expect(r.subscribers).toEqual({ total: 2, byChannel: { telegram: 1, webchat: 1 } });
  });

  it('counts proposals by status, by category (all and public) and by day submitted', async () => {
    const r = await report();
    expect(r.proposals.total).toBe(7);
    expect(r.proposals.byStatus).toEqual({
      pending: 1,
      published: 1,
      rejected: 1,
      withdrawn: 1,
      selected: 1,
      not_selected: 1,
      hidden: 1,
    });
    expect(r.proposals.byCategory).toEqual([
      { key: 'movilidad', label: { es: 'Movilidad', en: 'Mobility' }, total: 4, public: 2 },
      { key: 'atencion', label: { es: 'Atención', en: 'Service' }, total: 3, public: 1 },
    ]);
    expect(r.proposals.byDay).toEqual([
      { day: '2026-03-02', count: 2 },
      { day: '2026-03-03', count: 2 },
      { day: '2026-03-04', count: 2 },
      { day: '2026-03-05', count: 1 },
    ]);
  });

  it('counts supports in total, by day in the process time zone and by channel', async () => {
    const r = await report();
    expect(r.supports).toEqual({
      total: 7,
      byDay: [
        { day: '2026-03-05', count: 2 },
        { day: '2026-03-06', count: 3 },
        { day: '2026-03-11', count: 2 },
      ],
      byChannel: { telegram: 5, webchat: 2 },
    });
  });

  it('counts comments by status and by day', async () => {
    const r = await report();
    expect(r.comments).toEqual({
      total: 5,
      byStatus: { pending: 1, published: 2, rejected: 1, hidden: 1 },
      byDay: [
        { day: '2026-03-07', count: 2 },
        { day: '2026-03-08', count: 3 },
      ],
    });
  });

  it('sums up moderation: cases, decisions, rejections by preset reason, reports and the median time', async () => {
    const r = await report();
    expect(r.moderation).toEqual({
      opened: 8,
      reopenedByReports: 1,
      waiting: 2,
      decided: 6,
      approved: 3,
      redacted: 1,
      rejected: 2,
      // The moderator's own words are not repeated: they count as `other`.
      rejectedByReason: { insults: 1, other: 1 },
      citizenReports: 4,
      medianSecondsToDecision: 1500,
    });
  });

  it('a first review closed without a decision when reports hid its item counts neither as opened nor as decided', async () => {
    // Reports hid a post-moderated proposal while its first review waited (reopenAsReported): that case is
    // closed (decidedAt set, no decision) and a reported case opened in its place. Another proposal's first
    // review was decided in 10 minutes.
    const own = await createProcess(t.db);
    const hidden = await createProposal(t.db, own, { status: 'published' });
    await t.db.proposal.update({
      where: { id: hidden },
      data: { status: 'hidden', hiddenFrom: 'published' },
    });
    const kept = await createProposal(t.db, own, { status: 'published' });
    const moderator = await createStaffMember(t.db);
    const opened = at('10T10:00:00');
    const closed = minutes(opened, 1000);
    await t.db.moderationCase.createMany({
      data: [
        {
          processId: own.id,
          itemKind: 'proposal',
          proposalId: kept,
          reason: 'submitted',
          openedAt: opened,
          decidedAt: minutes(opened, 10),
          decision: 'approve',
          decidedById: moderator.id,
          settledAt: minutes(opened, 10),
        },
        {
          processId: own.id,
          itemKind: 'proposal',
          proposalId: hidden,
          reason: 'submitted',
          openedAt: opened,
          decidedAt: closed,
          settledAt: closed,
        },
        { processId: own.id, itemKind: 'proposal', proposalId: hidden, reason: 'reported', openedAt: closed },
      ],
    });
    const r = await report(own.id);
    expect(r.moderation).toMatchObject({
      opened: 2,
      reopenedByReports: 1,
      waiting: 1,
      decided: 1,
      approved: 1,
      medianSecondsToDecision: 600,
    });
    expect(r.moderation.opened).toBe(r.moderation.waiting + r.moderation.decided);
  });

  it('ranks the public proposals by supports with comments, outcome and official answer', async () => {
    const r = await report();
    expect(r.results).toEqual([
      {
        position: 1,
        id: ids.p1,
        title: 'Título p1',
        categoryKey: 'movilidad',
        status: 'selected',
        outcome: 'selected',
        supports: 4,
        comments: 2,
        answer: 'Lo haremos este año.',
        answeredAt: at('20T12:00:00'),
      },
      {
        position: 2,
        id: ids.p3,
        title: 'Título p3',
        categoryKey: 'movilidad',
        status: 'published',
        outcome: 'undecided',
        supports: 2,
        comments: 0,
        answer: null,
        answeredAt: null,
      },
      {
        position: 3,
        id: ids.p2,
        title: 'Título p2',
        categoryKey: 'atencion',
        status: 'not_selected',
        outcome: 'not_selected',
        supports: 1,
        comments: 0,
        answer: null,
        answeredAt: null,
      },
    ]);
  });

  it('lists commitments with status, progress, due date, updates and the proposals they answer', async () => {
    const r = await report();
    expect(r.commitments).toEqual([
      {
        id: ids.k1,
        title: { es: 'Carril bici en la avenida', en: 'Bike lane on the avenue' },
        department: 'Movilidad',
        status: 'in_progress',
        progress: 40,
        dueDate: '2026-06-30',
        updates: 2,
        lastUpdateAt: at('25T09:00:00'),
        proposalIds: [ids.p1],
      },
      {
        id: ids.k2,
        title: { es: 'Estudio de horarios' },
        department: 'Atención ciudadana',
        status: 'planned',
        progress: 0,
        dueDate: null,
        updates: 1,
        lastUpdateAt: at('22T09:00:00'),
        proposalIds: [],
      },
    ]);
  });

  it('gives zeros, empty lists and no median for a process where nothing happened', async () => {
    const empty = await createProcess(t.db);
    const r = await report(empty.id);
    expect(r.participants).toEqual({
      total: 0,
      proposers: 0,
      supporters: 0,
      commenters: 0,
      byChannel: {},
      byDay: [],
    });
    expect(r.subscribers).toEqual({ total: 0, byChannel: {} });
    expect(r.proposals.total).toBe(0);
    expect(r.proposals.byCategory.map((c) => [c.total, c.public])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(r.supports).toEqual({ total: 0, byDay: [], byChannel: {} });
    expect(r.comments.total).toBe(0);
    expect(r.moderation).toMatchObject({ opened: 0, rejectedByReason: {}, medianSecondsToDecision: null });
    expect(r.results).toEqual([]);
    expect(r.commitments).toEqual([]);
  });

  it('counts days in UTC when the stored time zone is not one', async () => {
    const odd = await createProcess(t.db);
    await t.db.process.update({ where: { id: odd.id }, data: { timeZone: 'Mars/Olympus_Mons' } });
    const id = await createProposal(t.db, odd);
    await t.db.proposal.update({ where: { id }, data: { createdAt: at('04T23:30:00') } });
    const r = await report(odd.id);
    expect(r.process.timeZone).toBe('UTC');
    expect(r.proposals.byDay).toEqual([{ day: '2026-03-04', count: 1 }]);
  });

  it('answers not-found for a process that does not exist or an id that is not one', async () => {
    for (const processId of [2_000_000_000, 0, -1, 1.5, Number.NaN])
      expect(await getProcessReport(t.deps, { processId })).toEqual({ ok: false, reason: 'not-found' });
  });
});
