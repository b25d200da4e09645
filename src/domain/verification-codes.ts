// Shared by the verification use cases of binding processes (import, redeem, is-verified): how a code is
// read, the digest that is stored instead of it, and how many may be typed. Not a use case.
import { createHash } from 'node:crypto';

/**
 * Codes typed per participant and process, right or wrong, in VERIFICATION_ATTEMPT_WINDOW_MS; beyond it the
 * code is refused unread (`too-many-attempts`). Census and invitation codes may be short (a 6-digit census
 * number has a million values): five tries a quarter of an hour lets a person fix a typo or two, and keeps
 * one identity from guessing (20 a hour, 480 a day).
 */
export const MAX_VERIFICATION_ATTEMPTS = 5;
export const VERIFICATION_ATTEMPT_WINDOW_MS = 15 * 60 * 1000;

/**
 * Throwaway identities (a new chat account each five tries) get around the per-person limit, so a process
 * also stops reading codes, for everyone, while more than MAX_FAILED_PROCESS_ATTEMPTS wrong ones were typed
 * in it within FAILED_PROCESS_WINDOW_MS (`paused`). A hundred wrong codes in ten minutes is far more than a
 * launch rush of honest typos; the pause lifts by itself as those attempts age out of the window.
 */
export const MAX_FAILED_PROCESS_ATTEMPTS = 100;
export const FAILED_PROCESS_WINDOW_MS = 10 * 60 * 1000;

/** Codes are 4 to 64 letters, digits, dashes or underscores; compared without regard to case. */
const CODE = /^[A-Za-z0-9_-]{4,64}$/;

/** The code as compared (trimmed, upper case), or undefined when it cannot be one. */
export function normaliseVerificationCode(typed: string): string | undefined {
  const code = typed.trim();
  return CODE.test(code) ? code.toUpperCase() : undefined;
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
