// A participant stops receiving one process's updates. Always allowed; unsubscribing twice, or from a
// process never subscribed to, changes nothing. Their messages of that process's broadcasts that have not
// gone out yet (pending or queued) are marked skipped, and those kept for their next web chat visit and not
// shown yet are dropped (as consent-ledger's endUpdates does for every process). The `updates` consent stays
// as it is: they may still follow other processes (unsubscribe-from-everything withdraws it).
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';

export type UnsubscribeFromProcessResult = { ok: true; wasSubscribed: boolean };

export async function unsubscribeFromProcess(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; processId: number },
): Promise<UnsubscribeFromProcessResult> {
  if (!isDbId(input.processId)) return { ok: true, wasSubscribed: false };
  const [deleted] = await deps.db.$transaction([
    deps.db.subscription.deleteMany({
      where: { participantId: input.participantId, processId: input.processId },
    }),
    deps.db.broadcastDelivery.updateMany({
      where: {
        participantId: input.participantId,
        status: { in: ['pending', 'queued'] },
        broadcast: { processId: input.processId },
      },
      data: { status: 'skipped' },
    }),
    // keep-broadcast-for-web-chat's notices: payload { broadcastId } (compared as text: no cast can fail).
    deps.db.$executeRaw`
      DELETE FROM "Notice" n
      WHERE n."participantId" = ${input.participantId}::uuid AND n.kind = 'broadcast'
        AND n."deliveredAt" IS NULL
        AND n.payload->>'broadcastId' IN (SELECT b.id::text FROM "Broadcast" b WHERE b."processId" = ${input.processId})`,
  ]);
  return { ok: true, wasSubscribed: deleted.count > 0 };
}
