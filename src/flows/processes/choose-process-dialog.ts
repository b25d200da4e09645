// Which process the participant is talking about: the one in focus, the only one there is, or the one they
// pick. Ends with the process id, or undefined when there is none (after saying so).
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { listProcesses } from '../../domain/list-processes.ts';
import { getProcess } from '../../domain/get-process.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, buttonTitle, chosen, Flow } from '../ui.ts';

export const CHOOSE_PROCESS = 'choose-process';

export interface ChooseProcessOptions {
  /** Ask even if a process is already in focus. */
  ask?: boolean;
  slug?: string;
}

export class ChooseProcessDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(CHOOSE_PROCESS);
    this.define(
      (s) => this.ask(s),
      (s) => this.done(s),
    );
  }

  private async ask(step: WaterfallStepContext) {
    const s = session(step.context);
    let opts = (step.options ?? {}) as ChooseProcessOptions;
    const domain = this.services.domain;
    if (opts.slug) {
      const bySlug = await getProcess(domain, { slug: opts.slug, locale: s.locale });
      if (bySlug) return step.endDialog(bySlug.id);
      await step.context.sendActivity(tr(step.context, 'processes.notFound'));
      // Not some other process silently in its place: the person picks, even when there is one.
      opts = { ...opts, ask: true };
    }
    if (!opts.ask && s.profile.processId !== undefined) {
      const inFocus = await getProcess(domain, { processId: s.profile.processId, locale: s.locale });
      if (inFocus) return step.endDialog(inFocus.id);
    }
    const processes = await listProcesses(domain, { locale: s.locale });
    if (processes.length === 0) {
      await step.context.sendActivity(tr(step.context, 'processes.none'));
      return step.endDialog(undefined);
    }
    if (processes.length === 1 && !opts.ask) return step.endDialog(processes[0]!.id);
    const lines = processes.map(
      (p, i) =>
        `${i + 1}. ${p.title} — ${p.phase ? tr(step.context, `phase.${p.phase}`) : tr(step.context, 'phase.none')}`,
    );
    return askChoice(
      step,
      `${tr(step.context, 'processes.choose')}\n\n${lines.join('\n')}`,
      processes.map((p) => ({ value: String(p.id), title: buttonTitle(p.title), synonyms: [p.slug] })),
    );
  }

  private async done(step: WaterfallStepContext) {
    return step.endDialog(Number(chosen(step)));
  }
}
