// "¿Qué pasó con mi propuesta?": the participant's own proposals, newest first, each with its status, the
// administration's official answer and the commitments that answer it (status, progress, due date).
import type { CommitmentStatus, ProposalStatus } from '../generated/prisma/enums.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { formatDueDate } from './commitments.ts';
import { pickText } from './localized-text.ts';

export interface MyProposalOutcome {
  id: number;
  title: string;
  processTitle: string;
  status: ProposalStatus;
  /** Why moderation did not publish it (a reason code, or the moderator's words), if rejected. */
  rejectionReason: string | null;
  /** Rejected after it had been public (post-moderation, or reports): taken down, not "not published". */
  takenDown: boolean;
  answer: string | null;
  answeredAt: Date | null;
  commitments: {
    id: number;
    title: string;
    department: string;
    status: CommitmentStatus;
    progress: number;
    /** `YYYY-MM-DD`. */
    dueDate: string | null;
  }[];
}

/** The most proposals listed (a participant rarely has more; the newest come first). */
export const MAX_OUTCOMES = 100;

export async function findMyProposalsOutcome(
  deps: Pick<DomainDeps, 'db'>,
  input: { participantId: string; locale: Locale },
): Promise<MyProposalOutcome[]> {
  const rows = await deps.db.proposal.findMany({
    where: { authorId: input.participantId },
    orderBy: { id: 'desc' },
    take: MAX_OUTCOMES,
    select: {
      id: true,
      title: true,
      status: true,
      rejectionReason: true,
      publishedAt: true,
      answer: true,
      answeredAt: true,
      process: { select: { title: true } },
      commitments: {
        orderBy: { commitmentId: 'asc' },
        select: {
          commitment: {
            select: { id: true, title: true, department: true, status: true, progress: true, dueDate: true },
          },
        },
      },
    },
  });
  return rows.map((p) => ({
    id: p.id,
    title: p.title,
    processTitle: pickText(p.process.title, input.locale),
    status: p.status,
    rejectionReason: p.status === 'rejected' ? p.rejectionReason : null,
    // A rejection keeps `publishedAt` as it was (decide-moderation).
    takenDown: p.status === 'rejected' && p.publishedAt !== null,
    answer: p.answer,
    answeredAt: p.answeredAt,
    commitments: p.commitments.map(({ commitment: c }) => ({
      id: c.id,
      title: pickText(c.title, input.locale),
      department: c.department,
      status: c.status,
      progress: c.progress,
      dueDate: formatDueDate(c.dueDate),
    })),
  }));
}
