// "Mis inscripciones": the upcoming workshops and events the person has a place in or waits for, with date,
// place and status. Pressing one asks to confirm, then cancels it (a place goes to the first of the waiting
// list) and shows the list again; "Menú" goes back.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { cancelEventRegistration } from '../../domain/cancel-event-registration.ts';
import { listMyEventRegistrations } from '../../domain/list-my-event-registrations.ts';
import { participantId, session, tr, type FlowServices } from '../session.ts';
import { askChoice, askYesNo, buttonTitle, chosen, isYes, vals, Flow } from '../ui.ts';
import { eventTime } from './event-time.ts';

export const MY_EVENT_REGISTRATIONS = 'my-event-registrations';

const BACK = 'menu';

type Shown = {
  title: string;
  when: string;
};

export class MyEventRegistrationsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(MY_EVENT_REGISTRATIONS);
    this.define(
      (s) => this.list(s),
      (s) => this.confirm(s),
      (s) => this.cancel(s),
    );
  }

  private async list(step: WaterfallStepContext) {
    const ctx = step.context;
    const { locale } = session(ctx);
    const mine = await listMyEventRegistrations(this.services.domain, {
      participantId: participantId(ctx),
      locale,
    });
    if (mine.length === 0) {
      await ctx.sendActivity(tr(ctx, 'events.myNone'));
      return step.endDialog();
    }
    const shown: Record<string, Shown> = {};
    const lines = mine.map((r, i) => {
      const when = eventTime(locale, r, r.timeZone);
      shown[String(r.eventId)] = { title: r.title, when };
      return tr(ctx, 'events.myLine', {
        n: i + 1,
        title: r.title,
        when,
        place: r.place,
        status:
          r.status === 'registered'
            ? tr(ctx, 'events.youAreRegistered')
            : tr(ctx, 'events.youAreWaiting', { position: r.position }),
      });
    });
    vals(step)['shown'] = shown;
    return askChoice(
      step,
      `${tr(ctx, 'events.myList')}\n\n${lines.join('\n\n')}\n\n${tr(ctx, 'events.pickCancel')}`,
      [
        ...mine.map((r) => ({ value: String(r.eventId), title: buttonTitle(r.title) })),
        { value: BACK, title: tr(ctx, 'common.backToMenu'), synonyms: ['menú', 'menu', 'volver', 'back'] },
      ],
    );
  }

  private async confirm(step: WaterfallStepContext) {
    const choice = chosen(step);
    if (choice === BACK) return step.endDialog();
    vals(step)['eventId'] = Number(choice);
    const shown = (vals(step)['shown'] as Record<string, Shown>)[choice]!;
    return askYesNo(step, tr(step.context, 'events.confirmCancel', shown));
  }

  private async cancel(step: WaterfallStepContext) {
    const ctx = step.context;
    const eventId = vals(step)['eventId'] as number;
    const shown = (vals(step)['shown'] as Record<string, Shown>)[String(eventId)]!;
    if (!isYes(step)) {
      await ctx.sendActivity(tr(ctx, 'events.kept'));
      return step.replaceDialog(MY_EVENT_REGISTRATIONS);
    }
    const r = await cancelEventRegistration(this.services.domain, {
      participantId: participantId(ctx),
      eventId,
    });
    await ctx.sendActivity(
      r.ok
        ? tr(ctx, r.was === 'registered' ? 'events.cancelled' : 'events.cancelledWaiting', shown)
        : tr(ctx, 'events.notCancelled', shown),
    );
    return step.replaceDialog(MY_EVENT_REGISTRATIONS);
  }
}
