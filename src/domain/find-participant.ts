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
  /** Notices wait for them on this channel (shown at the start of the turn: take-pending-notices). */
  hasNotices: boolean;
  /**
   * Their last-seen time is over an hour old, or they were warned of erasure for inactivity: the turn
   * records the activity (record-participant-activity), so retention counts from now.
   */
  seenStale: boolean;
  /**
   * Their participation consent stands but was given to an older privacy notice than the one in force:
   * they are asked to accept the new one before going on (the engine's notice gate).
   */
  needsNotice: boolean;
  /**
   * Someone typed a link code shown to them on this channel, in another channel, and waits for them to
   * confirm here (claim-link-code → confirm-link-claim): the engine asks before anything else.
   */
  pendingLinkClaim: boolean;
}

/** How often a turn records that the participant was seen (record-participant-activity's own rule). */
const SEEN_EVERY_MS = 3600 * 1000;

// Runs on every turn: one query (Prisma would load the account, the participant and the consent apart).
export async function findParticipant(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { channel: string; externalId: string },
): Promise<ParticipantView | undefined> {
  // The threshold is computed here, not with SQL's now(): "lastSeenAt" is a timestamp without time zone
  // holding UTC, and now() - interval would be read in the session's TimeZone.
  const now = deps.now();
  const staleBefore = new Date(now.getTime() - SEEN_EVERY_MS);
  const [row] = await deps.db.$queryRaw<
    {
      id: string;
      locale: string;
      consent: string | null;
      unreachableAt: Date | null;
      notices: boolean;
      seenStale: boolean;
      consentVersion: number | null;
      noticeVersion: number | null;
      linkClaim: boolean;
    }[]
  >`
    SELECT p.id::text AS id, p.locale, a."unreachableAt",
      (p."lastSeenAt" < ${staleBefore} OR p."retentionWarnedAt" IS NOT NULL) AS "seenStale",
      EXISTS (SELECT 1 FROM "Notice" n WHERE n."participantId" = p.id AND n.channel = a.channel
        AND n."deliveredAt" IS NULL) AS notices,
      c.action AS consent, c."noticeVersion" AS "consentVersion",
      (SELECT max(n.version) FROM "PrivacyNotice" n) AS "noticeVersion",
      EXISTS (SELECT 1 FROM "LinkCode" l WHERE l."participantId" = p.id AND l.channel = a.channel
        AND l."claimedAt" IS NOT NULL AND l."usedAt" IS NULL AND l."expiresAt" > ${now}) AS "linkClaim"
    FROM "ChannelAccount" a JOIN "Participant" p ON p.id = a."participantId"
    -- The latest participation ledger row: its action and the notice version it was given for.
    LEFT JOIN LATERAL (SELECT c.action::text AS action, c."noticeVersion" FROM "ConsentRecord" c
      WHERE c."participantId" = p.id AND c.purpose = 'participation'
      ORDER BY c.id DESC LIMIT 1) c ON true
    WHERE a.channel = ${input.channel} AND a."externalId" = ${input.externalId}`;
  if (!row) return undefined;
  return {
    id: row.id,
    locale: toLocale(row.locale) ?? DEFAULT_LOCALE,
    hasConsent: row.consent === 'given',
    unreachable: row.unreachableAt !== null,
    hasNotices: row.notices,
    seenStale: row.seenStale,
    needsNotice:
      row.consent === 'given' && row.noticeVersion !== null && (row.consentVersion ?? 0) < row.noticeVersion,
    pendingLinkClaim: row.linkClaim,
  };
}
