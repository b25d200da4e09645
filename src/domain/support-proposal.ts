// A participant supports a proposal: only while the process is in its voting phase, once per proposal, and
// no more than the process's supports per participant. Concurrent requests of one participant are
// serialised on their participant row, so the limit holds under any concurrency.
import { acceptsSupports, currentPhase } from './current-phase.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { isPublic } from './proposal-visibility.ts';

export type SupportProposalResult =
  | { ok: true; used: number; limit: number }
  | { ok: false; reason: 'not-found' | 'voting-closed' | 'already-supported' }
  | { ok: false; reason: 'limit-reached'; limit: number };

export async function supportProposal(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; proposalId: number },
): Promise<SupportProposalResult> {
  if (!isDbId(input.proposalId)) return { ok: false, reason: 'not-found' };
  try {
    return await deps.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Participant" WHERE id = ${input.participantId}::uuid FOR UPDATE`;
      const proposal = await tx.proposal.findUnique({
        where: { id: input.proposalId },
        select: {
          status: true,
          processId: true,
          process: { select: { supportsPerParticipant: true, phases: true } },
        },
      });
      if (!proposal || !isPublic(proposal.status)) return { ok: false, reason: 'not-found' } as const;
      if (!acceptsSupports(currentPhase(proposal.process.phases, deps.now()))) {
        return { ok: false, reason: 'voting-closed' } as const;
      }
      // One query for both: does this participant support it already, and how many supports used here.
      const [counts] = await tx.$queryRaw<{ mine: bigint; used: bigint }[]>`
        SELECT count(*) FILTER (WHERE s."proposalId" = ${input.proposalId}) AS mine, count(*) AS used
        FROM "Support" s JOIN "Proposal" p ON p.id = s."proposalId"
        WHERE s."participantId" = ${input.participantId}::uuid AND p."processId" = ${proposal.processId}`;
      if (Number(counts?.mine ?? 0) > 0) return { ok: false, reason: 'already-supported' } as const;
      const limit = proposal.process.supportsPerParticipant;
      const used = Number(counts?.used ?? 0);
      if (used >= limit) return { ok: false, reason: 'limit-reached', limit } as const;
      await tx.support.create({
        data: { proposalId: input.proposalId, participantId: input.participantId, createdAt: deps.now() },
      });
      return { ok: true, used: used + 1, limit } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'already-supported' };
    throw error;
  }
}
