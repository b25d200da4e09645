// Texts stored per language as JSON ({ "es": "…", "en": "…" }); a missing language falls back to Spanish,
// then to any language present, so a citizen never sees an empty title.
//
// Staff change them as a JSON merge patch (RFC 7386) merges objects: a language given gets that text,
// `null` removes it, a language not named keeps its own (`cleanTextsPatch`, then `mergeTexts` under the
// row's lock, on the stored texts). Spanish, everyone's fallback, cannot be removed. Used by the updates of
// processes, events and commitments, so they all read a PATCH alike.
import { DEFAULT_LOCALE, LOCALES, type Locale } from './deps.ts';

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

/** Per language: a text replaces that language's, `null` removes it, a language not named is kept. */
export type LocalizedPatch = Partial<Record<Locale, string | null>>;

/**
 * The patch's texts trimmed (one left empty removes its language, as create leaves an empty one out); or
 * the first language at fault: Spanish removed, or a text longer than `max` characters (code points).
 */
export function cleanTextsPatch(
  patch: LocalizedPatch,
  max: number,
): { ok: true; patch: LocalizedPatch } | { ok: false; locale: Locale } {
  const out: LocalizedPatch = {};
  for (const locale of LOCALES) {
    const given = patch[locale];
    if (given === undefined) continue;
    const text = given?.trim() || null;
    if (text === null ? locale === DEFAULT_LOCALE : [...text].length > max) return { ok: false, locale };
    out[locale] = text;
  }
  return { ok: true, patch: out };
}

/** The stored texts with the patch applied (RFC 7386 on one object of strings). */
export function mergeTexts(stored: unknown, patch: LocalizedPatch): Record<string, string> {
  const merged: Record<string, string> =
    stored && typeof stored === 'object' && !Array.isArray(stored)
      ? { ...(stored as Record<string, string>) }
      : {};
  for (const [locale, text] of Object.entries(patch)) {
    if (text === null) delete merged[locale];
    else if (text !== undefined) merged[locale] = text;
  }
  return merged;
}

/**
 * The stored texts with the patch applied, as events and commitments keep them: `{ es, en? }`, Spanish
 * first. `null` when no language is left (an optional text the patch did not give: none), `undefined`
 * when there is no Spanish (the patch named only English for a text that had none).
 */
export function patchTexts(
  stored: unknown,
  patch: LocalizedPatch,
): { es: string; en?: string } | null | undefined {
  const merged = mergeTexts(stored, patch);
  const es = merged[DEFAULT_LOCALE];
  const en = merged.en;
  if (typeof es !== 'string') return typeof en === 'string' ? undefined : null;
  return typeof en === 'string' ? { es, en } : { es };
}
