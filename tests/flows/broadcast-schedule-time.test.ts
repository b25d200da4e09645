import { describe, expect, it } from 'vitest';
import { formatScheduleTime, parseScheduleTime } from '../../src/flows/broadcast/schedule-time.ts';

const MADRID = 'Europe/Madrid';
// 10 June 2025, 12:00 in Madrid (summer time, UTC+2).
const now = new Date('2025-06-10T10:00:00Z');
const parse = (text: string, at = now) => parseScheduleTime(text, { now: at, timeZone: MADRID });

describe('parseScheduleTime', () => {
  it("reads day/month and time on the process's wall clock, this year when no year is given", () => {
    expect(parse('28/11 18:30')).toEqual({ ok: true, at: new Date('2025-11-28T17:30:00Z') });
    expect(parse('12/06 09:05')).toEqual({ ok: true, at: new Date('2025-06-12T07:05:00Z') });
    expect(parse('28/11/2026 18:30')).toEqual({ ok: true, at: new Date('2026-11-28T17:30:00Z') });
    expect(parse('28/11/26 18:30')).toEqual({ ok: true, at: new Date('2026-11-28T17:30:00Z') });
    for (const text of ['28-11 18:30', '28.11 18.30', '28/11 a las 18:30', '28/11, 18h30', ' 28/11   18:30 '])
      expect(parse(text), text).toEqual({ ok: true, at: new Date('2025-11-28T17:30:00Z') });
    expect(parseScheduleTime('28/11 18:30', { now, timeZone: 'America/New_York' })).toEqual({
      ok: true,
      at: new Date('2025-11-28T23:30:00Z'),
    });
  });

  it('refuses what it cannot read, dates that do not exist and the past', () => {
    for (const text of [
      'mañana',
      '28/11',
      '18:30',
      '28/11 1830',
      '28 de noviembre 18:30',
      '2025-11-28T18:30',
      '',
    ])
      expect(parse(text), text).toEqual({ ok: false, reason: 'format' });
    for (const text of [
      '31/11 10:00',
      '30/02 10:00',
      '29/02/2026 10:00',
      '13/13 10:00',
      '00/05 10:00',
      '28/11 24:00',
      '28/11 18:60',
    ])
      expect(parse(text), text).toEqual({ ok: false, reason: 'no-such-date' });
    expect(parse('29/02/2028 10:00')).toMatchObject({ ok: true });
    // Spring forward in Madrid: 29 March 2026, 02:00 → 03:00.
    expect(parse('29/03/2026 02:30')).toEqual({ ok: false, reason: 'no-such-date' });
    expect(parse('29/03/2026 03:00')).toEqual({ ok: true, at: new Date('2026-03-29T01:00:00Z') });
    // Fall back: 25 October 2026, 02:30 happens twice; the first one counts.
    expect(parse('25/10/2026 02:30')).toEqual({ ok: true, at: new Date('2026-10-25T00:30:00Z') });
    expect(parse('10/06 11:59')).toEqual({ ok: false, reason: 'in-the-past' });
    expect(parse('10/06 12:00')).toEqual({ ok: false, reason: 'in-the-past' });
    expect(parse('10/06 12:01')).toMatchObject({ ok: true });
    expect(parse('01/01 10:00')).toEqual({ ok: false, reason: 'in-the-past' });
    expect(parse('01/01/2020 10:00')).toEqual({ ok: false, reason: 'in-the-past' });
  });

  it('takes the current year of the time zone, not of UTC', () => {
    // 31 Dec 2025 23:30 UTC is already 1 January 2026 in Madrid.
    const newYear = new Date('2025-12-31T23:30:00Z');
    expect(parse('02/01 10:00', newYear)).toEqual({ ok: true, at: new Date('2026-01-02T09:00:00Z') });
  });

  it('formats the instant on the same clock, in each language', () => {
    const at = new Date('2025-11-28T17:30:00Z');
    expect(formatScheduleTime(at, 'es', MADRID)).toBe('28 de noviembre de 2025 a las 18:30');
    expect(formatScheduleTime(at, 'en', MADRID)).toBe('28 November 2025 at 18:30');
  });
});
