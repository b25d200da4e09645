// Linking two accounts dropped supports over a process's limit (confirm-link-claim): the conversation that
// confirmed is told at once; the other channel — the one the code was typed in, whose screen may still show
// those supports — is told by a notice there, one per process, shown at the head of its next turn
// (take-pending-notices; not pushed: it goes to that channel whatever notices.ts would choose, and no
// notification job carries it). Its payload holds ids only (describe-dropped-supports renders it); the
// event key names the participant merged away, so a later linking that drops supports again is told again.
import type { DomainDeps } from './deps.ts';
import type { DroppedSupports } from './merge-participants.ts';

export const SUPPORTS_DROPPED = 'supports-dropped';

export async function recordDroppedSupportNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; channel: string; mergedId: string; dropped: DroppedSupports[] },
): Promise<void> {
  if (input.dropped.length === 0 || input.channel === '') return;
  await deps.db.notice.createMany({
    data: input.dropped.map((d) => ({
      participantId: input.participantId,
      channel: input.channel,
      kind: SUPPORTS_DROPPED,
      eventKey: `${SUPPORTS_DROPPED}:${input.mergedId}:${d.processId}`,
      payload: { processId: d.processId, limit: d.limit, proposalIds: d.proposalIds },
    })),
    skipDuplicates: true,
  });
}
