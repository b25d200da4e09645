import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProcessAdminViews } from '../../src/domain/list-process-admin-views.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { fourPhases, newProcess } from './process-support.ts';

let t: DomainTest;
let ids: number[];
const NOW = new Date('2027-03-01T10:00:00Z');
beforeAll(async () => {
  t = await createDomainTest();
  const staff = await createStaffMember(t.db, { role: 'staff' });
  ids = [];
  for (let i = 0; i < 3; i++) ids.push(await newProcess(t.at(NOW), staff.id, i === 1 ? fourPhases(NOW) : []));
});
afterAll(() => t?.cleanup());

describe('listProcessAdminViews', () => {
  it('lists newest first with the phase under way and counts, a page at a time', async () => {
    const first = await listProcessAdminViews(t.at(NOW), { limit: 2 });
    expect(first.items.map((p) => p.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[1]).toMatchObject({
      title: { es: 'Presupuestos participativos', en: 'Participatory budget' },
      currentPhase: 'proposals',
      phases: 4,
      categories: 1,
      proposals: 0,
    });
    expect(first.items[0]!.currentPhase).toBeNull();
    expect(first.nextCursor).toBe(ids[1]);
    const second = await listProcessAdminViews(t.at(NOW), { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((p) => p.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('clamps the limit and ignores a cursor that is not an id', async () => {
    expect((await listProcessAdminViews(t.deps, { limit: 0 })).items).toHaveLength(1);
    expect(await listProcessAdminViews(t.deps, { cursor: -1 })).toEqual({ items: [], nextCursor: null });
  });
});
