// A moderation case as the moderators' room shows it: what was written, why it is here, what the automatic
// pre-screen found, and — while open — the buttons to decide; once decided, who decided what (the room's
// message is edited to this). Plain text: channels escape it.
import type { OutboundActivity } from '../../engine/types.ts';
import type { Locale } from '../../domain/deps.ts';
import { REJECTION_REASONS, type RejectionReason } from '../../domain/decide-moderation.ts';
import type { ModerationCaseView } from '../../domain/get-moderation-case.ts';
import type { Finding } from '../../domain/moderation/prescreen-text.ts';
import { REPORT_REASONS, type ReportReason } from '../../domain/report-content.ts';
import { isPublic } from '../../domain/proposal-visibility.ts';
import { t } from '../../i18n/index.ts';

/** The room's buttons carry `case:<id>:<decision>`; channels sign them (postBack values). */
export const caseAction = (caseId: number, decision: string): string => `case:${caseId}:${decision}`;
export const CASE_ACTION = /^case:(\d{1,10}):(approve|reject|redact_approve)$/;

/** Room cards keep the item's text readable and well under Telegram's 4,096 characters. */
const MAX_BODY = 2500;

/** A citizens' report reason in the words they chose it by (report.reasons), the key if unknown. */
function reportReasonText(locale: Locale, reason: string): string {
  return (REPORT_REASONS as readonly string[]).includes(reason)
    ? t(locale, `report.reasons.${reason as ReportReason}`)
    : reason;
}

export function reasonText(locale: Locale, reason: string | null): string {
  if (!reason) return '—';
  return (REJECTION_REASONS as readonly string[]).includes(reason)
    ? t(locale, `moderation.reason.${reason as RejectionReason}`)
    : reason;
}

/** `decided`: the card of a decided case, where nothing is left to redact or publish. */
function findingLines(locale: Locale, findings: Finding[], decided: boolean): string[] {
  const lines: string[] = [];
  const personal = [...new Set(findings.flatMap((f) => (f.kind === 'personal-data' ? [f.what] : [])))];
  if (personal.length > 0)
    lines.push(
      t(locale, decided ? 'moderation.finding.personalDataDecided' : 'moderation.finding.personalData', {
        what: personal.map((w) => t(locale, `moderation.personalData.${w}`)).join(', '),
      }),
    );
  const insults = [...new Set(findings.flatMap((f) => (f.kind === 'insult' ? [f.word] : [])))];
  if (insults.length > 0)
    lines.push(t(locale, 'moderation.finding.insult', { words: insults.map((w) => `«${w}»`).join(', ') }));
  if (findings.some((f) => f.kind === 'shouting')) lines.push(t(locale, 'moderation.finding.shouting'));
  if (findings.some((f) => f.kind === 'repeated-characters'))
    lines.push(t(locale, 'moderation.finding.repeated'));
  const near = findings.find((f) => f.kind === 'near-duplicate');
  if (near)
    lines.push(
      t(locale, 'moderation.finding.nearDuplicate', {
        matches: near.matches.map((m) => `#${m.id} (${Math.round(m.score * 100)} %)`).join(', '),
      }),
    );
  return lines;
}

export function renderCaseCard(view: ModerationCaseView, locale: Locale): OutboundActivity {
  const lines: string[] = [
    t(locale, 'moderation.header', {
      icon: view.reason === 'reported' ? '🚩' : '🆕',
      case: t(locale, 'moderation.case'),
      caseId: view.id,
      kind: t(locale, `moderation.kind.${view.itemKind}`),
      id: view.itemId,
      process: view.processTitle,
    }),
  ];
  if (view.itemKind === 'comment')
    lines.push(t(locale, 'moderation.onComment', { proposalId: view.proposalId }));
  lines.push(
    view.reason === 'reported'
      ? t(locale, 'moderation.reasonReported', {
          count: view.reports.count,
          reasons: Object.entries(view.reports.reasons)
            .map(([r, n]) => `${reportReasonText(locale, r)} ×${n}`)
            .join(', '),
        })
      : t(
          locale,
          view.moderationMode === 'post'
            ? 'moderation.reasonSubmitted_post'
            : // Once decided, the line says how the case came, not a state it is no longer in.
              view.decision
              ? 'moderation.reasonSubmitted_preDecided'
              : 'moderation.reasonSubmitted_pre',
        ),
  );
  const body =
    [...view.body].length > MAX_BODY ? `${[...view.body].slice(0, MAX_BODY).join('')}…` : view.body;
  lines.push('', ...(view.title !== undefined ? [`«${view.title}»`] : []), body, '');
  if (view.findings === null) lines.push(t(locale, 'moderation.notYetScreened'));
  else {
    const found = findingLines(locale, view.findings, view.decision !== null);
    lines.push(
      ...(found.length ? [t(locale, 'moderation.findings'), ...found] : [t(locale, 'moderation.noFindings')]),
    );
  }
  if (view.decision) {
    lines.push(
      '',
      t(locale, `moderation.outcome.${view.decision}`, {
        who: view.decidedBy ?? t(locale, 'moderation.someone'),
        reason: reasonText(locale, view.decisionReason),
      }),
    );
    return { type: 'message', text: lines.join('\n') };
  }
  // Public as it stands (published, selected, not selected: post-moderation, or answered by staff meanwhile).
  const published = isPublic(view.status as Parameters<typeof isPublic>[0]);
  const canRedact = view.findings?.some((f) => f.kind === 'personal-data') ?? false;
  const actions = [
    {
      decision: 'approve',
      title: t(
        locale,
        view.reason === 'reported'
          ? 'moderation.button.restore'
          : published
            ? 'moderation.button.keep'
            : 'moderation.button.approve',
      ),
    },
    {
      decision: 'reject',
      title: t(
        locale,
        published || view.reason === 'reported' ? 'moderation.button.takeDown' : 'moderation.button.reject',
      ),
    },
    ...(canRedact ? [{ decision: 'redact_approve', title: t(locale, 'moderation.button.redact') }] : []),
  ];
  return {
    type: 'message',
    text: lines.join('\n'),
    suggestedActions: {
      to: [],
      actions: actions.map((a) => ({
        type: 'postBack',
        title: a.title,
        value: caseAction(view.id, a.decision),
      })),
    },
  };
}
