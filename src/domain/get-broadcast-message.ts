// What a broadcast says to someone in a language: the text in it (or the Spanish one) and the process it is
// about. Undefined once the broadcast is cancelled or gone (a queued copy is then not worth sending).
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';

export async function getBroadcastMessage(
  deps: Pick<DomainDeps, 'db'>,
  input: { broadcastId: number; locale: Locale },
): Promise<{ processTitle: string; text: string } | undefined> {
  if (!isDbId(input.broadcastId)) return undefined;
  const b = await deps.db.broadcast.findUnique({
    where: { id: input.broadcastId },
    select: { texts: true, status: true, process: { select: { title: true } } },
  });
  if (!b || b.status === 'cancelled') return undefined;
  return { processTitle: pickText(b.process.title, input.locale), text: pickText(b.texts, input.locale) };
}
