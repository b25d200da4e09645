// A citizen reports a published proposal or comment, with a preset reason. One report per person and item.
// When the reports made since the item's last moderation decision reach the process's threshold, the item
// is hidden at once (audited, by `system`; a proposal keeps the public status it had in `hiddenFrom`) and a
// `reported` case sends it back to the moderators. A post-moderated item whose first review is still open
// has that case closed without a decision and replaced by the reported one (reopenAsReported): the room gets
// a new card with the reports, and the first card's buttons, which would decide a review of what is no
// longer shown, stop counting. Reports of one item are serialised on its row, so the threshold is crossed
// exactly once.
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { audit, enqueueCase, reopenAsReported, type ItemRef } from './moderation-cases.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { isPublic } from './proposal-visibility.ts';
import type { ProposalStatus } from '../generated/prisma/enums.ts';

export const REPORT_REASONS = ['insults', 'personal-data', 'spam', 'off-topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export type ReportContentResult =
  | { ok: true; hidden: boolean }
  | { ok: false; reason: 'not-found' | 'already-reported' | 'own-item' | 'invalid-reason' };

type Row = {
  status: string;
  authorId: string | null;
  moderatedAt: Date | null;
  processId: number;
  threshold: number;
};

export async function reportContent(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: { participantId: string; item: ItemRef; reason: string },
): Promise<ReportContentResult> {
  if (!isDbId(input.item.id)) return { ok: false, reason: 'not-found' };
  if (!(REPORT_REASONS as readonly string[]).includes(input.reason))
    return { ok: false, reason: 'invalid-reason' };
  const now = deps.now();
  const isProposal = input.item.kind === 'proposal';
  let caseId: number | undefined;
  let closedCaseId: number | undefined;
  let result: ReportContentResult;
  try {
    result = await deps.db.$transaction(async (tx): Promise<ReportContentResult> => {
      const [row] = isProposal
        ? await tx.$queryRaw<Row[]>`
            SELECT p.status::text AS status, p."authorId"::text AS "authorId", p."moderatedAt",
              p."processId", pr."reportThreshold" AS threshold
            FROM "Proposal" p JOIN "Process" pr ON pr.id = p."processId"
            WHERE p.id = ${input.item.id} FOR UPDATE OF p`
        : await tx.$queryRaw<Row[]>`
            SELECT c.status::text AS status, c."authorId"::text AS "authorId", c."moderatedAt",
              p."processId", pr."reportThreshold" AS threshold
            FROM "Comment" c JOIN "Proposal" p ON p.id = c."proposalId" JOIN "Process" pr ON pr.id = p."processId"
            WHERE c.id = ${input.item.id} FOR UPDATE OF c`;
      const visible =
        row && (isProposal ? isPublic(row.status as ProposalStatus) : row.status === 'published');
      if (!row || !visible) return { ok: false, reason: 'not-found' };
      if (row.authorId === input.participantId) return { ok: false, reason: 'own-item' };
      await tx.contentReport.create({
        data: {
          itemKind: input.item.kind,
          [isProposal ? 'proposalId' : 'commentId']: input.item.id,
          participantId: input.participantId,
          reason: input.reason,
          createdAt: now,
        },
      });
      const since = row.moderatedAt ?? new Date(0);
      const reports = await tx.contentReport.count({
        where: { [isProposal ? 'proposalId' : 'commentId']: input.item.id, createdAt: { gt: since } },
      });
      if (reports < row.threshold) return { ok: true, hidden: false };
      // A proposal remembers which public status it had (published, selected, not_selected): a moderator's
      // approval gives exactly that back (decide-moderation). A comment's only public status is `published`.
      if (isProposal)
        await tx.proposal.update({
          where: { id: input.item.id },
          data: { status: 'hidden', hiddenFrom: row.status as ProposalStatus },
        });
      else await tx.comment.update({ where: { id: input.item.id }, data: { status: 'hidden' } });
      const opened = await reopenAsReported(tx, { item: input.item, processId: row.processId, at: now });
      caseId = opened.caseId;
      closedCaseId = opened.closedCaseId;
      await audit(tx, {
        actor: 'system',
        action: 'moderation.hide',
        target: input.item,
        before: { status: row.status },
        after: {
          status: 'hidden',
          reports,
          ...(closedCaseId === undefined ? {} : { closedCase: closedCaseId }),
        },
        reason: 'report-threshold',
        at: now,
      });
      return { ok: true, hidden: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'already-reported' };
    throw error;
  }
  if (caseId !== undefined) await enqueueCase(deps, caseId);
  if (closedCaseId !== undefined) await enqueueCase(deps, closedCaseId);
  return result;
}
