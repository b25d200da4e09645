// Withdrawing participation consent: one ledger row. Afterwards the engine treats the person as not
// consented (they can read the notice and consent again). What they published stays, as the notice says;
// erasing it is a separate right. A person who withdraws receives nothing more: in the same transaction
// their subscriptions end, the `updates` consent is withdrawn too and their broadcast messages not yet sent
// are marked skipped (consent-ledger's endUpdates, as unsubscribe-from-everything does).
import { currentConsent, endUpdates, lockParticipant } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';

export type WithdrawConsentResult = { ok: true } | { ok: false; reason: 'not-consented' };

export async function withdrawConsent(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string },
): Promise<WithdrawConsentResult> {
  return deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, input.participantId);
    const latest = await currentConsent(tx, input.participantId, 'participation');
    if (latest?.action !== 'given') return { ok: false, reason: 'not-consented' } as const;
    const now = deps.now();
    await tx.consentRecord.create({
      data: {
        participantId: input.participantId,
        purpose: 'participation',
        action: 'withdrawn',
        noticeVersion: latest.noticeVersion,
        channel: input.channel,
        createdAt: now,
      },
    });
    await endUpdates(tx, { participantId: input.participantId, channel: input.channel, at: now });
    return { ok: true } as const;
  });
}
