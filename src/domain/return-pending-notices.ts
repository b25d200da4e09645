// Notices a turn took (take-pending-notices) and then could not show after all — the turn failed, so the
// channel answers 503 and its retry runs the turn again — wait again, to be taken by the next turn. Only
// those that very taking delivered are reopened (this participant's, taken on this channel at `takenAt`):
// never one shown by another turn or pushed elsewhere meanwhile. Safe to run twice.
import type { DomainDeps } from './deps.ts';

export async function returnPendingNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; channel: string; noticeIds: bigint[]; takenAt: Date },
): Promise<{ ok: true; returned: number }> {
  if (input.noticeIds.length === 0) return { ok: true, returned: 0 };
  const returned = await deps.db.$executeRaw`
    UPDATE "Notice" SET "deliveredAt" = NULL, "deliveredVia" = NULL
    WHERE id = ANY(${input.noticeIds.map(String)}::bigint[])
      AND "participantId" = ${input.participantId}::uuid AND channel = ${input.channel}
      AND "deliveredVia" = ${input.channel} AND "deliveredAt" = ${input.takenAt}`;
  return { ok: true, returned };
}
