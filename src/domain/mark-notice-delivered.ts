// A notice was handed to its channel (queued for Telegram). Conditional: delivered once.
import type { DomainDeps } from './deps.ts';

export async function markNoticeDelivered(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { noticeId: bigint; via: string },
): Promise<void> {
  await deps.db.notice.updateMany({
    where: { id: input.noticeId, deliveredAt: null },
    data: { deliveredAt: deps.now(), deliveredVia: input.via },
  });
}
