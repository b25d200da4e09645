import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModerationQueue, type ModerationQueueItem } from '../../src/domain/list-moderation-queue.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let deciderId: string;
beforeAll(async () => {
  t = await createDomainTest();
  const s = await registerStaffMember(t.deps, { name: 'Irene', actor: 'cli' });
  if (!s.ok) throw new Error(s.reason);
  deciderId = s.staff.id;
});
afterAll(() => t?.cleanup());

const MIN = 60_000;
const NOW = new Date('2026-05-10T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);

/** Opens a case on a new proposal (or a comment on one) at the given time. */
async function openCase(
  process: ProcessFixture,
  opts: {
    openedAt: Date;
    kind?: 'proposal' | 'comment';
    reason?: 'submitted' | 'reported';
    title?: string;
    body?: string;
    findings?: unknown[];
    decidedAt?: Date;
  },
) {
  const proposalId = await createProposal(t.db, process, {
    status: opts.kind === 'comment' ? 'published' : 'pending',
    title: opts.title,
  });
  if (opts.body && opts.kind !== 'comment')
    await t.db.proposal.update({ where: { id: proposalId }, data: { body: opts.body } });
  const commentId =
    opts.kind === 'comment'
      ? (await t.db.comment.create({ data: { proposalId, body: opts.body ?? 'Un comentario' } })).id
      : undefined;
  const c = await t.db.moderationCase.create({
    data: {
      processId: process.id,
      itemKind: opts.kind ?? 'proposal',
      proposalId: commentId ? null : proposalId,
      commentId: commentId ?? null,
      reason: opts.reason ?? 'submitted',
      openedAt: opts.openedAt,
      findings: opts.findings as never,
      ...(opts.decidedAt ? { decidedAt: opts.decidedAt, decision: 'approve', decidedById: deciderId } : {}),
    },
  });
  return { caseId: c.id, proposalId, commentId };
}

const list = (input: Parameters<typeof listModerationQueue>[1]) => listModerationQueue(t.at(NOW), input);
const ids = (r: Awaited<ReturnType<typeof listModerationQueue>>) =>
  r.ok ? r.items.map((i) => i.id) : r.reason;

describe('listModerationQueue', () => {
  it('lists open cases oldest first, with age, item, excerpt, finding kinds, reports, and the open count', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const newer = await openCase(process, {
      openedAt: ago(5),
      title: 'Bancos en la plaza',
      body: 'Más  bancos\n\ncon sombra.',
    });
    const older = await openCase(process, {
      openedAt: ago(90),
      kind: 'comment',
      body: 'Llamadme al 612 345 678',
      findings: [
        { kind: 'personal-data', what: 'phone', start: 12, end: 23 },
        { kind: 'shouting' },
        { kind: 'personal-data', what: 'phone', start: 0, end: 3 },
      ],
    });
    await openCase(process, { openedAt: ago(200), decidedAt: ago(1) });

    const result = await list({ processId: process.id });
    expect(result).toEqual({
      ok: true,
      nextCursor: null,
      openCount: 2,
      items: [
        {
          id: older.caseId,
          itemKind: 'comment',
          itemId: older.commentId,
          proposalId: older.proposalId,
          processId: process.id,
          reason: 'submitted',
          status: 'pending',
          excerpt: 'Llamadme al 612 345 678',
          findingKinds: ['personal-data', 'shouting'],
          reports: 0,
          openedAt: ago(90),
          ageSeconds: 90 * 60,
          decidedAt: null,
          decision: null,
          decidedBy: null,
        },
        {
          id: newer.caseId,
          itemKind: 'proposal',
          itemId: newer.proposalId,
          proposalId: newer.proposalId,
          processId: process.id,
          reason: 'submitted',
          status: 'pending',
          excerpt: 'Bancos en la plaza — Más bancos con sombra.',
          findingKinds: null,
          reports: 0,
          openedAt: ago(5),
          ageSeconds: 5 * 60,
          decidedAt: null,
          decision: null,
          decidedBy: null,
        } satisfies ModerationQueueItem,
      ],
    });
  });

  it('filters by item kind, reason and process; the open count follows the filters', async () => {
    const a = await createProcess(t.db, { phase: 'proposals' });
    const b = await createProcess(t.db, { phase: 'proposals' });
    const proposal = await openCase(a, { openedAt: ago(30) });
    const comment = await openCase(a, { openedAt: ago(20), kind: 'comment' });
    const reported = await openCase(a, { openedAt: ago(10), reason: 'reported' });
    const elsewhere = await openCase(b, { openedAt: ago(40) });

    expect(ids(await list({ processId: a.id }))).toEqual([proposal.caseId, comment.caseId, reported.caseId]);
    expect(ids(await list({ processId: a.id, itemKind: 'comment' }))).toEqual([comment.caseId]);
    expect(ids(await list({ processId: a.id, itemKind: 'proposal' }))).toEqual([
      proposal.caseId,
      reported.caseId,
    ]);
    expect(ids(await list({ processId: a.id, reason: 'reported' }))).toEqual([reported.caseId]);
    expect(await list({ processId: b.id })).toMatchObject({
      openCount: 1,
      items: [{ id: elsewhere.caseId }],
    });
    expect(await list({ processId: a.id, reason: 'reported' })).toMatchObject({ openCount: 1 });
    expect(await list({ processId: 2 ** 31 })).toEqual({
      ok: true,
      items: [],
      nextCursor: null,
      openCount: 0,
    });
  });

  it('lists decided cases most recently decided first, and `all` as open ones then decided ones', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const early = await openCase(process, { openedAt: ago(100), decidedAt: ago(50) });
    const late = await openCase(process, { openedAt: ago(120), decidedAt: ago(10) });
    const open = await openCase(process, { openedAt: ago(30) });

    const decided = await list({ processId: process.id, state: 'decided' });
    expect(ids(decided)).toEqual([late.caseId, early.caseId]);
    expect(decided).toMatchObject({
      openCount: 1,
      items: [{ decision: 'approve', decidedBy: 'Irene', decidedAt: ago(10), ageSeconds: 110 * 60 }, {}],
    });
    expect(ids(await list({ processId: process.id, state: 'all' }))).toEqual([
      open.caseId,
      late.caseId,
      early.caseId,
    ]);
  });

  it('leaves out a first review closed without a decision because reports hid its item: its reported case is listed', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const decided = await openCase(process, { openedAt: ago(100), decidedAt: ago(50) });
    // reopenAsReported: the open first review closed (decidedAt set, no decision), a reported case opened.
    const closed = await openCase(process, { openedAt: ago(90) });
    await t.db.moderationCase.update({
      where: { id: closed.caseId },
      data: { decidedAt: ago(20), settledAt: ago(20) },
    });
    const reported = await t.db.moderationCase.create({
      data: {
        processId: process.id,
        itemKind: 'proposal',
        proposalId: closed.proposalId,
        reason: 'reported',
        openedAt: ago(20),
      },
    });

    expect(ids(await list({ processId: process.id, state: 'decided' }))).toEqual([decided.caseId]);
    expect(ids(await list({ processId: process.id, state: 'all' }))).toEqual([reported.id, decided.caseId]);
    expect(await list({ processId: process.id, state: 'open' })).toMatchObject({
      openCount: 1,
      items: [{ id: reported.id, reason: 'reported' }],
    });
  });

  it('pages with a cursor through every case once, across open and decided ones', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const same = ago(60);
    const open = [
      await openCase(process, { openedAt: ago(70) }),
      await openCase(process, { openedAt: same }),
      await openCase(process, { openedAt: same }),
    ].map((c) => c.caseId);
    const decided = [
      await openCase(process, { openedAt: ago(300), decidedAt: ago(5) }),
      await openCase(process, { openedAt: ago(300), decidedAt: ago(6) }),
    ].map((c) => c.caseId);

    for (const [state, expected] of [
      ['open', open],
      ['decided', decided],
      ['all', [...open, ...decided]],
    ] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await list({ processId: process.id, state, limit: 2, cursor });
        if (!page.ok) throw new Error(page.reason);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen, state).toEqual(expected);
    }
  });

  it('refuses a malformed cursor, or one from the other state', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    await openCase(process, { openedAt: ago(3), decidedAt: ago(2) });
    await openCase(process, { openedAt: ago(2), decidedAt: ago(1) });
    const first = await list({ processId: process.id, state: 'decided', limit: 1 });
    const cursor = (first as { nextCursor: string }).nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expect(await list({ processId: process.id, state: 'open', cursor })).toEqual({
      ok: false,
      reason: 'invalid-cursor',
    });
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of [
      '',
      'nope!',
      'abc',
      forge([0, 1, 0]),
      forge([2, 1, 1]),
      forge([0, 9e15, 1]),
      forge({ g: 0 }),
      'x'.repeat(500),
    ])
      expect(await list({ cursor: bad })).toEqual({ ok: false, reason: 'invalid-cursor' });
  });

  it('counts the reports made since the item was last moderated, and cuts long texts to 140 characters', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const long = 'ñ'.repeat(300);
    const c = await openCase(process, { openedAt: ago(10), reason: 'reported', title: 'Título', body: long });
    await t.db.proposal.update({ where: { id: c.proposalId }, data: { moderatedAt: ago(60) } });
    for (const minutes of [90, 30, 20]) {
      const who = await createParticipant(t.db);
      await t.db.contentReport.create({
        data: {
          itemKind: 'proposal',
          proposalId: c.proposalId,
          participantId: who.id,
          reason: 'spam',
          createdAt: ago(minutes),
        },
      });
    }
    const result = await list({ processId: process.id });
    const item = result.ok ? result.items[0] : undefined;
    expect(item).toMatchObject({ id: c.caseId, reports: 2 });
    expect(Array.from(item!.excerpt)).toHaveLength(140);
    expect(item!.excerpt).toMatch(/^Título — ñ+…$/);
  });

  it('returns at most 200 cases a page', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const proposals = await t.db.proposal.createManyAndReturn({
      data: Array.from({ length: 201 }, (_, i) => ({
        processId: process.id,
        categoryId: process.categories[0]!.id,
        title: `P${i}`,
        body: 'Texto',
        locale: 'es',
      })),
      select: { id: true },
    });
    await t.db.moderationCase.createMany({
      data: proposals.map((p, i) => ({
        processId: process.id,
        itemKind: 'proposal' as const,
        proposalId: p.id,
        reason: 'submitted' as const,
        openedAt: ago(1000 - i),
      })),
    });
    const page = await list({ processId: process.id, limit: 1000 });
    expect(page).toMatchObject({ ok: true, openCount: 201, nextCursor: expect.any(String) });
    expect((page as { items: unknown[] }).items).toHaveLength(200);
    // The default page.
    expect(((await list({ processId: process.id })) as { items: unknown[] }).items).toHaveLength(50);
  });
});
