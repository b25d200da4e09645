// A broadcast's figures, from the ledger (the truth), for staff (GET /admin/broadcasts/:id, the dashboard,
// the progress message in the staff chat). What they mean:
//   - sent: the recipients it was delivered to on Plaza's side. Telegram: the message went out (Telegram
//     took it; the ledger's `sent`). Web chat, where nothing can be pushed: it was recorded for the person as
//     a notice shown at their next visit (the ledger's `waiting`), which is all a delivery there can be.
//   - waiting: of those sent, the web chat ones not shown yet (their notice still pending). A row leaves it
//     when the person comes back and it is shown, or when it never will be (they unsubscribed or were
//     erased: the notice is dropped); whether the person read it is never known.
//   - failed, blocked (the person blocked the bot), skipped (no longer subscribed or consenting) and
//     remaining (not handed to a channel yet, or handed and not settled): with sent, they add up to
//     recipients.
//   - the rate: recipients counted in `sent` over the last ten seconds; the time left at that rate.
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
  /** Delivered on Plaza's side: Telegram messages that went out, web chat ones recorded for the person. */
  sent: number;
  /** Part of `sent`: web chat ones not shown yet (the person has not come back since). */
  waiting: number;
  failed: number;
  blocked: number;
  skipped: number;
  /** Not settled yet: sent + failed + blocked + skipped + remaining = recipients. */
  remaining: number;
  /** Recipients counted in `sent` per second, over the last 10 s. */
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
  // The notice keep-broadcast-for-web-chat records (its key), looked up by its unique (participant, key).
  const noticeKey = `broadcast:${b.id}`;
  const rows = await deps.db.$queryRaw<{ status: string; n: bigint; recent: bigint; unshown: bigint }[]>`
    SELECT d.status::text AS status, count(*) AS n,
      count(*) FILTER (WHERE d.status IN ('sent', 'waiting') AND d."sentAt" > ${since}) AS recent,
      count(*) FILTER (WHERE d.status = 'waiting' AND EXISTS (SELECT 1 FROM "Notice" n
        WHERE n."participantId" = d."participantId" AND n."eventKey" = ${noticeKey}
          AND n."deliveredAt" IS NULL)) AS unshown
    FROM "BroadcastDelivery" d WHERE d."broadcastId" = ${b.id} GROUP BY d.status`;
  const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  const recent = rows.reduce((n, r) => n + Number(r.recent), 0);
  const remaining = count('pending') + count('queued');
  const ratePerSecond = Math.round((recent / (RATE_WINDOW_MS / 1000)) * 10) / 10;
  return {
    ...b,
    sent: count('sent') + count('waiting'),
    waiting: rows.reduce((n, r) => n + Number(r.unshown), 0),
    failed: count('failed'),
    blocked: count('blocked'),
    skipped: count('skipped'),
    remaining,
    ratePerSecond,
    etaSeconds: remaining > 0 && ratePerSecond > 0 ? Math.ceil(remaining / ratePerSecond) : null,
  };
}
