// Every user-visible string goes through here. Spanish is the default; English the second language.
// Catalogs are plain objects so a missing key is a type error in es.ts and a test failure in en.ts.
import i18next, { type TOptions } from 'i18next';
import { es } from './es.ts';
import { en } from './en.ts';
import type { Locale } from '../domain/deps.ts';

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  lng: 'es',
  fallbackLng: 'es',
  resources: { es: { translation: es }, en: { translation: en } },
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Catalog keys as dotted paths; plural keys (`x_one`, `x_other`) are used as `x` with a `count`. */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${Singular<K>}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
type Singular<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;

export type MessageKey = Leaves<typeof es>;

// A text is a pure function of its language, key and variables, and i18next's lookup, plural rules and
// interpolation showed in turn profiles (~25 µs a call): texts are kept once resolved — those without
// variables and those whose variables are all numbers, booleans or short strings (counts, names of
// categories), up to CACHE_MAX, forgotten all at once when full. Other variables (dates, which formatting
// reads as objects; long texts) are not kept.
const texts = new Map<string, string>();
const CACHE_MAX = 5000;
const MAX_CACHED_STRING = 100;

function cacheKeyOf(locale: Locale, key: string, vars: TOptions | undefined): string | undefined {
  let out = `${locale}\u0000${key}`;
  for (const name in vars) {
    const v = (vars as Record<string, unknown>)[name];
    if (typeof v === 'number' || typeof v === 'boolean') out += `\u0000${name}\u0001${typeof v}\u0001${v}`;
    else if (typeof v === 'string' && v.length <= MAX_CACHED_STRING) out += `\u0000${name}\u0001s\u0001${v}`;
    else return undefined;
  }
  return out;
}

export function t(locale: Locale, key: MessageKey, vars?: TOptions): string {
  const cacheKey = cacheKeyOf(locale, key, vars);
  let text = cacheKey === undefined ? undefined : texts.get(cacheKey);
  if (text === undefined) {
    text = instance.t(key, { ...vars, lng: locale }) as string;
    if (cacheKey !== undefined) {
      if (texts.size >= CACHE_MAX) texts.clear();
      texts.set(cacheKey, text);
    }
  }
  return text;
}

export const catalogs = { es, en };
