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
  it('lists processes newest first with their current phase, at most 20', async () => {
    const voting = await createProcess(t.db, { phase: 'voting', title: 'Votando' });
    const proposals = await createProcess(t.db, { phase: 'proposals', title: 'Proponiendo' });
    expect(await listProcesses(t.deps, { locale: 'es' })).toEqual([
      { id: proposals.id, slug: proposals.slug, title: 'Proponiendo', phase: 'proposals' },
      { id: voting.id, slug: voting.slug, title: 'Votando', phase: 'voting' },
    ]);
    const later = await listProcesses(t.at(new Date(Date.now() + 61 * DAY)), { locale: 'en' });
    expect(later).toEqual([
      { id: proposals.id, slug: proposals.slug, title: `Process ${proposals.slug}`, phase: undefined },
      { id: voting.id, slug: voting.slug, title: `Process ${voting.slug}`, phase: undefined },
    ]);
    for (let i = 0; i < 20; i++) await createProcess(t.db);
    const list = await listProcesses(t.deps, { locale: 'es' });
    expect(list).toHaveLength(20);
    expect(list.map((p) => p.id)).not.toContain(voting.id);
  });
});
