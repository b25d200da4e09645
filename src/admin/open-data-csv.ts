// One open-data table as CSV (RFC 4180): a header row, CRLF line ends, every text field quoted with inner
// quotes doubled (so commas, quotes and line breaks inside proposals survive), numbers as they are, null as
// an empty field. No byte-order mark: the charset is in the Content-Type.
//
// Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, and
// proposals and comments are written by anyone: such text cells get a leading apostrophe (OWASP's advice),
// which spreadsheets show as text. A consumer reading the CSV as data sees that apostrophe; the JSON export
// has the texts untouched.
import type { Cell, Row } from '../domain/export-open-data.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [
    columns.map(field).join(','),
    ...rows.map((r) => columns.map((c) => field(r[c] ?? null)).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function field(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${text.replaceAll('"', '""')}"`;
}
