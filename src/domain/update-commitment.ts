// Staff follow a commitment up: its status, progress, a note of what happened, evidence, due date,
// department, texts, or the selected proposals it answers. Every accepted change is kept as a dated
// CommitmentUpdate (status, progress, note and evidence at that time) and audited with what it was before;
// a change that changes nothing is refused. When status or progress moved, the authors, supporters and
// followers of its proposals are told (`commitment-changed`, once per update).
//
// Title and description merge per language into the stored ones, as a JSON merge patch (RFC 7386) merges
// objects (localized-text.ts, as processes do): a language given gets that text, `null` removes it, a
// language not named keeps its own; Spanish cannot be removed (`invalid` `title.es` / `description.es`,
// also when a description made of English alone would be left). `description: null` removes it whole. The
// merge reads the stored texts under the commitment's lock.
//
// A new Spanish title that is another commitment's of the process (trimmed, in any case) is refused as a
// `duplicate` naming that one, as create-commitment refuses it: checked under the same lock on the process
// row as creations take, so a creation or another renaming at the same moment is seen. A title kept (in
// any case) is not checked again.
import { Prisma } from '../generated/prisma/client.ts';
import type { CommitmentStatus } from '../generated/prisma/enums.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { cleanTextsPatch, patchTexts, titleKey, type LocalizedPatch } from './localized-text.ts';
import { audit } from './moderation-cases.ts';
import {
  cleanText,
  COMMITMENT_LIMITS,
  commitmentViewSelect,
  commitmentWithTitle,
  formatDueDate,
  mayManageCommitments,
  parseDueDate,
  settleStatusProgress,
  toCommitmentView,
  unselectedProposals,
  type CommitmentTexts,
  type CommitmentView,
} from './commitments.ts';

export interface UpdateCommitmentInput {
  staffMemberId: string;
  commitmentId: number;
  status?: CommitmentStatus;
  progress?: number;
  note?: string;
  /** null clears it. */
  evidence?: string | null;
  /** `YYYY-MM-DD`; null clears it. */
  dueDate?: string | null;
  department?: string;
  /** Merged per language into the stored title: `null` removes a language (never Spanish). */
  title?: LocalizedPatch;
  /** Merged per language into the stored description; null clears it. */
  description?: LocalizedPatch | null;
  /** The proposals it answers, all of them (newly linked ones must be `selected` in its process). */
  proposalIds?: number[];
  sourceIp?: string;
}

export type UpdateCommitmentResult =
  | { ok: true; commitment: CommitmentView }
  | {
      ok: false;
      reason: 'not-allowed' | 'not-found' | 'nothing-to-change' | 'status-progress-mismatch';
    }
  | { ok: false; reason: 'invalid'; field: string }
  | { ok: false; reason: 'proposals-not-selected'; proposalIds: number[] }
  /** The new title is that of another commitment of the process: `id` is that one. */
  | { ok: false; reason: 'duplicate'; id: number };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function updateCommitment(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: UpdateCommitmentInput,
): Promise<UpdateCommitmentResult> {
  if (!(await mayManageCommitments(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.commitmentId)) return { ok: false, reason: 'not-found' };
  const title = input.title && cleanTextsPatch(input.title, COMMITMENT_LIMITS.title);
  if (title && !title.ok) return { ok: false, reason: 'invalid', field: `title.${title.locale}` };
  const description = input.description && cleanTextsPatch(input.description, COMMITMENT_LIMITS.description);
  if (description && !description.ok)
    return { ok: false, reason: 'invalid', field: `description.${description.locale}` };
  const department =
    input.department === undefined ? undefined : cleanText(input.department, COMMITMENT_LIMITS.department);
  if (department === null || (input.department !== undefined && department === undefined))
    return { ok: false, reason: 'invalid', field: 'department' };
  const evidence =
    input.evidence === undefined ? undefined : cleanText(input.evidence, COMMITMENT_LIMITS.evidence);
  if (input.evidence !== undefined && evidence === undefined)
    return { ok: false, reason: 'invalid', field: 'evidence' };
  const note = cleanText(input.note ?? null, COMMITMENT_LIMITS.note);
  if (note === undefined) return { ok: false, reason: 'invalid', field: 'note' };
  const dueDate =
    input.dueDate === undefined || input.dueDate === null ? input.dueDate : parseDueDate(input.dueDate);
  if (input.dueDate !== undefined && input.dueDate !== null && dueDate === undefined)
    return { ok: false, reason: 'invalid', field: 'dueDate' };
  if (
    input.progress !== undefined &&
    !(Number.isInteger(input.progress) && input.progress >= 0 && input.progress <= 100)
  )
    return { ok: false, reason: 'invalid', field: 'progress' };
  const proposalIds = input.proposalIds && [...new Set(input.proposalIds)].sort((a, b) => a - b);
  if (proposalIds && proposalIds.length > COMMITMENT_LIMITS.proposals)
    return { ok: false, reason: 'invalid', field: 'proposalIds' };
  const now = deps.now();

  const result = await deps.db.$transaction(
    async (tx): Promise<UpdateCommitmentResult & { notifyUpdateId?: number }> => {
      const [locked] = await tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM "Commitment" WHERE id = ${input.commitmentId} FOR UPDATE`;
      if (!locked) return { ok: false, reason: 'not-found' };
      const current = await tx.commitment.findUniqueOrThrow({
        where: { id: input.commitmentId },
        select: commitmentViewSelect,
      });
      const before = toCommitmentView(current);
      // The texts as they will be: the patches merged into the stored ones.
      let newTitle: CommitmentTexts | undefined;
      if (title?.ok) {
        const merged = patchTexts(current.title, title.patch);
        if (!merged) return { ok: false, reason: 'invalid', field: 'title.es' };
        newTitle = merged;
      }
      let newDescription: CommitmentTexts | null | undefined = input.description === null ? null : undefined;
      if (description?.ok) {
        const merged = patchTexts(current.description, description.patch);
        if (merged === undefined) return { ok: false, reason: 'invalid', field: 'description.es' };
        newDescription = merged;
      }
      if (newTitle && titleKey(newTitle.es) !== titleKey(before.title.es)) {
        // The lock creations take on the process's row: creations and renamings run one after another.
        await tx.$queryRaw`SELECT id FROM "Process" WHERE id = ${before.processId} FOR NO KEY UPDATE`;
        const duplicate = await commitmentWithTitle(tx, before.processId, newTitle.es, before.id);
        if (duplicate !== undefined) return { ok: false, reason: 'duplicate', id: duplicate };
      }
      const settled = settleStatusProgress(before, { status: input.status, progress: input.progress });
      if (!settled) return { ok: false, reason: 'status-progress-mismatch' };

      // What changes, field by field (only fields given and different).
      const changes: Partial<Record<keyof CommitmentView, unknown>> = {};
      if (settled.status !== before.status) changes.status = settled.status;
      if (settled.progress !== before.progress) changes.progress = settled.progress;
      if (evidence !== undefined && evidence !== before.evidence) changes.evidence = evidence;
      const due = dueDate === undefined ? undefined : formatDueDate(dueDate);
      if (due !== undefined && due !== before.dueDate) changes.dueDate = due;
      if (department !== undefined && department !== before.department) changes.department = department;
      if (newTitle && !same(newTitle, before.title)) changes.title = newTitle;
      if (newDescription !== undefined && !same(newDescription, before.description))
        changes.description = newDescription;
      if (proposalIds && !same(proposalIds, before.proposalIds)) {
        const added = proposalIds.filter((id) => !before.proposalIds.includes(id));
        const refused = await unselectedProposals(tx, before.processId, added);
        if (refused.length > 0) return { ok: false, reason: 'proposals-not-selected', proposalIds: refused };
        changes.proposalIds = proposalIds;
      }
      if (Object.keys(changes).length === 0 && note === null)
        return { ok: false, reason: 'nothing-to-change' };

      if (changes.proposalIds) {
        await tx.commitmentProposal.deleteMany({
          where: { commitmentId: before.id, proposalId: { notIn: proposalIds! } },
        });
        await tx.commitmentProposal.createMany({
          data: proposalIds!.map((proposalId) => ({ commitmentId: before.id, proposalId })),
          skipDuplicates: true,
        });
      }
      const update = await tx.commitmentUpdate.create({
        data: {
          commitmentId: before.id,
          status: settled.status,
          progress: settled.progress,
          note,
          evidence: changes.evidence === undefined ? null : evidence,
          staffMemberId: input.staffMemberId,
          createdAt: now,
        },
        select: { id: true },
      });
      const after = await tx.commitment.update({
        where: { id: before.id },
        data: {
          status: settled.status,
          progress: settled.progress,
          ...(evidence !== undefined ? { evidence } : {}),
          ...(dueDate !== undefined ? { dueDate } : {}),
          ...(department !== undefined ? { department } : {}),
          ...(newTitle ? { title: { ...newTitle } } : {}),
          ...(newDescription !== undefined
            ? { description: newDescription ? { ...newDescription } : Prisma.DbNull }
            : {}),
          updatedAt: now,
        },
        select: commitmentViewSelect,
      });
      const beforeValues = Object.fromEntries(
        Object.keys(changes).map((k) => [k, before[k as keyof CommitmentView]]),
      );
      await audit(tx, {
        actor: `staff:${input.staffMemberId}`,
        action: 'commitment.update',
        target: { kind: 'commitment', id: before.id },
        before: beforeValues,
        after: { ...changes, ...(note ? { note } : {}) },
        sourceIp: input.sourceIp,
        at: now,
      });
      const moved = changes.status !== undefined || changes.progress !== undefined;
      return {
        ok: true,
        commitment: toCommitmentView(after),
        notifyUpdateId: moved ? Number(update.id) : undefined,
      };
    },
  );
  const { notifyUpdateId, ...answer } = result as UpdateCommitmentResult & { notifyUpdateId?: number };
  if (answer.ok && notifyUpdateId !== undefined && answer.commitment.proposalIds.length > 0) {
    try {
      await deps.queues.notify({
        kind: 'commitment-changed',
        commitmentId: answer.commitment.id,
        updateId: notifyUpdateId,
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
