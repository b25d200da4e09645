// Withdrawing participation consent: one ledger row. Afterwards the engine treats the person as not
// consented (they can read the notice and consent again). What they published stays, as the notice says;
// erasing it is a separate right.
import type { DomainDeps } from './deps.ts';

export type WithdrawConsentResult = { ok: true } | { ok: false; reason: 'not-consented' };

export async function withdrawConsent(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string },
): Promise<WithdrawConsentResult> {
  const latest = await deps.db.consentRecord.findFirst({
    where: { participantId: input.participantId, purpose: 'participation' },
    orderBy: { id: 'desc' },
  });
  if (latest?.action !== 'given') return { ok: false, reason: 'not-consented' };
  await deps.db.consentRecord.create({
    data: {
      participantId: input.participantId,
      purpose: 'participation',
      action: 'withdrawn',
      noticeVersion: latest.noticeVersion,
      channel: input.channel,
      createdAt: deps.now(),
    },
  });
  return { ok: true };
}
