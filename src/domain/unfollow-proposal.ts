// A participant stops following a proposal's comments. Always allowed (also after withdrawing their
// support); unfollowing twice, or a proposal never followed, changes nothing.
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';

export type UnfollowProposalResult = { ok: true; wasFollowing: boolean };

export async function unfollowProposal(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; proposalId: number },
): Promise<UnfollowProposalResult> {
  if (!isDbId(input.proposalId)) return { ok: true, wasFollowing: false };
  const deleted = await deps.db.proposalFollow.deleteMany({
    where: { proposalId: input.proposalId, participantId: input.participantId },
  });
  return { ok: true, wasFollowing: deleted.count > 0 };
}
