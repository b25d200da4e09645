// Staff stop a broadcast that is scheduled or sending: its status becomes `cancelled`, the ledger's rows not
// yet handed to a channel (`pending`) become `skipped`, and it is audited. Rows already `queued` are left as
// they are: a channel fetches the text when it sends (get-broadcast-message), and a cancelled broadcast has
// none. The sender re-reads the status and stops; a scheduled broadcast's delayed job finds it cancelled and
// does nothing (start-broadcast). Only active staff and admins.
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';

export type CancelBroadcastResult =
  | {
      ok: true;
      broadcast: { id: number; status: 'cancelled'; previousStatus: 'scheduled' | 'sending' };
      /** Ledger rows skipped by the cancellation. */
      skipped: number;
    }
  | { ok: false; reason: 'not-allowed' | 'not-found' }
  | { ok: false; reason: 'not-cancellable'; status: 'done' | 'cancelled' };

export async function cancelBroadcast(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { broadcastId: number; staffMemberId: string; sourceIp?: string },
): Promise<CancelBroadcastResult> {
  const staff = await deps.db.staffMember.findUnique({
    where: { id: input.staffMemberId },
    select: { role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt || (staff.role !== 'staff' && staff.role !== 'admin'))
    return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.broadcastId)) return { ok: false, reason: 'not-found' };
  const now = deps.now();
  return deps.db.$transaction(async (tx): Promise<CancelBroadcastResult> => {
    // The row lock orders this against the sender freezing the audience: whichever commits first, the
    // other sees it (no pending row is inserted into a cancelled broadcast, none left pending after it).
    const [row] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM "Broadcast" WHERE id = ${input.broadcastId} FOR UPDATE`;
    if (!row) return { ok: false, reason: 'not-found' };
    if (row.status === 'done' || row.status === 'cancelled')
      return { ok: false, reason: 'not-cancellable', status: row.status };
    const previousStatus = row.status as 'scheduled' | 'sending';
    await tx.broadcast.update({
      where: { id: input.broadcastId },
      data: { status: 'cancelled', finishedAt: now },
    });
    const skipped = await tx.broadcastDelivery.updateMany({
      where: { broadcastId: input.broadcastId, status: 'pending' },
      data: { status: 'skipped' },
    });
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'broadcast.cancel',
      target: { kind: 'broadcast', id: input.broadcastId },
      before: { status: previousStatus },
      after: { status: 'cancelled', skipped: skipped.count },
      sourceIp: input.sourceIp,
      at: now,
    });
    return {
      ok: true,
      broadcast: { id: input.broadcastId, status: 'cancelled', previousStatus },
      skipped: skipped.count,
    };
  });
}
