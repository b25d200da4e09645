// After a moderation decision: who must hear about it. The author, when the decision changed what the
// public sees of their item (a pre-moderated item decided, a post-moderated one taken down or redacted, a
// reported one restored or taken down, one that reports hid while its first review was open kept — shown
// again: its notice carries `restored`); and, when a comment becomes public, the followers of its proposal
// (not the comment's own author; post-moderated comments reach them through record-comment-notices when
// published). Recording and the choice of channel: notices.ts. Returns the notices not delivered yet.
import type { DomainDeps } from './deps.ts';
import { followerEvents, recordNotices, type NoticeEvent, type PendingNotice } from './notices.ts';

export async function recordCaseNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { caseId: number },
): Promise<PendingNotice[]> {
  const c = await deps.db.moderationCase.findUnique({
    where: { id: input.caseId },
    select: {
      decision: true,
      reason: true,
      itemKind: true,
      decidedAt: true,
      proposal: { select: { id: true, authorId: true, process: { select: { moderationMode: true } } } },
      comment: {
        select: {
          id: true,
          authorId: true,
          proposalId: true,
          proposal: { select: { process: { select: { moderationMode: true } } } },
        },
      },
    },
  });
  if (!c?.decision) return [];
  const item = c.proposal ?? c.comment;
  if (!item) return [];
  const mode = (c.proposal?.process ?? c.comment!.proposal.process).moderationMode;
  const restored =
    c.reason === 'submitted' &&
    c.decision !== 'reject' &&
    item.authorId !== null &&
    (await unhid(deps, { kind: c.itemKind, id: item.id, decision: c.decision, at: c.decidedAt }));
  const visibleChange = c.reason === 'reported' || mode === 'pre' || c.decision !== 'approve' || restored;
  const events: NoticeEvent[] = [];
  if (item.authorId && visibleChange)
    events.push({
      participantId: item.authorId,
      kind: 'moderation-outcome',
      eventKey: `case:${input.caseId}`,
      payload: restored ? { caseId: input.caseId, restored: 1 } : { caseId: input.caseId },
    });
  if (c.comment && c.decision !== 'reject' && c.reason === 'submitted' && mode === 'pre')
    events.push(...(await followerEvents(deps, c.comment)));
  return recordNotices(deps, events);
}

/**
 * Whether a first review's approval showed again an item that reports had hidden meanwhile (a case opened
 * before reopenAsReported closed such cases). Read from the decision's own audit row (decide-moderation
 * writes it with the decision's time and the status before it), the one record of what the item was.
 */
async function unhid(
  deps: Pick<DomainDeps, 'db'>,
  input: { kind: string; id: number; decision: string; at: Date | null },
): Promise<boolean> {
  if (!input.at) return false;
  const row = await deps.db.auditLog.findFirst({
    where: {
      targetType: input.kind,
      targetId: String(input.id),
      action: `moderation.${input.decision}`,
      createdAt: input.at,
      before: { path: ['status'], equals: 'hidden' },
    },
    select: { id: true },
  });
  return row !== null;
}
