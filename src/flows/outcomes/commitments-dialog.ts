// A process's commitments, a page at a time: title, department, status, progress, due date and the latest
// news. Choosing one shows it whole with its dated history; "back" returns to the same page.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import type { CommitmentView } from '../../domain/commitments.ts';
import { getCommitment } from '../../domain/get-commitment.ts';
import { getProcess } from '../../domain/get-process.ts';
import { listCommitments, type ListedCommitment } from '../../domain/list-commitments.ts';
import { pickText } from '../../domain/localized-text.ts';
import { isPublic } from '../../domain/proposal-visibility.ts';
import { commitmentStatusText, dueDateText } from '../notices/commitment-text.ts';
import { CHOOSE_PROCESS } from '../processes/choose-process-dialog.ts';
import { session, tr } from '../session.ts';
import type { FlowServices } from '../session.ts';
import { askChoice, buttonTitle, chosen, formatDate, vals, type Option, Flow } from '../ui.ts';

export const COMMITMENTS = 'commitments';

export const COMMITMENTS_PAGE_SIZE = 5;

interface CommitmentsOptions {
  processId?: number;
  page?: number;
}

const BACK_TO_MENU = ['menú', 'menu', 'volver', 'back'];

export class CommitmentsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(COMMITMENTS);
    this.define(
      (s) => {
        const processId = (s.options as CommitmentsOptions | undefined)?.processId;
        return processId !== undefined ? s.next(processId) : s.beginDialog(CHOOSE_PROCESS);
      },
      (s) => this.showPage(s),
      (s) => this.open(s),
      (s) => this.afterDetail(s),
    );
  }

  private async showPage(step: WaterfallStepContext) {
    const processId = step.result as number | undefined;
    if (processId === undefined) return step.endDialog();
    const ctx = step.context;
    const s = session(ctx);
    const process = await getProcess(this.services.domain, { processId, locale: s.locale });
    if (!process) return step.endDialog();
    s.profile.processId = process.id;
    const all = await listCommitments(this.services.domain, { processId });
    if (all.length === 0) {
      await ctx.sendActivity(tr(ctx, 'commitments.none', { process: process.title }));
      return step.endDialog();
    }
    const pages = Math.ceil(all.length / COMMITMENTS_PAGE_SIZE);
    const asked = (step.options as CommitmentsOptions | undefined)?.page ?? 1;
    const page = Math.min(Math.max(1, asked), pages);
    Object.assign(vals(step), { processId, page, timeZone: process.timeZone });
    const from = (page - 1) * COMMITMENTS_PAGE_SIZE;
    const items = all.slice(from, from + COMMITMENTS_PAGE_SIZE);
    const lines = items.map((c, i) => this.line(step, from + i + 1, c, process.timeZone));
    const header = tr(ctx, 'commitments.header', {
      process: process.title,
      from: from + 1,
      to: from + items.length,
      total: all.length,
    });
    const options: Option[] = items.map((c, i) => ({
      value: `open:${c.id}`,
      title: buttonTitle(`${from + i + 1}. ${pickText(c.title, s.locale)}`, 32),
    }));
    if (page < pages)
      options.push({
        value: 'next',
        title: tr(ctx, 'commitments.next'),
        synonyms: ['siguiente', 'más', 'next', 'more'],
      });
    if (page > 1)
      options.push({ value: 'prev', title: tr(ctx, 'commitments.prev'), synonyms: ['anterior', 'previous'] });
    options.push({ value: 'menu', title: tr(ctx, 'common.backToMenu'), synonyms: BACK_TO_MENU });
    return askChoice(step, `${header}\n\n${lines.join('\n\n')}\n\n${tr(ctx, 'commitments.pick')}`, options);
  }

  private line(step: WaterfallStepContext, n: number, c: ListedCommitment, timeZone: string): string {
    const ctx = step.context;
    const locale = session(ctx).locale;
    const lines = [
      tr(ctx, 'commitments.line', {
        n,
        title: pickText(c.title, locale),
        department: c.department,
        status: commitmentStatusText(locale, c.status),
        progress: c.progress,
      }),
    ];
    if (c.dueDate) lines.push(tr(ctx, 'commitments.due', { date: dueDateText(locale, c.dueDate) }));
    if (c.latestNote)
      lines.push(
        tr(ctx, 'commitments.latest', {
          date: formatDate(ctx, c.latestNote.at, timeZone),
          note: c.latestNote.note,
        }),
      );
    return lines.join('\n');
  }

  private async open(step: WaterfallStepContext) {
    const choice = chosen(step);
    const { processId, page } = vals(step) as { processId: number; page: number };
    if (choice === 'next') return step.replaceDialog(COMMITMENTS, { processId, page: page + 1 });
    if (choice === 'prev') return step.replaceDialog(COMMITMENTS, { processId, page: page - 1 });
    if (!choice.startsWith('open:')) return step.endDialog();
    const ctx = step.context;
    const locale = session(ctx).locale;
    const c = await getCommitment(this.services.domain, { commitmentId: Number(choice.slice(5)) });
    if (!c || c.processId !== processId) {
      await ctx.sendActivity(tr(ctx, 'commitments.notFound'));
      return step.replaceDialog(COMMITMENTS, { processId, page });
    }
    const timeZone = vals(step)['timeZone'] as string;
    const status = (u: { status: CommitmentView['status'] }) => commitmentStatusText(locale, u.status);
    const proposals = c.proposals.filter((p) => isPublic(p.status)).map((p) => `«${p.title}»`);
    const text = [
      pickText(c.title, locale),
      c.description ? pickText(c.description, locale) : '',
      [
        tr(ctx, 'commitments.detail.department', { department: c.department }),
        tr(ctx, 'commitments.detail.state', { status: status(c), progress: c.progress }),
        c.dueDate ? tr(ctx, 'commitments.detail.due', { date: dueDateText(locale, c.dueDate) }) : '',
        c.evidence ? tr(ctx, 'commitments.detail.evidence', { evidence: c.evidence }) : '',
        proposals.length > 0 ? tr(ctx, 'commitments.detail.proposals', { titles: proposals.join(', ') }) : '',
      ]
        .filter(Boolean)
        .join('\n'),
      [
        tr(ctx, 'commitments.detail.history'),
        // News only: a change of status or progress, or a note (not a renamed department, say).
        ...c.history
          .filter(
            (u, i, all) =>
              i === 0 ||
              u.note !== null ||
              u.status !== all[i - 1]!.status ||
              u.progress !== all[i - 1]!.progress,
          )
          .map((u) =>
            tr(ctx, u.note ? 'commitments.detail.historyNote' : 'commitments.detail.historyLine', {
              date: formatDate(ctx, u.at, timeZone),
              status: status(u),
              progress: u.progress,
              note: u.note ?? '',
            }),
          ),
      ].join('\n'),
    ]
      .filter(Boolean)
      .join('\n\n');
    return askChoice(step, text, [
      {
        value: 'list',
        title: tr(ctx, 'commitments.backToList'),
        synonyms: ['lista', 'volver', 'list', 'back'],
      },
      { value: 'menu', title: tr(ctx, 'common.backToMenu'), synonyms: ['menú', 'menu'] },
    ]);
  }

  private async afterDetail(step: WaterfallStepContext) {
    if (chosen(step) !== 'list') return step.endDialog();
    const { processId, page } = vals(step) as { processId: number; page: number };
    return step.replaceDialog(COMMITMENTS, { processId, page });
  }
}
