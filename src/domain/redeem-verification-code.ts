// A participant proves they may take part in a binding process by typing one of its codes. A code is
// redeemed once (a conditional UPDATE: of two people typing it at once, one gets it); a participant is
// verified once per process (a second code is refused and stays unused). A code whose redeemer was erased
// stays redeemed (`redeemedAt` is kept).
import { lockParticipant } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { isUuid } from './staff-members.ts';
import { hashVerificationCode, normaliseVerificationCode } from './verification-codes.ts';

export type RedeemVerificationCodeResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'not-found' | 'not-required' | 'already-verified' | 'code-wrong' | 'code-used';
    };

export async function redeemVerificationCode(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; processId: number; code: string },
): Promise<RedeemVerificationCodeResult> {
  if (!isUuid(input.participantId) || !isDbId(input.processId)) return { ok: false, reason: 'not-found' };
  return deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, input.participantId);
    const [me, process] = [
      await tx.participant.findUnique({ where: { id: input.participantId }, select: { erasedAt: true } }),
      await tx.process.findUnique({ where: { id: input.processId }, select: { requiresVerification: true } }),
    ];
    if (!me || me.erasedAt || !process) return { ok: false as const, reason: 'not-found' as const };
    if (!process.requiresVerification) return { ok: false as const, reason: 'not-required' as const };
    const mine = await tx.verificationCode.findFirst({
      where: { processId: input.processId, redeemedById: input.participantId },
      select: { id: true },
    });
    if (mine) return { ok: false as const, reason: 'already-verified' as const };
    const code = normaliseVerificationCode(input.code);
    if (code === undefined) return { ok: false as const, reason: 'code-wrong' as const };
    const codeHash = hashVerificationCode(input.processId, code);
    const spent = await tx.verificationCode.updateMany({
      where: { processId: input.processId, codeHash, redeemedAt: null },
      data: { redeemedById: input.participantId, redeemedAt: deps.now() },
    });
    if (spent.count === 1) return { ok: true as const };
    const exists = await tx.verificationCode.findUnique({
      where: { processId_codeHash: { processId: input.processId, codeHash } },
      select: { id: true },
    });
    return { ok: false as const, reason: exists ? ('code-used' as const) : ('code-wrong' as const) };
  });
}
