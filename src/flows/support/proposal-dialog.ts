// One proposal: its text, category and supports, and — while voting is open — support it or take the
// support back. Every outcome of the domain gets its own clear answer.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getProposal } from '../../domain/get-proposal.ts';
import { supportProposal } from '../../domain/support-proposal.ts';
import { withdrawSupport } from '../../domain/withdraw-support.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, type Option, Flow } from '../ui.ts';

export const PROPOSAL = 'proposal';

export interface ProposalOptions {
  proposalId: number;
}

export class ProposalDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(PROPOSAL);
    this.define(
      (s) => this.show(s),
      (s) => this.act(s),
    );
  }

  private async show(step: WaterfallStepContext) {
    const { proposalId } = step.options as ProposalOptions;
    const s = session(step.context);
    const domain = this.services.domain;
    const p = await getProposal(domain, { proposalId, participantId: s.participant?.id, locale: s.locale });
    if (!p) {
      await step.context.sendActivity(tr(step.context, 'proposal.notFound'));
      return step.endDialog({ backToList: true });
    }
    s.profile.processId = p.processId;
    const status = p.status === 'published' ? '' : `\n${tr(step.context, `proposalStatus.${p.status}`)}`;
    await step.context.sendActivity(
      `#${p.id} ${p.title}\n${tr(step.context, 'proposal.category', { category: p.category })}${status}\n\n${p.body}\n\n` +
        `${tr(step.context, 'proposal.supports', { count: p.supports })}` +
        (p.supportedByMe ? `\n${tr(step.context, 'proposal.youSupport')}` : ''),
    );
    const options: Option[] = [];
    // Offered in every phase: outside voting the answer explains when supports are accepted.
    if (p.status === 'published') {
      options.push(
        p.supportedByMe
          ? {
              value: 'withdraw',
              title: tr(step.context, 'proposal.withdraw'),
              synonyms: ['retirar', 'withdraw'],
            }
          : {
              value: 'support',
              title: tr(step.context, 'proposal.support'),
              synonyms: ['apoyar', 'apoyo', 'support', 'votar', 'vote'],
            },
      );
    }
    options.push({
      value: 'back',
      title: tr(step.context, 'proposal.backToList'),
      synonyms: ['volver', 'back', 'lista'],
    });
    options.push({ value: 'menu', title: tr(step.context, 'common.backToMenu'), synonyms: ['menú', 'menu'] });
    return askChoice(step, tr(step.context, 'common.whatNext'), options);
  }

  private async act(step: WaterfallStepContext) {
    const { proposalId } = step.options as ProposalOptions;
    const domain = this.services.domain;
    const ctx = step.context;
    switch (chosen(step)) {
      case 'support': {
        const r = await supportProposal(domain, { participantId: participantId(ctx), proposalId });
        if (r.ok)
          await ctx.sendActivity(
            tr(ctx, 'support.done', {
              used: r.used,
              limit: r.limit,
              left: r.limit - r.used,
              count: r.limit - r.used,
            }),
          );
        else if (r.reason === 'limit-reached')
          await ctx.sendActivity(tr(ctx, 'support.limitReached', { count: r.limit }));
        else await ctx.sendActivity(tr(ctx, `support.${r.reason}`));
        return step.replaceDialog(PROPOSAL, { proposalId });
      }
      case 'withdraw': {
        const r = await withdrawSupport(domain, { participantId: participantId(ctx), proposalId });
        await ctx.sendActivity(r.ok ? tr(ctx, 'support.withdrawn') : tr(ctx, `support.${r.reason}`));
        return step.replaceDialog(PROPOSAL, { proposalId });
      }
      case 'back':
        return step.endDialog({ backToList: true });
      default:
        return step.endDialog({ backToList: false });
    }
  }
}
