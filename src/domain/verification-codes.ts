// Shared by the verification use cases of binding processes (import, redeem, is-verified): how a code is
// read and the digest that is stored instead of it. Not a use case.
import { createHash } from 'node:crypto';

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
