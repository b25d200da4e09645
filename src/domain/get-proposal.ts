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
  const p = await deps.db.proposal.findUnique({
    where: { id: input.proposalId },
    select: {
      id: true,
      processId: true,
      title: true,
      body: true,
      status: true,
      authorId: true,
      category: { select: { label: true } },
      _count: { select: { supports: true } },
      // The participant's own support, if any (an empty filter matches nobody when there is no participant).
      supports: {
        where: { participantId: input.participantId ?? '00000000-0000-0000-0000-000000000000' },
        select: { id: true },
      },
    },
  });
  if (!p) return undefined;
  const mine = input.participantId !== undefined && p.authorId === input.participantId;
  if (!isPublic(p.status) && !mine) return undefined;
  const supportedByMe = input.participantId !== undefined && p.supports.length > 0;
  return {
    id: p.id,
    processId: p.processId,
    title: p.title,
    body: p.body,
    category: pickText(p.category.label, input.locale),
    status: p.status,
    supports: p._count.supports,
    supportedByMe,
    mine,
  };
}
