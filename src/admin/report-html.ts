// The final report of a process as one printable HTML page (staff-facing): no script, no external resource,
// a screen and a print stylesheet inline. Every value that comes from the database goes through `esc` —
// proposals and answers are written by people and may hold `<script>`. The CSP the router sends
// (REPORT_CSP) forbids scripts anyway.
//
// Labels live here, not in src/i18n: they are for staff over HTTP, not for the chat (whose i18n `report`
// section is the citizens' content reports), and the chat's translation files need not carry them.
//
// Charts: each section has a stable id (REPORT_SECTIONS) and, when `charts[id]` is given, its SVG string is
// placed in a <figure class="chart"> right under the section's heading, as is (it must be trusted markup,
// made from the report's numbers, never from its texts unescaped), with its caption (escaped) as the
// figure's <figcaption>: the chart's text alternative in the report's language (report-charts.ts names the
// SVG itself, role="img"). Without charts, nothing is left empty.
//
// People's texts (titles, categories, answers, departments) may be written right to left: each sits in its
// own bidi isolate (<bdi>, or dir="auto" on a cell of its own), so the ids and words around it keep their
// order.
import type { Locale } from '../domain/deps.ts';
import type { DayCount, ProcessReport } from '../domain/get-process-report.ts';
import { periodEnd } from '../domain/last-day.ts';

export const REPORT_SECTIONS = [
  'summary',
  'participation',
  'proposals',
  'supports',
  'comments',
  'moderation',
  'results',
  'commitments',
] as const;
export type ReportSectionId = (typeof REPORT_SECTIONS)[number];

/** No scripts, nothing fetched, no forms, no framing; inline styles only (the page's and its SVG charts'). */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const es = {
  title: 'Informe final',
  generatedAt: 'Datos a',
  slug: 'Identificador',
  timeZone: 'Zona horaria',
  phases: 'Fases',
  sections: {
    summary: 'Resumen',
    participation: 'Participación',
    proposals: 'Propuestas',
    supports: 'Apoyos',
    comments: 'Comentarios',
    moderation: 'Moderación',
    results: 'Resultados',
    commitments: 'Compromisos',
  },
  figures: {
    participants: 'Personas participantes',
    subscribers: 'Personas suscritas',
    proposals: 'Propuestas recibidas',
    supports: 'Apoyos',
    comments: 'Comentarios',
    commitments: 'Compromisos',
  },
  participation: {
    proposers: 'Han hecho propuestas',
    supporters: 'Han dado apoyos',
    commenters: 'Han comentado',
    byChannel: 'Por canal de entrada',
    byDay: 'Por día (personas distintas activas)',
    subscribersByChannel: 'Personas suscritas, por canal',
    note: 'Una persona participa si ha propuesto, apoyado o comentado. Se cuenta una vez, en el canal por el que entró.',
  },
  proposals: {
    byStatus: 'Por estado',
    byCategory: 'Por categoría',
    public: 'Públicas',
    total: 'Total',
    byDay: 'Recibidas por día',
  },
  supports: { byDay: 'Por día', byChannel: 'Por canal' },
  comments: { byStatus: 'Por estado', byDay: 'Recibidos por día' },
  moderation: {
    opened: 'Casos recibidos',
    reopenedByReports: 'Reabiertos por denuncias',
    waiting: 'Pendientes de decisión',
    approved: 'Aprobados',
    redacted: 'Aprobados con datos tachados',
    rejected: 'Rechazados',
    byReason: 'Rechazos por motivo',
    citizenReports: 'Denuncias de la ciudadanía',
    median: 'Tiempo mediano hasta la decisión',
  },
  results: {
    position: 'Puesto',
    proposal: 'Propuesta',
    category: 'Categoría',
    supports: 'Apoyos',
    comments: 'Comentarios',
    outcome: 'Resultado',
    answer: 'Respuesta oficial',
    none: 'No hay propuestas públicas.',
  },
  commitments: {
    commitment: 'Compromiso',
    department: 'Departamento',
    status: 'Estado',
    progress: 'Avance',
    due: 'Fecha prevista',
    updates: 'Actualizaciones',
    proposals: 'Propuestas',
    none: 'Todavía no hay compromisos.',
  },
  day: 'Día',
  count: 'Número',
  status: 'Estado',
  reason: 'Motivo',
  channel: 'Canal',
  noData: 'Sin datos.',
  dash: '—',
  channels: { telegram: 'Telegram', webchat: 'Chat web', none: 'Sin cuenta' } as Record<string, string>,
  proposalStatus: {
    pending: 'Pendientes de moderación',
    published: 'Publicadas',
    rejected: 'Rechazadas',
    withdrawn: 'Retiradas',
    selected: 'Seleccionadas',
    not_selected: 'No seleccionadas',
    hidden: 'Ocultas por denuncias',
  },
  commentStatus: {
    pending: 'Pendientes de moderación',
    published: 'Publicados',
    rejected: 'Rechazados',
    hidden: 'Ocultos por denuncias',
  },
  outcome: { selected: 'Seleccionada', not_selected: 'No seleccionada', undecided: 'Sin decidir' },
  commitmentStatus: { planned: 'Previsto', in_progress: 'En marcha', done: 'Hecho', cancelled: 'Cancelado' },
  reasons: {
    'personal-data': 'Datos personales',
    insults: 'Insultos',
    duplicate: 'Duplicada',
    'off-topic': 'Fuera de tema',
    spam: 'Spam',
    other: 'Otros motivos',
  } as Record<string, string>,
  phaseKinds: {
    information: 'Información',
    proposals: 'Propuestas',
    debate: 'Debate',
    voting: 'Votación',
    results: 'Resultados',
    follow_up: 'Seguimiento',
  } as Record<string, string>,
};

type Labels = typeof es;

const en: Labels = {
  title: 'Final report',
  generatedAt: 'Figures as of',
  slug: 'Identifier',
  timeZone: 'Time zone',
  phases: 'Phases',
  sections: {
    summary: 'Summary',
    participation: 'Participation',
    proposals: 'Proposals',
    supports: 'Supports',
    comments: 'Comments',
    moderation: 'Moderation',
    results: 'Results',
    commitments: 'Commitments',
  },
  figures: {
    participants: 'Participants',
    subscribers: 'Subscribers',
    proposals: 'Proposals received',
    supports: 'Supports',
    comments: 'Comments',
    commitments: 'Commitments',
  },
  participation: {
    proposers: 'Made proposals',
    supporters: 'Gave supports',
    commenters: 'Commented',
    byChannel: 'By channel they joined through',
    byDay: 'By day (distinct active people)',
    subscribersByChannel: 'Subscribers, by channel',
    note: 'A participant proposed, supported or commented. Each is counted once, under the channel they joined through.',
  },
  proposals: {
    byStatus: 'By status',
    byCategory: 'By category',
    public: 'Public',
    total: 'Total',
    byDay: 'Received per day',
  },
  supports: { byDay: 'By day', byChannel: 'By channel' },
  comments: { byStatus: 'By status', byDay: 'Received per day' },
  moderation: {
    opened: 'Cases opened',
    reopenedByReports: 'Reopened by reports',
    waiting: 'Awaiting a decision',
    approved: 'Approved',
    redacted: 'Approved with personal data redacted',
    rejected: 'Rejected',
    byReason: 'Rejections by reason',
    citizenReports: 'Reports by citizens',
    median: 'Median time to decision',
  },
  results: {
    position: 'Rank',
    proposal: 'Proposal',
    category: 'Category',
    supports: 'Supports',
    comments: 'Comments',
    outcome: 'Outcome',
    answer: 'Official answer',
    none: 'There are no public proposals.',
  },
  commitments: {
    commitment: 'Commitment',
    department: 'Department',
    status: 'Status',
    progress: 'Progress',
    due: 'Due date',
    updates: 'Updates',
    proposals: 'Proposals',
    none: 'No commitments yet.',
  },
  day: 'Day',
  count: 'Count',
  status: 'Status',
  reason: 'Reason',
  channel: 'Channel',
  noData: 'No data.',
  dash: '—',
  channels: { telegram: 'Telegram', webchat: 'Web chat', none: 'No account' },
  proposalStatus: {
    pending: 'Awaiting moderation',
    published: 'Published',
    rejected: 'Rejected',
    withdrawn: 'Withdrawn',
    selected: 'Selected',
    not_selected: 'Not selected',
    hidden: 'Hidden after reports',
  },
  commentStatus: {
    pending: 'Awaiting moderation',
    published: 'Published',
    rejected: 'Rejected',
    hidden: 'Hidden after reports',
  },
  outcome: { selected: 'Selected', not_selected: 'Not selected', undecided: 'Not decided' },
  commitmentStatus: { planned: 'Planned', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' },
  reasons: {
    'personal-data': 'Personal data',
    insults: 'Insults',
    duplicate: 'Duplicate',
    'off-topic': 'Off topic',
    spam: 'Spam',
    other: 'Other reasons',
  },
  phaseKinds: {
    information: 'Information',
    proposals: 'Proposals',
    debate: 'Debate',
    voting: 'Voting',
    results: 'Results',
    follow_up: 'Follow-up',
  },
};

const LABELS: Record<Locale, Labels> = { es, en };

const STYLE = `
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.meta { color: #444; margin: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .6rem; list-style: none; padding: 0; }
.figures li { border: 1px solid #bbb; border-radius: 4px; padding: .5rem .7rem; }
.figures .n { display: block; font-size: 1.5rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1rem; }
th, td { border-bottom: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.5rem; }
.chart { margin: .5rem 0 1rem; }
.chart svg { max-width: 100%; height: auto; }
.chart figcaption { color: #444; font-size: .9em; }
.note { color: #555; font-size: .9em; }
.answer { white-space: pre-wrap; }
progress { width: 5rem; vertical-align: middle; }
@page { size: A4; margin: 18mm 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  tr, .figures li, .chart { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
`;

export interface RenderReportOptions {
  locale: Locale;
  /** Inline SVG per section, placed as is (trusted markup), with its caption (text, escaped here). */
  charts?: Partial<Record<ReportSectionId, { svg: string; caption: string }>>;
}

export function renderReportHtml(report: ProcessReport, opts: RenderReportOptions): string {
  const { locale } = opts;
  const l = LABELS[locale];
  const tz = report.process.timeZone;
  const num = new Intl.NumberFormat(locale);
  const n = (v: number) => num.format(v);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: tz });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: tz });
  const closing = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
    timeZone: tz,
  });
  // A phase's end is exclusive: its last day open, or the day and time it closes when not at midnight.
  const phaseEnd = (endsAt: Date) => {
    const end = periodEnd(endsAt, tz);
    return end.closesAt ? closing.format(end.closesAt) : date.format(end.lastDay);
  };
  // A `YYYY-MM-DD` day is already the process's calendar day: shown as it is, in UTC.
  const day = (d: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${d}T12:00:00Z`),
    );
  const text = (texts: Record<string, string>) => texts[locale] ?? texts.es ?? Object.values(texts)[0] ?? '';
  const title = text(report.process.title);
  const categories = new Map(report.proposals.byCategory.map((c) => [c.key, text(c.label)]));

  const section = (id: ReportSectionId, body: string) => {
    const chart = opts.charts?.[id];
    return `<section class="report-section" id="${id}" aria-labelledby="h-${id}">
<h2 id="h-${id}">${esc(l.sections[id])}</h2>
${
  chart
    ? `<figure class="chart" data-section="${id}">${chart.svg}<figcaption>${esc(chart.caption)}</figcaption></figure>\n`
    : ''
}${body}
</section>`;
  };
  const countTable = (caption: string, head: string, rows: [string, number][]) =>
    `<table><caption hidden>${esc(caption)}</caption><thead><tr><th>${esc(head)}</th><th class="n">${esc(l.count)}</th></tr></thead><tbody>${
      rows.length === 0
        ? `<tr><td colspan="2">${esc(l.noData)}</td></tr>`
        : rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="n">${n(v)}</td></tr>`).join('')
    }</tbody></table>`;
  const block = (heading: string, table: string) => `<div><h3>${esc(heading)}</h3>${table}</div>`;
  const days = (heading: string, rows: DayCount[]) =>
    block(
      heading,
      countTable(
        heading,
        l.day,
        rows.map((r) => [day(r.day), r.count]),
      ),
    );
  const channels = (heading: string, byChannel: Record<string, number>) =>
    block(
      heading,
      countTable(
        heading,
        l.channel,
        Object.entries(byChannel).map(([k, v]) => [l.channels[k] ?? k, v]),
      ),
    );
  const figure = (label: string, value: string) => `<li><span class="n">${value}</span>${esc(label)}</li>`;

  const r = report;
  const m = r.moderation;
  const phases = r.process.phases
    .map(
      (p) =>
        `${esc(l.phaseKinds[p.kind] ?? p.kind)} (${esc(date.format(p.startsAt))} – ${esc(phaseEnd(p.endsAt))})`,
    )
    .join(' · ');

  const sections = [
    section(
      'summary',
      `<ul class="figures">${[
        figure(l.figures.participants, n(r.participants.total)),
        figure(l.figures.subscribers, n(r.subscribers.total)),
        figure(l.figures.proposals, n(r.proposals.total)),
        figure(l.figures.supports, n(r.supports.total)),
        figure(l.figures.comments, n(r.comments.total)),
        figure(l.figures.commitments, n(r.commitments.length)),
      ].join('')}</ul>`,
    ),
    section(
      'participation',
      `<ul class="figures">${[
        figure(l.participation.proposers, n(r.participants.proposers)),
        figure(l.participation.supporters, n(r.participants.supporters)),
        figure(l.participation.commenters, n(r.participants.commenters)),
      ].join('')}</ul>
<p class="note">${esc(l.participation.note)}</p>
<div class="tables">${channels(l.participation.byChannel, r.participants.byChannel)}${channels(
        l.participation.subscribersByChannel,
        r.subscribers.byChannel,
      )}${days(l.participation.byDay, r.participants.byDay)}</div>`,
    ),
    section(
      'proposals',
      `<div class="tables">${block(
        l.proposals.byStatus,
        countTable(
          l.proposals.byStatus,
          l.status,
          Object.entries(r.proposals.byStatus).map(([k, v]) => [
            l.proposalStatus[k as keyof Labels['proposalStatus']],
            v,
          ]),
        ),
      )}${block(
        l.proposals.byCategory,
        `<table><thead><tr><th>${esc(l.results.category)}</th><th class="n">${esc(l.proposals.total)}</th><th class="n">${esc(
          l.proposals.public,
        )}</th></tr></thead><tbody>${r.proposals.byCategory
          .map(
            (c) =>
              `<tr><td dir="auto">${esc(text(c.label))}</td><td class="n">${n(c.total)}</td><td class="n">${n(c.public)}</td></tr>`,
          )
          .join('')}</tbody></table>`,
      )}${days(l.proposals.byDay, r.proposals.byDay)}</div>`,
    ),
    section(
      'supports',
      `<ul class="figures">${figure(l.figures.supports, n(r.supports.total))}</ul>
<div class="tables">${days(l.supports.byDay, r.supports.byDay)}${channels(l.supports.byChannel, r.supports.byChannel)}</div>`,
    ),
    section(
      'comments',
      `<ul class="figures">${figure(l.figures.comments, n(r.comments.total))}</ul>
<div class="tables">${block(
        l.comments.byStatus,
        countTable(
          l.comments.byStatus,
          l.status,
          Object.entries(r.comments.byStatus).map(([k, v]) => [
            l.commentStatus[k as keyof Labels['commentStatus']],
            v,
          ]),
        ),
      )}${days(l.comments.byDay, r.comments.byDay)}</div>`,
    ),
    section(
      'moderation',
      `<ul class="figures">${[
        figure(l.moderation.opened, n(m.opened)),
        figure(l.moderation.reopenedByReports, n(m.reopenedByReports)),
        figure(l.moderation.waiting, n(m.waiting)),
        figure(l.moderation.approved, n(m.approved)),
        figure(l.moderation.redacted, n(m.redacted)),
        figure(l.moderation.rejected, n(m.rejected)),
        figure(l.moderation.citizenReports, n(m.citizenReports)),
        figure(
          l.moderation.median,
          m.medianSecondsToDecision === null ? l.dash : esc(duration(m.medianSecondsToDecision)),
        ),
      ].join('')}</ul>
${block(
  l.moderation.byReason,
  countTable(
    l.moderation.byReason,
    l.reason,
    Object.entries(m.rejectedByReason).map(([k, v]) => [l.reasons[k] ?? k, v ?? 0]),
  ),
)}`,
    ),
    section(
      'results',
      r.results.length === 0
        ? `<p>${esc(l.results.none)}</p>`
        : `<table><thead><tr><th class="n">${esc(l.results.position)}</th><th>${esc(l.results.proposal)}</th><th>${esc(
            l.results.category,
          )}</th><th class="n">${esc(l.results.supports)}</th><th class="n">${esc(l.results.comments)}</th><th>${esc(
            l.results.outcome,
          )}</th><th>${esc(l.results.answer)}</th></tr></thead><tbody>${r.results
            .map(
              (p) =>
                `<tr><td class="n">${n(p.position)}</td><td><bdi>${esc(p.title)}</bdi> <span class="note">#${p.id}</span></td><td dir="auto">${esc(
                  categories.get(p.categoryKey) ?? p.categoryKey,
                )}</td><td class="n">${n(p.supports)}</td><td class="n">${n(p.comments)}</td><td>${esc(
                  l.outcome[p.outcome],
                )}</td><td class="answer">${p.answer ? `<bdi>${esc(p.answer)}</bdi>` : l.dash}${
                  p.answeredAt ? ` <span class="note">(${esc(date.format(p.answeredAt))})</span>` : ''
                }</td></tr>`,
            )
            .join('')}</tbody></table>`,
    ),
    section(
      'commitments',
      r.commitments.length === 0
        ? `<p>${esc(l.commitments.none)}</p>`
        : `<table><thead><tr><th>${esc(l.commitments.commitment)}</th><th>${esc(l.commitments.department)}</th><th>${esc(
            l.commitments.status,
          )}</th><th class="n">${esc(l.commitments.progress)}</th><th>${esc(l.commitments.due)}</th><th class="n">${esc(
            l.commitments.updates,
          )}</th><th>${esc(l.commitments.proposals)}</th></tr></thead><tbody>${r.commitments
            .map(
              (c) =>
                `<tr><td dir="auto">${esc(text(c.title))}</td><td dir="auto">${esc(c.department)}</td><td>${esc(
                  l.commitmentStatus[c.status],
                )}</td><td class="n"><progress max="100" value="${clampPercent(c.progress)}"></progress> ${n(
                  clampPercent(c.progress),
                )} %</td><td>${c.dueDate ? esc(day(c.dueDate)) : l.dash}</td><td class="n">${n(c.updates)}</td><td>${
                  c.proposalIds.length ? c.proposalIds.map((id) => `#${id}`).join(', ') : l.dash
                }</td></tr>`,
            )
            .join('')}</tbody></table>`,
    ),
  ];

  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(l.title)} — ${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(l.title)}: <bdi>${esc(title)}</bdi></h1>
<p class="meta">${esc(l.generatedAt)} ${esc(dateTime.format(r.generatedAt))} · ${esc(l.timeZone)}: ${esc(tz)} · ${esc(
    l.slug,
  )}: <bdi>${esc(r.process.slug)}</bdi></p>
${phases ? `<p class="meta">${esc(l.phases)}: ${phases}</p>` : ''}
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

/** HTML-escapes text for element content and quoted attribute values. */
export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clampPercent(v: number): number {
  return Math.min(100, Math.max(0, Math.round(v)));
}

/** 45 s, 25 min, 2 h 5 min, 3 d 4 h. */
function duration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  if (min > 0) return `${min} min`;
  return `${seconds} s`;
}
