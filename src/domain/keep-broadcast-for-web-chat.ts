// A broadcast for someone reached through web chat, where nothing can be pushed: it is kept as a notice and
// shown in their conversation when they next write or open it. Once per person and broadcast.
import type { DomainDeps } from './deps.ts';

export async function keepBroadcastForWebChat(
  deps: Pick<DomainDeps, 'db'>,
  input: { broadcastId: number; participantId: string },
): Promise<void> {
  await deps.db.notice.createMany({
    data: [
      {
        participantId: input.participantId,
        kind: 'broadcast',
        eventKey: `broadcast:${input.broadcastId}`,
        payload: { broadcastId: input.broadcastId },
        channel: 'webchat',
      },
    ],
    skipDuplicates: true,
  });
}
