import { describe, expect, it } from 'vitest';
import { chartFonts, vegaLiteToSvg } from '../../src/charts/render-vega-lite.ts';
import {
  chartLabel,
  MAX_BARS,
  MAX_LABEL,
  renderResultsChart,
  resultsChartSpec,
  type ChartOutcome,
  type ResultsChartInput,
} from '../../src/charts/results-chart.ts';
import { t } from '../../src/i18n/index.ts';
import type { Locale } from '../../src/domain/deps.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const HOSTILE = [
  '<script>alert("x")</script> & </text><text>',
  'Fiesta 🎉👩‍👩‍👧 del barrio 🇪🇸 ✓',
  'Á'.repeat(20) + ' ' + 'x'.repeat(280),
  '\u202Eevil bidi\u202C and \u0007 control',
  'Árbol, pingüino, ÑANDÚ, ¿qué? ¡sí! çà œ ß',
];

function input(locale: Locale, count = 10): ResultsChartInput {
  const outcomes: ChartOutcome[] = ['selected', 'not_selected', 'undecided'];
  return {
    title: t(locale, 'results.chart.title', { process: 'Barrios <vivos> 🎉' }),
    axisTitle: t(locale, 'results.chart.axis'),
    outcomeLabels: {
      selected: t(locale, 'results.chart.selected'),
      not_selected: t(locale, 'results.chart.not_selected'),
      undecided: t(locale, 'results.chart.undecided'),
    },
    bars: Array.from({ length: count }, (_, i) => ({
      position: i + 1,
      title: HOSTILE[i % HOSTILE.length]!,
      supports: 100 - i * 9,
      outcome: outcomes[i % 3]!,
    })),
  };
}

function pngSize(png: Buffer): { width: number; height: number } {
  // IHDR is the first chunk: width and height right after its type.
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the results chart', () => {
  it.each(['es', 'en'] as const)('renders a PNG with hostile titles (%s)', async (locale) => {
    const chart = await renderResultsChart(input(locale));
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(chart.png.length).toBeGreaterThan(5_000);
    expect(pngSize(chart.png)).toEqual({ width: chart.width, height: chart.height });
    expect(chart.width).toBeGreaterThan(600);
    expect(chart.width).toBeLessThan(2_000);
    expect(chart.height).toBeGreaterThan(300);
    expect(chart.height).toBeLessThan(1_200);
  });

  it('labels axis and legend in the language asked for, and escapes titles in the SVG', async () => {
    const es = await vegaLiteToSvg(resultsChartSpec(input('es')));
    const en = await vegaLiteToSvg(resultsChartSpec(input('en')));
    expect(es).toContain('>Apoyos<');
    expect(es).toContain('>Seleccionada<');
    expect(en).toContain('>Supports<');
    expect(en).toContain('>Not selected<');
    expect(es).not.toContain('<script>');
    expect(es).toContain('&lt;script&gt;');
    expect(es).toContain(chartFonts().family);
  });

  it('draws at most ten bars, in ranking order, each label unique', () => {
    const spec = resultsChartSpec(input('es', 14)) as { data: { values: { label: string }[] } };
    const labels = spec.data.values.map((v) => v.label);
    expect(labels).toHaveLength(MAX_BARS);
    expect(labels[0]).toMatch(/^1\. /);
    expect(labels[9]).toMatch(/^10\. /);
    expect(new Set(labels).size).toBe(MAX_BARS);
  });

  it('cleans titles: no emoji, controls or bidi overrides; long ones shortened with an ellipsis', () => {
    expect(chartLabel('Fiesta 🎉👩‍👩‍👧 del barrio 🇪🇸 ✓')).toBe('Fiesta del barrio ✓');
    expect(chartLabel('\u202Eevil\u202C \u0007x')).toBe('evil x');
    const long = chartLabel('palabra '.repeat(40));
    expect([...long].length).toBeLessThanOrEqual(MAX_LABEL);
    expect(long).toMatch(/palabra…$/);
    expect(chartLabel('Ñ'.repeat(300))).toBe('Ñ'.repeat(MAX_LABEL - 1) + '…');
    expect(chartLabel('Árbol, pingüino')).toBe('Árbol, pingüino');
  });

  it('renders a ten-bar chart well under a second', async () => {
    // The best of three fresh renders (not from the cache), after a first one that loads the fonts.
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const spec = input('es');
      spec.title += ` ${i} ${Date.now()}`;
      const started = performance.now();
      await renderResultsChart(spec);
      if (i > 0) times.push(performance.now() - started);
    }
    expect(Math.min(...times)).toBeLessThan(1_000);
  });

  it('gives the same chart from its cache', async () => {
    const first = await renderResultsChart(input('en'));
    const started = performance.now();
    const again = await renderResultsChart(input('en'));
    expect(again.png.equals(first.png)).toBe(true);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
