// A process as citizens read about it: what it is, its phases with the current one, and what can be done now.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { getProcess } from '../../domain/get-process.ts';
import { listSubscriptions } from '../../domain/list-subscriptions.ts';
import { listEvents } from '../../domain/list-events.ts';
import { countCommitments } from '../../domain/count-commitments.ts';
import { formatLastDay } from '../../i18n/last-day.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, chosen, formatDate, type Option, Flow } from '../ui.ts';
import { beginProcessAction } from './process-actions.ts';
import { CHOOSE_PROCESS, type ChooseProcessOptions } from './choose-process-dialog.ts';

export const PROCESSES = 'processes';

export interface ProcessesOptions {
  slug?: string;
}

export class ProcessesDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(PROCESSES);
    this.define(
      (s) => this.choose(s),
      (s) => this.show(s),
      (s) => this.act(s),
      (s) => s.endDialog(),
    );
  }

  private async choose(step: WaterfallStepContext) {
    const opts = (step.options ?? {}) as ProcessesOptions;
    return step.beginDialog(CHOOSE_PROCESS, {
      ask: !opts.slug,
      slug: opts.slug,
    } satisfies ChooseProcessOptions);
  }

  private async show(step: WaterfallStepContext) {
    const processId = step.result as number | undefined;
    if (processId === undefined) return step.endDialog();
    const s = session(step.context);
    const p = await getProcess(this.services.domain, { processId, locale: s.locale });
    if (!p) return step.endDialog();
    s.profile.processId = p.id;
    // A phase's end is exclusive: each names its last day open (or the time it closes), never the day after.
    const phases = p.phases
      .map(
        (ph) =>
          `${ph.current ? '▶' : '·'} ${tr(step.context, `phase.${ph.kind}`)}: ${formatDate(step.context, ph.startsAt, p.timeZone)} – ${formatLastDay(s.locale, ph.endsAt, p.timeZone)}`,
      )
      .join('\n');
    const now = p.currentPhase
      ? tr(step.context, 'processes.currentPhase', {
          phase: tr(step.context, `phase.${p.currentPhase}`),
          until: p.currentPhaseEndsAt ? formatLastDay(s.locale, p.currentPhaseEndsAt, p.timeZone) : '',
        })
      : tr(step.context, 'processes.noCurrentPhase');
    const can = [
      p.acceptsProposals ? tr(step.context, 'processes.canPropose') : undefined,
      p.acceptsSupports
        ? tr(step.context, 'processes.canSupport', { count: p.supportsPerParticipant })
        : undefined,
    ].filter(Boolean);
    await step.context.sendActivity(
      [p.title, p.description, now, can.join('\n'), `${tr(step.context, 'processes.phases')}\n${phases}`]
        .filter((x) => x)
        .join('\n\n'),
    );
    const options: Option[] = [{ value: 'proposals', title: tr(step.context, 'menu.proposals') }];
    if (p.acceptsProposals) options.push({ value: 'propose', title: tr(step.context, 'menu.propose') });
    options.push({ value: 'ranking', title: tr(step.context, 'menu.ranking') });
    if ((await countCommitments(this.services.domain, { processId: p.id })) > 0)
      options.push({
        value: 'commitments',
        title: tr(step.context, 'commitments.menu'),
        synonyms: ['compromisos', 'commitments'],
      });
    // Workshops and events, when the process has upcoming ones.
    if ((await listEvents(this.services.domain, { processId: p.id })).length > 0)
      options.push({
        value: 'events',
        title: tr(step.context, 'events.menu'),
        synonyms: ['talleres', 'eventos', 'workshops', 'events'],
      });
    options.push(await this.updatesOption(step, p.id));
    options.push({
      value: 'menu',
      title: tr(step.context, 'common.backToMenu'),
      synonyms: ['menú', 'menu', 'volver'],
    });
    return askChoice(step, tr(step.context, 'common.whatNext'), options);
  }

  /** Receive this process's updates, or stop them when already subscribed. */
  private async updatesOption(step: WaterfallStepContext, processId: number): Promise<Option> {
    const s = session(step.context);
    const mine = s.participant
      ? await listSubscriptions(this.services.domain, { participantId: s.participant.id, locale: s.locale })
      : [];
    return mine.some((m) => m.processId === processId)
      ? {
          value: 'unsubscribe',
          title: tr(step.context, 'subscriptions.unsubscribe'),
          synonyms: ['dejar de recibir novedades', 'stop getting updates'],
        }
      : {
          value: 'subscribe',
          title: tr(step.context, 'subscriptions.subscribe'),
          synonyms: ['novedades', 'suscribirme', 'suscribir', 'updates', 'subscribe'],
        };
  }

  private async act(step: WaterfallStepContext) {
    return (
      beginProcessAction(step, chosen(step), session(step.context).profile.processId) ?? step.endDialog()
    );
  }
}
