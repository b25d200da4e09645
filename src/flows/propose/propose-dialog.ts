// Submitting a proposal: title, text and category, then a preview to send, edit a part, or cancel.
// The draft travels in the dialog's options, so editing one part keeps the others; it is also kept in the
// conversation's profile (`draft`) until it is sent or discarded, so leaving the flow midway («menú», a
// command) loses nothing: «Hacer una propuesta» in the same process goes on from what was written.
import type { TurnContext } from 'botbuilder';
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getProcess, type ProcessView } from '../../domain/get-process.ts';
import { submitProposal, type SubmitProposalResult } from '../../domain/submit-proposal.ts';
import {
  BODY_MAX,
  BODY_MIN,
  TITLE_MAX,
  TITLE_MIN,
  checkBody,
  checkTitle,
} from '../../domain/proposal-rules.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askChoice, askText, buttonTitle, chosen, registerTextCheck, vals, Flow } from '../ui.ts';
import { CHOOSE_PROCESS } from '../processes/choose-process-dialog.ts';

export const PROPOSE = 'propose';

interface Draft {
  title?: string;
  body?: string;
  categoryId?: number;
}

type SubmitRefusal = Extract<SubmitProposalResult, { ok: false }>['reason'];

interface ProposeOptions {
  processId?: number;
  draft?: Draft;
}

export class ProposeDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(PROPOSE);
    this.define(
      (s) => {
        const o = (s.options ?? {}) as ProposeOptions;
        return o.processId !== undefined ? s.next(o.processId) : s.beginDialog(CHOOSE_PROCESS);
      },
      (s) => this.askTitle(s),
      (s) => this.askBody(s),
      (s) => this.askCategory(s),
      (s) => this.preview(s),
      (s) => this.act(s),
    );
  }

  private draft(step: WaterfallStepContext): Draft {
    const o = step.options as ProposeOptions;
    o.draft ??= {};
    return o.draft;
  }

  /** Keeps the draft as written so far in the profile (see Profile.draft). */
  private keep(step: WaterfallStepContext): void {
    const processId = vals(step)['processId'] as number;
    session(step.context).profile.draft = { processId, ...this.draft(step) };
  }

  private async process(step: WaterfallStepContext): Promise<ProcessView | undefined> {
    const processId = vals(step)['processId'] as number;
    return getProcess(this.services.domain, { processId, locale: session(step.context).locale });
  }

  private async askTitle(step: WaterfallStepContext) {
    const processId = step.result as number | undefined;
    if (processId === undefined) return step.endDialog();
    vals(step)['processId'] = processId;
    (step.options as ProposeOptions).processId = processId;
    session(step.context).profile.processId = processId;
    const process = await this.process(step);
    if (!process) return step.endDialog();
    if (!process.acceptsProposals) {
      await step.context.sendActivity(
        tr(step.context, 'propose.closed', {
          process: process.title,
          phase: process.currentPhase
            ? tr(step.context, `phase.${process.currentPhase}`)
            : tr(step.context, 'phase.none'),
        }),
      );
      return step.endDialog();
    }
    const o = step.options as ProposeOptions;
    const kept = session(step.context).profile.draft;
    if (o.draft === undefined && kept?.processId === processId && (kept.title ?? kept.body) !== undefined) {
      // Left midway before: go on from it (the preview still offers to change or discard it).
      o.draft = { title: kept.title, body: kept.body, categoryId: kept.categoryId };
      await step.context.sendActivity(
        tr(step.context, 'propose.resumed', { title: kept.title ?? tr(step.context, 'propose.untitled') }),
      );
    }
    const draft = this.draft(step);
    if (draft.title !== undefined) return step.next(draft.title);
    if (draft.body === undefined) {
      await step.context.sendActivity(tr(step.context, 'propose.intro', { process: process.title }));
    }
    return askText(
      step,
      tr(step.context, 'propose.askTitle', { min: TITLE_MIN, max: TITLE_MAX }),
      TITLE_CHECK,
    );
  }

  private async askBody(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const title = checkTitle(step.result as string);
    if (title.ok) draft.title = title.value;
    this.keep(step);
    if (draft.body !== undefined) return step.next(draft.body);
    return askText(step, tr(step.context, 'propose.askBody', { min: BODY_MIN, max: BODY_MAX }), BODY_CHECK);
  }

  private async askCategory(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const body = checkBody(step.result as string);
    if (body.ok) draft.body = body.value;
    this.keep(step);
    const process = await this.process(step);
    if (!process) return step.endDialog();
    if (draft.categoryId !== undefined && process.categories.some((c) => c.id === draft.categoryId)) {
      return step.next({ value: String(draft.categoryId) });
    }
    return askChoice(
      step,
      tr(step.context, 'propose.askCategory'),
      process.categories.map((c) => ({
        value: String(c.id),
        title: buttonTitle(c.label),
        synonyms: [c.key],
      })),
    );
  }

  private async preview(step: WaterfallStepContext) {
    const draft = this.draft(step);
    draft.categoryId = Number(chosen(step));
    this.keep(step);
    const process = await this.process(step);
    const category = process?.categories.find((c) => c.id === draft.categoryId)?.label ?? '';
    await step.context.sendActivity(
      `${tr(step.context, 'propose.preview')}\n\n${draft.title}\n${tr(step.context, 'proposal.category', { category })}\n\n${draft.body}`,
    );
    return askChoice(step, tr(step.context, 'propose.confirm'), [
      {
        value: 'send',
        title: tr(step.context, 'propose.send'),
        synonyms: ['enviar', 'send', 'sí', 'si', 'yes', 'ok'],
      },
      { value: 'title', title: tr(step.context, 'propose.editTitle') },
      { value: 'body', title: tr(step.context, 'propose.editBody') },
      { value: 'category', title: tr(step.context, 'propose.editCategory') },
      { value: 'discard', title: tr(step.context, 'propose.discard'), synonyms: ['descartar', 'discard'] },
    ]);
  }

  private async act(step: WaterfallStepContext) {
    const draft = this.draft(step);
    const processId = vals(step)['processId'] as number;
    const answer = chosen(step);
    if (answer === 'title' || answer === 'body' || answer === 'category') {
      const edited: Draft = { ...draft };
      if (answer === 'title') delete edited.title;
      if (answer === 'body') delete edited.body;
      if (answer === 'category') delete edited.categoryId;
      return step.replaceDialog(PROPOSE, { processId, draft: edited } satisfies ProposeOptions);
    }
    if (answer === 'discard') {
      delete session(step.context).profile.draft;
      await step.context.sendActivity(tr(step.context, 'propose.discarded'));
      return step.endDialog();
    }
    const result = await submitProposal(this.services.domain, {
      participantId: participantId(step.context),
      processId,
      title: draft.title ?? '',
      body: draft.body ?? '',
      categoryId: draft.categoryId ?? 0,
      locale: session(step.context).locale,
    });
    if (!result.ok) {
      // Refused for one answer the person can give again (the category was removed meanwhile, the length
      // rules changed): say why and ask that question again, the rest of the draft kept.
      const redo = REDO[result.reason];
      if (redo !== undefined) {
        await step.context.sendActivity(tr(step.context, `propose.rejected.${result.reason}`));
        const edited: Draft = { ...draft };
        delete edited[redo];
        return step.replaceDialog(PROPOSE, { processId, draft: edited } satisfies ProposeOptions);
      }
    }
    // Sent, or refused for good (the phase closed, the process is gone): no draft to go on from.
    delete session(step.context).profile.draft;
    if (result.ok) {
      await step.context.sendActivity(
        tr(
          step.context,
          result.proposal.status === 'pending' ? 'propose.sentPending' : 'propose.sentPublished',
          {
            id: result.proposal.id,
          },
        ),
      );
    } else {
      await step.context.sendActivity(tr(step.context, `propose.rejected.${result.reason}`));
    }
    return step.endDialog();
  }
}

/** Refusals fixed by answering one question again: the part of the draft that question fills. */
const REDO: Partial<Record<SubmitRefusal, keyof Draft>> = {
  'invalid-category': 'categoryId',
  'title-too-short': 'title',
  'title-too-long': 'title',
  'body-too-short': 'body',
  'body-too-long': 'body',
};

function explainLength(
  ctx: TurnContext,
  check: ReturnType<typeof checkTitle>,
  what: 'title' | 'body',
): string | undefined {
  if (check.ok) return undefined;
  const [min, max] = what === 'title' ? [TITLE_MIN, TITLE_MAX] : [BODY_MIN, BODY_MAX];
  return tr(ctx, `propose.${what}.${check.reason === 'too-short' ? 'tooShort' : 'tooLong'}`, {
    min,
    max,
    length: check.length,
  });
}

const TITLE_CHECK = registerTextCheck('proposal-title', (ctx, text) =>
  explainLength(ctx, checkTitle(text), 'title'),
);
const BODY_CHECK = registerTextCheck('proposal-body', (ctx, text) =>
  explainLength(ctx, checkBody(text), 'body'),
);
