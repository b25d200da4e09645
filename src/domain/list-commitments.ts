// A process's commitments, as staff and citizens follow them: figures, linked proposal ids, the latest
// dated update and the latest note (the news; a later update may have changed only, say, the due date), in
// the order they were made.
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { commitmentViewSelect, toCommitmentView, type CommitmentView } from './commitments.ts';

export interface ListedCommitment extends CommitmentView {
  latestNote: { at: Date; note: string } | null;
}

export async function listCommitments(
  deps: Pick<DomainDeps, 'db'>,
  input: { processId: number },
): Promise<ListedCommitment[]> {
  if (!isDbId(input.processId)) return [];
  const rows = await deps.db.commitment.findMany({
    where: { processId: input.processId },
    orderBy: { id: 'asc' },
    select: commitmentViewSelect,
  });
  if (rows.length === 0) return [];
  const notes = await deps.db.$queryRaw<{ commitmentId: number; at: Date; note: string }[]>`
    SELECT DISTINCT ON ("commitmentId") "commitmentId", "createdAt" AS at, note
    FROM "CommitmentUpdate"
    WHERE "commitmentId" = ANY(${rows.map((r) => r.id)}::int[]) AND note IS NOT NULL
    ORDER BY "commitmentId", id DESC`;
  const noteOf = new Map(notes.map((n) => [n.commitmentId, { at: n.at, note: n.note }]));
  return rows.map((r) => ({ ...toCommitmentView(r), latestNote: noteOf.get(r.id) ?? null }));
}
