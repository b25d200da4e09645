// Storage limitation for the codes of linking and verification: link codes an hour after they expired (so
// their digits are free again), and the attempts typed (link codes, verification codes) once no limit looks
// at them any more (the longest window is verification's day). Run by the retention sweep. Rows a linking
// or verifying transaction holds are skipped (SKIP LOCKED) and go next time: this never waits for one, so
// it cannot deadlock with a merge. Verification codes themselves stay: they are the census of the process.
import type { DomainDeps } from './deps.ts';
import { LINK_CODE_KEPT_MS } from './link-codes.ts';

/** Attempts older than this are no use to any limit (the longest window is one day). */
export const ATTEMPTS_KEPT_MS = 2 * 24 * 3600 * 1000;
const BATCH = 10_000;

export async function purgeSpentCodes(
  deps: Pick<DomainDeps, 'db' | 'now'>,
): Promise<{ linkCodes: number; linkAttempts: number; verificationAttempts: number }> {
  const now = deps.now().getTime();
  const codesBefore = new Date(now - LINK_CODE_KEPT_MS);
  const attemptsBefore = new Date(now - ATTEMPTS_KEPT_MS);
  const linkCodes = await deps.db.$executeRaw`
    DELETE FROM "LinkCode" WHERE id IN (SELECT id FROM "LinkCode" WHERE "expiresAt" < ${codesBefore}
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  const linkAttempts = await deps.db.$executeRaw`
    DELETE FROM "LinkCodeAttempt" WHERE id IN (SELECT id FROM "LinkCodeAttempt"
      WHERE "createdAt" < ${attemptsBefore} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  const verificationAttempts = await deps.db.$executeRaw`
    DELETE FROM "VerificationAttempt" WHERE id IN (SELECT id FROM "VerificationAttempt"
      WHERE "createdAt" < ${attemptsBefore} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
  return { linkCodes, linkAttempts, verificationAttempts };
}
