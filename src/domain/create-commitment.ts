// Staff record what the administration commits to do about selected proposals: title (Spanish, optionally
// English), description, the department responsible, due date, status, progress and evidence, linked to
// `selected` proposals of the same process. Its first dated update is written with it, the creation is
// audited, and the authors, supporters and followers of the linked proposals are told
// (`commitment-changed`, ids only).
//
// A commitment whose Spanish title (trimmed, in any case) is that of another commitment of the process is
// refused as a `duplicate`, naming that one: it is the same request sent twice (a double click, a client's
// retry), and a second one would tell everyone twice. Creations of one process run one after another (a
// lock on its row, see below), so two identical requests at the same moment make one commitment.
import type { CommitmentStatus } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { audit } from './moderation-cases.ts';
import {
  cleanText,
  cleanTexts,
  COMMITMENT_LIMITS,
  commitmentViewSelect,
  commitmentWithTitle,
  mayManageCommitments,
  parseDueDate,
  settleStatusProgress,
  toCommitmentView,
  unselectedProposals,
  type CommitmentTexts,
  type CommitmentView,
} from './commitments.ts';

export interface CreateCommitmentInput {
  staffMemberId: string;
  processId: number;
  title: CommitmentTexts;
  description?: CommitmentTexts;
  department: string;
  /** `YYYY-MM-DD`. */
  dueDate?: string;
  /** Default: planned (or done at progress 100). */
  status?: CommitmentStatus;
  /** 0–100; default 0 (or 100 when done). */
  progress?: number;
  evidence?: string;
  /** A note for its first update (e.g. what was agreed). */
  note?: string;
  proposalIds?: number[];
  sourceIp?: string;
}

export type CreateCommitmentResult =
  | { ok: true; commitment: CommitmentView }
  | { ok: false; reason: 'not-allowed' | 'process-not-found' | 'status-progress-mismatch' }
  | { ok: false; reason: 'invalid'; field: string }
  | { ok: false; reason: 'proposals-not-selected'; proposalIds: number[] }
  /** The process has a commitment of this title already: `id` is that one. */
  | { ok: false; reason: 'duplicate'; id: number };

export async function createCommitment(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: CreateCommitmentInput,
): Promise<CreateCommitmentResult> {
  if (!(await mayManageCommitments(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.processId)) return { ok: false, reason: 'process-not-found' };
  const texts = cleanTexts({ title: input.title, description: input.description });
  if (!texts.ok) return { ok: false, reason: 'invalid', field: texts.field };
  const department = cleanText(input.department, COMMITMENT_LIMITS.department);
  if (!department) return { ok: false, reason: 'invalid', field: 'department' };
  const evidence = cleanText(input.evidence ?? null, COMMITMENT_LIMITS.evidence);
  if (evidence === undefined) return { ok: false, reason: 'invalid', field: 'evidence' };
  const note = cleanText(input.note ?? null, COMMITMENT_LIMITS.note);
  if (note === undefined) return { ok: false, reason: 'invalid', field: 'note' };
  const dueDate = input.dueDate === undefined ? null : parseDueDate(input.dueDate);
  if (dueDate === undefined) return { ok: false, reason: 'invalid', field: 'dueDate' };
  if (
    input.progress !== undefined &&
    !(Number.isInteger(input.progress) && input.progress >= 0 && input.progress <= 100)
  )
    return { ok: false, reason: 'invalid', field: 'progress' };
  const proposalIds = [...new Set(input.proposalIds ?? [])];
  if (proposalIds.length > COMMITMENT_LIMITS.proposals)
    return { ok: false, reason: 'invalid', field: 'proposalIds' };
  const settled = settleStatusProgress(
    { status: 'planned', progress: 0 },
    { status: input.status, progress: input.progress },
  );
  if (!settled) return { ok: false, reason: 'status-progress-mismatch' };
  const now = deps.now();

  const result = await deps.db.$transaction(
    async (tx): Promise<CreateCommitmentResult & { updateId?: number }> => {
      // Serialises the creations of this process's commitments, so the title check below sees any made
      // meanwhile. NO KEY UPDATE: citizens' rows referencing the process (proposals…) are not held up.
      const [process] = await tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM "Process" WHERE id = ${input.processId} FOR NO KEY UPDATE`;
      if (!process) return { ok: false, reason: 'process-not-found' };
      const duplicate = await commitmentWithTitle(tx, input.processId, texts.title!.es);
      if (duplicate !== undefined) return { ok: false, reason: 'duplicate', id: duplicate };
      const refused = await unselectedProposals(tx, input.processId, proposalIds);
      if (refused.length > 0) return { ok: false, reason: 'proposals-not-selected', proposalIds: refused };
      const created = await tx.commitment.create({
        data: {
          processId: input.processId,
          title: { ...texts.title! },
          description: texts.description ? { ...texts.description } : undefined,
          department,
          dueDate,
          status: settled.status,
          progress: settled.progress,
          evidence,
          createdAt: now,
          updatedAt: now,
          proposals: { create: proposalIds.map((proposalId) => ({ proposalId })) },
          updates: {
            create: {
              status: settled.status,
              progress: settled.progress,
              note,
              evidence,
              staffMemberId: input.staffMemberId,
              createdAt: now,
            },
          },
        },
        select: commitmentViewSelect,
      });
      const view = toCommitmentView(created);
      await audit(tx, {
        actor: `staff:${input.staffMemberId}`,
        action: 'commitment.create',
        target: { kind: 'commitment', id: view.id },
        after: {
          processId: view.processId,
          title: view.title,
          department: view.department,
          dueDate: view.dueDate,
          status: view.status,
          progress: view.progress,
          evidence: view.evidence,
          proposalIds: view.proposalIds,
        },
        sourceIp: input.sourceIp,
        at: now,
      });
      return { ok: true, commitment: view, updateId: view.latestUpdate!.id };
    },
  );
  if (!result.ok) return result;
  const { updateId, ...answer } = result;
  if (answer.ok && answer.commitment.proposalIds.length > 0) {
    try {
      await deps.queues.notify({
        kind: 'commitment-changed',
        commitmentId: answer.commitment.id,
        updateId: updateId!,
      });
    } catch (error) {
      deps.logger.error(
        { err: error, commitmentId: answer.commitment.id },
        'commitment notification not enqueued',
      );
    }
  }
  return answer;
}
