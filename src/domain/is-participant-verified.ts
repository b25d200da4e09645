// Whether a participant may support in a process as far as verification goes: the process does not require
// it, or they redeemed one of its codes (support-proposal checks the same inside its own statement).
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { isUuid } from './staff-members.ts';

export type IsParticipantVerifiedResult =
  { ok: true; required: boolean; verified: boolean } | { ok: false; reason: 'not-found' };

export async function isParticipantVerified(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; processId: number },
): Promise<IsParticipantVerifiedResult> {
  if (!isUuid(input.participantId) || !isDbId(input.processId)) return { ok: false, reason: 'not-found' };
  const process = await deps.db.process.findUnique({
    where: { id: input.processId },
    select: {
      requiresVerification: true,
      verificationCodes: { where: { redeemedById: input.participantId }, select: { id: true }, take: 1 },
    },
  });
  if (!process) return { ok: false, reason: 'not-found' };
  return {
    ok: true,
    required: process.requiresVerification,
    verified: process.verificationCodes.length > 0,
  };
}
