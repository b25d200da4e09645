// How many people a broadcast would reach now (the preview staff confirm before sending).
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { audienceQuery, type Audience } from './broadcast-audience.ts';

export async function countBroadcastAudience(
  deps: Pick<DomainDeps, 'db'>,
  input: { processId: number; audience: Audience },
): Promise<{ total: number; byChannel: Record<string, number>; byLocale: Record<string, number> }> {
  if (!isDbId(input.processId)) return { total: 0, byChannel: {}, byLocale: {} };
  const rows = await deps.db.$queryRaw<{ channel: string; locale: string; n: bigint }[]>`
    SELECT channel, locale, count(*) AS n FROM (${audienceQuery(input.processId, input.audience)}) a
    GROUP BY channel, locale`;
  const byChannel: Record<string, number> = {};
  const byLocale: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    byChannel[r.channel] = (byChannel[r.channel] ?? 0) + n;
    byLocale[r.locale] = (byLocale[r.locale] ?? 0) + n;
  }
  return { total, byChannel, byLocale };
}
