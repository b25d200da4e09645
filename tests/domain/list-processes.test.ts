import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProcesses } from '../../src/domain/list-processes.ts';
import { createProcess } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('listProcesses', () => {
  it('lists processes with their current phase, those open to participation first, a page at a time', async () => {
    const voting = await createProcess(t.db, { phase: 'voting', title: 'Votando' });
    const proposals = await createProcess(t.db, { phase: 'proposals', title: 'Proponiendo' });
    expect(await listProcesses(t.deps, { locale: 'es' })).toEqual([
      { id: proposals.id, slug: proposals.slug, title: 'Proponiendo', phase: 'proposals' },
      { id: voting.id, slug: voting.slug, title: 'Votando', phase: 'voting' },
    ]);
    // Once no phase is current, newest first.
    const later = await listProcesses(t.at(new Date(Date.now() + 61 * DAY)), { locale: 'en' });
    expect(later).toEqual([
      { id: proposals.id, slug: proposals.slug, title: `Process ${proposals.slug}`, phase: undefined },
      { id: voting.id, slug: voting.slug, title: `Process ${voting.slug}`, phase: undefined },
    ]);
    // Newer processes in phases that take no part come after the open ones, newest first; so does one
    // in a phase that takes proposals by its setting.
    const debate = await createProcess(t.db, {
      phase: 'debate',
      acceptsProposals: true,
      title: 'Debate abierto',
    });
    const closed = [];
    for (let i = 0; i < 21; i++) closed.push(await createProcess(t.db, { phase: 'results' }));
    const first = await listProcesses(t.deps, { locale: 'es' });
    expect(first).toHaveLength(20);
    expect(first.slice(0, 4).map((p) => p.id)).toEqual([debate.id, proposals.id, voting.id, closed[20]!.id]);
    const second = await listProcesses(t.deps, { locale: 'es', offset: 20, limit: 20 });
    expect(second.map((p) => p.id)).toEqual([closed[3]!.id, closed[2]!.id, closed[1]!.id, closed[0]!.id]);
    expect(second[0]!.phase).toBe('results');
    expect(await listProcesses(t.deps, { locale: 'es', offset: 2, limit: 2 })).toEqual([
      expect.objectContaining({ id: voting.id }),
      expect.objectContaining({ id: closed[20]!.id }),
    ]);
    // Out-of-range paging is clamped, never an error.
    expect(await listProcesses(t.deps, { locale: 'es', offset: -5, limit: 0 })).toEqual([
      expect.objectContaining({ id: debate.id }),
    ]);
    expect(await listProcesses(t.deps, { locale: 'es', limit: 1000 })).toHaveLength(24);
  });
});
