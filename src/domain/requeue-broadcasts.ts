// Makes sure every broadcast that should be sending, or is scheduled, has its job: run when a worker starts
// and every so often, it repairs a lost job (Redis flushed or restarted without persistence), or one that is
// over while its broadcast is not (failed for good: a long database outage, workers dying under it; the
// producer runs it again, resuming from the ledger), with no manual step. Safe to run any number of times:
// one job id per broadcast.
import type { DomainDeps } from './deps.ts';

export async function requeueBroadcasts(deps: Pick<DomainDeps, 'db' | 'queues'>): Promise<number> {
  const open = await deps.db.broadcast.findMany({
    where: { status: { in: ['scheduled', 'sending'] } },
    select: { id: true, status: true, scheduledAt: true },
    orderBy: { id: 'asc' },
  });
  for (const b of open)
    await deps.queues.startBroadcast(
      b.id,
      b.status === 'scheduled' ? (b.scheduledAt ?? undefined) : undefined,
    );
  return open.length;
}
