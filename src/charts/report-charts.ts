// The final report's charts, as inline SVG (the page fetches nothing and runs no script): participation by
// day, proposals by status, supports by day, the results (the chat's chart), commitments' progress. Drawn
// from the report's numbers; the only people's text that reaches a chart is a proposal or commitment title,
// cleaned by chartLabel and escaped by vega's SVG writer. Labels are the report's (staff-facing, es/en).
import type { TopLevelSpec } from 'vega-lite';
import type { DayCount, ProcessReport } from '../domain/get-process-report.ts';
import { chartLabel, resultsChartSpec } from './results-chart.ts';

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
} as const;

const WIDTH = 560;

function byDaySpec(days: DayCount[], yTitle: string, xTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 160,
    data: { values: days.map((d) => ({ day: d.day, count: d.count })) },
    mark: { type: 'bar', color: '#3a6ea5' },
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
  if (report.results.length > 0)
    specs.results = resultsChartSpec({
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
  if (report.commitments.length > 0)
    specs.commitments = horizontalBars(
      report.commitments
        .slice(0, 15)
        .map((c, i) => ({ label: `${i + 1}. ${chartLabel(text(c.title)) || '—'}`, value: c.progress })),
      l.progress,
      100,
    );
  return specs;
}

/**
 * Every chart of the report as SVG markup, by section. vega and vega-lite are loaded on the first report
 * (as for the chat's chart, results-chart.ts), not when the server starts: ~1 s and ~50 MiB it rarely needs.
 */
export async function renderReportCharts(
  report: ProcessReport,
  locale: Locale,
): Promise<Partial<Record<ReportChartId, string>>> {
  const { vegaLiteToSvg } = await import('./render-vega-lite.ts');
  const specs = Object.entries(reportChartSpecs(report, locale)) as [ReportChartId, TopLevelSpec][];
  const svgs = await Promise.all(specs.map(async ([id, spec]) => [id, await vegaLiteToSvg(spec)] as const));
  return Object.fromEntries(svgs);
}
