// Public proposals of the process in focus, a page at a time. Choosing one opens it (where it can be
// supported); "more" and "back" move between pages.
import { type WaterfallStepContext } from 'botbuilder-dialogs';
import { listProposals, type ProposalListItem } from '../../domain/list-proposals.ts';
import { session, tr, type FlowServices } from '../session.ts';
import { askChoice, buttonTitle, chosen, exactChoice, toChoices, vals, type Option, Flow } from '../ui.ts';
import { readsAsCommand } from '../command-words.ts';
import { CHOOSE_PROCESS } from '../processes/choose-process-dialog.ts';
import { PROPOSAL } from './proposal-dialog.ts';

export const BROWSE_PROPOSALS = 'browse-proposals';

interface BrowseOptions {
  processId?: number;
  page?: number;
}

export class BrowseProposalsDialog extends Flow {
  constructor(private readonly services: FlowServices) {
    super(BROWSE_PROPOSALS);
    this.define(
      (s) => {
        const o = (s.options ?? {}) as BrowseOptions;
        return o.processId !== undefined ? s.next(o.processId) : s.beginDialog(CHOOSE_PROCESS);
      },
      (s) => this.showPage(s),
      (s) => this.act(s),
      (s) => this.afterProposal(s),
    );
  }

  private async showPage(step: WaterfallStepContext) {
    const processId = step.result as number | undefined;
    if (processId === undefined) return step.endDialog();
    const s = session(step.context);
    s.profile.processId = processId;
    const o = (step.options ?? {}) as BrowseOptions;
    const page = await listProposals(this.services.domain, {
      processId,
      page: o.page ?? 1,
      locale: s.locale,
    });
    vals(step)['processId'] = processId;
    vals(step)['page'] = page.page;
    if (page.total === 0) {
      await step.context.sendActivity(tr(step.context, 'proposals.none'));
      return step.endDialog();
    }
    const lines = page.items.map((p, i) =>
      tr(step.context, 'proposals.line', {
        n: i + 1,
        id: p.id,
        title: p.title,
        category: p.category,
        count: p.supports,
      }),
    );
    const header = tr(step.context, 'proposals.page', {
      page: page.page,
      pages: page.pages,
      total: page.total,
    });
    const nav: Option[] = [];
    if (page.page < page.pages) {
      nav.push({
        value: 'next',
        title: tr(step.context, 'proposals.next'),
        synonyms: ['siguiente', 'más', 'next', 'more'],
      });
    }
    if (page.page > 1) {
      nav.push({
        value: 'prev',
        title: tr(step.context, 'proposals.prev'),
        synonyms: ['anterior', 'previous', 'back'],
      });
    }
    nav.push({
      value: 'menu',
      title: tr(step.context, 'common.backToMenu'),
      synonyms: ['menú', 'menu', 'volver'],
    });
    return askChoice(step, `${header}\n\n${lines.join('\n')}\n\n${tr(step.context, 'proposals.pick')}`, [
      ...proposalOptions(page.items, nav),
      ...nav,
    ]);
  }

  private async act(step: WaterfallStepContext) {
    const value = chosen(step);
    const processId = vals(step)['processId'] as number;
    const page = vals(step)['page'] as number;
    if (value === 'next') return step.replaceDialog(BROWSE_PROPOSALS, { processId, page: page + 1 });
    if (value === 'prev') return step.replaceDialog(BROWSE_PROPOSALS, { processId, page: page - 1 });
    if (value.startsWith('open:')) return step.beginDialog(PROPOSAL, { proposalId: Number(value.slice(5)) });
    return step.endDialog();
  }

  private async afterProposal(step: WaterfallStepContext) {
    const back = step.result as { backToList?: boolean } | undefined;
    if (back?.backToList === false) return step.endDialog();
    return step.replaceDialog(BROWSE_PROPOSALS, {
      processId: vals(step)['processId'],
      page: vals(step)['page'],
    });
  }
}

/**
 * The proposals' buttons: each its title, shortened. A press arrives as that text and picks the first option
 * it names (exactChoice), so a button whose text would also name another option of the question — another
 * proposal cut to the same words, a button of the page's own («Más propuestas») — carries the proposal's
 * number in the list as well, as the list shows it: «2. Oficinas móviles en los pueb…»; so does one whose text
 * would be read as a command (a proposal called «Ayuda» would open the help). Only then: Telegram numbers
 * every button already, and «1. 1. …» is no way to show a list. The full title, typed, opens the proposal
 * too, unless it names another option (the page's own buttons always win) or is a command (commands win).
 */
function proposalOptions(items: ProposalListItem[], nav: Option[]): Option[] {
  const short = items.map((p) => buttonTitle(p.title, 32));
  return items.map((p, i) => {
    const others: Option[] = [
      ...items.flatMap((q, j) => (j === i ? [] : [{ value: '', title: short[j]!, synonyms: [q.title] }])),
      ...nav,
    ];
    const named = (text: string) => others.some((o) => exactChoice(text, toChoices([o])) !== undefined);
    return {
      value: `open:${p.id}`,
      title:
        named(short[i]!) || readsAsCommand(short[i]!) ? buttonTitle(`${i + 1}. ${p.title}`, 32) : short[i]!,
      synonyms: named(p.title) ? [] : [p.title],
    };
  });
}
