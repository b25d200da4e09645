// A participant comments on a public proposal, or replies to a published comment of it. Comments are
// accepted for as long as the proposal is public (published, selected, not selected), whatever the phase
// of its process: the debate around a proposal goes on through voting and results.
//
// Replies are one level deep. A reply to a reply is attached to the top-level comment it answers (the
// thread), so answering any comment in a thread works and the thread stays one level deep.
//
// A comment is stored as pending moderation (or published at once where the process uses post-moderation,
// still reviewed and removable), a moderation case is opened with it in the same transaction, and a
// `moderation` job carrying only the case id is enqueued after commit.
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { checkLength, type TextCheck } from './proposal-rules.ts';
import { isPublic } from './proposal-visibility.ts';
import { enqueueCase, openCase } from './moderation-cases.ts';

/** A comment's length in characters as people see them, after trimming (see proposal-rules.ts). */
export const COMMENT_MIN = 2;
export const COMMENT_MAX = 1000;

export const checkCommentBody = (text: string): TextCheck => checkLength(text, COMMENT_MIN, COMMENT_MAX);

export type SubmitCommentResult =
  | { ok: true; comment: { id: number; status: 'pending' | 'published'; parentId: number | null } }
  | {
      ok: false;
      reason: 'proposal-not-found' | 'parent-not-found' | 'body-too-short' | 'body-too-long' | 'no-consent';
    };

export async function submitComment(
  deps: DomainDeps,
  input: {
    participantId: string;
    proposalId: number;
    /** The comment answered, if this is a reply (a reply to a reply answers its thread). */
    parentId?: number;
    body: string;
    locale: Locale;
  },
): Promise<SubmitCommentResult> {
  const body = checkCommentBody(input.body);
  if (!body.ok)
    return { ok: false, reason: body.reason === 'too-short' ? 'body-too-short' : 'body-too-long' };
  if (!isDbId(input.proposalId)) return { ok: false, reason: 'proposal-not-found' };
  if (input.parentId !== undefined && !isDbId(input.parentId))
    return { ok: false, reason: 'parent-not-found' };

  const [proposal, consent, parent] = await Promise.all([
    deps.db.proposal.findUnique({
      where: { id: input.proposalId },
      select: { status: true, processId: true, process: { select: { moderationMode: true } } },
    }),
    deps.db.consentRecord.findFirst({
      where: { participantId: input.participantId, purpose: 'participation' },
      orderBy: { id: 'desc' },
      select: { action: true },
    }),
    input.parentId === undefined
      ? undefined
      : deps.db.comment.findUnique({
          where: { id: input.parentId },
          select: {
            id: true,
            proposalId: true,
            status: true,
            parent: { select: { id: true, status: true } },
          },
        }),
  ]);
  if (consent?.action !== 'given') return { ok: false, reason: 'no-consent' };
  if (!proposal || !isPublic(proposal.status)) return { ok: false, reason: 'proposal-not-found' };

  let parentId: number | null = null;
  if (input.parentId !== undefined) {
    if (!parent || parent.proposalId !== input.proposalId || parent.status !== 'published')
      return { ok: false, reason: 'parent-not-found' };
    // A reply to a reply joins the thread of the comment it answers.
    const thread = parent.parent ?? parent;
    if (thread.status !== 'published') return { ok: false, reason: 'parent-not-found' };
    parentId = thread.id;
  }

  const now = deps.now();
  const status = proposal.process.moderationMode === 'post' ? 'published' : 'pending';
  const { comment, caseId } = await deps.db.$transaction(async (tx) => {
    const comment = await tx.comment.create({
      data: {
        proposalId: input.proposalId,
        authorId: input.participantId,
        parentId,
        body: body.value,
        locale: input.locale,
        status,
        createdAt: now,
        publishedAt: status === 'published' ? now : null,
      },
      select: { id: true },
    });
    const caseId = await openCase(tx, {
      item: { kind: 'comment', id: comment.id },
      processId: proposal.processId,
      reason: 'submitted',
      at: now,
    });
    return { comment, caseId };
  });
  await enqueueCase(deps, caseId);
  return { ok: true, comment: { id: comment.id, status, parentId } };
}
