// One proposal: its text, category and supports, and — while voting is open — support it or take the
// support back; read and write its comments, follow them (its author and supporters), report it (anyone
// but its author). Every outcome of the domain gets its own clear answer. In a binding process an unverified
// participant who asks to support is told why and asked for their code (verify-dialog); once verified, the
// support they asked for is given.
import type { TurnContext } from 'botbuilder';
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { followProposal } from '../../domain/follow-proposal.ts';
import { getProposal } from '../../domain/get-proposal.ts';
import { isPublic } from '../../domain/proposal-visibility.ts';
import { supportProposal, type SupportProposalResult } from '../../domain/support-proposal.ts';
import { unfollowProposal } from '../../domain/unfollow-proposal.ts';
import { withdrawSupport } from '../../domain/withdraw-support.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, vals, type Option, Flow } from '../ui.ts';
import { COMMENTS, type CommentsOptions, type CommentsResult } from '../comments/comments-dialog.ts';
import { REPORT, type ReportOptions, type ReportResult } from '../comments/report-dialog.ts';
import { VERIFY, type VerifyOptions, type VerifyResult } from './verify-dialog.ts';

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
      (s) => this.afterChild(s),
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
    vals(step)['processId'] = p.processId;
    const status =
      p.status === 'published'
        ? ''
        : `\n${tr(step.context, p.takenDown ? 'proposalStatus.takenDown' : `proposalStatus.${p.status}`)}`;
    await step.context.sendActivity(
      `#${p.id} ${p.title}\n${tr(step.context, 'proposal.category', { category: p.category })}${status}\n\n${p.body}\n\n` +
        `${tr(step.context, 'proposal.supports', { count: p.supports })}` +
        (p.supportedByMe ? `\n${tr(step.context, 'proposal.youSupport')}` : '') +
        (p.followedByMe ? `\n${tr(step.context, 'follow.following')}` : ''),
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
    const open = isPublic(p.status);
    if (open)
      options.push({
        value: 'comments',
        title: tr(step.context, 'comments.open', { count: p.comments }),
        synonyms: ['comentarios', 'comentar', 'comments', 'comment'],
      });
    if (p.followedByMe)
      options.push({
        value: 'unfollow',
        title: tr(step.context, 'follow.unfollow'),
        synonyms: ['dejar de seguir', 'unfollow', 'stop following'],
      });
    else if (open && p.canFollow)
      options.push({
        value: 'follow',
        title: tr(step.context, 'follow.follow'),
        synonyms: ['seguir', 'follow'],
      });
    if (open && !p.mine)
      options.push({
        value: 'report',
        title: tr(step.context, 'report.proposal'),
        synonyms: ['denunciar', 'report'],
      });
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
        await answerSupport(ctx, r);
        if (!r.ok && r.reason === 'verification-required')
          return step.beginDialog(VERIFY, {
            // (A dialog begun before processId was kept in its values has the profile's.)
            processId: (vals(step)['processId'] as number | undefined) ?? session(ctx).profile.processId ?? 0,
          } satisfies VerifyOptions);
        return step.replaceDialog(PROPOSAL, { proposalId });
      }
      case 'withdraw': {
        const r = await withdrawSupport(domain, { participantId: participantId(ctx), proposalId });
        await ctx.sendActivity(r.ok ? tr(ctx, 'support.withdrawn') : tr(ctx, `support.${r.reason}`));
        return step.replaceDialog(PROPOSAL, { proposalId });
      }
      case 'comments':
        return step.beginDialog(COMMENTS, { proposalId } satisfies CommentsOptions);
      case 'follow': {
        const r = await followProposal(domain, { participantId: participantId(ctx), proposalId });
        if (r.ok) await ctx.sendActivity(tr(ctx, r.alreadyFollowing ? 'follow.already' : 'follow.done'));
        else await ctx.sendActivity(tr(ctx, `follow.${r.reason}`));
        return step.replaceDialog(PROPOSAL, { proposalId });
      }
      case 'unfollow': {
        const r = await unfollowProposal(domain, { participantId: participantId(ctx), proposalId });
        await ctx.sendActivity(tr(ctx, r.wasFollowing ? 'follow.stopped' : 'follow.notFollowing'));
        return step.replaceDialog(PROPOSAL, { proposalId });
      }
      case 'report':
        return step.beginDialog(REPORT, {
          item: { kind: 'proposal', id: proposalId },
        } satisfies ReportOptions);
      case 'back':
        return step.endDialog({ backToList: true });
      default:
        return step.endDialog({ backToList: false });
    }
  }

  /**
   * Back from the comments, a report or verifying: the proposal again, unless they asked for the menu or it
   * is gone; once verified, the support they asked for first.
   */
  private async afterChild(step: WaterfallStepContext) {
    const { proposalId } = step.options as ProposalOptions;
    const result = step.result as
      (Partial<CommentsResult> & ReportResult & Partial<VerifyResult>) | undefined;
    if (result?.toMenu) return step.endDialog({ backToList: false });
    if (result?.hidden) return step.endDialog({ backToList: true });
    if (result?.verified) {
      const ctx = step.context;
      const r = await supportProposal(this.services.domain, {
        participantId: participantId(ctx),
        proposalId,
      });
      await answerSupport(ctx, r);
    }
    return step.replaceDialog(PROPOSAL, { proposalId });
  }
}

/** What a support came to, in words (in a binding process, unverified: why a code is needed). */
async function answerSupport(ctx: TurnContext, r: SupportProposalResult): Promise<void> {
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
}
