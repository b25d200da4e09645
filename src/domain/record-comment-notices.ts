// A comment that became public without waiting for a moderator (post-moderation): the followers of its
// proposal are told. (Pre-moderated comments reach them when approved: record-case-notices.) Safe to run
// twice: notices are unique per person and comment. Returns the notices not delivered yet.
import type { DomainDeps } from './deps.ts';
import { followerEvents, recordNotices, type PendingNotice } from './notices.ts';

export async function recordCommentNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { commentId: number },
): Promise<PendingNotice[]> {
  const comment = await deps.db.comment.findUnique({
    where: { id: input.commentId },
    select: { id: true, proposalId: true, authorId: true, status: true },
  });
  if (comment?.status !== 'published') return [];
  return recordNotices(deps, await followerEvents(deps, comment));
}
