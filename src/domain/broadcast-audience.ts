// Who a broadcast reaches: the process's subscribers whose `updates` consent stands, on one channel each —
// their Telegram account while it is reachable, otherwise web chat — optionally narrowed to some languages
// and channels. Shared by count-broadcast-audience (the preview's number) and start-broadcast (the frozen
// ledger), so the number staff confirm is computed the way the ledger is. Not a use case.
import { Prisma } from '../generated/prisma/client.ts';
import type { Locale } from './deps.ts';

export interface Audience {
  locales?: Locale[];
  channels?: string[];
}

export const BROADCAST_CHANNELS = ['telegram', 'webchat'] as const;

/** SELECT participantId, channel, locale of the audience. */
export function audienceQuery(processId: number, audience: Audience): Prisma.Sql {
  const locales = audience.locales?.length ? audience.locales : null;
  const channels = audience.channels?.length ? audience.channels : null;
  return Prisma.sql`
    SELECT p.id AS "participantId", ch.channel, p.locale
    FROM "Subscription" s
    JOIN "Participant" p ON p.id = s."participantId"
    CROSS JOIN LATERAL (
      SELECT a.channel FROM "ChannelAccount" a
      WHERE a."participantId" = p.id AND (a.channel <> 'telegram' OR a."unreachableAt" IS NULL)
      ORDER BY (a.channel = 'telegram') DESC, a."createdAt" DESC LIMIT 1) ch
    WHERE s."processId" = ${processId}
      AND (SELECT c.action::text FROM "ConsentRecord" c
           WHERE c."participantId" = p.id AND c.purpose = 'updates' ORDER BY c.id DESC LIMIT 1) = 'given'
      AND (${locales}::text[] IS NULL OR p.locale = ANY(${locales}::text[]))
      AND (${channels}::text[] IS NULL OR ch.channel = ANY(${channels}::text[]))`;
}
