// Makes sure no moderation work waits forever: run when a worker starts, it re-enqueues every open case
// not yet pre-screened or announced, and every decided case whose notification never finished (Redis was
// down at that moment, or flushed). Safe to run any number of times: job ids per case keep one job each.
import type { DomainDeps } from './deps.ts';

export async function requeueOpenCases(
  deps: Pick<DomainDeps, 'db' | 'queues'>,
  opts: { announce: boolean },
): Promise<{ moderation: number; notifications: number }> {
  const counts = { moderation: 0, notifications: 0 };
  let cursor = 0;
  for (;;) {
    const batch = await deps.db.moderationCase.findMany({
      where: {
        id: { gt: cursor },
        OR: [
          { decidedAt: null, prescreenedAt: null },
          ...(opts.announce ? [{ decidedAt: null, announcedAt: null }] : []),
          { decidedAt: { not: null }, settledAt: null },
        ],
      },
      orderBy: { id: 'asc' },
      take: 500,
      select: { id: true, decidedAt: true },
    });
    if (batch.length === 0) return counts;
    for (const c of batch) {
      if (c.decidedAt) {
        await deps.queues.notify({ kind: 'case-decided', caseId: c.id });
        counts.notifications++;
      } else {
        await deps.queues.moderateCase(c.id);
        counts.moderation++;
      }
    }
    cursor = batch[batch.length - 1]!.id;
  }
}
