// One open-data table as CSV (RFC 4180): a header row, CRLF line ends, every text field quoted with inner
// quotes doubled (so commas, quotes and line breaks inside proposals survive), numbers as they are, null as
// an empty field. It starts with a UTF-8 byte-order mark (U+FEFF): a downloaded file has no Content-Type
// any more, and Excel opens one without the mark in the system's legacy code page («MarÃ­a»). Decoders
// that follow the Encoding standard (fetch's text(), browsers) drop the mark; Python reads it with
// `utf-8-sig`.
//
// Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, and
// proposals and comments are written by anyone: such text cells get a leading apostrophe (OWASP's advice),
// which spreadsheets show as text. A consumer reading the CSV as data sees that apostrophe; the JSON export
// has the texts untouched.
import type { Cell, Row } from '../domain/export-open-data.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The byte-order mark every CSV starts with (EF BB BF once encoded as UTF-8). */
const BOM = '\uFEFF';

export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [
    columns.map(field).join(','),
    ...rows.map((r) => columns.map((c) => field(r[c] ?? null)).join(',')),
  ];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

function field(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${text.replaceAll('"', '""')}"`;
}
