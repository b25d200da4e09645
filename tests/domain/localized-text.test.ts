import { describe, expect, it } from 'vitest';
import { toLocale } from '../../src/domain/deps.ts';
import { pickText } from '../../src/domain/localized-text.ts';

describe('pickText', () => {
  it.each([
    [{ es: 'Hola', en: 'Hello' }, 'en', 'Hello'],
    [{ es: 'Hola', en: 'Hello' }, 'es', 'Hola'],
    [{ es: 'Hola' }, 'en', 'Hola'],
    [{ es: 'Hola', en: '' }, 'en', 'Hola'],
    [{ ca: 'Bon dia' }, 'en', 'Bon dia'],
    ['Texto plano', 'en', 'Texto plano'],
    [{ en: 42, fr: 'Bonjour' }, 'en', 'Bonjour'],
    [{}, 'es', ''],
    [null, 'es', ''],
    [7, 'es', ''],
  ] as const)('%j in %s is %j', (value, locale, text) => {
    expect(pickText(value, locale)).toBe(text);
  });
});

describe('toLocale', () => {
  it.each([
    ['es', 'es'],
    ['es-ES', 'es'],
    ['EN_gb', 'en'],
    ['en', 'en'],
    ['fr', undefined],
    ['', undefined],
    [undefined, undefined],
    [null, undefined],
  ] as const)('%j is %j', (value, locale) => {
    expect(toLocale(value)).toBe(locale);
  });
});
