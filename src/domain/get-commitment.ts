// One commitment with its dated history (oldest first) and the proposals it answers (id, title, status).
import type { ProposalStatus } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import {
  commitmentUpdateSelect,
  commitmentViewSelect,
  toCommitmentView,
  toUpdateView,
  type CommitmentUpdateView,
  type CommitmentView,
} from './commitments.ts';

export interface CommitmentDetail extends CommitmentView {
  history: CommitmentUpdateView[];
  proposals: { id: number; title: string; status: ProposalStatus }[];
}

export async function getCommitment(
  deps: Pick<DomainDeps, 'db'>,
  input: { commitmentId: number },
): Promise<CommitmentDetail | undefined> {
  if (!isDbId(input.commitmentId)) return undefined;
  const c = await deps.db.commitment.findUnique({
    where: { id: input.commitmentId },
    select: commitmentViewSelect,
  });
  if (!c) return undefined;
  const [history, proposals] = await Promise.all([
    deps.db.commitmentUpdate.findMany({
      where: { commitmentId: c.id },
      orderBy: { id: 'asc' },
      select: commitmentUpdateSelect,
    }),
    deps.db.proposal.findMany({
      where: { commitments: { some: { commitmentId: c.id } } },
      orderBy: { id: 'asc' },
      select: { id: true, title: true, status: true },
    }),
  ]);
  return { ...toCommitmentView(c), history: history.map(toUpdateView), proposals };
}
