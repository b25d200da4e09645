// Consent to receive a process's updates (staff broadcasts): a purpose of its own, asked apart from
// participation and only of someone who participates. One ledger row with the privacy notice in force, as
// give-consent writes for participation; giving it while it stands adds nothing.
import { currentConsent, lockParticipant } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';

export type GiveUpdatesConsentResult =
  { ok: true; alreadyGiven: boolean } | { ok: false; reason: 'not-consented' | 'no-notice' };

export async function giveUpdatesConsent(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string },
): Promise<GiveUpdatesConsentResult> {
  const notice = await deps.db.privacyNotice.findFirst({
    orderBy: { version: 'desc' },
    select: { version: true },
  });
  if (!notice) return { ok: false, reason: 'no-notice' };
  return deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, input.participantId);
    const participation = await currentConsent(tx, input.participantId, 'participation');
    if (participation?.action !== 'given') return { ok: false, reason: 'not-consented' } as const;
    const updates = await currentConsent(tx, input.participantId, 'updates');
    if (updates?.action === 'given') return { ok: true, alreadyGiven: true } as const;
    await tx.consentRecord.create({
      data: {
        participantId: input.participantId,
        purpose: 'updates',
        action: 'given',
        noticeVersion: notice.version,
        channel: input.channel,
        createdAt: deps.now(),
      },
    });
    return { ok: true, alreadyGiven: false } as const;
  });
}
