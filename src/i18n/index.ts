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

// Texts without variables never change: resolved once (i18next's lookup showed in turn profiles).
const plain = new Map<string, string>();

export function t(locale: Locale, key: MessageKey, vars?: TOptions): string {
  if (vars === undefined) {
    const cacheKey = `${locale}:${key}`;
    let text = plain.get(cacheKey);
    if (text === undefined) {
      text = instance.t(key, { lng: locale }) as string;
      plain.set(cacheKey, text);
    }
    return text;
  }
  return instance.t(key, { ...vars, lng: locale }) as string;
}

export const catalogs = { es, en };
