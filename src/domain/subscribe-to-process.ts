// A participant subscribes to a process's updates. Updates are a consent purpose of their own: until the
// person's latest `updates` consent is "given", the answer is `updates-consent-needed` (the flow asks in
// plain words and records it with give-updates-consent). Subscribing twice changes nothing.
import { currentConsent, lockParticipant } from './consent-ledger.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';

export type SubscribeToProcessResult =
  | { ok: true; outcome: 'subscribed' | 'already-subscribed' }
  | { ok: false; reason: 'not-consented' | 'updates-consent-needed' | 'process-not-found' };

export async function subscribeToProcess(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; processId: number },
): Promise<SubscribeToProcessResult> {
  if (!isDbId(input.processId)) return { ok: false, reason: 'process-not-found' };
  // Serialised with consent changes on the participant's row: a subscription never outlives a withdrawal.
  return deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, input.participantId);
    const participation = await currentConsent(tx, input.participantId, 'participation');
    if (participation?.action !== 'given') return { ok: false, reason: 'not-consented' } as const;
    const updates = await currentConsent(tx, input.participantId, 'updates');
    if (updates?.action !== 'given') return { ok: false, reason: 'updates-consent-needed' } as const;
    const process = await tx.process.findUnique({ where: { id: input.processId }, select: { id: true } });
    if (!process) return { ok: false, reason: 'process-not-found' } as const;
    const created = await tx.subscription.createMany({
      data: [{ participantId: input.participantId, processId: input.processId, createdAt: deps.now() }],
      skipDuplicates: true,
    });
    return { ok: true, outcome: created.count > 0 ? 'subscribed' : 'already-subscribed' } as const;
  });
}
