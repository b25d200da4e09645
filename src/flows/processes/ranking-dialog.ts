// The ranking of the process in focus: while voting is open (or before), the ranking so far; once voting has
// closed, the results — each proposal's outcome and official answer — in text and, on channels that show
// images, as a chart whose text alternative is that same text. Ten at a time: when more follow, it says so
// and offers «Ver más» (the next ten, positions counted on: 11–20…) and «Menú»; after the last page the
// dialog ends and the menu comes back.
import { type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { renderResultsChart } from '../../charts/results-chart.ts';
import { getRanking } from '../../domain/get-ranking.ts';
import { getProcess, type ProcessView } from '../../domain/get-process.ts';
import { getResults, type ResultEntry } from '../../domain/get-results.ts';
import { pngAttachment, type OutboundActivity } from '../../engine/types.ts';
import { askChoice, chosen, Flow, MORE_WORDS, vals } from '../ui.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { CHOOSE_PROCESS } from './choose-process-dialog.ts';

export const RANKING = 'ranking';

export interface RankingOptions {
  processId?: number;
  /** How many proposals come before the page shown (a further page after «Ver más»). */
  offset?: number;
}

/** Proposals shown per page. */
const PER_PAGE = 10;
const NEXT = 'next';
const MENU = 'menu';

/** Channels whose clients show an image attachment; the others get the text only. */
const SHOWS_IMAGES = new Set(['webchat', 'directline', 'telegram', 'emulator']);
/** An official answer is quoted up to this many characters in the list. */
const MAX_ANSWER = 300;

export class RankingDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(RANKING);
    this.define(
      (s) => {
        const processId = (s.options as RankingOptions | undefined)?.processId;
        return processId !== undefined ? s.next(processId) : s.beginDialog(CHOOSE_PROCESS);
      },
      (s) => this.show(s),
      (s) => this.next(s),
    );
  }

  private async show(step: WaterfallStepContext) {
    const processId = step.result as number | undefined;
    if (processId === undefined) return step.endDialog();
    const s = session(step.context);
    const offset = (step.options as RankingOptions | undefined)?.offset ?? 0;
    vals(step)['processId'] = processId;
    vals(step)['offset'] = offset;
    const [process, results] = await Promise.all([
      getProcess(this.services.domain, { processId, locale: s.locale }),
      getResults(this.services.domain, { processId, limit: PER_PAGE, offset }),
    ]);
    // A further page that is empty now (proposals gone since the previous one): the first page again.
    const restart = () => step.replaceDialog(RANKING, { processId } satisfies RankingOptions);
    if (process && results?.closed) {
      if (results.entries.length === 0 && offset > 0) return restart();
      await this.showResults(step, process, results.entries);
      const left = results.proposals - offset - results.entries.length;
      return left > 0
        ? this.askMore(step, tr(step.context, 'results.more', { count: left }))
        : step.endDialog();
    }
    // One more than shown, to know whether more follow.
    const ranking = await getRanking(this.services.domain, { processId, limit: PER_PAGE + 1, offset });
    if (ranking.length === 0 && offset > 0) return restart();
    if (!process || ranking.length === 0) {
      await step.context.sendActivity(tr(step.context, 'ranking.empty'));
      return step.endDialog();
    }
    const lines = ranking.slice(0, PER_PAGE).map((r) =>
      tr(step.context, 'ranking.line', {
        position: r.position,
        id: r.id,
        title: r.title,
        count: r.supports,
      }),
    );
    await step.context.sendActivity(
      `${tr(step.context, 'ranking.title', { process: process.title })}\n\n${lines.join('\n')}`,
    );
    return ranking.length > PER_PAGE
      ? this.askMore(step, tr(step.context, 'ranking.more'))
      : step.endDialog();
  }

  /** More follow: «Ver más» (the next page) or «Menú». */
  private askMore(step: WaterfallStepContext, text: string): Promise<DialogTurnResult> {
    return askChoice(step, text, [
      {
        value: NEXT,
        title: tr(step.context, 'ranking.next'),
        synonyms: MORE_WORDS,
      },
      { value: MENU, title: tr(step.context, 'common.backToMenu'), synonyms: ['menú', 'menu', 'volver'] },
    ]);
  }

  private async next(step: WaterfallStepContext) {
    if (chosen(step) !== NEXT) return step.endDialog();
    return step.replaceDialog(RANKING, {
      processId: vals(step)['processId'] as number,
      offset: (vals(step)['offset'] as number) + PER_PAGE,
    } satisfies RankingOptions);
  }

  private async showResults(
    step: WaterfallStepContext,
    process: ProcessView,
    entries: ResultEntry[],
  ): Promise<void> {
    const ctx = step.context;
    if (entries.length === 0) {
      await ctx.sendActivity(tr(ctx, 'results.empty', { process: process.title }));
      return;
    }
    const lines = entries.map((e) => {
      const line = tr(ctx, 'results.line', {
        position: e.position,
        title: e.title,
        count: e.supports,
        outcome: tr(ctx, `results.outcome.${e.outcome}`),
      });
      return e.answer ? `${line}\n${tr(ctx, 'results.answer', { answer: shorten(e.answer) })}` : line;
    });
    const text = `${tr(ctx, 'results.title', { process: process.title })}\n\n${lines.join('\n')}`;
    const reply: Partial<OutboundActivity> = { type: 'message', text };
    if (SHOWS_IMAGES.has(ctx.activity.channelId)) {
      try {
        const chart = await renderResultsChart({
          title: tr(ctx, 'results.chart.title', { process: process.title }),
          axisTitle: tr(ctx, 'results.chart.axis'),
          outcomeLabels: {
            selected: tr(ctx, 'results.chart.selected'),
            not_selected: tr(ctx, 'results.chart.not_selected'),
            undecided: tr(ctx, 'results.chart.undecided'),
          },
          bars: entries,
        });
        reply.attachments = [pngAttachment(chart.png, text)];
      } catch (error) {
        // The text says everything the chart shows: without a chart, people still get the results.
        this.services.domain.logger.warn({ err: error, processId: process.id }, 'results chart failed');
      }
    }
    await ctx.sendActivity(reply);
  }
}

function shorten(text: string): string {
  const chars = [...text.trim()];
  return chars.length <= MAX_ANSWER
    ? text.trim()
    : `${chars
        .slice(0, MAX_ANSWER - 1)
        .join('')
        .trimEnd()}…`;
}
