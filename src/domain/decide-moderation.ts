// A moderator decides a moderation case: approve, reject (with a reason) or redact-and-approve (personal
// data replaced by labels). The first decision wins: the case is closed by one conditional UPDATE, so two
// moderators deciding at once make exactly one decision and the other learns who made it. Approving never
// demotes: a proposal that is public (published, selected, not_selected: staff may have answered it while a
// post-moderation case was open) keeps its status, one hidden by reports gets back the status it had then
// (`hiddenFrom`, set by report-content), anything else is published. The item's row is locked first (as
// report-content and answer-proposal lock it), so its status cannot change between that choice and the
// write. The item's new status and the decision are audited (before/after) in the same transaction; the
// `notifications` job that edits the moderators' room card and tells the author is enqueued after commit.
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { audit, type ItemRef } from './moderation-cases.ts';
import { prescreenText, redactAll } from './moderation/prescreen-text.ts';
import { isPublic } from './proposal-visibility.ts';
import type { CommentStatus, ModerationDecision, ProposalStatus } from '../generated/prisma/enums.ts';

export type DecideModerationInput = {
  caseId: number;
  staffMemberId: string;
  decision: ModerationDecision;
  /** Required to reject: a preset key (REJECTION_REASONS) or the moderator's own words. */
  reason?: string;
  sourceIp?: string;
};

export type DecideModerationResult =
  | { ok: true; caseId: number; decision: ModerationDecision; item: ItemRef; status: string }
  | { ok: false; reason: 'not-found' | 'not-allowed' | 'reason-required' | 'nothing-to-redact' }
  | {
      ok: false;
      reason: 'already-decided';
      /** The deciding staff member's name, and id (to tell someone their own decision from a namesake's). */
      decidedBy: string | null;
      decidedById: string | null;
      decision: ModerationDecision | null;
    };

/** Preset rejection reasons, shown as buttons to moderators and translated for authors. */
export const REJECTION_REASONS = ['personal-data', 'insults', 'duplicate', 'off-topic', 'spam'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
export const MAX_REASON_LENGTH = 500;

const DECIDERS = new Set(['admin', 'staff', 'moderator']);

/** The item as it is under its row lock. Comments have no `hiddenFrom`: their one public status is `published`. */
type LockedItem = { status: string; hiddenFrom: string | null; publishedAt: Date | null };

/** What approving makes of an item: it keeps a public status, gets back the one reports hid, or is published. */
function approvedStatus(item: LockedItem): string {
  if (item.status === 'hidden' && item.hiddenFrom) return item.hiddenFrom;
  if (isPublic(item.status as ProposalStatus)) return item.status;
  return 'published';
}

export async function decideModeration(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: DecideModerationInput,
): Promise<DecideModerationResult> {
  if (!isDbId(input.caseId)) return { ok: false, reason: 'not-found' };
  // Cut in characters as people count them (code points), never through the middle of an emoji.
  const reason = [...(input.reason?.trim() ?? '')].slice(0, MAX_REASON_LENGTH).join('') || undefined;
  if (input.decision === 'reject' && !reason) return { ok: false, reason: 'reason-required' };
  const now = deps.now();

  // Read before the transaction (Prisma loads relations with parallel queries, which a transaction's one
  // connection can only queue); the conditional UPDATE inside it is what decides.
  const db = deps.db;
  const staff = await db.staffMember.findUnique({
    where: { id: input.staffMemberId },
    select: { role: true, disabledAt: true },
  });
  if (!staff || staff.disabledAt || !DECIDERS.has(staff.role)) return { ok: false, reason: 'not-allowed' };
  const found = await db.moderationCase.findUnique({
    where: { id: input.caseId },
    select: {
      decidedAt: true,
      decision: true,
      decidedById: true,
      decidedBy: { select: { name: true } },
      itemKind: true,
      proposal: { select: { id: true, title: true, body: true } },
      comment: { select: { id: true, body: true } },
    },
  });
  if (!found) return { ok: false, reason: 'not-found' };
  if (found.decidedAt)
    return {
      ok: false,
      reason: 'already-decided',
      decidedBy: found.decidedBy?.name ?? null,
      decidedById: found.decidedById,
      decision: found.decision,
    };
  const item = found.proposal ?? found.comment;
  if (!item) return { ok: false, reason: 'not-found' };
  const ref: ItemRef = { kind: found.itemKind, id: item.id };
  const texts = found.proposal
    ? { title: found.proposal.title, body: found.proposal.body }
    : { body: found.comment!.body };
  let redacted: typeof texts | undefined;
  if (input.decision === 'redact_approve') {
    redacted = Object.fromEntries(
      Object.entries(texts).map(([k, v]) => [k, redactAll(v, prescreenText({ text: v }))]),
    ) as typeof texts;
    if (Object.entries(texts).every(([k, v]) => redacted![k as keyof typeof texts] === v))
      return { ok: false, reason: 'nothing-to-redact' };
  }

  const result = await deps.db.$transaction(async (tx): Promise<DecideModerationResult> => {
    // The item's row first: a report hiding it or staff answering it waits until this decision commits (and
    // this one waits for theirs), so the status chosen below is the one it has when written.
    const [current] = found.proposal
      ? await tx.$queryRaw<LockedItem[]>`
          SELECT status::text AS status, "hiddenFrom"::text AS "hiddenFrom", "publishedAt"
          FROM "Proposal" WHERE id = ${item.id} FOR UPDATE`
      : await tx.$queryRaw<LockedItem[]>`
          SELECT status::text AS status, NULL::text AS "hiddenFrom", "publishedAt"
          FROM "Comment" WHERE id = ${item.id} FOR UPDATE`;
    if (!current) return { ok: false, reason: 'not-found' };
    // The arbiter: only one UPDATE can close an open case.
    const closed = await tx.$executeRaw`
      UPDATE "ModerationCase"
      SET "decidedAt" = ${now}, "decidedById" = ${input.staffMemberId}::uuid,
          decision = ${input.decision}::"ModerationDecision", "decisionReason" = ${reason ?? null}
      WHERE id = ${input.caseId} AND "decidedAt" IS NULL`;
    if (closed === 0) {
      const [winner] = await tx.$queryRaw<
        { decision: ModerationDecision | null; name: string | null; id: string | null }[]
      >`
        SELECT c.decision::text AS decision, s.name, c."decidedById"::text AS id FROM "ModerationCase" c
        LEFT JOIN "StaffMember" s ON s.id = c."decidedById" WHERE c.id = ${input.caseId}`;
      // Gone meanwhile, not decided: its author withdrew the proposal or erased their data.
      if (!winner) return { ok: false, reason: 'not-found' };
      return {
        ok: false,
        reason: 'already-decided',
        decidedBy: winner?.name ?? null,
        decidedById: winner?.id ?? null,
        decision: winner?.decision ?? null,
      };
    }

    const status = input.decision === 'reject' ? 'rejected' : approvedStatus(current);
    const change = {
      moderatedAt: now,
      rejectionReason: status === 'rejected' ? reason : null,
      publishedAt: status === 'rejected' ? current.publishedAt : (current.publishedAt ?? now),
      ...redacted,
    };
    if (found.proposal)
      await tx.proposal.update({
        where: { id: item.id },
        data: { ...change, status: status as ProposalStatus, hiddenFrom: null },
      });
    else
      await tx.comment.update({
        where: { id: item.id },
        data: { ...change, status: status as CommentStatus },
      });
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: `moderation.${input.decision}`,
      target: ref,
      before: { status: current.status, ...(redacted ? texts : {}) },
      after: { status, ...redacted },
      reason,
      sourceIp: input.sourceIp,
      at: now,
    });
    return { ok: true, caseId: input.caseId, decision: input.decision, item: ref, status };
  });

  if (result.ok) {
    try {
      await deps.queues.notify({ kind: 'case-decided', caseId: input.caseId });
    } catch (error) {
      // The worker re-enqueues decided cases that were never settled when it starts.
      deps.logger.error(
        { err: error, caseId: input.caseId },
        'notification enqueue failed; left for requeue',
      );
    }
  }
  return result;
}
