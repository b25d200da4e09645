// One proposal as the participant may see it: public ones for everyone, their own in any status.
import type { ProposalStatus } from '../generated/prisma/enums.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';
import { isPublic } from './proposal-visibility.ts';

export interface ProposalView {
  id: number;
  processId: number;
  title: string;
  body: string;
  category: string;
  status: ProposalStatus;
  /** Rejected after it had been public (post-moderation, or reports): taken down, not "not published". */
  takenDown: boolean;
  supports: number;
  supportedByMe: boolean;
  /** The reader wrote it. */
  mine: boolean;
  /** Published comments anyone can read (replies included; not those of a thread that is not public). */
  comments: number;
  /** The reader follows its comments. */
  followedByMe: boolean;
  /** The reader may follow its comments: its author and its supporters may (follow-proposal.ts). */
  canFollow: boolean;
}

export async function getProposal(
  deps: Pick<DomainDeps, 'db'>,
  input: { proposalId: number; participantId?: string; locale: Locale },
): Promise<ProposalView | undefined> {
  if (!isDbId(input.proposalId)) return undefined;
  // Shown on every proposal turn: one query for the proposal, its category, its supports, its comments and
  // what the reader has to do with it.
  const [p] = await deps.db.$queryRaw<
    {
      id: number;
      processId: number;
      title: string;
      body: string;
      status: ProposalStatus;
      publishedAt: Date | null;
      authorId: string | null;
      label: unknown;
      supports: bigint;
      supportedByMe: boolean;
      comments: bigint;
      followedByMe: boolean;
    }[]
  >`
    SELECT p.id, p."processId", p.title, p.body, p.status::text AS status, p."publishedAt",
      p."authorId"::text AS "authorId",
      c.label,
      (SELECT count(*) FROM "Support" s WHERE s."proposalId" = p.id) AS supports,
      EXISTS (SELECT 1 FROM "Support" s WHERE s."proposalId" = p.id
        AND s."participantId"::text = ${input.participantId ?? ''}) AS "supportedByMe",
      (SELECT count(*) FROM "Comment" k LEFT JOIN "Comment" t ON t.id = k."parentId"
        WHERE k."proposalId" = p.id AND k.status = 'published'
          AND (k."parentId" IS NULL OR t.status = 'published')) AS comments,
      EXISTS (SELECT 1 FROM "ProposalFollow" f WHERE f."proposalId" = p.id
        AND f."participantId"::text = ${input.participantId ?? ''}) AS "followedByMe"
    FROM "Proposal" p JOIN "Category" c ON c.id = p."categoryId"
    WHERE p.id = ${input.proposalId}`;
  if (!p) return undefined;
  const mine = input.participantId !== undefined && p.authorId === input.participantId;
  if (!isPublic(p.status) && !mine) return undefined;
  return {
    id: p.id,
    processId: p.processId,
    title: p.title,
    body: p.body,
    category: pickText(p.label, input.locale),
    status: p.status,
    // A rejection keeps `publishedAt` as it was (decide-moderation).
    takenDown: p.status === 'rejected' && p.publishedAt !== null,
    supports: Number(p.supports),
    supportedByMe: p.supportedByMe,
    mine,
    comments: Number(p.comments),
    followedByMe: p.followedByMe,
    canFollow: mine || p.supportedByMe,
  };
}
