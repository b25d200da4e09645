// Whether a moderation case that no longer exists went because its author withdrew the proposal
// (withdraw-proposal deletes the open case and audits, as `proposal.withdraw`, the ids of the cases it
// closed); otherwise it went with its author's erasure. The audit row outlives both the case and an erasure
// after it (which scrubs only texts). Asked only for a room card that went out after its case vanished:
// rare, so no index of its own.
import type { DomainDeps } from './deps.ts';

export async function wasCaseWithdrawnByAuthor(
  deps: Pick<DomainDeps, 'db'>,
  input: { caseId: number },
): Promise<boolean> {
  const row = await deps.db.auditLog.findFirst({
    where: {
      action: 'proposal.withdraw',
      targetType: 'proposal',
      after: { path: ['casesClosed'], array_contains: [input.caseId] },
    },
    select: { id: true },
  });
  return row !== null;
}
