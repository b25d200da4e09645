// Which process the participant is talking about: the one in focus, the only one there is, or the one they
// pick. Ends with the process id, or undefined when there is none (after saying so).
// The list shows those open to participation first (list-processes.ts), a page at a time: «Más procesos»
// shows the next page. A process's slug typed (as in its link) picks it from any page.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { listProcesses } from '../../domain/list-processes.ts';
import { getProcess } from '../../domain/get-process.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, buttonTitle, chosen, Flow, MORE_WORDS, vals, type Option } from '../ui.ts';
import { TYPED_PROCESS_SLUG, typedProcessSlug } from './typed-slug.ts';

export const CHOOSE_PROCESS = 'choose-process';

export interface ChooseProcessOptions {
  /** Ask even if a process is already in focus. */
  ask?: boolean;
  slug?: string;
  /** How many processes of the list come before the page shown (a further page after «Más procesos»). */
  offset?: number;
  /** The page asked again after a typed answer that names no process: it says so first. */
  retry?: boolean;
}

/** Processes listed per page; «Más procesos» shows the next ones. */
const PROCESSES_PER_PAGE = 20;

/** The answers that are no process id: the next page, a typed slug. */
const MORE = 'more';
const TYPED = 'typed-slug';

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
    const offset = opts.offset ?? 0;
    // One more than shown, to know whether more follow.
    const listed = await listProcesses(domain, { locale: s.locale, offset, limit: PROCESSES_PER_PAGE + 1 });
    if (listed.length === 0 && offset > 0) {
      // Processes removed since the previous page: the list from its start.
      return step.replaceDialog(CHOOSE_PROCESS, { ask: true } satisfies ChooseProcessOptions);
    }
    if (listed.length === 0) {
      await step.context.sendActivity(tr(step.context, 'processes.none'));
      return step.endDialog(undefined);
    }
    if (listed.length === 1 && offset === 0 && !opts.ask) return step.endDialog(listed[0]!.id);
    const processes = listed.slice(0, PROCESSES_PER_PAGE);
    vals(step)['offset'] = offset;
    const lines = processes.map(
      (p, i) =>
        `${i + 1}. ${p.title} — ${p.phase ? tr(step.context, `phase.${p.phase}`) : tr(step.context, 'phase.none')}`,
    );
    const options: Option[] = processes.map((p) => ({
      value: String(p.id),
      title: buttonTitle(p.title),
      synonyms: [p.slug],
    }));
    if (listed.length > PROCESSES_PER_PAGE)
      options.push({
        value: MORE,
        title: tr(step.context, 'processes.more'),
        synonyms: [...MORE_WORDS, 'más procesos', 'more processes'],
      });
    const question = `${tr(step.context, 'processes.choose')}\n\n${lines.join('\n')}`;
    return askChoice(
      step,
      opts.retry ? `${tr(step.context, 'common.retryChoice')}\n\n${question}` : question,
      options,
      'common.retryChoice',
      { value: TYPED, check: TYPED_PROCESS_SLUG },
    );
  }

  /** A listed process, a further page, or a typed slug (the same page asked again when it names none). */
  private async done(step: WaterfallStepContext) {
    const answer = chosen(step);
    const offset = vals(step)['offset'] as number;
    if (answer === MORE)
      return step.replaceDialog(CHOOSE_PROCESS, {
        ask: true,
        offset: offset + PROCESSES_PER_PAGE,
      } satisfies ChooseProcessOptions);
    if (answer !== TYPED) return step.endDialog(Number(answer));
    const slug = typedProcessSlug(step.context.activity.text ?? '');
    const found = await getProcess(this.services.domain, { slug, locale: session(step.context).locale });
    if (found) return step.endDialog(found.id);
    return step.replaceDialog(CHOOSE_PROCESS, {
      ask: true,
      offset,
      retry: true,
    } satisfies ChooseProcessOptions);
  }
}
