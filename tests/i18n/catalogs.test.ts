import { describe, expect, it } from 'vitest';
import { catalogs, t } from '../../src/i18n/index.ts';

function leaves(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v);
    else for (const [kk, vv] of leaves(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const vars = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('the catalogs', () => {
  const es = leaves(catalogs.es);
  const en = leaves(catalogs.en);

  it('have the same keys in Spanish and English', () => {
    expect([...en.keys()].sort()).toEqual([...es.keys()].sort());
  });

  it('use the same variables in both languages, and no text is empty unless meant to be', () => {
    for (const [key, text] of es) {
      expect(vars(en.get(key)!), key).toEqual(vars(text));
      if (key !== 'proposalStatus.published') {
        expect(text.trim(), key).not.toBe('');
        expect(en.get(key)!.trim(), key).not.toBe('');
      }
    }
  });

  it('choose plural forms by count, in each language', () => {
    expect(t('es', 'proposal.supports', { count: 1 })).toBe('👍 1 apoyo');
    expect(t('es', 'proposal.supports', { count: 0 })).toBe('👍 0 apoyos');
    expect(t('en', 'proposal.supports', { count: 2 })).toBe('👍 2 supports');
    expect(t('en', 'common.yes')).toBe('Yes');
    expect(t('es', 'common.yes')).toBe('Sí');
  });

  it('gives the same text for the same variables and the right one for others, cached or not', () => {
    for (let i = 0; i < 3; i++) {
      expect(t('es', 'proposal.supports', { count: 1 })).toBe('👍 1 apoyo');
      expect(t('es', 'proposal.supports', { count: 2 })).toBe('👍 2 apoyos');
      expect(t('en', 'proposal.supports', { count: 1 })).toBe('👍 1 support');
    }
    // A number and the string of it are different variables (plural rules read numbers only).
    expect(t('es', 'proposal.category', { category: 'Movilidad' })).toBe('Categoría: Movilidad');
    expect(t('es', 'proposal.category', { category: 'Salud' })).toBe('Categoría: Salud');
    const long = 'x'.repeat(500);
    expect(t('es', 'proposal.category', { category: long })).toBe(`Categoría: ${long}`);
    // Past the cache's size every text is still right.
    for (let n = 0; n < 6000; n++)
      expect(t('en', 'proposal.supports', { count: n })).toBe(
        `👍 ${n} supports`.replace(/^👍 1 supports$/, '👍 1 support'),
      );
  });
});
