// "Baja": a participant stops receiving updates of every process, at once. Removes all their subscriptions,
// withdraws the `updates` consent in the ledger (so subscribing again asks for it again) and marks their
// broadcast messages not yet sent (pending or queued) skipped. Doing it with nothing to end is harmless.
import { endUpdates, lockParticipant, type EndedUpdates } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';

export type UnsubscribeFromEverythingResult = { ok: true } & EndedUpdates;

export async function unsubscribeFromEverything(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string },
): Promise<UnsubscribeFromEverythingResult> {
  const ended = await deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, input.participantId);
    return endUpdates(tx, { participantId: input.participantId, channel: input.channel, at: deps.now() });
  });
  return { ok: true, ...ended };
}
