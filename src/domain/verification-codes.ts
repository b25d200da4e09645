// Shared by the verification use cases of binding processes (import, redeem, is-verified): how a code is
// read, the digest that is stored instead of it, and how many may be typed. Not a use case.
import { createHash } from 'node:crypto';

/**
 * Codes typed per participant and process, right or wrong, in VERIFICATION_ATTEMPT_WINDOW_MS; beyond it the
 * code is refused unread (`too-many-attempts`). Five tries a quarter of an hour lets a person fix a typo or
 * two, and keeps one identity from guessing much (20 an hour); what many identities can guess together is
 * bounded by the process-wide caps below.
 */
export const MAX_VERIFICATION_ATTEMPTS = 5;
export const VERIFICATION_ATTEMPT_WINDOW_MS = 15 * 60 * 1000;

/**
 * Throwaway identities (a new chat account each five tries) get around the per-person limit, so a process
 * also stops reading codes, for everyone, once it has had MAX_FAILED_PROCESS_ATTEMPTS wrong ones within
 * FAILED_PROCESS_WINDOW_MS (`paused`). A hundred wrong codes in ten minutes is far more than a launch rush of
 * honest typos; the pause lifts by itself as those attempts age out of the window. That is a rate, though
 * (14,400 a day), so there is a cap as well: MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY wrong codes within
 * FAILED_PROCESS_DAY_MS also pause the process, bounding what an attacker with many identities can try in a
 * day. Both are caps, not rates of a burst: the attempts of a process are counted and recorded under one
 * lock (redeem-verification-code.ts), so parallel attempts cannot overshoot them.
 */
export const MAX_FAILED_PROCESS_ATTEMPTS = 100;
export const FAILED_PROCESS_WINDOW_MS = 10 * 60 * 1000;
export const MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY = 1_000;
export const FAILED_PROCESS_DAY_MS = 24 * 60 * 60 * 1000;

/**
 * While a process is paused, a participant whose row is at least ESTABLISHED_PARTICIPANT_AGE_MS old and who
 * typed no wrong code in it within FAILED_PROCESS_DAY_MS is still let through (their attempt counts like any
 * other): the identities an attack is made of are new, so a pause must not lock out the people who were
 * there before it. Each such account gets at most one wrong code a day while the pause lasts, so an attacker
 * holding many day-old accounts gets that many guesses a day beyond the caps: far fewer than the caps
 * would let through without the pause, and accounts that have to be made a day ahead.
 */
export const ESTABLISHED_PARTICIPANT_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Codes are 8 to 64 letters, digits, dashes or underscores; compared without regard to case. Eight is the
 * least that the caps above make safe: eight digits are 10^8 values, so with 10,000 codes issued a guess hits
 * one with odds of 1 in 10,000, and the daily cap of 1,000 wrong guesses gives an attacker about one code in
 * ten days (fewer still with letters: 36^8). Shorter codes (a 6-digit census number has a million values)
 * would be found within days; the import refuses them (`too-short`).
 */
export const MIN_VERIFICATION_CODE_LENGTH = 8;
export const MAX_VERIFICATION_CODE_LENGTH = 64;
const CODE_CHARS = /^[A-Za-z0-9_-]+$/;

/** Why text is not a code: characters other than letters, digits, `-` and `_` (or too long), or too short. */
export type VerificationCodeProblem = 'not-a-code' | 'too-short';

/** The code as compared (trimmed, upper case), or why it cannot be one. */
export function checkVerificationCode(
  typed: string,
): { ok: true; code: string } | { ok: false; reason: VerificationCodeProblem } {
  const code = typed.trim();
  if (!CODE_CHARS.test(code) || code.length > MAX_VERIFICATION_CODE_LENGTH)
    return { ok: false, reason: 'not-a-code' };
  if (code.length < MIN_VERIFICATION_CODE_LENGTH) return { ok: false, reason: 'too-short' };
  return { ok: true, code: code.toUpperCase() };
}

/** The code as compared (trimmed, upper case), or undefined when it cannot be one. */
export function normaliseVerificationCode(typed: string): string | undefined {
  const checked = checkVerificationCode(typed);
  return checked.ok ? checked.code : undefined;
}

/**
 * Only this digest is stored, bound to its process (the same code in two processes gives two digests). It
 * keeps the imported list out of the database; census codes with little entropy can still be guessed by
 * someone who reads it, which a keyed HMAC with a server secret would prevent (no such secret reaches the
 * domain yet).
 */
export function hashVerificationCode(processId: number, code: string): string {
  return createHash('sha256').update(`plaza-verification:${processId}:${code}`, 'utf8').digest('hex');
}
