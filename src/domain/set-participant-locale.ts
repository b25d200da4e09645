// The participant's chosen language, remembered for every channel.
import type { DomainDeps, Locale } from './deps.ts';

export async function setParticipantLocale(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; locale: Locale },
): Promise<{ ok: true }> {
  await deps.db.participant.update({ where: { id: input.participantId }, data: { locale: input.locale } });
  return { ok: true };
}
