// Makes sure every proposal waiting for moderation has its job: run when a worker starts, it repairs the
// rare case where a proposal was stored but its enqueue failed (Redis down at that moment, or flushed).
// Safe to run any number of times: a job id per proposal keeps one job while it exists.
import type { DomainDeps } from './deps.ts';

export async function requeuePendingModeration(
  deps: Pick<DomainDeps, 'db' | 'queues'>,
): Promise<{ enqueued: number }> {
  let enqueued = 0;
  let cursor = 0;
  for (;;) {
    const batch = await deps.db.proposal.findMany({
      where: { status: 'pending', id: { gt: cursor } },
      orderBy: { id: 'asc' },
      take: 500,
      select: { id: true },
    });
    if (batch.length === 0) return { enqueued };
    for (const { id } of batch) {
      await deps.queues.moderateProposal(id);
      enqueued++;
    }
    cursor = batch[batch.length - 1]!.id;
  }
}
