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

  it('pages with a cursor, the id to continue after: newest first, every broadcast once, ties by id', async () => {
    const a = await createProcess(t.db);
    const b = await createProcess(t.db);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const make = (processId: number, createdAt: Date) =>
      t.db.broadcast
        .create({ data: { processId, texts: { es: 'x' }, audience: {}, status: 'done', createdAt } })
        .then((r) => r.id);
    // Created out of order (ids do not follow creation times), two at the same instant.
    const same = at(500);
    const ids = [
      await make(a.id, at(300)),
      await make(a.id, at(100)),
      await make(b.id, at(200)),
      await make(a.id, same),
      await make(a.id, same),
      await make(a.id, at(400)),
    ];
    const [m300, m100, m200, sameLow, sameHigh, m400] = ids;
    const newestFirst = [m100, m200, m300, m400, sameHigh, sameLow];
    const mine = new Set(ids);

    const walk = async (processId?: number) => {
      const seen: number[] = [];
      let after: number | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await listBroadcasts(t.deps, { processId, limit: 2, after });
        seen.push(...page.map((r) => r.id));
        if (page.length < 2) break;
        after = page.at(-1)!.id;
      }
      return seen;
    };
    expect((await walk()).filter((id) => mine.has(id))).toEqual(newestFirst);
    expect(await walk(a.id)).toEqual(newestFirst.filter((id) => id !== m200));
    // The first page is the same with or without paging.
    expect((await listBroadcasts(t.deps, { processId: a.id, limit: 2 })).map((r) => r.id)).toEqual([
      m100,
      m300,
    ]);
    expect((await listBroadcasts(t.deps, { after: m300, limit: 3 })).map((r) => r.id)).toEqual([
      m400,
      sameHigh,
      sameLow,
    ]);
    // A cursor of another process still says where to continue; one that names no broadcast gives nothing.
    expect((await listBroadcasts(t.deps, { processId: a.id, after: m200 })).map((r) => r.id)).toEqual([
      m300,
      m400,
      sameHigh,
      sameLow,
    ]);
    expect(await listBroadcasts(t.deps, { after: 2_000_000_000 })).toEqual([]);
    expect(await listBroadcasts(t.deps, { after: -1 })).toEqual([]);
  });
});
