// The notices waiting for a participant on a channel without push (web chat): taken — marked delivered —
// in one statement as the turn that shows them begins, so two turns never show one notice twice. A turn
// whose replies are not kept after all (it failed) puts them back with return-pending-notices, naming the
// instant they were taken (`at`, default now), which tells this taking apart from any other.
import type { DomainDeps } from './deps.ts';

export async function takePendingNotices(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string; max?: number; at?: Date },
): Promise<bigint[]> {
  const rows = await deps.db.$queryRaw<{ id: bigint }[]>`
    UPDATE "Notice" SET "deliveredAt" = ${input.at ?? deps.now()}, "deliveredVia" = ${input.channel}
    WHERE id IN (SELECT id FROM "Notice"
      WHERE "participantId" = ${input.participantId}::uuid AND channel = ${input.channel}
        AND "deliveredAt" IS NULL
      ORDER BY id LIMIT ${input.max ?? 10} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id).sort((a, b) => (a < b ? -1 : 1));
}
