// After a moderation decision: who must hear about it. The author, when the decision changed what the
// public sees of their item (a pre-moderated item decided, a post-moderated one taken down or redacted, a
// reported one restored or taken down); and, when a comment becomes public, the followers of its proposal
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
      proposal: { select: { authorId: true, process: { select: { moderationMode: true } } } },
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
  const visibleChange = c.reason === 'reported' || mode === 'pre' || c.decision !== 'approve';
  const events: NoticeEvent[] = [];
  if (item.authorId && visibleChange)
    events.push({
      participantId: item.authorId,
      kind: 'moderation-outcome',
      eventKey: `case:${input.caseId}`,
      payload: { caseId: input.caseId },
    });
  if (c.comment && c.decision !== 'reject' && c.reason === 'submitted' && mode === 'pre')
    events.push(...(await followerEvents(deps, c.comment)));
  return recordNotices(deps, events);
}
