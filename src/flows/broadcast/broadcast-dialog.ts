// Staff broadcast an update to a process's subscribers from a private Telegram chat (`/difundir`): the
// process (any process: the list pages with «Más procesos», and a slug can be typed), the audience, the
// text in Spanish (required) and in English (optional), a preview exactly as it will arrive with how many
// people it would reach now, then now or at a typed time, and a confirmation.
// Only active staff and admins registered with their Telegram user id may start it; they need not be
// participants (the engine lets this flow past the consent gate). «cancelar» leaves at any step. Sending is
// not done here: createBroadcast records it and enqueues its start; progress reports come to this chat.
import type { DialogContext, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Audience } from '../../domain/broadcast-audience.ts';
import { BROADCAST_CHANNELS } from '../../domain/broadcast-audience.ts';
import { countBroadcastAudience } from '../../domain/count-broadcast-audience.ts';
import { createBroadcast, MAX_BROADCAST_TEXT } from '../../domain/create-broadcast.ts';
import { LOCALES, type Locale } from '../../domain/deps.ts';
import { findStaffMember } from '../../domain/find-staff-member.ts';
import { getProcess } from '../../domain/get-process.ts';
import { listProcessAdminViews } from '../../domain/list-process-admin-views.ts';
import { pickText } from '../../domain/localized-text.ts';
import { broadcastMessageText } from '../notices/broadcast-text.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, buttonTitle, chosen, Flow, MORE_WORDS, vals } from '../ui.ts';
import { TYPED_PROCESS_SLUG, typedProcessSlug } from '../processes/typed-slug.ts';
import { BROADCAST_INPUT, broadcastInputPrompt, type BroadcastInputCheck } from './broadcast-input-prompt.ts';
import { formatScheduleTime } from './schedule-time.ts';

export const BROADCAST = 'broadcast';

export interface BroadcastOptions {
  staffMemberId: string;
  /**
   * A draft to go on with: its time passed while it was being confirmed. The steps up to the preview pass it
   * along unasked, and «¿Cuándo la envías?» is asked again — the texts typed are not lost.
   */
  resume?: Draft;
  /**
   * The process question asked again (no introduction): a further page of the list (`after`: the last id
   * of the previous page), or the same page after a slug that names no process.
   */
  list?: { after?: number };
}

/** Processes listed per page at «¿… a qué proceso?»; «Más procesos» shows the next ones. */
const PROCESSES_PER_PAGE = 20;

const DEFAULT_TIME_ZONE = 'Europe/Madrid';
/** The process question's answers that are no process id: the next page, a typed slug. */
const MORE = 'more';
const TYPED = 'typed-slug';

const AUDIENCES = {
  all: {},
  es: { locales: ['es'] },
  en: { locales: ['en'] },
  telegram: { channels: ['telegram'] },
  webchat: { channels: ['webchat'] },
} satisfies Record<string, Audience>;
type AudienceKey = keyof typeof AUDIENCES;
const AUDIENCE_KEYS = Object.keys(AUDIENCES) as AudienceKey[];

/** The draft, kept in the waterfall's values between steps. */
interface Draft {
  processId: number;
  processTitle: string;
  timeZone: string;
  audience: AudienceKey;
  es: string;
  en?: string;
  recipients: number;
  scheduledAt?: string;
}

/**
 * `/difundir`: starts the flow for staff and admins, or says that only staff can broadcast (and returns
 * false, so the caller can resume what was going on). Never starts it in a group.
 */
export async function beginBroadcast(dc: DialogContext, services: FlowServices): Promise<boolean> {
  const a = dc.context.activity;
  const staff = a.conversation.isGroup
    ? undefined
    : await findStaffMember(services.domain, { channel: a.channelId, externalId: a.from.id });
  if (!staff || (staff.role !== 'staff' && staff.role !== 'admin')) {
    await dc.context.sendActivity(tr(dc.context, 'broadcast.onlyStaff'));
    return false;
  }
  await dc.cancelAllDialogs();
  await dc.beginDialog(BROADCAST, { staffMemberId: staff.id } satisfies BroadcastOptions);
  return true;
}

export class BroadcastDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(BROADCAST);
    this.define(
      (s) => this.askProcess(s),
      (s) => this.askAudience(s),
      (s) => this.askSpanish(s),
      (s) => this.askEnglish(s),
      (s) => this.preview(s),
      (s) => this.askWhen(s),
      (s) => this.askTime(s),
      (s) => this.confirm(s),
      (s) => this.create(s),
    );
  }

  private draft(step: WaterfallStepContext): Draft {
    return vals(step) as unknown as Draft;
  }

  private resumed(step: WaterfallStepContext): boolean {
    return (step.options as BroadcastOptions).resume !== undefined;
  }

  private async askProcess(step: WaterfallStepContext) {
    const ctx = step.context;
    const resume = (step.options as BroadcastOptions).resume;
    if (resume) {
      Object.assign(this.draft(step), resume, { scheduledAt: undefined });
      return step.next({ value: String(resume.processId) });
    }
    // Every process, newest first, a page at a time (staff may follow up on a finished one).
    const list = (step.options as BroadcastOptions).list;
    const locale = session(ctx).locale;
    const page = await listProcessAdminViews(this.services.domain, {
      limit: PROCESSES_PER_PAGE,
      cursor: list?.after,
    });
    if (page.items.length === 0) {
      await ctx.sendActivity(tr(ctx, 'broadcast.noProcesses'));
      return step.endDialog();
    }
    if (!list) await ctx.sendActivity(tr(ctx, 'broadcast.intro'));
    vals(step).listAfter = list?.after;
    vals(step).nextAfter = page.nextCursor ?? undefined;
    const processes = page.items.map((p) => ({ ...p, title: pickText(p.title, locale) }));
    const lines = processes.map(
      (p, i) =>
        `${i + 1}. ${p.title} — ${p.currentPhase ? tr(ctx, `phase.${p.currentPhase}`) : tr(ctx, 'phase.none')}`,
    );
    const options = processes.map((p) => ({
      value: String(p.id),
      title: buttonTitle(p.title),
      synonyms: [p.slug],
    }));
    if (page.nextCursor !== null)
      options.push({
        value: MORE,
        title: tr(ctx, 'broadcast.more'),
        synonyms: [...MORE_WORDS, 'más procesos', 'more processes'],
      });
    return askChoice(
      step,
      `${tr(ctx, 'broadcast.chooseProcess')}\n\n${lines.join('\n')}\n\n${tr(ctx, 'broadcast.chooseProcessHint')}`,
      options,
      'common.retryChoice',
      { value: TYPED, check: TYPED_PROCESS_SLUG },
    );
  }

  /** The process answered: a listed one, a further page, or a typed slug (asked again when it names none). */
  private async chosenProcessId(step: WaterfallStepContext): Promise<number | DialogTurnResult> {
    const ctx = step.context;
    const answer = chosen(step);
    const options = step.options as BroadcastOptions;
    const values = vals(step);
    if (answer === MORE)
      return step.replaceDialog(BROADCAST, { ...options, list: { after: values.nextAfter as number } });
    if (answer !== TYPED) return Number(answer);
    const slug = typedProcessSlug(ctx.activity.text ?? '');
    const found = await getProcess(this.services.domain, { slug, locale: session(ctx).locale });
    if (found) return found.id;
    await ctx.sendActivity(tr(ctx, 'broadcast.processNotFound', { slug }));
    return step.replaceDialog(BROADCAST, {
      ...options,
      list: { after: values.listAfter as number | undefined },
    });
  }

  private async askAudience(step: WaterfallStepContext) {
    const ctx = step.context;
    if (this.resumed(step)) return step.next({ value: this.draft(step).audience });
    const processId = await this.chosenProcessId(step);
    if (typeof processId !== 'number') return processId;
    const process = await getProcess(this.services.domain, { processId, locale: session(ctx).locale });
    if (!process) return this.stop(step, 'broadcast.rejected.process-not-found');
    const draft = this.draft(step);
    draft.processId = process.id;
    draft.processTitle = process.title;
    draft.timeZone = validTimeZone(process.timeZone);
    return askChoice(
      step,
      tr(ctx, 'broadcast.askAudience', { process: process.title }),
      AUDIENCE_KEYS.map((key) => ({ value: key, title: tr(ctx, `broadcast.audience.${key}`) })),
    );
  }

  private async askSpanish(step: WaterfallStepContext) {
    this.draft(step).audience = chosen(step) as AudienceKey;
    if (this.resumed(step)) return step.next(this.draft(step).es);
    return this.askInput(step, tr(step.context, 'broadcast.askSpanish', { max: MAX_BROADCAST_TEXT }), {
      kind: 'text',
    });
  }

  private async askEnglish(step: WaterfallStepContext) {
    const draft = this.draft(step);
    draft.es = step.result as string;
    // Only Spanish speakers will get it: a text in English would go to nobody.
    if (draft.audience === 'es') return step.next('');
    if (this.resumed(step)) return step.next(draft.en ?? '');
    const skip = tr(step.context, 'broadcast.skip');
    return this.askInput(step, tr(step.context, 'broadcast.askEnglish', { max: MAX_BROADCAST_TEXT, skip }), {
      kind: 'text',
      skip,
    });
  }

  private async preview(step: WaterfallStepContext) {
    const ctx = step.context;
    const draft = this.draft(step);
    const en = step.result as string;
    if (en) draft.en = en;
    // Going on with a draft: previewed and counted already, straight to «¿Cuándo la envías?».
    if (this.resumed(step)) return step.next({ value: 'go' });
    const audience: Audience = AUDIENCES[draft.audience];
    const count = await countBroadcastAudience(this.services.domain, {
      processId: draft.processId,
      audience,
    });
    draft.recipients = count.total;
    const texts: Partial<Record<Locale, string>> = { es: draft.es, en: draft.en };
    const sections = [tr(ctx, 'broadcast.preview')];
    for (const locale of audience.locales ?? LOCALES) {
      const n = count.byLocale[locale] ?? 0;
      // As the recipients get it: the process's title and the text in their language, else in Spanish.
      const process = await getProcess(this.services.domain, { processId: draft.processId, locale });
      const message = broadcastMessageText(locale, {
        processTitle: process?.title ?? draft.processTitle,
        text: texts[locale] ?? draft.es,
      });
      const header = texts[locale]
        ? tr(ctx, `broadcast.previewIn.${locale}`, { count: n })
        : tr(ctx, 'broadcast.previewFallback', { count: n });
      sections.push(`${header}\n${message}`);
    }
    if (count.total === 0) {
      sections.push(tr(ctx, 'broadcast.nobody'));
      await ctx.sendActivity(sections.join('\n\n'));
      return askChoice(step, tr(ctx, 'broadcast.askAnyway'), [
        { value: 'go', title: tr(ctx, 'broadcast.anyway') },
        { value: 'cancel', title: tr(ctx, 'broadcast.cancel') },
      ]);
    }
    const channels = BROADCAST_CHANNELS.filter((c) => (count.byChannel[c] ?? 0) > 0)
      .map((c) => tr(ctx, `broadcast.channelCount.${c}`, { count: count.byChannel[c] }))
      .join(', ');
    sections.push(tr(ctx, 'broadcast.recipients', { count: count.total, channels }));
    if ((count.byChannel['webchat'] ?? 0) > 0) sections.push(tr(ctx, 'broadcast.webchatNote'));
    await ctx.sendActivity(sections.join('\n\n'));
    return step.next({ value: 'go' });
  }

  private async askWhen(step: WaterfallStepContext) {
    if (chosen(step) === 'cancel') return this.stop(step, 'broadcast.cancelled');
    const ctx = step.context;
    return askChoice(step, tr(ctx, 'broadcast.askWhen'), [
      { value: 'now', title: tr(ctx, 'broadcast.now') },
      { value: 'schedule', title: tr(ctx, 'broadcast.schedule') },
      { value: 'cancel', title: tr(ctx, 'broadcast.cancel') },
    ]);
  }

  private async askTime(step: WaterfallStepContext) {
    const answer = chosen(step);
    if (answer === 'cancel') return this.stop(step, 'broadcast.cancelled');
    if (answer === 'now') return step.next(undefined);
    const { timeZone } = this.draft(step);
    return this.askInput(step, tr(step.context, 'broadcast.askTime', { timeZone }), {
      kind: 'when',
      timeZone,
    });
  }

  private async confirm(step: WaterfallStepContext) {
    const ctx = step.context;
    const draft = this.draft(step);
    const at = step.result as string | undefined;
    if (at) draft.scheduledAt = at;
    const text = at
      ? tr(ctx, 'broadcast.confirmScheduled', {
          count: draft.recipients,
          process: draft.processTitle,
          when: formatScheduleTime(new Date(at), session(ctx).locale, draft.timeZone),
          timeZone: draft.timeZone,
        })
      : tr(ctx, 'broadcast.confirmNow', { count: draft.recipients, process: draft.processTitle });
    return askChoice(step, text, [
      { value: 'send', title: tr(ctx, at ? 'broadcast.confirmSchedule' : 'broadcast.send') },
      { value: 'cancel', title: tr(ctx, 'broadcast.cancel') },
    ]);
  }

  private async create(step: WaterfallStepContext) {
    if (chosen(step) === 'cancel') return this.stop(step, 'broadcast.cancelled');
    const ctx = step.context;
    const a = ctx.activity;
    const draft = this.draft(step);
    const scheduledAt = draft.scheduledAt ? new Date(draft.scheduledAt) : undefined;
    const result = await createBroadcast(this.services.domain, {
      staffMemberId: (step.options as BroadcastOptions).staffMemberId,
      processId: draft.processId,
      texts: { es: draft.es, ...(draft.en ? { en: draft.en } : {}) },
      audience: AUDIENCES[draft.audience],
      scheduledAt,
      progressChatId: a.channelId === 'telegram' ? String(a.conversation.id) : undefined,
    });
    if (!result.ok && result.reason === 'in-the-past') {
      // The time passed while it was being confirmed: asked again, with everything else kept.
      await ctx.sendActivity(tr(ctx, 'broadcast.timePassed'));
      const { scheduledAt: _passed, ...kept } = draft;
      return step.replaceDialog(BROADCAST, { ...(step.options as BroadcastOptions), resume: kept });
    }
    if (!result.ok) return this.stop(step, `broadcast.rejected.${result.reason}`);
    await ctx.sendActivity(
      scheduledAt
        ? tr(ctx, 'broadcast.scheduled', {
            id: result.broadcast.id,
            when: formatScheduleTime(scheduledAt, session(ctx).locale, draft.timeZone),
          })
        : tr(ctx, 'broadcast.started', { id: result.broadcast.id }),
    );
    return step.endDialog();
  }

  private askInput(step: WaterfallStepContext, text: string, check: BroadcastInputCheck) {
    const prompt = broadcastInputPrompt(text, check);
    return step.prompt(BROADCAST_INPUT, { prompt, retryPrompt: prompt, validations: check });
  }

  private async stop(step: WaterfallStepContext, key: Parameters<typeof tr>[1]) {
    await step.context.sendActivity(tr(step.context, key, { max: MAX_BROADCAST_TEXT }));
    return step.endDialog();
  }
}

/** The process's time zone if the runtime knows it, else Madrid's (the default of every process). */
function validTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}
