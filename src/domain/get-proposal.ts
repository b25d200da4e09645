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
  supports: number;
  supportedByMe: boolean;
  mine: boolean;
}

export async function getProposal(
  deps: Pick<DomainDeps, 'db'>,
  input: { proposalId: number; participantId?: string; locale: Locale },
): Promise<ProposalView | undefined> {
  if (!isDbId(input.proposalId)) return undefined;
  // Shown on every proposal turn: one query for the proposal, its category, its supports and mine.
  const [p] = await deps.db.$queryRaw<
    {
      id: number;
      processId: number;
      title: string;
      body: string;
      status: ProposalStatus;
      authorId: string | null;
      label: unknown;
      supports: bigint;
      supportedByMe: boolean;
    }[]
  >`
    SELECT p.id, p."processId", p.title, p.body, p.status::text AS status, p."authorId"::text AS "authorId",
      c.label,
      (SELECT count(*) FROM "Support" s WHERE s."proposalId" = p.id) AS supports,
      EXISTS (SELECT 1 FROM "Support" s WHERE s."proposalId" = p.id
        AND s."participantId"::text = ${input.participantId ?? ''}) AS "supportedByMe"
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
    supports: Number(p.supports),
    supportedByMe: p.supportedByMe,
    mine,
  };
}
