import { describe, expect, it } from 'vitest';
import {
  BODY_MAX,
  BODY_MIN,
  checkBody,
  checkLength,
  checkTitle,
  cleanText,
  TITLE_MAX,
  TITLE_MIN,
} from '../../src/domain/proposal-rules.ts';

const a = (n: number) => 'a'.repeat(n);

describe('proposal rules', () => {
  it('has the agreed limits', () => {
    expect([TITLE_MIN, TITLE_MAX, BODY_MIN, BODY_MAX]).toEqual([10, 120, 20, 2000]);
  });

  describe('cleanText', () => {
    it.each([
      ['  hola  ', 'hola'],
      ['a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\u007Fg\u0085h\u009Fi', 'abcdefghi'],
      ['tab\tand\nnewline', 'tab\tand\nnewline'],
      ['one\r\ntwo\rthree', 'one\ntwo\nthree'],
      ['\u202Eevil\u202C \u2066iso\u2069', 'evil iso'],
      ['\u0007  \u0001', ''],
      ['👨‍👩‍👧 café', '👨‍👩‍👧 café'],
    ])('cleans %j into %j', (input, output) => {
      expect(cleanText(input)).toBe(output);
    });
  });

  describe('checkLength', () => {
    it('counts code points, so an emoji is one', () => {
      expect(checkLength('🚲'.repeat(3), 3, 3)).toEqual({ ok: true, value: '🚲🚲🚲' });
      expect(checkLength('🚲'.repeat(4), 3, 3)).toEqual({ ok: false, reason: 'too-long', length: 4 });
      expect(checkLength('ñ🚲', 3, 5)).toEqual({ ok: false, reason: 'too-short', length: 2 });
    });

    it('measures after cleaning', () => {
      expect(checkLength(' \u0000ab\u202E ', 3, 5)).toEqual({ ok: false, reason: 'too-short', length: 2 });
    });

    it('counts only what can be seen towards the minimum, and drops invisible characters at the ends', () => {
      expect(checkLength('\u200B'.repeat(13), 10, 120)).toEqual({
        ok: false,
        reason: 'too-short',
        length: 0,
      });
      expect(checkLength('ab\u200C\u200D\u2060\uFEFFc', 3, 120)).toEqual({
        ok: true,
        value: 'ab\u200C\u200D\u2060\uFEFFc',
      });
      expect(checkLength('\uFEFF\u200B abc \u200B', 3, 120)).toEqual({ ok: true, value: 'abc' });
      // A joiner holds an emoji family together: kept, and one family is still short.
      const family = '👨\u200D👩\u200D👧';
      expect(checkLength(`${family} en el parque`, 3, 120)).toEqual({
        ok: true,
        value: `${family} en el parque`,
      });
      expect(checkLength('ab\u200B\u200B', 3, 120)).toEqual({ ok: false, reason: 'too-short', length: 2 });
    });
  });

  describe('checkTitle', () => {
    it.each([
      [a(9), { ok: false, reason: 'too-short', length: 9 }],
      [a(10), { ok: true, value: a(10) }],
      [a(120), { ok: true, value: a(120) }],
      [a(121), { ok: false, reason: 'too-long', length: 121 }],
      [a(119) + '🚲', { ok: true, value: a(119) + '🚲' }],
      [' \t\n '.repeat(20), { ok: false, reason: 'too-short', length: 0 }],
    ])('%#: checks the length of a title', (title, result) => {
      expect(checkTitle(title)).toEqual(result);
    });

    it('puts the title on one line, collapsing runs of whitespace', () => {
      expect(checkTitle('  Más\n\n autobuses \t de noche ')).toEqual({
        ok: true,
        value: 'Más autobuses de noche',
      });
    });
  });

  describe('checkBody', () => {
    it.each([
      [a(19), { ok: false, reason: 'too-short', length: 19 }],
      [a(20), { ok: true, value: a(20) }],
      [a(2000), { ok: true, value: a(2000) }],
      [a(2001), { ok: false, reason: 'too-long', length: 2001 }],
      ['🚌'.repeat(2000), { ok: true, value: '🚌'.repeat(2000) }],
      ['🚌'.repeat(2001), { ok: false, reason: 'too-long', length: 2001 }],
    ])('%#: checks the length of a body', (body, result) => {
      expect(checkBody(body)).toEqual(result);
    });

    it('keeps line breaks in the body', () => {
      expect(checkBody('Primera línea larga\r\n\r\nSegunda')).toEqual({
        ok: true,
        value: 'Primera línea larga\n\nSegunda',
      });
    });
  });
});
