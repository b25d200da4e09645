// "¿Qué pasó con mi propuesta?": the participant's own proposals, newest first, a few at a time, each with
// its status, the administration's answer and the commitments made about it (status, progress, due date).
// A proposal still waiting for moderation can be withdrawn from here, after a confirmation
// (withdraw-proposal: it is then never published).
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { findMyProposalsOutcome, type MyProposalOutcome } from '../../domain/find-my-proposals-outcome.ts';
import type { Locale } from '../../domain/deps.ts';
import { t } from '../../i18n/index.ts';
import { commitmentStatusText, dueDateText } from '../notices/commitment-text.ts';
import { reasonText } from '../moderation/case-card.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { withdrawProposal } from '../../domain/withdraw-proposal.ts';
import { askChoice, askYesNo, buttonTitle, chosen, isYes, vals, type Option, Flow } from '../ui.ts';

export const MY_PROPOSALS = 'my-proposals';

/** Proposals per page: each takes several lines. */
export const MY_PROPOSALS_PAGE_SIZE = 3;

export class MyProposalsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(MY_PROPOSALS);
    this.define(
      (s) => this.show(s),
      (s) => this.act(s),
      (s) => this.withdraw(s),
    );
  }

  private async show(step: WaterfallStepContext) {
    const ctx = step.context;
    const locale = session(ctx).locale;
    const all = await findMyProposalsOutcome(this.services.domain, {
      participantId: participantId(ctx),
      locale,
    });
    if (all.length === 0) {
      await ctx.sendActivity(tr(ctx, 'outcomes.none'));
      return step.endDialog();
    }
    const pages = Math.ceil(all.length / MY_PROPOSALS_PAGE_SIZE);
    const asked = (step.options as { page?: number } | undefined)?.page ?? 1;
    const page = Math.min(Math.max(1, asked), pages);
    vals(step)['page'] = page;
    const from = (page - 1) * MY_PROPOSALS_PAGE_SIZE;
    const items = all.slice(from, from + MY_PROPOSALS_PAGE_SIZE);
    const text = [
      tr(ctx, 'outcomes.header', { from: from + 1, to: from + items.length, total: all.length }),
      ...items.map((p, i) => outcomeText(locale, from + i + 1, p)),
    ].join('\n\n');
    // Pending ones on this page: a button each to withdraw it (`withdraw:<id>`, the title kept for the question).
    const pending = items.filter((p) => p.status === 'pending');
    vals(step)['pending'] = Object.fromEntries(pending.map((p) => [p.id, p.title]));
    if (pages === 1 && pending.length === 0) {
      await ctx.sendActivity(text);
      return step.endDialog();
    }
    const options: Option[] = pending.map((p) => ({
      value: `withdraw:${p.id}`,
      title: tr(ctx, 'outcomes.withdraw', { title: buttonTitle(p.title, 28) }),
    }));
    if (page < pages)
      options.push({
        value: 'next',
        title: tr(ctx, 'outcomes.next'),
        synonyms: ['siguiente', 'más', 'next', 'more'],
      });
    if (page > 1)
      options.push({
        value: 'prev',
        title: tr(ctx, 'outcomes.prev'),
        synonyms: ['anterior', 'previous'],
      });
    options.push({
      value: 'menu',
      title: tr(ctx, 'common.backToMenu'),
      synonyms: ['menú', 'menu', 'volver', 'back'],
    });
    return askChoice(step, text, options);
  }

  private async act(step: WaterfallStepContext) {
    const page = vals(step)['page'] as number;
    const choice = chosen(step);
    if (choice === 'next') return step.replaceDialog(MY_PROPOSALS, { page: page + 1 });
    if (choice === 'prev') return step.replaceDialog(MY_PROPOSALS, { page: page - 1 });
    if (choice.startsWith('withdraw:')) {
      const id = Number(choice.slice('withdraw:'.length));
      const title = (vals(step)['pending'] as Record<string, string>)[id];
      vals(step)['withdrawing'] = id;
      return askYesNo(step, tr(step.context, 'outcomes.withdrawConfirm', { title }));
    }
    return step.endDialog();
  }

  private async withdraw(step: WaterfallStepContext) {
    const ctx = step.context;
    const page = vals(step)['page'] as number;
    if (!isYes(step)) {
      await ctx.sendActivity(tr(ctx, 'outcomes.withdrawKept'));
      return step.replaceDialog(MY_PROPOSALS, { page });
    }
    const r = await withdrawProposal(this.services.domain, {
      participantId: participantId(ctx),
      proposalId: vals(step)['withdrawing'] as number,
    });
    // Decided meanwhile (or gone): the list, shown again, says what it is now.
    await ctx.sendActivity(
      r.ok ? tr(ctx, 'outcomes.withdrawn', { title: r.title }) : tr(ctx, 'outcomes.withdrawTooLate'),
    );
    return r.ok ? step.endDialog() : step.replaceDialog(MY_PROPOSALS, { page });
  }
}

function outcomeText(locale: Locale, n: number, p: MyProposalOutcome): string {
  const lines = [
    t(locale, 'outcomes.item', { n, title: p.title, process: p.processTitle }),
    t(locale, 'outcomes.status', {
      status: t(locale, p.takenDown ? 'outcomes.statuses.takenDown' : `outcomes.statuses.${p.status}`),
    }),
  ];
  // The reason the notice gave when it was not published, here too (not everyone keeps notices).
  if (p.rejectionReason)
    lines.push(t(locale, 'outcomes.reason', { reason: reasonText(locale, p.rejectionReason) }));
  if (p.answer) lines.push(t(locale, 'outcomes.answer', { answer: p.answer }));
  if (p.commitments.length > 0) {
    lines.push(t(locale, 'outcomes.commitments'));
    for (const c of p.commitments) {
      const vars = { title: c.title, status: commitmentStatusText(locale, c.status), progress: c.progress };
      lines.push(
        c.dueDate
          ? t(locale, 'outcomes.commitmentDue', { ...vars, date: dueDateText(locale, c.dueDate) })
          : t(locale, 'outcomes.commitment', vars),
      );
    }
  } else if (p.status === 'selected') lines.push(t(locale, 'outcomes.noCommitments'));
  return lines.join('\n');
}
