import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getResults } from '../../src/domain/get-results.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

const DAY = 24 * 3600 * 1000;

let t: DomainTest;
let process: ProcessFixture;
let ids: Record<string, number>;
let votingEndsAt: Date;
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'voting' });
  votingEndsAt = (await t.db.phase.findFirstOrThrow({ where: { processId: process.id, kind: 'voting' } }))
    .endsAt;
  const people = await Promise.all(Array.from({ length: 4 }, () => createParticipant(t.db)));
  const plan = [
    ['two-published', 2, 'published'],
    ['three-selected', 3, 'selected'],
    ['one-not-selected', 1, 'not_selected'],
    ['four-pending', 4, 'pending'],
    ['zero', 0, 'published'],
  ] as const;
  ids = {};
  for (const [title, supports, status] of plan) {
    const id = await createProposal(t.db, process, { title, status });
    ids[title] = id;
    await t.db.support.createMany({
      data: people.slice(0, supports).map((p) => ({ proposalId: id, participantId: p.id })),
    });
  }
  await t.db.proposal.update({
    where: { id: ids['three-selected'] },
    data: { answer: 'Se hará en 2027.', answeredAt: new Date() },
  });
  await t.db.proposal.update({ where: { id: ids['one-not-selected'] }, data: { answer: '  ' } });
});
afterAll(() => t?.cleanup());

describe('getResults', () => {
  it('has no results while voting is open', async () => {
    expect(await getResults(t.deps, { processId: process.id })).toEqual({ closed: false });
  });

  it('after voting closed: the ranking with outcome and official answer', async () => {
    const after = t.at(new Date(votingEndsAt.getTime() + 1));
    expect(await getResults(after, { processId: process.id })).toEqual({
      closed: true,
      votingEndedAt: votingEndsAt,
      proposals: 4,
      entries: [
        {
          position: 1,
          id: ids['three-selected'],
          title: 'three-selected',
          supports: 3,
          outcome: 'selected',
          answer: 'Se hará en 2027.',
        },
        {
          position: 2,
          id: ids['two-published'],
          title: 'two-published',
          supports: 2,
          outcome: 'undecided',
          answer: undefined,
        },
        {
          position: 3,
          id: ids['one-not-selected'],
          title: 'one-not-selected',
          supports: 1,
          outcome: 'not_selected',
          answer: undefined,
        },
        { position: 4, id: ids['zero'], title: 'zero', supports: 0, outcome: 'undecided', answer: undefined },
      ],
    });
  });

  it('stops at the limit and still counts every public proposal', async () => {
    const after = t.at(new Date(votingEndsAt.getTime() + DAY));
    const results = await getResults(after, { processId: process.id, limit: 1 });
    expect(results).toMatchObject({ closed: true, proposals: 4, entries: [{ title: 'three-selected' }] });
  });

  it('gives a later page from `offset`, its positions counted on from it', async () => {
    const after = t.at(new Date(votingEndsAt.getTime() + DAY));
    const page = await getResults(after, { processId: process.id, limit: 2, offset: 2 });
    expect(page).toMatchObject({
      closed: true,
      proposals: 4,
      entries: [
        { position: 3, title: 'one-not-selected' },
        { position: 4, title: 'zero' },
      ],
    });
    const past = await getResults(after, { processId: process.id, offset: 4 });
    expect(past).toMatchObject({ closed: true, proposals: 4, entries: [] });
    // An offset that is none is the first page.
    const first = await getResults(after, { processId: process.id, limit: 1, offset: -3 });
    expect(first).toMatchObject({ entries: [{ position: 1, title: 'three-selected' }] });
  });

  it('a process without a voting phase has no results; an unknown one is undefined', async () => {
    const noVoting = await createProcess(t.db, { phase: 'proposals' });
    const later = t.at(new Date(Date.now() + 90 * DAY));
    expect(await getResults(later, { processId: noVoting.id })).toEqual({ closed: false });
    expect(await getResults(t.deps, { processId: 2_000_000_000 })).toBeUndefined();
    expect(await getResults(t.deps, { processId: -1 })).toBeUndefined();
  });
});
