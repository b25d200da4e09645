// A proposal's comments as one participant may read them: the published ones, oldest first, a page of
// top-level comments at a time, each with its published replies; plus the reader's own comments waiting for
// moderation, marked as pending (nobody else sees them). Rejected and hidden comments are never listed, nor
// the replies of a thread whose first comment is not public. Authors stay anonymous: a comment only says
// whether it is the reader's own.
import type { CommentStatus } from '../generated/prisma/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { isPublic } from './proposal-visibility.ts';

export interface CommentItem {
  id: number;
  body: string;
  /** Written by the reader. */
  mine: boolean;
  /** Waiting for moderation: only its author sees it. */
  pending: boolean;
  /** When it was published (when it was written, while pending). */
  at: Date;
}

export interface CommentThread extends CommentItem {
  replies: CommentItem[];
}

export interface CommentPage {
  proposal: { id: number; title: string; public: boolean };
  threads: CommentThread[];
  page: number;
  pages: number;
  /** Top-level comments the reader sees (their own pending ones included): what the pages divide. */
  totalThreads: number;
  /** Published comments anyone can read, replies included (the count shown on the proposal). */
  published: number;
}

export const COMMENTS_PAGE_SIZE = 5;

export async function listComments(
  deps: Pick<DomainDeps, 'db'>,
  input: { proposalId: number; participantId?: string; page: number; pageSize?: number },
): Promise<CommentPage | undefined> {
  if (!isDbId(input.proposalId)) return undefined;
  const pageSize = input.pageSize ?? COMMENTS_PAGE_SIZE;
  const proposal = await deps.db.proposal.findUnique({
    where: { id: input.proposalId },
    select: { id: true, title: true, status: true, authorId: true },
  });
  const mineProposal = input.participantId !== undefined && proposal?.authorId === input.participantId;
  if (!proposal || (!isPublic(proposal.status) && !mineProposal)) return undefined;

  const viewer = input.participantId;
  const visible: Prisma.CommentWhereInput = viewer
    ? { OR: [{ status: 'published' }, { status: 'pending', authorId: viewer }] }
    : { status: 'published' };
  const threadsWhere: Prisma.CommentWhereInput = { proposalId: proposal.id, parentId: null, ...visible };
  const [totalThreads, published] = await Promise.all([
    deps.db.comment.count({ where: threadsWhere }),
    deps.db.comment.count({ where: publishedCommentsOf(proposal.id) }),
  ]);
  const pages = Math.max(1, Math.ceil(totalThreads / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(input.page) || 1), pages);
  const select = { id: true, body: true, authorId: true, status: true, createdAt: true, publishedAt: true };
  const order: Prisma.CommentOrderByWithRelationInput[] = [{ createdAt: 'asc' }, { id: 'asc' }];
  const rows =
    totalThreads === 0
      ? []
      : await deps.db.comment.findMany({
          where: threadsWhere,
          orderBy: order,
          skip: (page - 1) * pageSize,
          take: pageSize,
          select: {
            ...select,
            // Replies only under a published comment: a pending thread has none yet.
            replies: { where: { ...visible, parent: { status: 'published' } }, orderBy: order, select },
          },
        });

  const item = (c: {
    id: number;
    body: string;
    authorId: string | null;
    status: CommentStatus;
    createdAt: Date;
    publishedAt: Date | null;
  }): CommentItem => ({
    id: c.id,
    body: c.body,
    mine: viewer !== undefined && c.authorId === viewer,
    pending: c.status === 'pending',
    at: c.publishedAt ?? c.createdAt,
  });
  return {
    proposal: { id: proposal.id, title: proposal.title, public: isPublic(proposal.status) },
    threads: rows.map((r) => ({ ...item(r), replies: r.replies.map(item) })),
    page,
    pages,
    totalThreads,
    published,
  };
}

/** Published comments anyone can read: top-level ones, and replies in a published thread. */
function publishedCommentsOf(proposalId: number): Prisma.CommentWhereInput {
  return {
    proposalId,
    status: 'published',
    OR: [{ parentId: null }, { parent: { status: 'published' } }],
  };
}
