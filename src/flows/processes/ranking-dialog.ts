// The current ranking of the process in focus.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getRanking } from '../../domain/get-ranking.ts';
import { getProcess } from '../../domain/get-process.ts';
import { Flow } from '../ui.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { CHOOSE_PROCESS } from './choose-process-dialog.ts';

export const RANKING = 'ranking';

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
    const process = await getProcess(this.services.domain, { processId, locale: s.locale });
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
}
