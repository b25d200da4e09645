// Reporting a proposal or a comment: a reason from the preset list (as buttons), a confirmation, then an
// answer for every outcome (thanks; hidden now; already reported; your own; no longer there).
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { REPORT_REASONS, reportContent, type ReportReason } from '../../domain/report-content.ts';
import type { ItemRef } from '../../domain/moderation-cases.ts';
import { participantId, tr, type FlowServices } from '../session.ts';
import { askChoice, askYesNo, chosen, isYes, vals, Flow } from '../ui.ts';

export const REPORT = 'report';

export interface ReportOptions {
  item: ItemRef;
  /** The comment's number on the page the person is reading (comments only). */
  n?: number;
}

/** `hidden`: the report took the item out of public view. */
export interface ReportResult {
  hidden?: boolean;
}

const SYNONYMS: Record<ReportReason, string[]> = {
  insults: ['insultos', 'insultos o faltas de respeto', 'insults', 'insulto', 'falta de respeto'],
  'personal-data': ['datos personales', 'datos', 'personal data'],
  spam: ['spam', 'publicidad', 'advertising'],
  'off-topic': ['no trata del tema', 'fuera de tema', 'off topic', 'off-topic'],
  other: ['otro', 'otro motivo', 'other', 'something else'],
};

export class ReportDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(REPORT);
    this.define(
      (s) => this.askReason(s),
      (s) => this.confirm(s),
      (s) => this.send(s),
    );
  }

  private what(step: WaterfallStepContext): string {
    const o = step.options as ReportOptions;
    return o.item.kind === 'proposal'
      ? tr(step.context, 'report.what.proposal')
      : tr(step.context, 'report.what.comment', { n: o.n ?? '' });
  }

  private async askReason(step: WaterfallStepContext) {
    return askChoice(step, tr(step.context, 'report.askReason', { what: this.what(step) }), [
      ...REPORT_REASONS.map((reason) => ({
        value: reason,
        title: tr(step.context, `report.reasons.${reason}`),
        synonyms: SYNONYMS[reason],
      })),
      {
        value: 'cancel',
        title: tr(step.context, 'report.cancel'),
        synonyms: ['volver', 'back', 'no denunciar'],
      },
    ]);
  }

  private async confirm(step: WaterfallStepContext) {
    const reason = chosen(step);
    if (reason === 'cancel') {
      await step.context.sendActivity(tr(step.context, 'report.cancelled'));
      return step.endDialog({} satisfies ReportResult);
    }
    vals(step)['reason'] = reason;
    return askYesNo(
      step,
      tr(step.context, 'report.confirm', {
        what: this.what(step),
        reason: tr(step.context, `report.reasons.${reason as ReportReason}`),
      }),
    );
  }

  private async send(step: WaterfallStepContext) {
    const ctx = step.context;
    if (!isYes(step)) {
      await ctx.sendActivity(tr(ctx, 'report.cancelled'));
      return step.endDialog({} satisfies ReportResult);
    }
    const { item } = step.options as ReportOptions;
    const r = await reportContent(this.services.domain, {
      participantId: participantId(ctx),
      item,
      reason: vals(step)['reason'] as string,
    });
    const what = this.what(step);
    if (r.ok) {
      await ctx.sendActivity(tr(ctx, r.hidden ? 'report.hidden' : 'report.done', { what }));
      return step.endDialog({ hidden: r.hidden } satisfies ReportResult);
    }
    await ctx.sendActivity(tr(ctx, `report.${r.reason}`, { what }));
    return step.endDialog({} satisfies ReportResult);
  }
}
