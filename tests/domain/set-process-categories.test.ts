import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setProcessCategories } from '../../src/domain/set-process-categories.ts';
import { createProposal, createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { newProcess } from './process-support.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'admin' });
});
afterAll(() => t?.cleanup());

const set = (
  processId: number,
  categories: { key: string; label: Record<string, string> }[],
  staffMemberId = staff.id,
) => setProcessCategories(t.deps, { staffMemberId, processId, categories, sourceIp: '10.1.2.3' });

const categoriesOf = (processId: number) =>
  t.db.category.findMany({
    where: { processId },
    orderBy: { position: 'asc' },
    select: { id: true, key: true, label: true, position: true },
  });

describe('setProcessCategories', () => {
  it('matches by key: relabels and reorders those kept (same ids), adds new ones, removes unused ones', async () => {
    const id = await newProcess(t.deps, staff.id, []);
    expect(
      await set(id, [
        { key: 'movilidad', label: { es: 'Movilidad' } },
        { key: 'cultura', label: { es: 'Cultura' } },
        { key: 'obras', label: { es: 'Obras' } },
      ]),
    ).toMatchObject({ ok: true });
    const [movilidad] = await categoriesOf(id);
    const r = await set(id, [
      { key: 'parques', label: { es: 'Parques', en: 'Parks' } },
      { key: 'movilidad', label: { es: 'Movilidad y transporte', en: 'Transport' } },
      { key: 'cultura', label: { es: 'Cultura' } },
    ]);
    expect(r).toMatchObject({ ok: true });
    const after = await categoriesOf(id);
    expect(after.map((c) => [c.key, c.label, c.position])).toEqual([
      ['parques', { es: 'Parques', en: 'Parks' }, 1],
      ['movilidad', { es: 'Movilidad y transporte', en: 'Transport' }, 2],
      ['cultura', { es: 'Cultura' }, 3],
    ]);
    expect(after[1]!.id).toBe(movilidad!.id);
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'process.categories.set', targetId: String(id) },
      orderBy: { id: 'desc' },
    });
    expect(audit).toMatchObject({
      actor: `staff:${staff.id}`,
      sourceIp: '10.1.2.3',
      before: { categories: expect.arrayContaining([{ key: 'obras', label: { es: 'Obras' } }]) },
      after: {
        categories: expect.arrayContaining([{ key: 'parques', label: { es: 'Parques', en: 'Parks' } }]),
      },
    });
  });

  it('a category with proposals (in any status) cannot be removed; nothing changes', async () => {
    const id = await newProcess(t.deps, staff.id, []);
    await set(id, [
      { key: 'movilidad', label: { es: 'Movilidad' } },
      { key: 'cultura', label: { es: 'Cultura' } },
    ]);
    const before = await categoriesOf(id);
    const cultura = before.find((c) => c.key === 'cultura')!;
    await createProposal(
      t.db,
      { id, slug: '', categories: [] },
      { categoryId: cultura.id, status: 'rejected' },
    );
    await createProposal(t.db, { id, slug: '', categories: [] }, { categoryId: cultura.id });
    expect(await set(id, [{ key: 'movilidad', label: { es: 'Otra etiqueta' } }])).toEqual({
      ok: false,
      reason: 'category-in-use',
      key: 'cultura',
      proposals: 2,
    });
    expect(await categoriesOf(id)).toEqual(before);
    // Relabelling it is fine.
    expect(
      await set(id, [
        { key: 'cultura', label: { es: 'Cultura y fiestas' } },
        { key: 'movilidad', label: { es: 'Movilidad' } },
      ]),
    ).toMatchObject({ ok: true });
  });

  it('refuses lists that are not valid, strangers and unknown processes', async () => {
    const id = await newProcess(t.deps, staff.id, []);
    const before = await categoriesOf(id);
    expect(await set(id, [])).toEqual({ ok: false, reason: 'no-categories' });
    expect(
      await set(id, [
        { key: 'a', label: { es: 'A' } },
        { key: 'a', label: { es: 'B' } },
      ]),
    ).toEqual({
      ok: false,
      reason: 'duplicate-category-key',
      index: 1,
    });
    expect(await set(id, [{ key: 'con espacio', label: { es: 'A' } }])).toEqual({
      ok: false,
      reason: 'invalid-category-key',
      index: 0,
    });
    expect(await set(id, [{ key: 'a', label: { es: 'x'.repeat(61) } }])).toEqual({
      ok: false,
      reason: 'invalid-category-label',
      index: 0,
    });
    expect(
      await set(
        id,
        Array.from({ length: 31 }, (_, i) => ({ key: `k${i}`, label: { es: `K${i}` } })),
      ),
    ).toEqual({
      ok: false,
      reason: 'too-many-categories',
    });
    const moderator = await createStaffMember(t.db, { role: 'moderator' });
    expect(await set(id, [{ key: 'a', label: { es: 'A' } }], moderator.id)).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(await set(2_000_000_000, [{ key: 'a', label: { es: 'A' } }])).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await categoriesOf(id)).toEqual(before);
  });
});
