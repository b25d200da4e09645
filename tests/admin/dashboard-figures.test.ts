// get-dashboard-figures: per process, people who took part (proposed, supported or commented), proposals by
// status and supports; counts only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDashboardFigures } from '../../src/domain/get-dashboard-figures.ts';
import { createDomainTest, type DomainTest } from '../domain/harness.ts';
import { createParticipant, createProcess, createProposal } from '../support/fixtures.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('getDashboardFigures', () => {
  it('counts participants, proposals by status and supports per process, newest process first', async () => {
    const older = await createProcess(t.db, { phase: 'voting', title: 'Plazas verdes' });
    const empty = await createProcess(t.db, { phase: 'proposals', title: 'Sin actividad' });
    const [ana, bea, carlos, dani, eva] = await Promise.all(
      Array.from({ length: 5 }, () => createParticipant(t.db)),
    );
    const p1 = await createProposal(t.db, older, { status: 'published', authorId: ana!.id });
    const p2 = await createProposal(t.db, older, { status: 'published' });
    await createProposal(t.db, older, { status: 'pending', authorId: bea!.id });
    await createProposal(t.db, older, { status: 'rejected', authorId: ana!.id });
    await createProposal(t.db, older, { status: 'selected' });
    await t.db.support.createMany({
      data: [
        { proposalId: p1, participantId: ana!.id },
        { proposalId: p1, participantId: carlos!.id },
        { proposalId: p2, participantId: carlos!.id },
      ],
    });
    await t.db.comment.create({ data: { proposalId: p2, authorId: dani!.id, body: 'De acuerdo' } });
    // Someone active in another process only does not count here.
    const other = await createProcess(t.db);
    await createProposal(t.db, other, { authorId: eva!.id });

    const figures = await getDashboardFigures(t.deps, { locale: 'es' });
    expect(figures.map((f) => f.id)).toEqual([other.id, empty.id, older.id]);
    const olderFigures = figures.find((f) => f.id === older.id)!;
    expect(olderFigures).toEqual({
      id: older.id,
      slug: older.slug,
      title: 'Plazas verdes',
      phase: 'voting',
      participants: 4,
      proposals: {
        total: 5,
        byStatus: {
          pending: 1,
          published: 2,
          hidden: 0,
          rejected: 1,
          withdrawn: 0,
          selected: 1,
          not_selected: 0,
        },
      },
      supports: 3,
    });
    expect(figures.find((f) => f.id === empty.id)).toMatchObject({
      title: 'Sin actividad',
      phase: 'proposals',
      participants: 0,
      proposals: { total: 0 },
      supports: 0,
    });
    expect(figures.find((f) => f.id === other.id)).toMatchObject({ participants: 1, supports: 0 });
    expect((await getDashboardFigures(t.deps, { locale: 'en' })).find((f) => f.id === older.id)!.title).toBe(
      `Process ${older.slug}`,
    );
    expect(await getDashboardFigures(t.deps, { locale: 'es', limit: 1 })).toHaveLength(1);
  });

  it('pages with a cursor, the id to continue after: the processes older than it, newest first', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await createProcess(t.db)).id);
    const newest = [...made].reverse();
    const first = await getDashboardFigures(t.deps, { locale: 'es', limit: 2 });
    expect(first.map((f) => f.id)).toEqual(newest.slice(0, 2));
    const second = await getDashboardFigures(t.deps, { locale: 'es', limit: 2, after: first[1]!.id });
    expect(second.map((f) => f.id)).toEqual(newest.slice(2, 4));
    const third = await getDashboardFigures(t.deps, { locale: 'es', limit: 100, after: newest[3]! });
    expect(third[0]!.id).toBe(newest[4]);
    // Every process once, down to the oldest; beyond the last, nothing.
    const all = await t.db.process.findMany({ orderBy: { id: 'desc' }, select: { id: true } });
    expect(third.map((f) => f.id)).toEqual(all.map((p) => p.id).filter((id) => id < newest[3]!));
    expect(await getDashboardFigures(t.deps, { locale: 'es', after: all.at(-1)!.id })).toEqual([]);
    // A cursor that names no process still says where to continue; one that is not an id gives nothing.
    expect(
      (await getDashboardFigures(t.deps, { locale: 'es', limit: 1, after: newest[0]! + 1000 })).map(
        (f) => f.id,
      ),
    ).toEqual([newest[0]]);
    expect(await getDashboardFigures(t.deps, { locale: 'es', after: 0 })).toEqual([]);
    // Up to 100 a call.
    expect(await getDashboardFigures(t.deps, { locale: 'es', limit: 1000 })).toHaveLength(all.length);
  });
});
