import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBroadcasts } from '../../src/domain/list-broadcasts.ts';
import { createProcess, createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('listBroadcasts', () => {
  it('lists newest first, of one process, clamped to its limit, with the creator even once they are gone', async () => {
    const a = await createProcess(t.db);
    const b = await createProcess(t.db);
    const staff = await createStaffMember(t.db, { role: 'staff', name: 'Irene' });
    const make = (processId: number, minutesAgo: number, createdById: string | null = staff.id) =>
      t.db.broadcast.create({
        data: {
          processId,
          createdById,
          texts: { es: `hace ${minutesAgo}` },
          audience: {},
          status: 'scheduled',
          createdAt: new Date(Date.now() - minutesAgo * 60_000),
        },
      });
    const old = await make(a.id, 30, null);
    const recent = await make(a.id, 1);
    await make(b.id, 0);
    expect(await listBroadcasts(t.deps, { processId: a.id })).toMatchObject([
      { id: recent.id, createdBy: 'Irene', texts: { es: 'hace 1' }, audience: {}, recipients: 0 },
      { id: old.id, createdBy: null },
    ]);
    expect(await listBroadcasts(t.deps, { processId: a.id, limit: 1 })).toHaveLength(1);
    expect(await listBroadcasts(t.deps, { processId: a.id, limit: 0 })).toHaveLength(1);
    expect(await listBroadcasts(t.deps, { limit: 1000 })).toHaveLength(3);
    expect(await listBroadcasts(t.deps, { processId: -4 })).toEqual([]);
    expect(await listBroadcasts(t.deps, { processId: 2_000_000_000 })).toEqual([]);
  });
});
