// English as English speakers write it: a count of one in the singular, a percentage without a space.
import { describe, expect, it } from 'vitest';
import { catalogs, t } from '../../src/i18n/index.ts';

describe('English wording', () => {
  it('says a support recorded without «1 of 1 supports»', () => {
    const last = t('en', 'support.done', { used: 1, limit: 1, left: 0, count: 0 });
    expect(last).not.toMatch(/\b1 supports\b/);
    expect(last).toMatch(/Support recorded!/);
    const one = t('en', 'support.done', { used: 2, limit: 3, left: 1, count: 1 });
    expect(one).toMatch(/2 of 3/);
    expect(one).toMatch(/1 left/);
  });

  it('writes percentages with no space before the sign (Spanish keeps its space)', () => {
    const english = JSON.stringify(catalogs.en);
    expect(english).not.toMatch(/\}\} %/);
    expect(t('en', 'progress.bar', { bar: '▓▓', percent: 50 })).toBe('▓▓ 50%');
    expect(t('es', 'progress.bar', { bar: '▓▓', percent: 50 })).toBe('▓▓ 50 %');
  });
});
