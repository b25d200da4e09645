// The ranking of the process in focus: while voting is open (or before), the ranking so far; once voting has
// closed, the results — each proposal's outcome and official answer — in text and, on channels that show
// images, as a chart whose text alternative is that same text.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { renderResultsChart } from '../../charts/results-chart.ts';
import { getRanking } from '../../domain/get-ranking.ts';
import { getProcess, type ProcessView } from '../../domain/get-process.ts';
import { getResults, type ResultEntry } from '../../domain/get-results.ts';
import { pngAttachment, type OutboundActivity } from '../../engine/types.ts';
import { Flow } from '../ui.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { CHOOSE_PROCESS } from './choose-process-dialog.ts';

export const RANKING = 'ranking';

/** Channels whose clients show an image attachment; the others get the text only. */
const SHOWS_IMAGES = new Set(['webchat', 'directline', 'telegram', 'emulator']);
/** An official answer is quoted up to this many characters in the list. */
const MAX_ANSWER = 300;

export class RankingDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(RANKING);
    this.define(
      (s) => {
        const processId = (s.options as { processId?: number } | undefined)?.processId;
        return processId !== undefined ? s.next(processId) : s.beginDialog(CHOOSE_PROCESS);
      },
      (s) => this.show(s),
    );
  }

  private async show(step: WaterfallStepContext) {
    const processId = step.result as number | undefined;
    if (processId === undefined) return step.endDialog();
    const s = session(step.context);
    const [process, results] = await Promise.all([
      getProcess(this.services.domain, { processId, locale: s.locale }),
      getResults(this.services.domain, { processId, limit: 10 }),
    ]);
    if (process && results?.closed) {
      await this.showResults(step, process, results.entries, results.proposals);
      return step.endDialog();
    }
    const ranking = await getRanking(this.services.domain, { processId, limit: 10 });
    if (!process || ranking.length === 0) {
      await step.context.sendActivity(tr(step.context, 'ranking.empty'));
      return step.endDialog();
    }
    const lines = ranking.map((r) =>
      tr(step.context, 'ranking.line', { position: r.position, id: r.id, title: r.title, count: r.supports }),
    );
    await step.context.sendActivity(
      `${tr(step.context, 'ranking.title', { process: process.title })}\n\n${lines.join('\n')}`,
    );
    return step.endDialog();
  }

  private async showResults(
    step: WaterfallStepContext,
    process: ProcessView,
    entries: ResultEntry[],
    total: number,
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
    if (total > entries.length) lines.push(tr(ctx, 'results.more', { count: total - entries.length }));
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
