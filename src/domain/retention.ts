// Shared by the retention use cases (find, warn, erase inactive participants): the periods and the two
// conditions, written once. Not a use case.
//
// A participant is inactive when they have not been seen for `days` (default 365). They are warned `warnDays`
// (default 30) before: a participant not seen for `days - warnDays` and not warned since they were last seen
// gets a warning; one warned at least `warnDays` ago, not seen since the warning and not seen for `days`, is
// erased. Coming back after the warning (lastSeenAt later than retentionWarnedAt) keeps everything; a later
// absence starts over with a new warning. So nobody is erased without a warning `warnDays` before.
import { Prisma } from '../generated/prisma/client.ts';

export const RETENTION_DAYS = 365;
export const RETENTION_WARN_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export interface RetentionPolicy {
  days?: number;
  warnDays?: number;
}

export function retentionThresholds(now: Date, policy: RetentionPolicy = {}) {
  const days = policy.days ?? RETENTION_DAYS;
  const warnDays = Math.min(policy.warnDays ?? RETENTION_WARN_DAYS, days);
  return {
    /** Not seen since: warned. */
    warnSeenBefore: new Date(now.getTime() - (days - warnDays) * DAY_MS),
    /** Not seen since: erased (once warned long enough). */
    eraseSeenBefore: new Date(now.getTime() - days * DAY_MS),
    /** Warned before: erased. */
    eraseWarnedBefore: new Date(now.getTime() - warnDays * DAY_MS),
    /** Now, in epoch ms (a warning's promised date is compared with it). */
    nowMs: now.getTime(),
  };
}

/** SQL condition on "Participant" p: due a warning. */
export function dueWarning(t: ReturnType<typeof retentionThresholds>): Prisma.Sql {
  return Prisma.sql`p."erasedAt" IS NULL AND p."lastSeenAt" <= ${t.warnSeenBefore}
    AND (p."retentionWarnedAt" IS NULL OR p."lastSeenAt" > p."retentionWarnedAt")`;
}

/**
 * SQL condition on "Participant" p: due erasure. Never before the date a warning notice announced: if the
 * periods are shortened after people were warned, they keep the date they were given.
 */
export function dueErasure(t: ReturnType<typeof retentionThresholds>): Prisma.Sql {
  return Prisma.sql`p."erasedAt" IS NULL AND p."retentionWarnedAt" IS NOT NULL
    AND p."retentionWarnedAt" <= ${t.eraseWarnedBefore} AND p."lastSeenAt" <= p."retentionWarnedAt"
    AND p."lastSeenAt" <= ${t.eraseSeenBefore}
    AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n."participantId" = p.id AND n.kind = 'retention-warning'
      AND (n.payload->>'eraseAt')::bigint > ${t.nowMs})`;
}

/** The notice that tells a participant of their coming erasure (one per participant and warning). */
export const RETENTION_WARNING = 'retention-warning';

/** A warning's event key: unique per participant and warning period (the time of the warning). */
export const retentionWarningKey = (warnedAt: Date): string =>
  `${RETENTION_WARNING}:${warnedAt.toISOString()}`;

/** What a retention warning's notice carries (epoch ms and days: no text, nothing personal). */
export interface RetentionWarningPayload {
  /** When the warning was given (Participant.retentionWarnedAt). */
  warnedAt: number;
  /** From when the person's data is erased unless they come back. */
  eraseAt: number;
  /** The absence, in days, after which data is erased. */
  days: number;
}

/** The warning given at `warnedAt` under `policy`: erasure follows `warnDays` later (dueErasure). */
export function retentionWarningPayload(
  warnedAt: Date,
  policy: RetentionPolicy = {},
): RetentionWarningPayload {
  const days = policy.days ?? RETENTION_DAYS;
  const warnDays = Math.min(policy.warnDays ?? RETENTION_WARN_DAYS, days);
  return { warnedAt: warnedAt.getTime(), eraseAt: warnedAt.getTime() + warnDays * DAY_MS, days };
}
