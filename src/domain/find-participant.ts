// Who is writing: the participant behind a channel account, and whether their participation consent stands.
import type { DomainDeps, Locale } from './deps.ts';
import { DEFAULT_LOCALE, toLocale } from './deps.ts';

export interface ParticipantView {
  id: string;
  locale: Locale;
  /** The latest participation consent in the ledger is "given". */
  hasConsent: boolean;
  /** The channel reported this account unreachable (e.g. the bot was blocked) and they have not written since. */
  unreachable: boolean;
}

export async function findParticipant(
  deps: Pick<DomainDeps, 'db'>,
  input: { channel: string; externalId: string },
): Promise<ParticipantView | undefined> {
  const account = await deps.db.channelAccount.findUnique({
    where: { channel_externalId: { channel: input.channel, externalId: input.externalId } },
    select: {
      unreachableAt: true,
      participant: {
        select: {
          id: true,
          locale: true,
          consents: {
            where: { purpose: 'participation' },
            orderBy: { id: 'desc' },
            take: 1,
            select: { action: true },
          },
        },
      },
    },
  });
  if (!account) return undefined;
  const p = account.participant;
  return {
    id: p.id,
    locale: toLocale(p.locale) ?? DEFAULT_LOCALE,
    hasConsent: p.consents[0]?.action === 'given',
    unreachable: account.unreachableAt !== null,
  };
}
