// The dashboard's pages, rendered on the server: plain HTML and forms, no script at all (the page's
// Content-Security-Policy allows none), one same-origin stylesheet. Every text that comes from the database
// or from a person goes through `html`, which escapes it, and sits in its own bidi isolate (`<bdi>`, or
// `dir="auto"` on a block), so a right-to-left title does not reorder the ids and words around it.
//
// A case card has two forms: approve / redact-and-approve, and reject with its reason. Enter in the reason
// box submits the rejection form only (its one button, and a hidden `decision=reject`): a typed reason can
// never travel with an approval.
import type { AuthenticatedStaff } from '../../domain/authenticate-token.ts';
import type { BroadcastSummary } from '../../domain/list-broadcasts.ts';
import type { BroadcastProgress } from '../../domain/get-broadcast-progress.ts';
import { MAX_REASON_LENGTH, REJECTION_REASONS } from '../../domain/decide-moderation.ts';
import type { Locale } from '../../domain/deps.ts';
import { PROPOSAL_STATUSES, type ProcessFigures } from '../../domain/get-dashboard-figures.ts';
import type { ModerationCaseView } from '../../domain/get-moderation-case.ts';
import { prescreenText, type PersonalDataKind } from '../../domain/moderation/prescreen-text.ts';
import { REPORT_REASONS } from '../../domain/report-content.ts';
import { CSRF_FIELD } from './csrf.ts';
import { escapeHtml, html, SafeHtml } from './html.ts';
import { LABELS, type Labels } from './labels.ts';
import { DASHBOARD_PATH, UI_PATH } from './paths.ts';

export type Notice = {
  kind: 'ok' | 'error';
  text: string | SafeHtml;
  /** The case the notice is about: a link to its card follows the text, when the card is on the page. */
  caseId?: number;
  /** Where the case's card is when this page does not show it (another filter of the queue). */
  caseElsewhere?: string;
};
export type MessageLink = { href: string; text: string };

/** Open cases per page of the queue, processes per page (and with `processes=all`), broadcasts per page. */
export const QUEUE_PAGE = 20;
export const PROCESSES_SHOWN = 20;
export const PROCESSES_SHOWN_ALL = 50;
export const BROADCASTS_SHOWN = 10;

/**
 * What the page shows, carried in its address so links, the filter and the case forms keep it: the queue's
 * filters and page (`after`: list-moderation-queue's cursor), longer pages of processes, and where the lists
 * of processes and broadcasts are (newest first; each cursor the id of the last row of the page before).
 */
export interface PageState {
  lang: Locale;
  process?: number;
  reason?: 'submitted' | 'reported';
  after?: string;
  processes?: 'all';
  /** The processes older than this one (get-dashboard-figures' `after`); the newest without. */
  processesAfter?: number;
  /** The broadcasts older than this one (list-broadcasts' `after`); the newest without. */
  broadcastsAfter?: number;
}

/** The query string of a state (without `lang` when `withLang` is false), `?…` or empty. */
export function stateQuery(
  state: Partial<PageState>,
  opts: { decided?: number; withLang?: boolean } = {},
): string {
  const q = new URLSearchParams();
  if (opts.withLang !== false && state.lang) q.set('lang', state.lang);
  if (opts.decided !== undefined) q.set('decided', String(opts.decided));
  if (state.process !== undefined) q.set('process', String(state.process));
  if (state.reason) q.set('reason', state.reason);
  if (state.after) q.set('after', state.after);
  if (state.processes) q.set('processes', state.processes);
  if (state.processesAfter !== undefined) q.set('processesAfter', String(state.processesAfter));
  if (state.broadcastsAfter !== undefined) q.set('broadcastsAfter', String(state.broadcastsAfter));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The page's address for a state. */
export const pageHref = (state: PageState, hash = ''): string =>
  `${DASHBOARD_PATH}${stateQuery(state)}${hash}`;

function layout(locale: Locale, title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <link rel="stylesheet" href="${UI_PATH}/dashboard.css" />
        <link rel="icon" href="${UI_PATH}/favicon.svg" />
      </head>
      <body>
        ${body}
      </body>
    </html> `.value;
}

function notices(t: Labels, list: Notice[]): SafeHtml {
  return html`${list.map(
    (n) =>
      html`<p class="notice ${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}">
        ${n.text}${
          n.caseId !== undefined
            ? html` <a href="${n.caseElsewhere ?? `#case-${n.caseId}`}">${t.goToCase(n.caseId)}</a>`
            : ''
        }
      </p>`,
  )}`;
}

export function renderLogin(opts: { locale: Locale; csrf: string; notices?: Notice[] }): string {
  const t = LABELS[opts.locale];
  const other: Locale = opts.locale === 'es' ? 'en' : 'es';
  return layout(
    opts.locale,
    t.signInTitle,
    html`<main class="narrow">
      <h1>${t.signInTitle}</h1>
      ${notices(t, opts.notices ?? [])}
      <p>${t.signInHelp}</p>
      <form method="post" action="${UI_PATH}/login" autocomplete="off">
        <input type="hidden" name="${CSRF_FIELD}" value="${opts.csrf}" />
        <input type="hidden" name="lang" value="${opts.locale}" />
        <label for="token">${t.token}</label>
        <input
          id="token"
          name="token"
          type="password"
          required
          maxlength="200"
          autocomplete="off"
          spellcheck="false"
        />
        <button type="submit">${t.signIn}</button>
      </form>
      <p><a href="${UI_PATH}/login?lang=${other}" hreflang="${other}">${t.language}</a></p>
    </main>`,
  );
}

/** A page with a message and a way back (refusals, errors), optionally with links to follow. */
export function renderMessage(opts: {
  locale: Locale;
  text: string;
  signIn?: boolean;
  /** Said before the links. */
  intro?: string;
  links?: MessageLink[];
}): string {
  const t = LABELS[opts.locale];
  const link = opts.signIn ? `${UI_PATH}/login?lang=${opts.locale}` : `${DASHBOARD_PATH}?lang=${opts.locale}`;
  return layout(
    opts.locale,
    t.title,
    html`<main class="narrow">
      <h1>${t.title}</h1>
      ${notices(t, [{ kind: 'error', text: opts.text }])}
      ${
        opts.links?.length
          ? html`${opts.intro ? html`<p>${opts.intro}</p>` : ''}
              <ul>
                ${opts.links.map((l) => html`<li><a href="${l.href}">${l.text}</a></li>`)}
              </ul>`
          : ''
      }
      <p><a href="${link}">${opts.signIn ? t.signIn : t.back}</a></p>
    </main>`,
  );
}

export interface DashboardView {
  locale: Locale;
  state: PageState;
  staff: AuthenticatedStaff;
  csrf: string;
  notices: Notice[];
  /** Absent for moderators: they see the moderation part only. */
  figures?: {
    rows: ProcessFigures[];
    /** Older processes than the ones shown exist. */
    more: boolean;
  };
  queue: {
    openCount: number;
    cases: ModerationCaseView[];
    /** list-moderation-queue's cursor for the next page; null on the last one. */
    nextCursor: string | null;
    /** Processes to filter by (the newest; a filtered one not among them is added by id). */
    processes: { id: number; title: string }[];
  };
  broadcasts?: {
    rows: { summary: BroadcastSummary; progress: BroadcastProgress | undefined }[];
    /** Older broadcasts than the ones shown exist. */
    more: boolean;
  };
  /** What a refused decision carried, given back in its card's reject form (preset chosen, reason typed). */
  draft?: { caseId: number; preset?: string; reason?: string };
  /** Link to bull-board (staff and admins). */
  queuesBoard?: string;
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
function formatDate(locale: Locale, date: Date | null | undefined): string {
  if (!date) return '—';
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-GB', {
      dateStyle: 'short',
      timeStyle: 'short',
      timeZone: 'Europe/Madrid',
    });
    dateFormats.set(locale, f);
  }
  return f.format(date);
}

export function decisionWord(t: Labels, decision: string | null): string {
  return decision && decision in t.decisions ? t.decisions[decision as keyof Labels['decisions']] : '—';
}

/** «a», «a y b», «a, b y c». */
function list(t: Labels, items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${t.and} ${items.at(-1)}`;
}

function figuresSection(t: Labels, view: DashboardView, figures: NonNullable<DashboardView['figures']>) {
  const { locale, state } = view;
  // The report speaks Spanish unless asked otherwise.
  const reportQuery = locale === 'es' ? '' : `?locale=${locale}`;
  const rows = figures.rows;
  const all = state.processes === 'all';
  const older = state.processesAfter !== undefined;
  const pages = pagesNav(t.processPages, {
    newest: older && {
      href: pageHref({ ...state, processesAfter: undefined }, '#figures'),
      text: t.newestProcesses,
    },
    older: figures.more && {
      href: pageHref({ ...state, processesAfter: rows.at(-1)!.id }, '#figures'),
      text: t.olderProcesses,
    },
  });
  if (rows.length === 0)
    return html`<section id="figures">
      <h2 id="figures-h">${t.figures}</h2>
      <p>${older ? t.noOlderProcesses : t.noProcesses}</p>
      ${pages}
    </section>`;
  const more = older
    ? html`<p>${t.processesOlder(rows.length, rows[0]!.id, rows.at(-1)!.id, figures.more)}</p>`
    : figures.more
      ? html`<p>
          ${t.processesMore(rows.length)}
          ${
            all
              ? ''
              : html`<a href="${pageHref({ ...state, processes: 'all' }, '#figures')}"
                  >${t.processesAll(PROCESSES_SHOWN_ALL)}</a
                >`
          }
        </p>`
      : '';
  return html`<section id="figures">
    <h2 id="figures-h">${t.figures}</h2>
    <div class="scroll" role="region" aria-labelledby="figures-h" tabindex="0">
      <table>
        <thead>
          <tr>
            <th class="title">${t.process}</th>
            <th>${t.report}</th>
            <th>${t.phase}</th>
            <th class="n">${t.participants}</th>
            <th class="n">${t.proposals}</th>
            ${PROPOSAL_STATUSES.map((s) => html`<th class="n">${t.statuses[s]}</th>`)}
            <th class="n">${t.supports}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (p) =>
              html`<tr data-process="${p.id}">
                <td class="title"><bdi>${p.title}</bdi> <span class="muted">#${p.id}</span></td>
                <td><a href="${DASHBOARD_PATH}/processes/${p.id}/report${reportQuery}">${t.report}</a></td>
                <td>${p.phase ? t.phases[p.phase] : t.noPhase}</td>
                <td class="n">${p.participants}</td>
                <td class="n">${p.proposals.total}</td>
                ${PROPOSAL_STATUSES.map((s) => html`<td class="n">${p.proposals.byStatus[s]}</td>`)}
                <td class="n">${p.supports}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${more}
    ${
      all && !older && rows.length > PROCESSES_SHOWN
        ? html`<p>
            <a href="${pageHref({ ...state, processes: undefined }, '#figures')}">${t.processesFewer}</a>
          </p>`
        : ''
    }
    ${pages}
  </section>`;
}

type Span = { what: PersonalDataKind; start: number; end: number };

/**
 * The personal data in a text as the redaction would find it (decide-moderation runs the same pre-screen
 * on each text when a moderator redacts): marked where it is, so the card says where without a copy.
 */
function personalSpans(text: string): Span[] {
  return prescreenText({ text })
    .flatMap((f) => (f.kind === 'personal-data' ? [{ what: f.what, start: f.start, end: f.end }] : []))
    .sort((a, b) => a.start - b.start);
}

function marked(t: Labels, text: string, spans: Span[]): SafeHtml {
  // Built as a string: the text is shown with white-space: pre-wrap, so no markup may add spaces to it.
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at || s.end > text.length) continue;
    out += `${escapeHtml(text.slice(at, s.start))}<mark title="${escapeHtml(t.personalData[s.what])}">${escapeHtml(text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return new SafeHtml(out + escapeHtml(text.slice(at)));
}

/** The pre-screen's findings in words: what it found and where (never a copy of personal data). */
function findingsText(t: Labels, c: ModerationCaseView, titleSpans: Span[], bodySpans: Span[]): string {
  if (c.findings === null) return t.notScreened;
  const parts: string[] = [];
  const personal = [...new Set(c.findings.flatMap((f) => (f.kind === 'personal-data' ? [f.what] : [])))];
  if (personal.length > 0)
    parts.push(
      `${t.findingKinds['personal-data']}: ${personal
        .map((what) => {
          const where = [
            ...(titleSpans.some((s) => s.what === what) ? [t.inTitle] : []),
            ...(bodySpans.some((s) => s.what === what) ? [t.inBody] : []),
          ];
          return where.length ? `${t.personalData[what]} (${list(t, where)})` : t.personalData[what];
        })
        .join(', ')}`,
    );
  const insults = [...new Set(c.findings.flatMap((f) => (f.kind === 'insult' ? [f.word] : [])))];
  if (insults.length > 0) parts.push(`${t.findingKinds.insult}: ${insults.map((w) => `«${w}»`).join(', ')}`);
  if (c.findings.some((f) => f.kind === 'shouting')) parts.push(t.findingKinds.shouting);
  if (c.findings.some((f) => f.kind === 'repeated-characters'))
    parts.push(t.findingKinds['repeated-characters']);
  const near = c.findings.flatMap((f) => (f.kind === 'near-duplicate' ? f.matches : []));
  if (near.length > 0)
    parts.push(
      `${t.findingKinds['near-duplicate']} ${near.map((m) => `#${m.id} (${Math.round(m.score * 100)} %)`).join(', ')}`,
    );
  return parts.length ? parts.join('; ') : t.nothingFound;
}

function reportsText(t: Labels, c: ModerationCaseView): string {
  const order = (r: string) => (REPORT_REASONS as readonly string[]).indexOf(r) >>> 0;
  const reasons = Object.entries(c.reports.reasons)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([r, n]) => {
      const word = (REPORT_REASONS as readonly string[]).includes(r)
        ? t.reportReasons[r as keyof Labels['reportReasons']]
        : r;
      return `${word} ×${n}`;
    });
  return reasons.length ? `${c.reports.count} (${reasons.join(', ')})` : String(c.reports.count);
}

function caseArticle(t: Labels, view: DashboardView, c: ModerationCaseView): SafeHtml {
  const draft = view.draft?.caseId === c.id ? view.draft : undefined;
  const titleSpans = c.title !== undefined ? personalSpans(c.title) : [];
  const bodySpans = personalSpans(c.body);
  const action = `${UI_PATH}/moderation/${c.id}/decide${stateQuery(view.state, { withLang: false })}`;
  const hidden = html`<input type="hidden" name="${CSRF_FIELD}" value="${view.csrf}" />
    <input type="hidden" name="lang" value="${view.locale}" />`;
  return html`<article class="case" id="case-${c.id}" data-case="${c.id}">
    <h3>
      ${t.caseLabel(c.id)} · ${c.itemKind === 'proposal' ? t.proposal : t.comment}
      #${c.itemId}${c.itemKind === 'comment' ? html` ${t.onProposal(c.proposalId)}` : ''}
    </h3>
    <p class="meta">
      <bdi>${c.processTitle}</bdi> · ${c.reason === 'reported' ? t.reported : t.submitted} · ${t.openedAt}:
      ${formatDate(view.locale, c.openedAt)} · ${t.reports}: ${reportsText(t, c)}
    </p>
    <p class="meta findings">
      ${t.findings}:
      ${findingsText(t, c, titleSpans, bodySpans)}.${
        titleSpans.length + bodySpans.length > 0 ? ` ${t.markedNote}` : ''
      }
    </p>
    ${c.title !== undefined ? html`<p class="item-title" dir="auto">${marked(t, c.title, titleSpans)}</p>` : ''}
    <p class="item-body" dir="auto">${marked(t, c.body, bodySpans)}</p>
    <div class="decide">
      <form method="post" action="${action}" class="approve">
        ${hidden}
        <button type="submit" name="decision" value="approve">${t.approve}</button>
        <button type="submit" name="decision" value="redact_approve">${t.redactApprove}</button>
      </form>
      <form method="post" action="${action}" class="reject">
        ${hidden}
        <input type="hidden" name="decision" value="reject" />
        <label for="preset-${c.id}">${t.presetReason}</label>
        <select id="preset-${c.id}" name="preset">
          <option value="">${t.chooseReason}</option>
          ${REJECTION_REASONS.map(
            (r) =>
              html`<option value="${r}" ${draft?.preset === r ? html`selected` : ''}>
                ${t.reasons[r]}
              </option>`,
          )}
        </select>
        <label for="reason-${c.id}">${t.typedReason}</label>
        <input
          id="reason-${c.id}"
          name="reason"
          maxlength="${MAX_REASON_LENGTH}"
          value="${draft?.reason ?? ''}"
        />
        <button type="submit">${t.reject}</button>
      </form>
    </div>
  </article>`;
}

function queueFilter(t: Labels, view: DashboardView): SafeHtml {
  const { state } = view;
  const processes = [...view.queue.processes];
  if (state.process !== undefined && !processes.some((p) => p.id === state.process))
    processes.push({ id: state.process, title: '' });
  const filtered = state.process !== undefined || state.reason !== undefined;
  return html`<form method="get" action="${DASHBOARD_PATH}#moderation" class="filter">
    <input type="hidden" name="lang" value="${view.locale}" />
    ${state.processes ? html`<input type="hidden" name="processes" value="${state.processes}" />` : ''}
    ${
      state.processesAfter !== undefined
        ? html`<input type="hidden" name="processesAfter" value="${state.processesAfter}" />`
        : ''
    }
    ${
      state.broadcastsAfter !== undefined
        ? html`<input type="hidden" name="broadcastsAfter" value="${state.broadcastsAfter}" />`
        : ''
    }
    <label for="filter-process">${t.filterProcess}</label>
    <select id="filter-process" name="process">
      <option value="">${t.any}</option>
      ${processes.map(
        (p) =>
          html`<option value="${p.id}" ${state.process === p.id ? html`selected` : ''}>
            #${p.id}${p.title ? ` · ${p.title}` : ''}
          </option>`,
      )}
    </select>
    <label for="filter-origin">${t.filterOrigin}</label>
    <select id="filter-origin" name="reason">
      <option value="">${t.any}</option>
      <option value="submitted" ${state.reason === 'submitted' ? html`selected` : ''}>
        ${t.originSubmitted}
      </option>
      <option value="reported" ${state.reason === 'reported' ? html`selected` : ''}>
        ${t.originReported}
      </option>
    </select>
    <button type="submit">${t.applyFilter}</button>
    ${
      filtered
        ? html`<a
            href="${pageHref({ ...state, process: undefined, reason: undefined, after: undefined }, '#moderation')}"
            >${t.clearFilter}</a
          >`
        : ''
    }
  </form>`;
}

function queueSection(t: Labels, view: DashboardView): SafeHtml {
  const q = view.queue;
  const { state } = view;
  const continued = state.after !== undefined;
  const filtered = state.process !== undefined || state.reason !== undefined;
  const shown = q.cases.length;
  const sentences = [t.waiting(q.openCount)];
  if (continued && shown > 0) sentences.push(t.shownNext(shown));
  else if (!continued && shown < q.openCount && shown > 0) {
    sentences.push(t.shownOldestFirst(shown));
    if (q.nextCursor) sentences.push(t.moreAfter(q.openCount - shown));
  }
  const first = pageHref({ ...state, after: undefined }, '#moderation');
  const next = q.nextCursor ? pageHref({ ...state, after: q.nextCursor }, '#moderation') : undefined;
  return html`<section id="moderation">
    <h2>${t.moderation}</h2>
    ${queueFilter(t, view)}
    <p>${sentences.join(' ')}</p>
    ${
      shown === 0
        ? html`<p>${filtered && q.openCount === 0 ? t.emptyFiltered : t.emptyQueue}</p>`
        : q.cases.map((c) => caseArticle(t, view, c))
    }
    ${
      continued || next
        ? html`<nav class="pages" aria-label="${t.queuePages}">
            ${continued ? html`<a href="${first}">${t.firstCases}</a>` : ''}
            ${next ? html`<a href="${next}" rel="next">${t.nextCases} →</a>` : ''}
          </nav>`
        : ''
    }
  </section>`;
}

/** A list's page links: back to its newest page, and on to older rows (nothing when neither applies). */
function pagesNav(
  label: string,
  links: { newest: false | { href: string; text: string }; older: false | { href: string; text: string } },
) {
  if (!links.newest && !links.older) return '';
  return html`<nav class="pages" aria-label="${label}">
    ${links.newest ? html`<a href="${links.newest.href}">${links.newest.text}</a>` : ''}
    ${links.older ? html`<a href="${links.older.href}" rel="next">${links.older.text} →</a>` : ''}
  </nav>`;
}

function broadcastsSection(t: Labels, view: DashboardView, b: NonNullable<DashboardView['broadcasts']>) {
  const { locale, state } = view;
  const older = state.broadcastsAfter !== undefined;
  const pages = pagesNav(t.broadcastPages, {
    newest: older && {
      href: pageHref({ ...state, broadcastsAfter: undefined }, '#broadcasts'),
      text: t.newestBroadcasts,
    },
    older: b.more && {
      href: pageHref({ ...state, broadcastsAfter: b.rows.at(-1)!.summary.id }, '#broadcasts'),
      text: t.olderBroadcasts,
    },
  });
  if (b.rows.length === 0)
    return html`<section id="broadcasts">
      <h2 id="broadcasts-h">${t.broadcasts}</h2>
      <p>${older ? t.noOlderBroadcasts : t.noBroadcasts}</p>
      ${pages}
    </section>`;
  // The first page counts its rows; a later one cannot (the cursor says where, not how far).
  const sentence = older
    ? t.broadcastsOlder(b.rows.length, b.more)
    : b.more
      ? t.broadcastsRange(1, b.rows.length, b.more)
      : undefined;
  return html`<section id="broadcasts">
    <h2 id="broadcasts-h">${t.broadcasts}</h2>
    ${sentence ? html`<p>${sentence}</p>` : ''}
    <div class="scroll" role="region" aria-labelledby="broadcasts-h" tabindex="0">
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>${t.process}</th>
            <th>${t.status}</th>
            <th>${t.createdBy}</th>
            <th>${t.when}</th>
            <th>${t.text}</th>
            <th class="n">${t.recipients}</th>
            <th class="n">${t.sent}</th>
            <th class="n">${t.waitingDelivery}</th>
            <th class="n">${t.failed}</th>
            <th class="n">${t.blocked}</th>
            <th class="n">${t.skipped}</th>
            <th class="n">${t.remaining}</th>
            <th class="n">${t.rate}</th>
          </tr>
        </thead>
        <tbody>
          ${b.rows.map(({ summary: s, progress: p }) => {
            const text = s.texts[locale] ?? s.texts.es ?? '';
            return html`<tr data-broadcast="${s.id}">
              <td>${s.id}</td>
              <td>#${s.processId}</td>
              <td>${t.broadcastStatuses[s.status]}</td>
              <td><bdi>${s.createdBy ?? '—'}</bdi></td>
              <td>${formatDate(locale, s.startedAt ?? s.scheduledAt ?? s.createdAt)}</td>
              <td class="text" dir="auto">${text.length > 120 ? `${text.slice(0, 119)}…` : text}</td>
              <td class="n">${p?.recipients ?? s.recipients}</td>
              <td class="n">${p?.sent ?? '—'}</td>
              <td class="n">${p?.waiting ?? '—'}</td>
              <td class="n">${p?.failed ?? '—'}</td>
              <td class="n">${p?.blocked ?? '—'}</td>
              <td class="n">${p?.skipped ?? '—'}</td>
              <td class="n">${p?.remaining ?? '—'}</td>
              <td class="n">${p ? `${p.ratePerSecond}${t.perSecond}` : '—'}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    ${pages}
  </section>`;
}

export function renderDashboard(view: DashboardView): string {
  const t = LABELS[view.locale];
  const other: Locale = view.locale === 'es' ? 'en' : 'es';
  return layout(
    view.locale,
    t.title,
    html`<header>
        <h1>${t.title}</h1>
        <nav>
          <span>${t.signedInAs} <bdi>${view.staff.name}</bdi> (${view.staff.role})</span>
          <a href="${pageHref({ ...view.state, lang: other })}" hreflang="${other}">${t.language}</a>
          <form method="post" action="${UI_PATH}/logout" class="inline">
            <input type="hidden" name="${CSRF_FIELD}" value="${view.csrf}" />
            <input type="hidden" name="lang" value="${view.locale}" />
            <button type="submit">${t.signOut}</button>
          </form>
        </nav>
      </header>
      <main>
        ${notices(
          t,
          // A link to a case's card when the card is on the page (a decided case has none), else to where it
          // is, if the notice knows.
          view.notices.map((n) =>
            n.caseId === undefined
              ? n
              : view.queue.cases.some((c) => c.id === n.caseId)
                ? { ...n, caseElsewhere: undefined }
                : n.caseElsewhere
                  ? n
                  : { ...n, caseId: undefined },
          ),
        )}
        ${view.figures ? figuresSection(t, view, view.figures) : ''} ${queueSection(t, view)}
        ${view.broadcasts ? broadcastsSection(t, view, view.broadcasts) : ''}
        ${
          view.queuesBoard
            ? html`<section id="links">
                <h2>${t.links}</h2>
                <ul>
                  <li><a href="${view.queuesBoard}">${t.queuesBoard}</a></li>
                </ul>
              </section>`
            : ''
        }
      </main>`,
  );
}

/** The page's icon (without one, browsers ask for /favicon.ico, which is not ours). */
export const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f3b57"/></svg>';

/** The one stylesheet (the CSP allows styles from this origin only, no inline style). */
export const STYLESHEET = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f6f4; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem;
  padding: 0.75rem 1.25rem; background: #1f3b57; color: #fff; }
header h1 { font-size: 1.2rem; margin: 0; }
header a { color: #fff; }
nav { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
main { padding: 1rem 1.25rem; max-width: 80rem; }
main.narrow { max-width: 32rem; margin: 2rem auto; background: #fff; padding: 1.5rem; border-radius: 6px; }
section { margin-bottom: 2rem; }
.scroll { overflow-x: auto; max-width: 100%; }
.scroll:focus-visible { outline: 3px solid #1f3b57; outline-offset: 2px; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #d8d8d2; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
#figures th { font-size: 0.85em; hyphens: auto; }
#figures th, #figures td { padding: 0.3rem 0.4rem; }
td.n, th.n { text-align: right; }
td.title, th.title { min-width: 9rem; max-width: 20rem; overflow-wrap: anywhere; }
td.text { max-width: 20rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted, .meta { color: #5a5a55; }
.case { background: #fff; border: 1px solid #d8d8d2; border-radius: 6px; padding: 0.75rem 1rem; margin: 0.75rem 0; }
.case h3 { margin: 0 0 0.25rem; font-size: 1rem; }
.case .meta { margin: 0.25rem 0; }
.item-title { font-weight: 600; margin: 0.5rem 0 0.25rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.item-body { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 0.75rem; }
mark { background: #ffe58a; color: inherit; outline: 1px dashed #8a6d00; }
.decide { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; }
.decide form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0; }
form.reject { border-left: 3px solid #b3261e; padding-left: 0.75rem; }
form.filter { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0 0 0.75rem; }
form.inline { display: inline; }
nav.pages { gap: 1.5rem; margin: 0.75rem 0; }
.notice { padding: 0.5rem 0.75rem; border-radius: 4px; }
.notice.ok { background: #e3f4e1; }
.notice.error { background: #fbe3e0; }
label { display: inline-block; }
input#token { display: block; width: 100%; margin: 0.25rem 0 0.75rem; padding: 0.4rem; font: inherit; }
button, select, input { font: inherit; }
button { padding: 0.3rem 0.7rem; cursor: pointer; }
`;
