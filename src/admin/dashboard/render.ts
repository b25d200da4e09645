// The dashboard's pages, rendered on the server: plain HTML and forms, no script at all (the page's
// Content-Security-Policy allows none), one same-origin stylesheet. Every text that comes from the database
// or from a person goes through `html`, which escapes it.
import type { AuthenticatedStaff } from '../../domain/authenticate-token.ts';
import type { BroadcastSummary } from '../../domain/list-broadcasts.ts';
import type { BroadcastProgress } from '../../domain/get-broadcast-progress.ts';
import { REJECTION_REASONS } from '../../domain/decide-moderation.ts';
import type { Locale } from '../../domain/deps.ts';
import { PROPOSAL_STATUSES, type ProcessFigures } from '../../domain/get-dashboard-figures.ts';
import type { ModerationCaseView } from '../../domain/get-moderation-case.ts';
import { MAX_REASON_LENGTH } from '../../domain/decide-moderation.ts';
import { CSRF_FIELD } from './csrf.ts';
import { html, type SafeHtml } from './html.ts';
import { LABELS, type Labels } from './labels.ts';
import { DASHBOARD_PATH, UI_PATH } from './paths.ts';

export type Notice = { kind: 'ok' | 'error'; text: string };

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

function notices(list: Notice[]): SafeHtml {
  return html`${list.map((n) => html`<p class="notice ${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}">${n.text}</p>`)}`;
}

export function renderLogin(opts: { locale: Locale; csrf: string; notices?: Notice[] }): string {
  const t = LABELS[opts.locale];
  const other: Locale = opts.locale === 'es' ? 'en' : 'es';
  return layout(
    opts.locale,
    t.signInTitle,
    html`<main class="narrow">
      <h1>${t.signInTitle}</h1>
      ${notices(opts.notices ?? [])}
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

/** A page with a message and a way back (refusals, errors). */
export function renderMessage(opts: { locale: Locale; text: string; signIn?: boolean }): string {
  const t = LABELS[opts.locale];
  const link = opts.signIn ? `${UI_PATH}/login?lang=${opts.locale}` : `${DASHBOARD_PATH}?lang=${opts.locale}`;
  return layout(
    opts.locale,
    t.title,
    html`<main class="narrow">
      <h1>${t.title}</h1>
      ${notices([{ kind: 'error', text: opts.text }])}
      <p><a href="${link}">${opts.signIn ? t.signIn : t.back}</a></p>
    </main>`,
  );
}

export interface DashboardView {
  locale: Locale;
  staff: AuthenticatedStaff;
  csrf: string;
  notices: Notice[];
  /** Absent for moderators: they see the moderation part only. */
  figures?: ProcessFigures[];
  queue: { openCount: number; cases: ModerationCaseView[] };
  broadcasts?: { summary: BroadcastSummary; progress: BroadcastProgress | undefined }[];
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

function figuresSection(t: Labels, locale: Locale, figures: ProcessFigures[]): SafeHtml {
  // The report speaks Spanish unless asked otherwise.
  const reportQuery = locale === 'es' ? '' : `?locale=${locale}`;
  if (figures.length === 0)
    return html`<section id="figures">
      <h2>${t.figures}</h2>
      <p>${t.noProcesses}</p>
    </section>`;
  return html`<section id="figures">
    <h2>${t.figures}</h2>
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>${t.process}</th>
            <th>${t.phase}</th>
            <th class="n">${t.participants}</th>
            <th class="n">${t.proposals}</th>
            ${PROPOSAL_STATUSES.map((s) => html`<th class="n">${t.statuses[s]}</th>`)}
            <th class="n">${t.supports}</th>
            <th>${t.report}</th>
          </tr>
        </thead>
        <tbody>
          ${figures.map(
            (p) =>
              html`<tr data-process="${p.id}">
                <td>${p.title} <span class="muted">#${p.id}</span></td>
                <td>${p.phase ? t.phases[p.phase] : t.noPhase}</td>
                <td class="n">${p.participants}</td>
                <td class="n">${p.proposals.total}</td>
                ${PROPOSAL_STATUSES.map((s) => html`<td class="n">${p.proposals.byStatus[s]}</td>`)}
                <td class="n">${p.supports}</td>
                <td><a href="${DASHBOARD_PATH}/processes/${p.id}/report${reportQuery}">${t.report}</a></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

function caseArticle(t: Labels, view: DashboardView, c: ModerationCaseView): SafeHtml {
  const findings =
    c.findings === null ? t.notScreened : [...new Set(c.findings.map((f) => f.kind))].join(', ') || '—';
  return html`<article class="case" id="case-${c.id}" data-case="${c.id}">
    <h3>
      ${t.caseLabel(c.id)} · ${c.itemKind === 'proposal' ? t.proposal : t.comment}
      #${c.itemId}${c.itemKind === 'comment' ? html` ${t.onProposal(c.proposalId)}` : ''}
    </h3>
    <p class="meta">
      ${c.processTitle} · ${c.reason === 'reported' ? t.reported : t.submitted} · ${t.openedAt}:
      ${formatDate(view.locale, c.openedAt)} · ${t.reports}: ${c.reports.count} · ${t.findings}: ${findings}
    </p>
    ${c.title !== undefined ? html`<p class="item-title">${c.title}</p>` : ''}
    <p class="item-body">${c.body}</p>
    <form method="post" action="${UI_PATH}/moderation/${c.id}/decide" class="decide">
      <input type="hidden" name="${CSRF_FIELD}" value="${view.csrf}" />
      <input type="hidden" name="lang" value="${view.locale}" />
      <button type="submit" name="decision" value="approve">${t.approve}</button>
      <button type="submit" name="decision" value="redact_approve">${t.redactApprove}</button>
      <span class="reject">
        <label
          >${t.presetReason}
          <select name="preset">
            <option value="">${t.chooseReason}</option>
            ${REJECTION_REASONS.map((r) => html`<option value="${r}">${t.reasons[r]}</option>`)}
          </select></label
        >
        <label>${t.typedReason} <input name="reason" maxlength="${MAX_REASON_LENGTH}" /></label>
        <button type="submit" name="decision" value="reject">${t.reject}</button>
      </span>
    </form>
  </article>`;
}

function broadcastsSection(
  t: Labels,
  locale: Locale,
  rows: NonNullable<DashboardView['broadcasts']>,
): SafeHtml {
  if (rows.length === 0)
    return html`<section id="broadcasts">
      <h2>${t.broadcasts}</h2>
      <p>${t.noBroadcasts}</p>
    </section>`;
  return html`<section id="broadcasts">
    <h2>${t.broadcasts}</h2>
    <div class="scroll">
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
          ${rows.map(({ summary: b, progress: p }) => {
            const text = b.texts[locale] ?? b.texts.es ?? '';
            return html`<tr data-broadcast="${b.id}">
              <td>${b.id}</td>
              <td>#${b.processId}</td>
              <td>${t.broadcastStatuses[b.status]}</td>
              <td>${b.createdBy ?? '—'}</td>
              <td>${formatDate(locale, b.startedAt ?? b.scheduledAt ?? b.createdAt)}</td>
              <td class="text">${text.length > 120 ? `${text.slice(0, 119)}…` : text}</td>
              <td class="n">${p?.recipients ?? b.recipients}</td>
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
  </section>`;
}

export function renderDashboard(view: DashboardView): string {
  const t = LABELS[view.locale];
  const other: Locale = view.locale === 'es' ? 'en' : 'es';
  const q = view.queue;
  return layout(
    view.locale,
    t.title,
    html`<header>
        <h1>${t.title}</h1>
        <nav>
          <span>${t.signedInAs} ${view.staff.name} (${view.staff.role})</span>
          <a href="${DASHBOARD_PATH}?lang=${other}" hreflang="${other}">${t.language}</a>
          <form method="post" action="${UI_PATH}/logout" class="inline">
            <input type="hidden" name="${CSRF_FIELD}" value="${view.csrf}" />
            <input type="hidden" name="lang" value="${view.locale}" />
            <button type="submit">${t.signOut}</button>
          </form>
        </nav>
      </header>
      <main>
        ${notices(view.notices)} ${view.figures ? figuresSection(t, view.locale, view.figures) : ''}
        <section id="moderation">
          <h2>${t.moderation}</h2>
          <p>
            ${t.waiting(q.openCount)}${q.cases.length < q.openCount ? html` ${t.shownOldestFirst(q.cases.length)}` : ''}
          </p>
          ${q.cases.length === 0 ? html`<p>${t.emptyQueue}</p>` : q.cases.map((c) => caseArticle(t, view, c))}
        </section>
        ${view.broadcasts ? broadcastsSection(t, view.locale, view.broadcasts) : ''}
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
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #d8d8d2; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; }
td.text { max-width: 20rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted, .meta { color: #5a5a55; }
.case { background: #fff; border: 1px solid #d8d8d2; border-radius: 6px; padding: 0.75rem 1rem; margin: 0.75rem 0; }
.case h3 { margin: 0 0 0.25rem; font-size: 1rem; }
.item-title { font-weight: 600; margin: 0.5rem 0 0.25rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.item-body { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 0.75rem; }
form.decide { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
form.inline { display: inline; }
.reject { display: inline-flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.notice { padding: 0.5rem 0.75rem; border-radius: 4px; }
.notice.ok { background: #e3f4e1; }
.notice.error { background: #fbe3e0; }
label { display: inline-block; }
input#token { display: block; width: 100%; margin: 0.25rem 0 0.75rem; padding: 0.4rem; font: inherit; }
button { font: inherit; padding: 0.3rem 0.7rem; cursor: pointer; }
`;
