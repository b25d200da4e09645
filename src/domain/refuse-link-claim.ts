// "That was not me": the owner of a claimed code (claim-link-code) refuses the merge in the channel the code
// was shown in. The code is spent; nothing is linked. Repeating it, or refusing with no claim, is harmless.
import type { DomainDeps } from './deps.ts';
import { findLiveClaim } from './link-codes.ts';
import { isUuid } from './staff-members.ts';

export async function refuseLinkClaim(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string },
): Promise<{ ok: true; refused: boolean }> {
  if (!isUuid(input.participantId)) return { ok: true, refused: false };
  const claim = await findLiveClaim(deps, input.participantId, input.channel);
  if (!claim) return { ok: true, refused: false };
  const spent = await deps.db.linkCode.updateMany({
    where: { id: claim.id, usedAt: null },
    data: { usedAt: deps.now() },
  });
  return { ok: true, refused: spent.count === 1 };
}
