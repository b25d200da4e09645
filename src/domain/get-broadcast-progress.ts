// A broadcast's figures, from the ledger (the truth): how many were sent, failed, blocked (the person blocked
// the bot), skipped (no longer subscribed or consenting), waiting (web chat: shown at their next message) and
// remaining; the rate over the last ten seconds and the time left at that rate.
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import type { BroadcastStatus } from '../generated/prisma/enums.ts';

export interface BroadcastProgress {
  id: number;
  processId: number;
  status: BroadcastStatus;
  scheduledAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  recipients: number;
  sent: number;
  waiting: number;
  failed: number;
  blocked: number;
  skipped: number;
  remaining: number;
  /** Messages per second over the last 10 s. */
  ratePerSecond: number;
  /** At that rate; null when nothing is moving or nothing is left. */
  etaSeconds: number | null;
}

const RATE_WINDOW_MS = 10_000;

export async function getBroadcastProgress(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { broadcastId: number },
): Promise<BroadcastProgress | undefined> {
  if (!isDbId(input.broadcastId)) return undefined;
  const b = await deps.db.broadcast.findUnique({
    where: { id: input.broadcastId },
    select: {
      id: true,
      processId: true,
      status: true,
      scheduledAt: true,
      startedAt: true,
      finishedAt: true,
      recipients: true,
    },
  });
  if (!b) return undefined;
  const since = new Date(deps.now().getTime() - RATE_WINDOW_MS);
  const rows = await deps.db.$queryRaw<{ status: string; n: bigint; recent: bigint }[]>`
    SELECT status::text AS status, count(*) AS n, count(*) FILTER (WHERE "sentAt" > ${since}) AS recent
    FROM "BroadcastDelivery" WHERE "broadcastId" = ${b.id} GROUP BY status`;
  const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const recent = rows.reduce((n, r) => n + Number(r.recent), 0);
  const remaining = count('pending') + count('queued');
  const ratePerSecond = Math.round((recent / (RATE_WINDOW_MS / 1000)) * 10) / 10;
  return {
    ...b,
    sent: count('sent'),
    waiting: count('waiting'),
    failed: count('failed'),
    blocked: count('blocked'),
    skipped: count('skipped'),
    remaining,
    ratePerSecond,
    etaSeconds: remaining > 0 && ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null,
  };
}
