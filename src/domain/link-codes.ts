// Shared by create-link-code and redeem-link-code ("vincular cuentas"): the code's shape, lifetime and
// digest, and the attempts allowed. Not a use case.
import { createHash } from 'node:crypto';

/** A code is typed in the other channel within this time. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
/** Codes typed (right or wrong) per participant in ATTEMPT_WINDOW_MS; beyond it, refused unread. */
export const MAX_LINK_ATTEMPTS = 5;
export const ATTEMPT_WINDOW_MS = 10 * 60 * 1000;
/** Expired and used codes are kept this long after expiring (to say "expired" or "used" rather than "wrong"). */
export const LINK_CODE_KEPT_MS = 60 * 60 * 1000;

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
