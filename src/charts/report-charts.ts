// The final report's charts, as inline SVG (the page fetches nothing and runs no script): participation by
// day, proposals by status, supports by day, the results (the chat's chart), commitments' progress. Drawn
// from the report's numbers; the only people's text that reaches a chart is a proposal or commitment title,
// cleaned by chartLabel and escaped by vega's SVG writer. Labels are the report's (staff-facing, es/en).
//
// Accessibility: vega writes its own ARIA (roles, roledescriptions, labels such as "X-axis titled 'Día' for
// a discrete scale…"), always in English. It is turned off (`aria: false`) and what is left of it removed;
// each chart is instead one image (`role="img"`) named in the report's language, with a caption that says
// in words what it shows (range, highest value, or every value when there are few); the section's tables
// next to it hold every figure.
import type { TopLevelSpec } from 'vega-lite';
import type { DayCount, ProcessReport } from '../domain/get-process-report.ts';
import { chartLabel, MAX_BARS, resultsChartSpec } from './results-chart.ts';

type Locale = 'es' | 'en';
export type ReportChartId = 'participation' | 'proposals' | 'supports' | 'results' | 'commitments';

const LABELS = {
  es: {
    day: 'Día',
    participants: 'Participantes activos',
    proposals: 'Propuestas',
    supports: 'Apoyos',
    status: 'Estado',
    progress: 'Avance (%)',
    results: 'Resultados',
    chart: {
      participation: 'Gráfico de barras: participantes activos por día',
      proposals: 'Gráfico de barras: propuestas por estado',
      supports: 'Gráfico de barras: apoyos por día',
      results: 'Gráfico de barras: apoyos de las propuestas más apoyadas',
      commitments: 'Gráfico de barras: avance de los compromisos',
    },
    byDay: (days: string, from: string, to: string, max: string, maxDay: string, total: string) =>
      days === '1'
        ? `Un día, ${from}: ${total}.`
        : `${days} días, del ${from} al ${to}; en total ${total}, como máximo ${max} (${maxDay}).`,
    values: (items: string[]) => `${items.join('; ')}.`,
    results_: (bars: number, max: number, min: number, selected: number) =>
      `${bars === 1 ? 'La propuesta más apoyada' : `Las ${bars} propuestas más apoyadas`}, ${
        max === min ? `con ${max} apoyo${max === 1 ? '' : 's'}` : `de ${max} a ${min} apoyos`
      }${selected > 0 ? `; ${selected} seleccionada${selected === 1 ? '' : 's'}` : ''}.`,
    commitments_: (n: number, done: number, mean: number) =>
      `${n} compromiso${n === 1 ? '' : 's'}: ${done} al 100 %, avance medio ${mean} %.`,
    seeTables: 'Todas las cifras, en las tablas de esta sección.',
    outcome: { selected: 'Seleccionada', not_selected: 'No seleccionada', undecided: 'Sin decidir' },
    statuses: {
      pending: 'En revisión',
      published: 'Publicada',
      rejected: 'Rechazada',
      withdrawn: 'Retirada',
      selected: 'Seleccionada',
      not_selected: 'No seleccionada',
      hidden: 'Oculta',
    },
  },
  en: {
    day: 'Day',
    participants: 'Active participants',
    proposals: 'Proposals',
    supports: 'Supports',
    status: 'Status',
    progress: 'Progress (%)',
    results: 'Results',
    chart: {
      participation: 'Bar chart: active participants per day',
      proposals: 'Bar chart: proposals by status',
      supports: 'Bar chart: supports per day',
      results: 'Bar chart: supports of the most supported proposals',
      commitments: 'Bar chart: progress of the commitments',
    },
    byDay: (days: string, from: string, to: string, max: string, maxDay: string, total: string) =>
      days === '1'
        ? `One day, ${from}: ${total}.`
        : `${days} days, from ${from} to ${to}; ${total} in all, at most ${max} (${maxDay}).`,
    values: (items: string[]) => `${items.join('; ')}.`,
    results_: (bars: number, max: number, min: number, selected: number) =>
      `${bars === 1 ? 'The most supported proposal' : `The ${bars} most supported proposals`}, ${
        max === min ? `with ${max} support${max === 1 ? '' : 's'}` : `from ${max} to ${min} supports`
      }${selected > 0 ? `; ${selected} selected` : ''}.`,
    commitments_: (n: number, done: number, mean: number) =>
      `${n} commitment${n === 1 ? '' : 's'}: ${done} at 100 %, mean progress ${mean} %.`,
    seeTables: 'Every figure is in the tables of this section.',
    outcome: { selected: 'Selected', not_selected: 'Not selected', undecided: 'Not decided' },
    statuses: {
      pending: 'Under review',
      published: 'Published',
      rejected: 'Rejected',
      withdrawn: 'Withdrawn',
      selected: 'Selected',
      not_selected: 'Not selected',
      hidden: 'Hidden',
    },
  },
};

const WIDTH = 560;

function byDaySpec(days: DayCount[], yTitle: string, xTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 160,
    data: { values: days.map((d) => ({ day: d.day, count: d.count })) },
    mark: { type: 'bar', color: '#3a6ea5' },
    config: { aria: false },
    encoding: {
      x: { field: 'day', type: 'ordinal', title: xTitle, axis: { labelAngle: -45 } },
      y: { field: 'count', type: 'quantitative', title: yTitle, axis: { tickMinStep: 1 } },
    },
  };
}

function horizontalBars(
  rows: { label: string; value: number }[],
  xTitle: string,
  max?: number,
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH - 200,
    data: { values: rows },
    mark: { type: 'bar', color: '#3a6ea5' },
    config: { aria: false },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null },
      x: {
        field: 'value',
        type: 'quantitative',
        title: xTitle,
        axis: { tickMinStep: 1 },
        ...(max !== undefined ? { scale: { domain: [0, max] } } : {}),
      },
    },
  };
}

/**
 * A title in a label, isolated (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE: chartLabel removes any the
 * title held), so a right-to-left title does not carry the rank before it to its other side.
 */
const isolate = (title: string): string => `\u2068${title}\u2069`;

/** The specs for the sections that have something to draw (an empty section gets no chart). */
export function reportChartSpecs(
  report: ProcessReport,
  locale: Locale,
): Partial<Record<ReportChartId, TopLevelSpec>> {
  const l = LABELS[locale];
  const text = (t: Record<string, string>) => t[locale] ?? t.es ?? Object.values(t)[0] ?? '';
  const specs: Partial<Record<ReportChartId, TopLevelSpec>> = {};
  if (report.participants.byDay.length > 0)
    specs.participation = byDaySpec(report.participants.byDay, l.participants, l.day);
  const statuses = Object.entries(report.proposals.byStatus).filter(([, n]) => n > 0);
  if (statuses.length > 0)
    specs.proposals = horizontalBars(
      statuses.map(([s, n]) => ({ label: l.statuses[s as keyof typeof l.statuses] ?? s, value: n })),
      l.proposals,
    );
  if (report.supports.byDay.length > 0) specs.supports = byDaySpec(report.supports.byDay, l.supports, l.day);
  if (report.results.length > 0) {
    const spec = resultsChartSpec({
      title: `${l.results}: ${chartLabel(text(report.process.title), 60)}`,
      axisTitle: l.supports,
      outcomeLabels: l.outcome,
      bars: report.results.map((r) => ({
        position: r.position,
        title: r.title,
        supports: r.supports,
        outcome: r.outcome,
      })),
    });
    // The bars' labels are `<rank>. <title>`: the title isolated, so a right-to-left one keeps the rank first.
    const values = (spec.data as { values: { label: string }[] }).values.map((row) => ({
      ...row,
      label: row.label.replace(
        /^(\d+\. )([^]*)$/,
        (_m, rank: string, title: string) => `${rank}${isolate(title)}`,
      ),
    }));
    specs.results = {
      ...spec,
      data: { values },
      config: { ...spec.config, aria: false },
    } as TopLevelSpec;
  }
  if (report.commitments.length > 0)
    specs.commitments = horizontalBars(
      report.commitments.slice(0, 15).map((c, i) => ({
        label: `${i + 1}. ${isolate(chartLabel(text(c.title)) || '—')}`,
        value: c.progress,
      })),
      l.progress,
      100,
    );
  return specs;
}

/** A chart as the report places it: the SVG, named in the report's language, and its caption. */
export interface ReportChart {
  /** Inline SVG: one image (`role="img"`) with an `aria-label`, none of vega's own ARIA left. */
  svg: string;
  /** What the chart shows, in words (the figure's caption). */
  caption: string;
}

/** The text alternative of each chart: its name (the image's label) and a caption in words. */
export function reportChartTexts(
  report: ProcessReport,
  locale: Locale,
): Record<ReportChartId, { label: string; caption: string }> {
  const l = LABELS[locale];
  const num = new Intl.NumberFormat(locale);
  const n = (v: number) => num.format(v);
  // A `YYYY-MM-DD` day is already the process's calendar day: shown as it is, in UTC.
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const day = (d: string) => dayFormat.format(new Date(`${d}T12:00:00Z`));
  const byDay = (days: DayCount[]) => {
    if (days.length === 0) return '';
    const top = days.reduce((a, b) => (b.count > a.count ? b : a));
    const total = days.reduce((sum, d) => sum + d.count, 0);
    return l.byDay(
      n(days.length),
      day(days[0]!.day),
      day(days.at(-1)!.day),
      n(top.count),
      day(top.day),
      n(total),
    );
  };
  const results = report.results.slice(0, MAX_BARS);
  const commitments = report.commitments.slice(0, 15);
  const progress = commitments.map((c) => Math.min(100, Math.max(0, Math.round(c.progress))));
  return {
    participation: {
      label: l.chart.participation,
      caption: `${byDay(report.participants.byDay)} ${l.seeTables}`,
    },
    proposals: {
      label: l.chart.proposals,
      caption: `${l.values(
        Object.entries(report.proposals.byStatus)
          .filter(([, v]) => v > 0)
          .map(([s, v]) => `${l.statuses[s as keyof typeof l.statuses] ?? s}: ${n(v)}`),
      )} ${l.seeTables}`,
    },
    supports: { label: l.chart.supports, caption: `${byDay(report.supports.byDay)} ${l.seeTables}` },
    results: {
      label: l.chart.results,
      caption: `${
        results.length
          ? l.results_(
              results.length,
              Math.max(...results.map((r) => r.supports)),
              Math.min(...results.map((r) => r.supports)),
              results.filter((r) => r.outcome === 'selected').length,
            )
          : ''
      } ${l.seeTables}`,
    },
    commitments: {
      label: l.chart.commitments,
      caption: `${
        commitments.length
          ? l.commitments_(
              commitments.length,
              progress.filter((p) => p === 100).length,
              Math.round(progress.reduce((a, b) => a + b, 0) / progress.length),
            )
          : ''
      } ${l.seeTables}`,
    },
  };
}

/**
 * vega's SVG as one image named in the report's language: every `role` and `aria-*` attribute vega wrote
 * (English, generated) removed from the tags, and `role="img"` with the label on the root `<svg>`. Only tags
 * are touched (text is escaped by vega's writer, so `>` never occurs inside one).
 */
export function asLabelledImage(svg: string, label: string): string {
  const stripped = svg.replace(/<[^>]*>/g, (tag) => tag.replace(/\s(?:role|aria-[a-z]+)="[^"]*"/g, ''));
  return stripped.replace(/^<svg\b/, `<svg role="img" aria-label="${escapeAttribute(label)}"`);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Every chart of the report as SVG markup with its caption, by section. vega and vega-lite are loaded on the
 * first report (as for the chat's chart, results-chart.ts), not when the server starts: ~1 s and ~50 MiB it
 * rarely needs.
 */
export async function renderReportCharts(
  report: ProcessReport,
  locale: Locale,
): Promise<Partial<Record<ReportChartId, ReportChart>>> {
  const { vegaLiteToSvg } = await import('./render-vega-lite.ts');
  const texts = reportChartTexts(report, locale);
  const specs = Object.entries(reportChartSpecs(report, locale)) as [ReportChartId, TopLevelSpec][];
  const charts = await Promise.all(
    specs.map(async ([id, spec]) => {
      const svg = asLabelledImage(await vegaLiteToSvg(spec), texts[id].label);
      return [id, { svg, caption: texts[id].caption.trim() }] as const;
    }),
  );
  return Object.fromEntries(charts);
}
