// The shape of a proposal's texts. Lengths count characters as people see them (code points, so an emoji
// is one), after trimming and removing control characters (cleanText).

export const TITLE_MIN = 10;
export const TITLE_MAX = 120;
export const BODY_MIN = 20;
export const BODY_MAX = 2000;

export type TextCheck =
  { ok: true; value: string } | { ok: false; reason: 'too-short' | 'too-long'; length: number };

// C0/C1 controls other than tab and newline, plus bidi overrides that could disguise text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Free text typed in chat, made storable and safe to show: controls (NUL among them, which PostgreSQL cannot
 * store) and bidi overrides removed, a lone surrogate (refused in `jsonb`) replaced by U+FFFD, line breaks
 * as `\n`, trimmed. Every answer typed at a chat prompt goes through it (flows/ui.ts, the broadcast
 * prompt), and citizens' proposals and comments again in the domain.
 */
export function cleanText(text: string): string {
  return text.toWellFormed().replace(UNSAFE, '').replace(/\r\n?/g, '\n').trim();
}

/** Invisible characters (zero-width spaces and joiners, word joiner, BOM…: Unicode's format characters). */
const INVISIBLE = /\p{Cf}/gu;

/**
 * The minimum counts what can be seen: a title of 13 zero-width spaces is "too short" (0 characters), and
 * invisible characters at either end are dropped. Inside the text they stay (a joiner holds an emoji
 * family together); the maximum counts them, as they are stored.
 */
export function checkLength(text: string, min: number, max: number): TextCheck {
  const value = cleanText(text)
    .replace(/^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu, '')
    .trim();
  const visible = [...value.replace(INVISIBLE, '')].length;
  if (visible < min) return { ok: false, reason: 'too-short', length: visible };
  const length = [...value].length;
  if (length > max) return { ok: false, reason: 'too-long', length };
  return { ok: true, value };
}

export const checkTitle = (text: string): TextCheck =>
  checkLength(text.replace(/\s+/g, ' '), TITLE_MIN, TITLE_MAX);
export const checkBody = (text: string): TextCheck => checkLength(text, BODY_MIN, BODY_MAX);
