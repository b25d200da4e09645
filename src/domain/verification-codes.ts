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
 * A code is compared by its letters and digits, without regard to case: dashes, underscores and spaces are
 * how it is written, not part of it («ABCD-1234-EFGH», «abcd 1234 efgh» and «ABCD1234EFGH» are one code), so
 * what a person types matches however the code was printed or imported. Codes have 8 to 64 letters or digits
 * (dashes and underscores between them; at most 64 characters as written). Eight is the least that the caps
 * above make safe: eight digits are 10^8 values, so with 10,000 codes issued a guess hits one with odds of
 * 1 in 10,000, and the daily cap of 1,000 wrong guesses gives an attacker about one code in ten days (fewer
 * still with letters: 36^8). Shorter codes (a 6-digit census number has a million values) would be found
 * within days; the import refuses them (`too-short`). A dash adds no values, so it does not count.
 *
 * Spaces are read only inside what looks like a code printed in groups: text with a digit, or without
 * lower-case letters («ABCD 1234 EFGH», «abcd 1234 efgh», «ABCD EFGH»). A sentence («no lo tengo a mano»)
 * is not a code, so it is answered without spending an attempt.
 *
 * (Until codes were compared this way, digests were of the code with its dashes: a code with a dash or an
 * underscore imported before then does not match any more, and its list has to be imported again.)
 */
export const MIN_VERIFICATION_CODE_LENGTH = 8;
export const MAX_VERIFICATION_CODE_LENGTH = 64;
const CODE_CHARS = /^[A-Za-z0-9_-]+$/;
/** What is not compared: the separators a code may be written with. */
const NOT_COMPARED = /[\s_-]+/g;

/** Why text is not a code: characters other than letters, digits, `-` and `_` (or too long), or too short. */
export type VerificationCodeProblem = 'not-a-code' | 'too-short';

/** The code as compared (its letters and digits, upper case), or why it cannot be one. */
export function checkVerificationCode(
  typed: string,
): { ok: true; code: string } | { ok: false; reason: VerificationCodeProblem } {
  const text = typed.trim();
  const written = text.replace(/\s+/g, '');
  if (!CODE_CHARS.test(written) || written.length > MAX_VERIFICATION_CODE_LENGTH)
    return { ok: false, reason: 'not-a-code' };
  if (written !== text && !/[0-9]/.test(text) && /[a-z]/.test(text))
    return { ok: false, reason: 'not-a-code' };
  const code = compareForm(written);
  if (code.length < MIN_VERIFICATION_CODE_LENGTH) return { ok: false, reason: 'too-short' };
  return { ok: true, code };
}

/** The code as compared (its letters and digits, upper case), or undefined when it cannot be one. */
export function normaliseVerificationCode(typed: string): string | undefined {
  const checked = checkVerificationCode(typed);
  return checked.ok ? checked.code : undefined;
}

const compareForm = (code: string) => code.replace(NOT_COMPARED, '').toUpperCase();

/**
 * Only this digest is stored, bound to its process (the same code in two processes gives two digests). It
 * keeps the imported list out of the database; census codes with little entropy can still be guessed by
 * someone who reads it, which a keyed HMAC with a server secret would prevent (no such secret reaches the
 * domain yet). The digest is of the code's compare form (checkVerificationCode).
 */
export function hashVerificationCode(processId: number, code: string): string {
  // Of the compare form, whatever form the code comes in: one code, one digest.
  return createHash('sha256')
    .update(`plaza-verification:${processId}:${compareForm(code)}`, 'utf8')
    .digest('hex');
}

/**
 * The digest a code with dashes or underscores had before codes were compared without them (the code as
 * typed, trimmed, upper case): codes imported then are found by it when typed as they were printed, so an
 * upgrade does not invalidate a letter already sent. Undefined when it would equal the current digest or the
 * text could not have been such a code.
 */
export function legacyVerificationCodeHash(processId: number, typed: string): string | undefined {
  const code = typed.trim();
  if (!CODE_CHARS.test(code) || !/[-_]/.test(code)) return undefined;
  if (code.length < MIN_VERIFICATION_CODE_LENGTH || code.length > MAX_VERIFICATION_CODE_LENGTH)
    return undefined;
  return createHash('sha256')
    .update(`plaza-verification:${processId}:${code.toUpperCase()}`, 'utf8')
    .digest('hex');
}
