// A participant follows a proposal's comments (to hear about new ones). Only its author and the people who
// support it may; following twice changes nothing.
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { isPublic } from './proposal-visibility.ts';

export type FollowProposalResult =
  { ok: true; alreadyFollowing: boolean } | { ok: false; reason: 'not-found' | 'not-allowed' };

export async function followProposal(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; proposalId: number },
): Promise<FollowProposalResult> {
  if (!isDbId(input.proposalId)) return { ok: false, reason: 'not-found' };
  const proposal = await deps.db.proposal.findUnique({
    where: { id: input.proposalId },
    select: {
      status: true,
      authorId: true,
      supports: { where: { participantId: input.participantId }, select: { id: true }, take: 1 },
    },
  });
  const mine = proposal?.authorId === input.participantId;
  if (!proposal || (!isPublic(proposal.status) && !mine)) return { ok: false, reason: 'not-found' };
  if (!mine && proposal.supports.length === 0) return { ok: false, reason: 'not-allowed' };
  const created = await deps.db.proposalFollow.createMany({
    data: [{ proposalId: input.proposalId, participantId: input.participantId, createdAt: deps.now() }],
    skipDuplicates: true,
  });
  return { ok: true, alreadyFollowing: created.count === 0 };
}
