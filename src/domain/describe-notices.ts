// What a notice says, from the ids it carries: rendered in the recipient's language when delivered (the
// notice itself keeps no text). Notices whose item is gone are left out.
import type { DomainDeps, Locale } from './deps.ts';
import { DEFAULT_LOCALE, toLocale } from './deps.ts';
import { getBroadcastMessage } from './get-broadcast-message.ts';
import { describeEventNotice, isEventNoticeKind, type EventNoticeView } from './describe-event-notice.ts';
import { describeRetentionNotice, type RetentionNoticeView } from './describe-retention-notice.ts';
import { describeDroppedSupports, type DroppedSupportsView } from './describe-dropped-supports.ts';
import { SUPPORTS_DROPPED } from './record-dropped-support-notices.ts';
import { formatDueDate } from './commitments.ts';
import { pickText } from './localized-text.ts';
import type {
  CommitmentStatus,
  ModerationCaseReason,
  ModerationDecision,
  ModerationItemKind,
} from '../generated/prisma/enums.ts';

export type NoticeView =
  | EventNoticeView
  | RetentionNoticeView
  | {
      id: bigint;
      locale: Locale;
      kind: 'moderation-outcome';
      itemKind: ModerationItemKind;
      proposalId: number;
      proposalTitle: string;
      /** Comments: the first words of the comment. */
      excerpt?: string;
      decision: ModerationDecision;
      caseReason: ModerationCaseReason;
      rejectionReason: string | null;
      /**
       * The item was public before the decision (published at once in a post-moderated process, or reported
       * while public): rejecting it took it down, it was not "not published".
       */
      wasPublic: boolean;
      /** The decision showed again an item that reports had hidden (kept, restored). */
      restored: boolean;
    }
  | {
      id: bigint;
      locale: Locale;
      kind: 'comment-published';
      proposalId: number;
      proposalTitle: string;
      excerpt: string;
    }
  | { id: bigint; locale: Locale; kind: 'broadcast'; processTitle: string; text: string }
  /** Linking the accounts dropped supports over a process's limit (record-dropped-support-notices). */
  | { id: bigint; locale: Locale; kind: 'supports-dropped'; dropped: DroppedSupportsView }
  | {
      id: bigint;
      locale: Locale;
      kind: 'proposal-outcome';
      proposalId: number;
      proposalTitle: string;
      /** The recipient wrote it (otherwise they support or follow it). */
      mine: boolean;
      status: string;
      answer: string | null;
    }
  | {
      id: bigint;
      locale: Locale;
      kind: 'commitment-changed';
      commitmentId: number;
      title: string;
      department: string;
      proposalTitle: string;
      /** The recipient wrote the proposal (otherwise they support or follow it). */
      mine: boolean;
      /** The commitment was just made (its first update). */
      created: boolean;
      /** As of the update the notice is about. */
      status: CommitmentStatus;
      progress: number;
      note: string | null;
      /** `YYYY-MM-DD`. */
      dueDate: string | null;
    };

export const excerpt = (text: string, max = 80): string =>
  [...text].length > max
    ? `${[...text]
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
    : text;

export async function describeNotices(
  deps: Pick<DomainDeps, 'db'>,
  input: { noticeIds: bigint[] },
): Promise<NoticeView[]> {
  if (input.noticeIds.length === 0) return [];
  const notices = await deps.db.notice.findMany({
    where: { id: { in: input.noticeIds } },
    orderBy: { id: 'asc' },
    select: { id: true, kind: true, payload: true, participant: { select: { locale: true } } },
  });
  const views: NoticeView[] = [];
  for (const n of notices) {
    const locale = toLocale(n.participant.locale) ?? DEFAULT_LOCALE;
    const payload = n.payload as {
      caseId?: number;
      commentId?: number;
      broadcastId?: number;
      proposalId?: number;
      author?: number;
      commitmentId?: number;
      updateId?: number;
      /** moderation-outcome: the decision showed again an item reports had hidden (record-case-notices). */
      restored?: number;
    };
    if (n.kind === 'commitment-changed' && payload.commitmentId && payload.updateId) {
      const [u, first, proposal] = await Promise.all([
        deps.db.commitmentUpdate.findUnique({
          where: { id: BigInt(payload.updateId) },
          select: {
            status: true,
            progress: true,
            note: true,
            commitment: { select: { id: true, title: true, department: true, dueDate: true } },
          },
        }),
        deps.db.commitmentUpdate.findFirst({
          where: { commitmentId: payload.commitmentId },
          orderBy: { id: 'asc' },
          select: { id: true },
        }),
        payload.proposalId
          ? deps.db.proposal.findUnique({ where: { id: payload.proposalId }, select: { title: true } })
          : null,
      ]);
      if (u && u.commitment.id === payload.commitmentId && proposal)
        views.push({
          id: n.id,
          locale,
          kind: 'commitment-changed',
          commitmentId: u.commitment.id,
          title: pickText(u.commitment.title, locale),
          department: u.commitment.department,
          proposalTitle: proposal.title,
          mine: payload.author === 1,
          created: first?.id === BigInt(payload.updateId),
          status: u.status,
          progress: u.progress,
          note: u.note,
          dueDate: formatDueDate(u.commitment.dueDate),
        });
      continue;
    }
    if (n.kind === SUPPORTS_DROPPED) {
      const d = n.payload as { processId?: number; limit?: number; proposalIds?: number[] };
      const [dropped] =
        d.processId && d.limit && d.proposalIds
          ? await describeDroppedSupports(deps, {
              dropped: [{ processId: d.processId, limit: d.limit, proposalIds: d.proposalIds }],
              locale,
            })
          : [];
      if (dropped) views.push({ id: n.id, locale, kind: 'supports-dropped', dropped });
      continue;
    }
    if (n.kind === 'retention-warning') {
      const view = await describeRetentionNotice(deps, { id: n.id, locale, payload: n.payload });
      if (view) views.push(view);
      continue;
    }
    if (isEventNoticeKind(n.kind)) {
      const view = await describeEventNotice(deps, { id: n.id, locale, kind: n.kind, payload: n.payload });
      if (view) views.push(view);
      continue;
    }
    if (n.kind === 'proposal-outcome' && payload.proposalId) {
      const p = await deps.db.proposal.findUnique({
        where: { id: payload.proposalId },
        select: { id: true, title: true, status: true, answer: true },
      });
      if (p)
        views.push({
          id: n.id,
          locale,
          kind: 'proposal-outcome',
          proposalId: p.id,
          proposalTitle: p.title,
          mine: payload.author === 1,
          status: p.status,
          answer: p.answer,
        });
      continue;
    }
    if (n.kind === 'broadcast' && payload.broadcastId) {
      const message = await getBroadcastMessage(deps, { broadcastId: payload.broadcastId, locale });
      if (message) views.push({ id: n.id, locale, kind: 'broadcast', ...message });
      continue;
    }
    if (n.kind === 'moderation-outcome' && payload.caseId) {
      const c = await deps.db.moderationCase.findUnique({
        where: { id: payload.caseId },
        select: {
          decision: true,
          reason: true,
          itemKind: true,
          decisionReason: true,
          proposal: { select: { id: true, title: true, publishedAt: true } },
          comment: {
            select: { body: true, publishedAt: true, proposal: { select: { id: true, title: true } } },
          },
        },
      });
      const proposal = c?.proposal ?? c?.comment?.proposal;
      if (!c?.decision || !proposal) continue;
      // A rejection keeps `publishedAt` as it was (decide-moderation): set, the item had been public. An
      // approval sets it, so it tells nothing then; only a rejection's wording depends on it.
      const publishedAt = c.proposal ? c.proposal.publishedAt : c.comment!.publishedAt;
      views.push({
        id: n.id,
        locale,
        kind: 'moderation-outcome',
        itemKind: c.itemKind,
        proposalId: proposal.id,
        proposalTitle: proposal.title,
        ...(c.comment ? { excerpt: excerpt(c.comment.body) } : {}),
        decision: c.decision,
        caseReason: c.reason,
        rejectionReason: c.decision === 'reject' ? c.decisionReason : null,
        wasPublic: c.reason === 'reported' || publishedAt !== null,
        restored: c.decision !== 'reject' && (c.reason === 'reported' || payload.restored === 1),
      });
    } else if (n.kind === 'comment-published' && payload.commentId) {
      const comment = await deps.db.comment.findUnique({
        where: { id: payload.commentId },
        select: { body: true, status: true, proposal: { select: { id: true, title: true } } },
      });
      if (!comment || comment.status !== 'published') continue;
      views.push({
        id: n.id,
        locale,
        kind: 'comment-published',
        proposalId: comment.proposal.id,
        proposalTitle: comment.proposal.title,
        excerpt: excerpt(comment.body),
      });
    }
  }
  return views;
}
