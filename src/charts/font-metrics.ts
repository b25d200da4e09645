// Text widths from the chart's own font files, so vega lays out and truncates labels for the font resvg will
// draw with. Without a canvas vega guesses 0.8 em per character, which leaves wide gaps around labels and
// cuts them too early. Reads only what it needs from a TrueType/OpenType file: head (units per em), hhea and
// hmtx (advance widths), cmap (format 4 or 12). No kerning: a few per cent wide at most.
import { readFileSync } from 'node:fs';

export interface FontMetrics {
  /** Width of `text` at `size` pixels. */
  width(text: string, size: number): number;
}

export function loadFontMetrics(file: string): FontMetrics {
  const buf = readFileSync(file);
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    tables.set(buf.toString('latin1', at, at + 4), buf.readUInt32BE(at + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`${file}: no ${tag} table`);
    return at;
  };
  const unitsPerEm = buf.readUInt16BE(table('head') + 18);
  const numberOfHMetrics = buf.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advance = (glyph: number) => buf.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
  const glyphOf = cmapLookup(buf, table('cmap'));
  const cache = new Map<number, number>();
  const advanceOf = (codePoint: number) => {
    let a = cache.get(codePoint);
    if (a === undefined) {
      a = advance(glyphOf(codePoint)) / unitsPerEm;
      cache.set(codePoint, a);
    }
    return a;
  };
  return {
    width(text, size) {
      let em = 0;
      for (const ch of text) em += advanceOf(ch.codePointAt(0)!);
      return em * size;
    },
  };
}

/** codePoint → glyph id (0, the missing glyph, when the font has none). */
function cmapLookup(buf: Buffer, cmap: number): (codePoint: number) => number {
  const count = buf.readUInt16BE(cmap + 2);
  let format4: number | undefined;
  let format12: number | undefined;
  for (let i = 0; i < count; i++) {
    const platform = buf.readUInt16BE(cmap + 4 + i * 8);
    const encoding = buf.readUInt16BE(cmap + 6 + i * 8);
    const at = cmap + buf.readUInt32BE(cmap + 8 + i * 8);
    const format = buf.readUInt16BE(at);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12) format12 ??= at;
    if (format === 4) format4 ??= at;
  }
  if (format12 !== undefined) {
    const at = format12;
    const groups = buf.readUInt32BE(at + 12);
    return (cp) => {
      for (let g = 0; g < groups; g++) {
        const start = buf.readUInt32BE(at + 16 + g * 12);
        const end = buf.readUInt32BE(at + 20 + g * 12);
        if (cp >= start && cp <= end) return buf.readUInt32BE(at + 24 + g * 12) + (cp - start);
      }
      return 0;
    };
  }
  if (format4 === undefined) throw new Error('no Unicode cmap');
  const at = format4;
  const segs = buf.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const offsets = deltas + segs * 2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segs; s++) {
      if (buf.readUInt16BE(ends + s * 2) < cp) continue;
      const start = buf.readUInt16BE(starts + s * 2);
      if (start > cp) return 0;
      const delta = buf.readUInt16BE(deltas + s * 2);
      const offset = buf.readUInt16BE(offsets + s * 2);
      if (offset === 0) return (cp + delta) & 0xffff;
      const glyph = buf.readUInt16BE(offsets + s * 2 + offset + 2 * (cp - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
