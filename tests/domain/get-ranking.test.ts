import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRanking } from '../../src/domain/get-ranking.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let ids: Record<string, number>;
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db);
  const people = await Promise.all(Array.from({ length: 5 }, () => createParticipant(t.db)));
  // Created in this order (older first); the number is how many supports each gets.
  const plan = [
    ['one', 1, 'published'],
    ['three-older', 3, 'published'],
    ['none', 0, 'published'],
    ['three-newer', 3, 'selected'],
    ['five-pending', 5, 'pending'],
    ['five-rejected', 5, 'rejected'],
    ['two', 2, 'not_selected'],
  ] as const;
  ids = {};
  for (const [title, supports, status] of plan) {
    const id = await createProposal(t.db, process, { title, status });
    ids[title] = id;
    await t.db.support.createMany({
      data: people.slice(0, supports).map((p) => ({ proposalId: id, participantId: p.id })),
    });
  }
  // Another process's proposal never shows.
  const other = await createProcess(t.db);
  const foreign = await createProposal(t.db, other, { title: 'foreign' });
  await t.db.support.create({ data: { proposalId: foreign, participantId: people[0]!.id } });
});
afterAll(() => t?.cleanup());

describe('getRanking', () => {
  it('orders public proposals by supports, most first, the older first on a tie', async () => {
    expect(await getRanking(t.deps, { processId: process.id })).toEqual([
      { position: 1, id: ids['three-older'], title: 'three-older', supports: 3 },
      { position: 2, id: ids['three-newer'], title: 'three-newer', supports: 3 },
      { position: 3, id: ids['two'], title: 'two', supports: 2 },
      { position: 4, id: ids['one'], title: 'one', supports: 1 },
      { position: 5, id: ids['none'], title: 'none', supports: 0 },
    ]);
  });

  it('stops at the limit', async () => {
    const top = await getRanking(t.deps, { processId: process.id, limit: 2 });
    expect(top.map((e) => e.title)).toEqual(['three-older', 'three-newer']);
  });

  it('gives a later page from `offset`, its positions counted on from it', async () => {
    expect(await getRanking(t.deps, { processId: process.id, limit: 2, offset: 2 })).toEqual([
      { position: 3, id: ids['two'], title: 'two', supports: 2 },
      { position: 4, id: ids['one'], title: 'one', supports: 1 },
    ]);
    expect(await getRanking(t.deps, { processId: process.id, offset: 5 })).toEqual([]);
    // An offset that is none is the first page.
    const first = await getRanking(t.deps, { processId: process.id, limit: 1, offset: 1.5 });
    expect(first).toEqual([{ position: 1, id: ids['three-older'], title: 'three-older', supports: 3 }]);
  });

  it('is empty for a process without proposals', async () => {
    const empty = await createProcess(t.db);
    expect(await getRanking(t.deps, { processId: empty.id })).toEqual([]);
  });
});
