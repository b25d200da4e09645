// Renders a Vega-Lite spec to PNG: vega-lite compiles it, vega lays it out as SVG (renderer 'none': no
// canvas, text widths estimated), resvg rasterises the SVG. Pure and local: no network, no files besides the
// fonts. A leaf module: flows build the spec (texts through i18n) and call this; it knows no chat.
//
// Fonts: resvg draws text with the fonts it is given. The first font family found on this machine among
// FONT_CANDIDATES is loaded from its files (fast, the same on every run); when none is found, resvg scans
// the system's fonts and uses its generic sans-serif. DejaVu Sans (Debian's fonts-dejavu-core) covers
// Latin with every accent, Greek and Cyrillic, and some monochrome emoji; text a font lacks is drawn as
// boxes, so callers strip what they cannot show (see results-chart.ts).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { loadFontMetrics } from './font-metrics.ts';

export interface ChartImage {
  /** The PNG file's bytes. */
  png: Buffer;
  /** Pixels. */
  width: number;
  height: number;
}

export interface RenderOptions {
  /** Pixels per SVG unit (default 1.5: sharp on phones, ~50 KB for a ten-bar chart). */
  scale?: number;
}

const FONT_CANDIDATES: { family: string; files: string[] }[] = [
  {
    family: 'DejaVu Sans',
    files: [
      '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
      '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    ],
  },
  {
    family: 'Liberation Sans',
    files: [
      '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
      '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
    ],
  },
];

let fonts: { family: string; options: NonNullable<ResvgRenderOptions['font']> } | undefined;

/**
 * The font family charts use and how resvg loads it (decided once per process). With a known font, vega
 * measures text with that font's widths (textMetrics.width is vega's documented hook for this).
 */
export function chartFonts(): { family: string; options: NonNullable<ResvgRenderOptions['font']> } {
  if (fonts) return fonts;
  const found = FONT_CANDIDATES.find((c) => existsSync(c.files[0]!));
  if (found) measureWith(found.files.filter((f) => existsSync(f)));
  fonts = found
    ? {
        family: found.family,
        options: {
          loadSystemFonts: false,
          fontFiles: found.files.filter((f) => existsSync(f)),
          defaultFontFamily: found.family,
          sansSerifFamily: found.family,
        },
      }
    : { family: 'sans-serif', options: { loadSystemFonts: true } };
  return fonts;
}

// vega re-exports vega-scenegraph's text measuring, which its type definitions do not declare.
type TextItem = { text?: unknown; fontSize?: unknown; fontWeight?: unknown };
const scenegraph = vega as unknown as {
  textMetrics: { width: (item: TextItem, text?: unknown) => number };
  fontSize: (item: TextItem) => number;
};

function measureWith(files: string[]): void {
  try {
    const [regular, bold] = files.map(loadFontMetrics);
    scenegraph.textMetrics.width = (item, text) => {
      const value = String(text ?? item.text ?? '').trim();
      const heavy = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
      return (heavy && bold ? bold : regular!).width(value, scenegraph.fontSize(item));
    };
  } catch {
    // An unreadable font file: vega keeps its estimate (0.8 em per character).
  }
}

/** Vega-Lite spec → SVG text (the chart's font set unless the spec sets one). */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const withFont = {
    ...spec,
    config: { ...spec.config, font: spec.config?.font ?? chartFonts().family },
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(withFont).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

// The same chart is asked for again and again (every citizen of a process sees the same results in one of
// two languages): the latest renders are kept, by a digest of the spec, ~50–100 KB each.
const CACHE_SIZE = 32;
const cache = new Map<string, ChartImage>();

/** Vega-Lite spec → PNG. The rasterising runs off the main thread (resvg's own thread pool). */
export async function renderVegaLite(spec: TopLevelSpec, opts: RenderOptions = {}): Promise<ChartImage> {
  const scale = opts.scale ?? 1.5;
  const key = createHash('sha256')
    .update(`${scale}\n${JSON.stringify(spec)}`)
    .digest('base64url');
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const svg = await vegaLiteToSvg(spec);
  const image = await renderAsync(svg, {
    font: chartFonts().options,
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    logLevel: 'off',
  });
  const chart = { png: image.asPng(), width: image.width, height: image.height };
  cache.set(key, chart);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return chart;
}
