// The report's charts as a page shows them: one image each, named and described in the report's language,
// with none of vega's generated (English) ARIA left.
import { describe, expect, it } from 'vitest';
import { asLabelledImage, renderReportCharts, reportChartTexts } from '../../src/charts/report-charts.ts';
import type { ProcessReport } from '../../src/domain/get-process-report.ts';

const report = {
  generatedAt: new Date('2026-11-30T10:00:00Z'),
  process: {
    id: 1,
    slug: 'barrios',
    title: { es: 'Barrios vivos', en: 'Lively neighbourhoods' },
    timeZone: 'Europe/Madrid',
    createdAt: new Date('2026-11-01T10:00:00Z'),
    phases: [],
  },
  participants: {
    total: 9,
    proposers: 4,
    supporters: 6,
    commenters: 2,
    byChannel: { telegram: 5, webchat: 4 },
    byDay: [
      { day: '2026-11-03', count: 2 },
      { day: '2026-11-05', count: 7 },
      { day: '2026-11-27', count: 1 },
    ],
  },
  subscribers: { total: 3, byChannel: { telegram: 3 } },
  proposals: {
    total: 5,
    byStatus: {
      pending: 1,
      published: 2,
      rejected: 0,
      withdrawn: 0,
      selected: 1,
      not_selected: 1,
      hidden: 0,
    },
    byCategory: [],
    byDay: [{ day: '2026-11-03', count: 5 }],
  },
  supports: { total: 6, byDay: [{ day: '2026-11-05', count: 6 }], byChannel: { telegram: 6 } },
  comments: { total: 0, byStatus: { pending: 0, published: 0, rejected: 0, hidden: 0 }, byDay: [] },
  moderation: {
    opened: 5,
    reopenedByReports: 0,
    waiting: 1,
    decided: 4,
    approved: 4,
    redacted: 0,
    rejected: 0,
    rejectedByReason: {},
    citizenReports: 0,
    medianSecondsToDecision: 60,
  },
  results: [
    {
      position: 1,
      id: 7,
      title: 'مقترح لحديقة',
      categoryKey: 'parques',
      status: 'selected',
      outcome: 'selected',
      supports: 4,
      comments: 0,
      answer: null,
      answeredAt: null,
    },
    {
      position: 2,
      id: 8,
      title: 'Más bancos',
      categoryKey: 'parques',
      status: 'not_selected',
      outcome: 'not_selected',
      supports: 2,
      comments: 0,
      answer: null,
      answeredAt: null,
    },
  ],
  commitments: [
    {
      id: 1,
      title: { es: 'Parque nuevo' },
      department: 'Obras',
      status: 'in_progress',
      progress: 40,
      dueDate: null,
      updates: 1,
      lastUpdateAt: null,
      proposalIds: [7],
    },
  ],
} as unknown as ProcessReport;

describe('report charts', () => {
  it('draws each chart as one image named in the language of the report, with no generated English', async () => {
    for (const [locale, name] of [
      ['es', 'Gráfico de barras: participantes activos por día'],
      ['en', 'Bar chart: active participants per day'],
    ] as const) {
      const charts = await renderReportCharts(report, locale);
      expect(Object.keys(charts).sort()).toEqual(
        ['commitments', 'participation', 'proposals', 'results', 'supports'].sort(),
      );
      expect(charts.participation!.svg).toMatch(new RegExp(`^<svg role="img" aria-label="${name}"`));
      for (const [id, chart] of Object.entries(charts)) {
        expect(chart.svg.match(/\brole="/g), id).toHaveLength(1);
        expect(chart.svg.match(/\baria-[a-z]+="/g), id).toHaveLength(1);
        expect(chart.svg, id).not.toMatch(/X-axis|Y-axis|titled|mark container/);
        expect(chart.caption.length, id).toBeGreaterThan(20);
      }
    }
  });

  it('says in words what each chart shows', () => {
    const es = reportChartTexts(report, 'es');
    expect(es.participation.caption).toBe(
      '3 días, del 3 nov 2026 al 27 nov 2026; en total 10, como máximo 7 (5 nov 2026). Todas las cifras, en las tablas de esta sección.',
    );
    expect(es.supports.caption).toBe(
      'Un día, 5 nov 2026: 6. Todas las cifras, en las tablas de esta sección.',
    );
    expect(es.proposals.caption).toBe(
      'En revisión: 1; Publicada: 2; Seleccionada: 1; No seleccionada: 1. Todas las cifras, en las tablas de esta sección.',
    );
    expect(es.results.caption).toContain('Las 2 propuestas más apoyadas, de 4 a 2 apoyos; 1 seleccionada.');
    expect(es.commitments.caption).toContain('1 compromiso: 0 al 100 %, avance medio 40 %.');
    const en = reportChartTexts(report, 'en');
    expect(en.participation.caption).toContain(
      '3 days, from Nov 3, 2026 to Nov 27, 2026; 10 in all, at most 7',
    );
  });

  it('strips ARIA from the tags only, never from the text, and escapes the label', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="10"><g role="graphics-object" aria-roledescription="group mark container"><text aria-hidden="true">role="x" aria-label="y"</text></g></svg>';
    expect(asLabelledImage(svg, 'Gráfico "uno" <b>')).toBe(
      '<svg role="img" aria-label="Gráfico &#34;uno&#34; &#60;b&#62;" xmlns="http://www.w3.org/2000/svg" width="10"><g><text>role="x" aria-label="y"</text></g></svg>',
    );
  });
});
