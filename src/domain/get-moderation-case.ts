// One moderation case as moderators see it (the room card, the admin API): the item's text, its author's
// language (never their identity), the pre-screen findings, reports counted since the item's last decision,
// and the decision if any.
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';
import type { Finding } from './moderation/prescreen-text.ts';
import type {
  ModerationCaseReason,
  ModerationDecision,
  ModerationItemKind,
  ModerationMode,
} from '../generated/prisma/enums.ts';

export interface ModerationCaseView {
  id: number;
  itemKind: ModerationItemKind;
  itemId: number;
  /** For a comment: the proposal it belongs to. */
  proposalId: number;
  processId: number;
  processTitle: string;
  moderationMode: ModerationMode;
  reason: ModerationCaseReason;
  /** The item's current status (pending, published, hidden, rejected…). */
  status: string;
  /** Proposals only. */
  title?: string;
  body: string;
  findings: Finding[] | null;
  reports: { count: number; reasons: Record<string, number> };
  openedAt: Date;
  /** When Telegram took its card for the moderators' room. */
  announcedAt: Date | null;
  decidedAt: Date | null;
  decision: ModerationDecision | null;
  decisionReason: string | null;
  decidedBy: string | null;
}

export async function getModerationCase(
  deps: Pick<DomainDeps, 'db'>,
  input: { caseId: number; locale?: Locale },
): Promise<ModerationCaseView | undefined> {
  if (!isDbId(input.caseId)) return undefined;
  const c = await deps.db.moderationCase.findUnique({
    where: { id: input.caseId },
    include: {
      decidedBy: { select: { name: true } },
      proposal: { include: { process: { select: { title: true, moderationMode: true } } } },
      comment: {
        include: { proposal: { select: { process: { select: { title: true, moderationMode: true } } } } },
      },
    },
  });
  if (!c) return undefined;
  const item = c.proposal ?? c.comment;
  if (!item) return undefined;
  const process = c.proposal?.process ?? c.comment!.proposal.process;
  const since = item.moderatedAt && item.moderatedAt < c.openedAt ? item.moderatedAt : undefined;
  const reports = await deps.db.contentReport.groupBy({
    by: ['reason'],
    where: {
      [c.proposal ? 'proposalId' : 'commentId']: item.id,
      ...(since ? { createdAt: { gt: since } } : {}),
    },
    _count: { _all: true },
  });
  return {
    id: c.id,
    itemKind: c.itemKind,
    itemId: item.id,
    proposalId: c.proposal?.id ?? c.comment!.proposalId,
    processId: c.processId,
    processTitle: pickText(process.title, input.locale ?? 'es'),
    moderationMode: process.moderationMode,
    reason: c.reason,
    status: item.status,
    ...(c.proposal ? { title: c.proposal.title } : {}),
    body: item.body,
    findings: (c.findings as Finding[] | null) ?? null,
    reports: {
      count: reports.reduce((n, r) => n + r._count._all, 0),
      reasons: Object.fromEntries(reports.map((r) => [r.reason, r._count._all])),
    },
    openedAt: c.openedAt,
    announcedAt: c.announcedAt,
    decidedAt: c.decidedAt,
    decision: c.decision,
    decisionReason: c.decisionReason,
    decidedBy: c.decidedBy?.name ?? null,
  };
}
