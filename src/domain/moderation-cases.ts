// Shared by the use cases that open moderation cases and write the audit log (submit-proposal,
// submit-comment, report-content, decide-moderation). Not a use case: helpers that run inside their
// callers' transactions.
import type { Prisma } from '../generated/prisma/client.ts';
import type { ModerationCaseReason, ModerationItemKind } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';

export type Tx = Prisma.TransactionClient;

export type ItemRef = { kind: ModerationItemKind; id: number };

/**
 * Opens a case for an item unless one is open already (partial unique index), and returns its id. Runs in
 * the caller's transaction; the caller enqueues the `moderation` job after commit (enqueueCase).
 */
export async function openCase(
  tx: Tx,
  input: { item: ItemRef; processId: number; reason: ModerationCaseReason; at: Date },
): Promise<number> {
  const column = input.item.kind === 'proposal' ? 'proposalId' : 'commentId';
  const open = await tx.moderationCase.findFirst({
    where: { [column]: input.item.id, itemKind: input.item.kind, decidedAt: null },
    select: { id: true },
  });
  if (open) return open.id;
  const created = await tx.moderationCase.create({
    data: {
      processId: input.processId,
      itemKind: input.item.kind,
      [column]: input.item.id,
      reason: input.reason,
      openedAt: input.at,
    },
    select: { id: true },
  });
  return created.id;
}

/**
 * Reports hid an item: it goes back to the moderators as a `reported` case. A case still open for its
 * first review (`submitted`: a post-moderated item is public, so it can be reported before anyone decided)
 * is closed without a decision (`decision` null, settled at once: nobody is told of it) and the reported
 * case opened in its place, so that its card, with the reports, reaches the room the usual way; the job of
 * the closed case puts its card right (src/queues/moderation/handler.ts). Runs in report-content's
 * transaction, under the item's row lock, which decide-moderation takes too; the close is conditional all
 * the same, so a decision and this never both count. Returns the reported case's id, and the closed case's
 * if any (both need their job after commit).
 */
export async function reopenAsReported(
  tx: Tx,
  input: { item: ItemRef; processId: number; at: Date },
): Promise<{ caseId: number; closedCaseId?: number }> {
  const column = input.item.kind === 'proposal' ? 'proposalId' : 'commentId';
  const open = await tx.moderationCase.findFirst({
    where: { [column]: input.item.id, itemKind: input.item.kind, decidedAt: null },
    select: { id: true, reason: true },
  });
  if (open?.reason === 'reported') return { caseId: open.id };
  let closedCaseId: number | undefined;
  if (open) {
    const { count } = await tx.moderationCase.updateMany({
      where: { id: open.id, decidedAt: null },
      data: { decidedAt: input.at, settledAt: input.at },
    });
    if (count === 1) closedCaseId = open.id;
  }
  const caseId = await openCase(tx, { ...input, reason: 'reported' });
  return closedCaseId === undefined ? { caseId } : { caseId, closedCaseId };
}

/** A case closed without a decision: reports hid its item while it waited (reopenAsReported). */
export const wasSuperseded = (c: { decidedAt: Date | null; decision: string | null }): boolean =>
  c.decidedAt !== null && c.decision === null;

/**
 * Enqueues a case's job after its transaction committed. A failure is logged and left: the worker
 * re-enqueues every open case without findings or announcement when it starts (requeue-open-cases), so
 * nothing waits forever, and the citizen is not bothered with it.
 */
export async function enqueueCase(
  deps: Pick<DomainDeps, 'queues' | 'logger'>,
  caseId: number,
): Promise<void> {
  try {
    await deps.queues.moderateCase(caseId);
  } catch (error) {
    deps.logger.error({ err: error, caseId }, 'moderation enqueue failed; left for requeue');
  }
}

/** A room card posted longer ago than this cannot be found any more (the Telegram channel keeps it 90 days). */
export const CARD_FINDABLE_MS = 89 * 24 * 3600 * 1000;

/** One audit row. `actor` is `staff:<id>`, `participant:<id>` or `system`. */
export async function audit(
  tx: Tx,
  entry: {
    actor: string;
    action: string;
    target: ItemRef | { kind: string; id: string | number };
    before?: unknown;
    after?: unknown;
    reason?: string | null;
    sourceIp?: string | null;
    at: Date;
  },
): Promise<void> {
  await tx.auditLog.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      targetType: entry.target.kind,
      targetId: String(entry.target.id),
      before: entry.before === undefined ? undefined : (entry.before as Prisma.InputJsonValue),
      after: entry.after === undefined ? undefined : (entry.after as Prisma.InputJsonValue),
      reason: entry.reason ?? null,
      sourceIp: entry.sourceIp ?? null,
      createdAt: entry.at,
    },
  });
}
