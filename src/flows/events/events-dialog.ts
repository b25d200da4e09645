// "Talleres y eventos" of a process: its upcoming workshops and events with date and time (the process's
// time zone), place, and places left or "waiting list" — and where the person stands in each. Pressing one
// asks for confirmation (a place, or the waiting list when full), then registers and shows the list again;
// pressing one the person already has a place in (or waits for) says so and offers to cancel it instead;
// "Mis inscripciones" lists the person's registrations to cancel one; "Menú" goes back.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { cancelEventRegistration } from '../../domain/cancel-event-registration.ts';
import { getProcess } from '../../domain/get-process.ts';
import { listEvents } from '../../domain/list-events.ts';
import { pickText } from '../../domain/localized-text.ts';
import { registerForEvent } from '../../domain/register-for-event.ts';
import { CHOOSE_PROCESS } from '../processes/choose-process-dialog.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import {
  askChoice,
  askYesNo,
  buttonTitle,
  chosen,
  isYes,
  NO_ANSWERS,
  vals,
  YES_ANSWERS,
  Flow,
} from '../ui.ts';
import { eventTime } from './event-time.ts';
import { MY_EVENT_REGISTRATIONS } from './my-event-registrations-dialog.ts';

export const EVENTS = 'events';

export interface EventsOptions {
  processId?: number;
}

const MINE = 'mine';
const BACK = 'menu';
const CANCEL_MINE = 'cancel-mine';
const TO_LIST = 'list';

type Picked = {
  eventId: number;
  title: string;
  when: string;
  place: string;
};

export class EventsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(EVENTS);
    this.define(
      (s) => {
        const { processId } = (s.options ?? {}) as EventsOptions;
        return processId !== undefined ? s.next(processId) : s.beginDialog(CHOOSE_PROCESS);
      },
      (s) => this.list(s),
      (s) => this.confirm(s),
      (s) => this.register(s),
    );
  }

  private async list(step: WaterfallStepContext) {
    const processId = step.result as number | undefined;
    if (processId === undefined) return step.endDialog();
    const ctx = step.context;
    const { locale } = session(ctx);
    const domain = this.services.domain;
    const process = await getProcess(domain, { processId, locale });
    if (!process) {
      await ctx.sendActivity(tr(ctx, 'subscriptions.processNotFound'));
      return step.endDialog();
    }
    vals(step)['processId'] = processId;
    const events = await listEvents(domain, { processId, participantId: participantId(ctx) });
    if (events.length === 0) {
      await ctx.sendActivity(tr(ctx, 'events.none', { process: process.title }));
      return step.endDialog();
    }
    const lines = events.map((e, i) =>
      tr(ctx, 'events.line', {
        n: i + 1,
        kind: tr(ctx, `events.kind.${e.kind}`),
        title: pickText(e.title, locale),
        when: eventTime(locale, e, process.timeZone),
        place: e.place,
        places: e.mine
          ? e.mine.status === 'registered'
            ? tr(ctx, 'events.youAreRegistered')
            : tr(ctx, 'events.youAreWaiting', { position: e.mine.position })
          : e.placesLeft > 0
            ? tr(ctx, 'events.placesLeft', { count: e.placesLeft })
            : tr(ctx, 'events.full'),
      }),
    );
    vals(step)['timeZone'] = process.timeZone;
    return askChoice(
      step,
      `${tr(ctx, 'events.list', { process: process.title })}\n\n${lines.join('\n\n')}\n\n${tr(ctx, 'events.pick')}`,
      [
        ...events.map((e) => ({ value: String(e.id), title: buttonTitle(pickText(e.title, locale)) })),
        {
          value: MINE,
          title: tr(ctx, 'events.mine'),
          synonyms: ['mis inscripciones', 'inscripciones', 'my registrations', 'registrations'],
        },
        { value: BACK, title: tr(ctx, 'common.backToMenu'), synonyms: ['menú', 'menu', 'volver', 'back'] },
      ],
    );
  }

  private async confirm(step: WaterfallStepContext) {
    const ctx = step.context;
    const choice = chosen(step);
    if (choice === BACK) return step.endDialog();
    if (choice === MINE) return step.replaceDialog(MY_EVENT_REGISTRATIONS);
    const { locale } = session(ctx);
    // Read again, with where the person stands now (the list was shown a turn ago): only upcoming events
    // that still take registrations are listed.
    const eventId = Number(choice);
    const events = await listEvents(this.services.domain, {
      processId: vals(step)['processId'] as number,
      participantId: participantId(ctx),
    });
    const event = events.find((e) => e.id === eventId);
    if (!event) {
      await ctx.sendActivity(tr(ctx, 'events.unavailable'));
      return this.again(step);
    }
    const picked: Picked = {
      eventId: event.id,
      title: pickText(event.title, locale),
      when: eventTime(locale, event, vals(step)['timeZone'] as string),
      place: event.place,
    };
    vals(step)['picked'] = picked;
    if (event.mine) {
      // Already in: asking to sign up again would only end in "already registered".
      return askChoice(
        step,
        event.mine.status === 'registered'
          ? tr(ctx, 'events.alreadyInRegistered', picked)
          : tr(ctx, 'events.alreadyInWaiting', { ...picked, position: event.mine.position }),
        [
          // The question asks whether to cancel: «sí» cancels, «no» keeps it and goes back to the list.
          { value: CANCEL_MINE, title: tr(ctx, 'events.cancelMine'), synonyms: YES_ANSWERS },
          {
            value: TO_LIST,
            title: tr(ctx, 'events.backToList'),
            synonyms: ['volver', 'back', ...NO_ANSWERS],
          },
        ],
      );
    }
    return askYesNo(
      step,
      tr(ctx, event.placesLeft > 0 ? 'events.confirmRegister' : 'events.confirmWaitlist', picked),
    );
  }

  private async register(step: WaterfallStepContext) {
    const ctx = step.context;
    const picked = vals(step)['picked'] as Picked;
    const answer = chosen(step);
    if (answer === TO_LIST) return this.again(step);
    if (answer === CANCEL_MINE) {
      const c = await cancelEventRegistration(this.services.domain, {
        participantId: participantId(ctx),
        eventId: picked.eventId,
      });
      await ctx.sendActivity(
        c.ok
          ? tr(ctx, c.was === 'registered' ? 'events.cancelled' : 'events.cancelledWaiting', picked)
          : tr(ctx, 'events.notCancelled', picked),
      );
      return this.again(step);
    }
    if (!isYes(step)) {
      await ctx.sendActivity(tr(ctx, 'events.notRegistered'));
      return this.again(step);
    }
    const r = await registerForEvent(this.services.domain, {
      participantId: participantId(ctx),
      eventId: picked.eventId,
    });
    if (r.ok)
      await ctx.sendActivity(
        r.status === 'registered'
          ? tr(ctx, 'events.registered', picked)
          : tr(ctx, 'events.waitlisted', { ...picked, position: r.position }),
      );
    else if (r.reason === 'already-registered')
      await ctx.sendActivity(
        r.status === 'registered'
          ? tr(ctx, 'events.alreadyRegistered', picked)
          : tr(ctx, 'events.alreadyWaitlisted', { ...picked, position: r.position }),
      );
    else if (r.reason === 'not-consented') {
      // Consent withdrawn meanwhile (from another linked channel): nothing more here until they consent again.
      await ctx.sendActivity(tr(ctx, 'events.notConsented'));
      return step.cancelAllDialogs(true);
    } else await ctx.sendActivity(tr(ctx, 'events.unavailable'));
    return this.again(step);
  }

  /** The list again, with where the person now stands. */
  private again(step: WaterfallStepContext) {
    return step.replaceDialog(EVENTS, {
      processId: vals(step)['processId'] as number,
    } satisfies EventsOptions);
  }
}
