// Staff replace a process's categories with an ordered list of `{ key, label }`. Categories are matched by
// key: one already there keeps its id (and its proposals) and takes the new label and place; a new key is
// created; a key left out is removed — unless a proposal belongs to it (in any status): then nothing
// changes and the answer is `category-in-use` with that key (a proposal must keep its category; rename the
// label instead). At least one category remains (a proposal needs one). Audited (before and after).
import { Prisma } from '../generated/prisma/client.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';
import { lockProcess } from './process-phase-announcements.ts';
import {
  checkCategoryList,
  isActiveStaff,
  type CategoryInput,
  type CategoryListProblem,
} from './process-rules.ts';

export type SetProcessCategoriesResult =
  | { ok: true; categories: { id: number; key: string; label: Record<string, string>; position: number }[] }
  | { ok: false; reason: 'not-allowed' | 'not-found' }
  | { ok: false; reason: 'category-in-use'; key: string; proposals: number }
  | CategoryListProblem;

export async function setProcessCategories(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { staffMemberId: string; processId: number; categories: CategoryInput[]; sourceIp?: string },
): Promise<SetProcessCategoriesResult> {
  if (!(await isActiveStaff(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.processId)) return { ok: false, reason: 'not-found' };
  const checked = checkCategoryList(input.categories);
  if (!checked.ok) return checked;
  const now = deps.now();
  return deps.db.$transaction(async (tx): Promise<SetProcessCategoriesResult> => {
    if (!(await lockProcess(tx, input.processId))) return { ok: false, reason: 'not-found' };
    const existing = await tx.category.findMany({
      where: { processId: input.processId },
      orderBy: { position: 'asc' },
      select: { id: true, key: true, label: true },
    });
    const wanted = new Set(checked.categories.map((c) => c.key));
    const removed = existing.filter((c) => !wanted.has(c.key));
    if (removed.length > 0) {
      // Locked before counting: a proposal being submitted into one of them holds a key-share lock on it
      // until it commits, so the count below sees it; one submitted after waits, then fails its foreign key.
      await tx.$queryRaw`SELECT id FROM "Category" WHERE id IN (${Prisma.join(removed.map((c) => c.id))}) FOR UPDATE`;
      const counts = await tx.proposal.groupBy({
        by: ['categoryId'],
        where: { categoryId: { in: removed.map((c) => c.id) } },
        _count: { _all: true },
      });
      const inUse = removed.find((c) => counts.some((n) => n.categoryId === c.id));
      if (inUse)
        return {
          ok: false,
          reason: 'category-in-use',
          key: inUse.key,
          proposals: counts.find((n) => n.categoryId === inUse.id)!._count._all,
        };
    }
    if (removed.length > 0) await tx.category.deleteMany({ where: { id: { in: removed.map((c) => c.id) } } });
    const byKey = new Map(existing.map((c) => [c.key, c]));
    const categories = [];
    for (const [i, c] of checked.categories.entries()) {
      const position = i + 1;
      const old = byKey.get(c.key);
      const row = old
        ? await tx.category.update({
            where: { id: old.id },
            data: { label: c.label, position },
            select: { id: true },
          })
        : await tx.category.create({
            data: { processId: input.processId, key: c.key, label: c.label, position },
            select: { id: true },
          });
      categories.push({ id: row.id, key: c.key, label: c.label as Record<string, string>, position });
    }
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'process.categories.set',
      target: { kind: 'process', id: input.processId },
      before: { categories: existing.map((c) => ({ key: c.key, label: c.label })) },
      after: { categories: checked.categories },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, categories };
  });
}
