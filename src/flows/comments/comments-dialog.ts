// A proposal's comments, a page at a time, oldest first: write one, reply to one or report one by its
// number. Every published comment on the page (replies included) gets a number; the reader's own comments
// waiting for moderation are marked ⏳ instead. Authors are never named: "Participante", or "Tú" for the
// reader's own.
import { ListStyle, type WaterfallStepContext } from 'botbuilder-dialogs';
import { listComments, type CommentItem } from '../../domain/list-comments.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, buttonTitle, chosen, CHOICE, toChoices, vals, type Option, Flow } from '../ui.ts';
import { REPORT, type ReportOptions } from './report-dialog.ts';
import { WRITE_COMMENT, type WriteCommentOptions, type WriteCommentResult } from './write-comment-dialog.ts';

export const COMMENTS = 'comments';

export interface CommentsOptions {
  proposalId: number;
  page?: number;
}

/** `toMenu`: the person asked for the menu; otherwise they go back to the proposal. */
export interface CommentsResult {
  toMenu: boolean;
}

/** A question about one comment shows a button per comment only while they fit (and the "back" one). */
const MAX_BUTTONS = 8;
const LAST_PAGE = 1_000_000;

type Mode = 'write' | 'reply' | 'report';

/** A numbered comment of the page, as kept between turns: its id and the start of its text (for buttons). */
interface Numbered {
  id: number;
  snippet: string;
}

export class CommentsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(COMMENTS);
    this.define(
      (s) => this.show(s),
      (s) => this.act(s),
      (s) => this.picked(s),
      (s) => this.again(s),
    );
  }

  private async show(step: WaterfallStepContext) {
    const ctx = step.context;
    const o = step.options as CommentsOptions;
    const s = session(ctx);
    const page = await listComments(this.services.domain, {
      proposalId: o.proposalId,
      participantId: s.participant?.id,
      page: o.page ?? 1,
    });
    if (!page) {
      await ctx.sendActivity(tr(ctx, 'proposal.notFound'));
      return step.endDialog({ toMenu: false } satisfies CommentsResult);
    }
    // Numbered in reading order: the number is what "reply" and "report" ask for.
    const numbered: Numbered[] = [];
    const author = (c: CommentItem) => tr(ctx, c.mine ? 'comments.you' : 'comments.someone');
    const line = (c: CommentItem, reply: boolean) => {
      if (c.pending)
        return tr(ctx, reply ? 'comments.pendingReplyLine' : 'comments.pendingLine', {
          author: author(c),
          body: c.body,
        });
      numbered.push({ id: c.id, snippet: buttonTitle(c.body.replace(/\s+/g, ' '), 26) });
      return tr(ctx, reply ? 'comments.replyLine' : 'comments.line', {
        n: numbered.length,
        author: author(c),
        body: c.body,
      });
    };
    const lines = page.threads.flatMap((t) => [line(t, false), ...t.replies.map((r) => line(r, true))]);
    vals(step)['page'] = page.page;
    vals(step)['numbered'] = numbered;

    const title = page.proposal.title;
    const empty = page.threads.length === 0;
    const header = empty
      ? tr(ctx, 'comments.none', { title })
      : page.pages > 1
        ? tr(ctx, 'comments.headerPaged', { title, page: page.page, pages: page.pages })
        : tr(ctx, 'comments.header', { title });
    const options: Option[] = [];
    if (page.proposal.public)
      options.push({
        value: 'write',
        title: tr(ctx, 'comments.write'),
        synonyms: ['escribir', 'comentar', 'write', 'comment'],
      });
    if (numbered.length > 0) {
      if (page.proposal.public)
        options.push({
          value: 'reply',
          title: tr(ctx, 'comments.reply'),
          synonyms: ['responder', 'contestar', 'reply', 'answer'],
        });
      options.push({ value: 'report', title: tr(ctx, 'comments.report'), synonyms: ['denunciar', 'report'] });
    }
    if (page.page < page.pages)
      options.push({
        value: 'next',
        title: tr(ctx, 'comments.next'),
        synonyms: ['más', 'mas', 'siguiente', 'more', 'next'],
      });
    if (page.page > 1)
      options.push({ value: 'prev', title: tr(ctx, 'comments.prev'), synonyms: ['anterior', 'previous'] });
    options.push({
      value: 'back',
      title: tr(ctx, 'comments.backToProposal'),
      synonyms: ['volver', 'propuesta', 'back', 'proposal'],
    });
    options.push({ value: 'menu', title: tr(ctx, 'common.backToMenu'), synonyms: ['menú', 'menu'] });
    const question =
      numbered.length > 0
        ? tr(ctx, 'comments.whatNext')
        : tr(ctx, empty && page.proposal.public ? 'comments.whatNextEmpty' : 'common.whatNext');
    const text = empty ? `${header}\n\n${question}` : `${header}\n\n${lines.join('\n')}\n\n${question}`;
    return askChoice(step, text, options);
  }

  private async act(step: WaterfallStepContext) {
    const o = step.options as CommentsOptions;
    const value = chosen(step);
    const page = vals(step)['page'] as number;
    switch (value) {
      case 'write':
        vals(step)['mode'] = 'write' satisfies Mode;
        return step.beginDialog(WRITE_COMMENT, { proposalId: o.proposalId } satisfies WriteCommentOptions);
      case 'reply':
      case 'report':
        vals(step)['mode'] = value satisfies Mode;
        return this.askWhich(step, value);
      case 'next':
        return step.replaceDialog(COMMENTS, { proposalId: o.proposalId, page: page + 1 });
      case 'prev':
        return step.replaceDialog(COMMENTS, { proposalId: o.proposalId, page: page - 1 });
      case 'back':
        return step.endDialog({ toMenu: false } satisfies CommentsResult);
      default:
        return step.endDialog({ toMenu: true } satisfies CommentsResult);
    }
  }

  /**
   * Which comment? Each numbered comment is an option at its own position, so typing its number picks it.
   * With more than fit as buttons, none is shown and the question says to type the number.
   */
  private askWhich(step: WaterfallStepContext, mode: 'reply' | 'report') {
    const ctx = step.context;
    const numbered = vals(step)['numbered'] as Numbered[];
    const seen = new Set<string>();
    const options: Option[] = numbered.map((c, i) => {
      let title = tr(ctx, 'comments.quoted', { text: c.snippet });
      if (seen.has(title)) title = `${title} (${i + 1})`;
      seen.add(title);
      return { value: String(i + 1), title };
    });
    options.push({ value: 'back', title: tr(ctx, 'comments.back'), synonyms: ['volver', 'back'] });
    const fits = options.length <= MAX_BUTTONS;
    const question = tr(ctx, mode === 'reply' ? 'comments.pickReply' : 'comments.pickReport');
    const prompt = fits
      ? question
      : `${question}\n${tr(ctx, 'comments.pickTyped', { max: numbered.length })}`;
    return step.prompt(CHOICE, {
      prompt,
      retryPrompt: `${tr(ctx, 'comments.noSuchNumber')}\n\n${prompt}`,
      choices: toChoices(options),
      style: fits ? ListStyle.suggestedAction : ListStyle.none,
    });
  }

  private async picked(step: WaterfallStepContext) {
    const o = step.options as CommentsOptions;
    const page = vals(step)['page'] as number;
    const mode = vals(step)['mode'] as Mode;
    if (mode === 'write') {
      // A new comment goes last: show the last page, where it is.
      const sent = (step.result as WriteCommentResult | undefined)?.sent;
      const again = sent && sent.parentId === null ? LAST_PAGE : page;
      return step.replaceDialog(COMMENTS, { proposalId: o.proposalId, page: again });
    }
    const value = chosen(step);
    if (value === 'back') return step.replaceDialog(COMMENTS, { proposalId: o.proposalId, page });
    const n = Number(value);
    const comment = (vals(step)['numbered'] as Numbered[])[n - 1]!;
    if (mode === 'reply')
      return step.beginDialog(WRITE_COMMENT, {
        proposalId: o.proposalId,
        parentId: comment.id,
        n,
      } satisfies WriteCommentOptions);
    return step.beginDialog(REPORT, { item: { kind: 'comment', id: comment.id }, n } satisfies ReportOptions);
  }

  private async again(step: WaterfallStepContext) {
    const o = step.options as CommentsOptions;
    return step.replaceDialog(COMMENTS, { proposalId: o.proposalId, page: vals(step)['page'] as number });
  }
}
