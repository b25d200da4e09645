// Texts stored per language as JSON ({ "es": "…", "en": "…" }); a missing language falls back to Spanish,
// then to any language present, so a citizen never sees an empty title.
import { DEFAULT_LOCALE, type Locale } from './deps.ts';

export function pickText(value: unknown, locale: Locale): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const texts = value as Record<string, unknown>;
    for (const key of [locale, DEFAULT_LOCALE, ...Object.keys(texts)]) {
      const text = texts[key];
      if (typeof text === 'string' && text.length > 0) return text;
    }
  }
  return '';
}

/**
 * A title as compared to tell the same request sent twice (a commitment, a workshop's proposal): Unicode
 * normalised, in any case. Compared in TypeScript, not with SQL's lower(), whose idea of case depends on the
 * database's locale.
 */
export const titleKey = (title: string): string => title.normalize('NFC').toLowerCase();
