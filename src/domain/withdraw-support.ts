// A participant takes back their support, while voting is still open.
import { acceptsSupports, currentPhase } from './current-phase.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';

export type WithdrawSupportResult =
  { ok: true } | { ok: false; reason: 'not-found' | 'voting-closed' | 'not-supported' };

export async function withdrawSupport(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; proposalId: number },
): Promise<WithdrawSupportResult> {
  if (!isDbId(input.proposalId)) return { ok: false, reason: 'not-found' };
  const proposal = await deps.db.proposal.findUnique({
    where: { id: input.proposalId },
    select: { process: { select: { phases: true } } },
  });
  if (!proposal) return { ok: false, reason: 'not-found' };
  if (!acceptsSupports(currentPhase(proposal.process.phases, deps.now()))) {
    return { ok: false, reason: 'voting-closed' };
  }
  const { count } = await deps.db.support.deleteMany({
    where: { proposalId: input.proposalId, participantId: input.participantId },
  });
  return count > 0 ? { ok: true } : { ok: false, reason: 'not-supported' };
}
