import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProposals, PROPOSALS_PAGE_SIZE } from '../../src/domain/list-proposals.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
/** The 12 public proposals, oldest first. */
let publicIds: number[];
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db);
  const statuses = [
    'published', 'pending', 'published', 'rejected', 'selected', 'published', 'withdrawn',
    'not_selected', 'published', 'published', 'published', 'published', 'published', 'published',
    'published', 'pending',
  ] as const; // prettier-ignore
  publicIds = [];
  for (const status of statuses) {
    const id = await createProposal(t.db, process, { status, title: `Propuesta ${status}` });
    if (['published', 'selected', 'not_selected'].includes(status)) publicIds.push(id);
  }
});
afterAll(() => t?.cleanup());

const newestFirst = () => [...publicIds].reverse();

describe('listProposals', () => {
  it('lists only public proposals, newest first, five per page', async () => {
    expect(PROPOSALS_PAGE_SIZE).toBe(5);
    expect(publicIds).toHaveLength(12);
    const pages = await Promise.all(
      [1, 2, 3].map((page) => listProposals(t.deps, { processId: process.id, page, locale: 'es' })),
    );
    expect(pages.map((p) => p.items.map((i) => i.id))).toEqual([
      newestFirst().slice(0, 5),
      newestFirst().slice(5, 10),
      newestFirst().slice(10),
    ]);
    expect(pages.map((p) => [p.page, p.pages, p.total])).toEqual([
      [1, 3, 12],
      [2, 3, 12],
      [3, 3, 12],
    ]);
  });

  it.each([
    [0, 1],
    [-5, 1],
    [NaN, 1],
    [2.9, 2],
    [4, 3],
    [1e9, 3],
    [Infinity, 3],
  ])('clamps page %s to %s', async (asked, page) => {
    const result = await listProposals(t.deps, { processId: process.id, page: asked, locale: 'es' });
    expect(result.page).toBe(page);
    expect(result.items[0]?.id).toBe(newestFirst()[(page - 1) * 5]);
  });

  it('gives the category in the asked language and the support count', async () => {
    const [a, b] = await Promise.all([createParticipant(t.db), createParticipant(t.db)]);
    const newest = newestFirst()[0]!;
    await t.db.support.createMany({
      data: [
        { proposalId: newest, participantId: a.id },
        { proposalId: newest, participantId: b.id },
      ],
    });
    const en = await listProposals(t.deps, { processId: process.id, page: 1, locale: 'en' });
    expect(en.items[0]).toEqual({
      id: newest,
      title: 'Propuesta published',
      category: 'Mobility',
      supports: 2,
    });
    expect(en.items[1]).toMatchObject({ supports: 0 });
    const es = await listProposals(t.deps, { processId: process.id, page: 1, locale: 'es' });
    expect(es.items[0]?.category).toBe('Movilidad');
  });

  it('answers one empty page for a process without public proposals', async () => {
    const empty = await createProcess(t.db);
    await createProposal(t.db, empty, { status: 'pending' });
    expect(await listProposals(t.deps, { processId: empty.id, page: 3, locale: 'es' })).toEqual({
      items: [],
      page: 1,
      pages: 1,
      total: 0,
    });
  });
});
