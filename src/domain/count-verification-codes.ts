// How far a binding process's verification codes have gone, for staff: whether the process requires
// verification, how many codes it holds and how many were redeemed. Counts only: codes are never read back
// (only their digests are stored).
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';

export type CountVerificationCodesResult =
  | { ok: true; requiresVerification: boolean; total: number; redeemed: number }
  | { ok: false; reason: 'process-not-found' };

export async function countVerificationCodes(
  deps: Pick<DomainDeps, 'db'>,
  input: { processId: number },
): Promise<CountVerificationCodesResult> {
  if (!isDbId(input.processId)) return { ok: false, reason: 'process-not-found' };
  const process = await deps.db.process.findUnique({
    where: { id: input.processId },
    select: { requiresVerification: true },
  });
  if (!process) return { ok: false, reason: 'process-not-found' };
  const [total, redeemed] = await Promise.all([
    deps.db.verificationCode.count({ where: { processId: input.processId } }),
    deps.db.verificationCode.count({ where: { processId: input.processId, redeemedAt: { not: null } } }),
  ]);
  return { ok: true, requiresVerification: process.requiresVerification, total, redeemed };
}
