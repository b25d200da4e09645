// Consent to participate. The participant record is created here and nowhere else: before this, a person
// is only expiring dialog state. Appends to the consent ledger; repeating it is harmless.
import type { DomainDeps, Locale } from './deps.ts';
import { isUniqueViolation } from './prisma-errors.ts';

export type GiveConsentResult =
  { ok: true; participantId: string } | { ok: false; reason: 'age-not-confirmed' | 'no-notice' };

export async function giveConsent(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: {
    channel: string;
    externalId: string;
    locale: Locale;
    /** The person said they are 14 or older (the age of digital consent in Spain, LOPDGDD art. 7). */
    ageConfirmed: boolean;
    noticeVersion: number;
  },
): Promise<GiveConsentResult> {
  if (!input.ageConfirmed) return { ok: false, reason: 'age-not-confirmed' };
  const notice = await deps.db.privacyNotice.findFirst({ where: { version: input.noticeVersion } });
  if (!notice) return { ok: false, reason: 'no-notice' };
  const now = deps.now();
  const participantId = await findOrCreateParticipant(deps, input, now);
  await deps.db.consentRecord.create({
    data: {
      participantId,
      purpose: 'participation',
      action: 'given',
      noticeVersion: input.noticeVersion,
      channel: input.channel,
      createdAt: now,
    },
  });
  return { ok: true, participantId };
}

async function findOrCreateParticipant(
  deps: Pick<DomainDeps, 'db'>,
  input: { channel: string; externalId: string; locale: Locale },
  now: Date,
): Promise<string> {
  const where = { channel_externalId: { channel: input.channel, externalId: input.externalId } };
  const existing = await deps.db.channelAccount.findUnique({ where, select: { participantId: true } });
  if (existing) {
    await deps.db.participant.update({
      where: { id: existing.participantId },
      data: { locale: input.locale, ageConfirmedAt: now, lastSeenAt: now },
    });
    return existing.participantId;
  }
  try {
    const created = await deps.db.participant.create({
      data: {
        locale: input.locale,
        ageConfirmedAt: now,
        createdAt: now,
        lastSeenAt: now,
        accounts: { create: { channel: input.channel, externalId: input.externalId } },
      },
      select: { id: true },
    });
    return created.id;
  } catch (error) {
    // Two first messages racing from two processes: the other one created the account.
    if (!isUniqueViolation(error)) throw error;
    const account = await deps.db.channelAccount.findUniqueOrThrow({
      where,
      select: { participantId: true },
    });
    return account.participantId;
  }
}
