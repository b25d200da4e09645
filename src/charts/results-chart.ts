// The results of a process as a horizontal bar chart: the most supported proposals, most supported on top,
// coloured by outcome (selected ones stand out), with the number of supports at the end of each bar. Texts
// come in already translated; titles are cleaned and shortened here, because a chart is not the place for
// a 300-character title and the fonts have no colour emoji. The full titles are in the text that goes with
// the chart (its alternative).
import type { TopLevelSpec } from 'vega-lite';
import type { ChartImage } from './render-vega-lite.ts';

export type ChartOutcome = 'selected' | 'not_selected' | 'undecided';

export interface ResultsChartInput {
  /** The chart's title, e.g. «Resultados de “Barrios vivos”». */
  title: string;
  /** The supports axis, e.g. «Apoyos». */
  axisTitle: string;
  /** The legend, one label per outcome. */
  outcomeLabels: Record<ChartOutcome, string>;
  /** In ranking order; only the first MAX_BARS are drawn. */
  bars: { position: number; title: string; supports: number; outcome: ChartOutcome }[];
}

export const MAX_BARS = 10;
/** Characters (graphemes) of a proposal title shown next to its bar. */
export const MAX_LABEL = 36;
const MAX_TITLE = 70;

const COLOURS: Record<ChartOutcome, string> = {
  selected: '#1a7f37',
  not_selected: '#9ca3af',
  undecided: '#3a6ea5',
};
const ORDER: ChartOutcome[] = ['selected', 'undecided', 'not_selected'];

// Emoji (the fonts draw most as boxes), joiners and variation selectors, invisible formatting (bidi
// overrides included) and control characters.
const UNDRAWABLE = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\p{Cf}\p{Cc}\u20e3]/gu;
const graphemes = new Intl.Segmenter('es', { granularity: 'grapheme' });

/** A title as a chart shows it: drawable characters only, one line, at most `max` graphemes (… when cut). */
export function chartLabel(text: string, max = MAX_LABEL): string {
  const clean = text.toWellFormed().replace(UNDRAWABLE, ' ').replace(/\s+/g, ' ').trim();
  const parts = [...graphemes.segment(clean)].map((s) => s.segment);
  if (parts.length <= max) return clean;
  let cut = parts.slice(0, max - 1).join('');
  // End at a word when one ends close enough to the limit.
  const space = cut.lastIndexOf(' ');
  if (space >= cut.length - 12 && space > 0) cut = cut.slice(0, space);
  return `${cut.replace(/[\s.,;:–—-]+$/u, '')}…`;
}

export function resultsChartSpec(input: ResultsChartInput): TopLevelSpec {
  const bars = input.bars.slice(0, MAX_BARS);
  const present = ORDER.filter((o) => bars.some((b) => b.outcome === o));
  const rows = bars.map((b) => ({
    // The position makes every label unique (two proposals may share a title).
    label: `${b.position}. ${chartLabel(b.title) || '—'}`,
    supports: b.supports,
    outcome: input.outcomeLabels[b.outcome],
  }));
  const maxSupports = Math.max(1, ...bars.map((b) => b.supports));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 340,
    height: { step: 26 },
    padding: 16,
    background: 'white',
    title: { text: chartLabel(input.title, MAX_TITLE), anchor: 'start', fontSize: 16, offset: 12 },
    data: { values: rows },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: null,
        axis: { title: null, labelFontSize: 12, labelLimit: 400, ticks: false, domain: false },
      },
      x: {
        field: 'supports',
        type: 'quantitative',
        title: input.axisTitle,
        // Room at the right for the count written after the longest bar.
        scale: { domain: [0, Math.ceil(maxSupports * 1.12)], nice: false },
        axis: { format: 'd', tickMinStep: 1, labelFontSize: 11, titleFontSize: 12, grid: true },
      },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 3, height: { band: 0.75 } },
        encoding: {
          color: {
            field: 'outcome',
            type: 'nominal',
            scale: {
              domain: present.map((o) => input.outcomeLabels[o]),
              range: present.map((o) => COLOURS[o]),
            },
            legend: {
              title: null,
              orient: 'bottom',
              direction: 'horizontal',
              labelFontSize: 12,
              labelLimit: 400,
              symbolType: 'square',
            },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 5, fontSize: 12, fontWeight: 'bold' },
        encoding: { text: { field: 'supports', type: 'quantitative', format: 'd' } },
      },
    ],
    config: { view: { stroke: null }, axis: { labelColor: '#1f2937', titleColor: '#1f2937' } },
  };
}

/**
 * The results chart as a PNG. vega, vega-lite and resvg are loaded on the first chart (about a second of
 * imports), not when the engine starts: most processes never draw one.
 */
export async function renderResultsChart(input: ResultsChartInput): Promise<ChartImage> {
  const { renderVegaLite } = await import('./render-vega-lite.ts');
  return renderVegaLite(resultsChartSpec(input));
}
