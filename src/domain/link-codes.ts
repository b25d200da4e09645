// Shared by create-link-code and redeem-link-code ("vincular cuentas"): the code's shape, lifetime and
// digest, and the attempts allowed. Not a use case.
import { createHash } from 'node:crypto';
import type { DomainDeps } from './deps.ts';

/** A code is typed in the other channel within this time. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
/** Codes typed (right or wrong) per participant in ATTEMPT_WINDOW_MS; beyond it, refused unread. */
export const MAX_LINK_ATTEMPTS = 5;
export const ATTEMPT_WINDOW_MS = 10 * 60 * 1000;
/**
 * Failed codes typed by everyone together in ATTEMPT_WINDOW_MS; beyond it, linking pauses for everyone until
 * the window moves on. Many throwaway identities, each within its own limit, must not add up to a search of
 * the million codes (with a few hundred live codes, 100 guesses find one with a chance of a few percent —
 * and a found code still needs its owner's confirmation: see claim-link-code).
 */
export const MAX_FAILED_LINK_ATTEMPTS = 100;
/** Expired and used codes are kept this long after expiring (and their digits stay taken meanwhile). */
export const LINK_CODE_KEPT_MS = 60 * 60 * 1000;
/** Once claimed, the code's owner has this long to confirm in the channel the code was shown in. */
export const LINK_CLAIM_TTL_MS = 10 * 60 * 1000;

/** Six digits; spaces and dashes a person may type between them are ignored. Undefined when not a code. */
export function normaliseLinkCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, '');
  return /^[0-9]{6}$/.test(code) ? code : undefined;
}

/**
 * Only this digest is stored. With a million possible codes a digest does not hide a code from someone who
 * reads the database; what protects a code is its ten minutes, its single use and the attempt limit.
 */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(`plaza-link-code:${code}`, 'utf8').digest('hex');
}

/** The owner's live claimed code shown in `channel` (at most one: a new code ends the earlier ones). */
export async function findLiveClaim(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  participantId: string,
  channel: string,
) {
  return deps.db.linkCode.findFirst({
    where: {
      participantId,
      channel,
      claimedAt: { not: null },
      usedAt: null,
      expiresAt: { gt: deps.now() },
    },
    orderBy: { id: 'desc' },
    select: { id: true, claimedById: true, claimedChannel: true, checkDigits: true },
  });
}
