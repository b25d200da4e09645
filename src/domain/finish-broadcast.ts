// A sending broadcast is done when no ledger row is pending or queued. Returns whether it is (now) done,
// or was stopped (cancelled) meanwhile.
import type { DomainDeps } from './deps.ts';
import type { BroadcastStatus } from '../generated/prisma/enums.ts';

export async function finishBroadcast(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { broadcastId: number },
): Promise<{ status: BroadcastStatus | 'not-found'; open: number }> {
  const [row] = await deps.db.$queryRaw<{ status: BroadcastStatus; open: bigint }[]>`
    SELECT b.status::text AS status,
      (SELECT count(*) FROM "BroadcastDelivery" d
        WHERE d."broadcastId" = b.id AND d.status IN ('pending', 'queued')) AS open
    FROM "Broadcast" b WHERE b.id = ${input.broadcastId}`;
  if (!row) return { status: 'not-found', open: 0 };
  const open = Number(row.open);
  if (row.status !== 'sending' || open > 0) return { status: row.status, open };
  await deps.db.broadcast.updateMany({
    where: { id: input.broadcastId, status: 'sending' },
    data: { status: 'done', finishedAt: deps.now() },
  });
  return { status: 'done', open: 0 };
}
