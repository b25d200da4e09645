// Writing a comment on a proposal, or a reply to one of its comments: the text (checked as it is typed),
// a preview to send, change or discard, then what happens next (published now, or after moderation).
import type { TurnContext } from 'botbuilder';
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { COMMENT_MAX, COMMENT_MIN, checkCommentBody, submitComment } from '../../domain/submit-comment.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askChoice, askText, chosen, registerTextCheck, Flow } from '../ui.ts';

export const WRITE_COMMENT = 'write-comment';

export interface WriteCommentOptions {
  proposalId: number;
  /** Replying: the comment answered and its number on the page the person was reading. */
  parentId?: number;
  n?: number;
  body?: string;
}

/** `sent`: the comment was stored (a top-level one or a reply). */
export interface WriteCommentResult {
  sent?: { id: number; status: 'pending' | 'published'; parentId: number | null };
}

export class WriteCommentDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(WRITE_COMMENT);
    this.define(
      (s) => this.askBody(s),
      (s) => this.preview(s),
      (s) => this.act(s),
    );
  }

  private async askBody(step: WaterfallStepContext) {
    const o = step.options as WriteCommentOptions;
    const vars = { min: COMMENT_MIN, max: COMMENT_MAX, n: o.n ?? '' };
    return askText(
      step,
      tr(step.context, o.parentId === undefined ? 'comments.askBody' : 'comments.askReply', vars),
      BODY_CHECK,
    );
  }

  private async preview(step: WaterfallStepContext) {
    const o = step.options as WriteCommentOptions;
    const body = checkCommentBody(step.result as string);
    o.body = body.ok ? body.value : (step.result as string);
    const title =
      o.parentId === undefined
        ? tr(step.context, 'comments.preview')
        : tr(step.context, 'comments.previewReply', { n: o.n ?? '' });
    await step.context.sendActivity(`${title}\n\n${o.body}`);
    return askChoice(step, tr(step.context, 'comments.confirm'), [
      {
        value: 'send',
        title: tr(step.context, 'comments.send'),
        synonyms: ['enviar', 'send', 'sí', 'si', 'yes', 'ok', 'publicar'],
      },
      { value: 'edit', title: tr(step.context, 'comments.edit'), synonyms: ['cambiar', 'editar', 'edit'] },
      { value: 'discard', title: tr(step.context, 'comments.discard'), synonyms: ['descartar', 'discard'] },
    ]);
  }

  private async act(step: WaterfallStepContext) {
    const o = step.options as WriteCommentOptions;
    const ctx = step.context;
    switch (chosen(step)) {
      case 'edit':
        return step.replaceDialog(WRITE_COMMENT, { ...o, body: undefined } satisfies WriteCommentOptions);
      case 'discard':
        await ctx.sendActivity(tr(ctx, 'comments.discarded'));
        return step.endDialog({} satisfies WriteCommentResult);
    }
    const r = await submitComment(this.services.domain, {
      participantId: participantId(ctx),
      proposalId: o.proposalId,
      parentId: o.parentId,
      body: o.body ?? '',
      locale: session(ctx).locale,
    });
    if (!r.ok) {
      await ctx.sendActivity(tr(ctx, `comments.rejected.${r.reason}`));
      return step.endDialog({} satisfies WriteCommentResult);
    }
    await ctx.sendActivity(
      tr(ctx, r.comment.status === 'pending' ? 'comments.sentPending' : 'comments.sentPublished'),
    );
    return step.endDialog({ sent: r.comment } satisfies WriteCommentResult);
  }
}

function explainLength(ctx: TurnContext, text: string): string | undefined {
  const check = checkCommentBody(text);
  if (check.ok) return undefined;
  return tr(ctx, check.reason === 'too-short' ? 'comments.tooShort' : 'comments.tooLong', {
    min: COMMENT_MIN,
    max: COMMENT_MAX,
    length: check.length,
  });
}

const BODY_CHECK = registerTextCheck('comment-body', explainLength);
