// A phase's exclusive end, named as people read it: the last day open, or the day and time it closes.
import { describe, expect, it } from 'vitest';
import { isMidnightIn, lastInstantBefore, periodEnd } from '../../src/domain/last-day.ts';
import { formatLastDay } from '../../src/i18n/last-day.ts';

describe('periodEnd', () => {
  it('an end at midnight in the zone names the day before; another end names itself with its time', () => {
    const winter = new Date('2027-03-10T23:00:00Z'); // 11 March 00:00 in Madrid (UTC+1)
    const summer = new Date('2027-03-31T22:00:00Z'); // 1 April 00:00 in Madrid (UTC+2)
    expect(isMidnightIn(winter, 'Europe/Madrid')).toBe(true);
    expect(isMidnightIn(summer, 'Europe/Madrid')).toBe(true);
    expect(isMidnightIn(winter, 'Europe/London')).toBe(false);
    expect(isMidnightIn(new Date(winter.getTime() + 1), 'Europe/Madrid')).toBe(false);
    expect(lastInstantBefore(winter)).toEqual(new Date('2027-03-10T22:59:59.999Z'));
    expect(periodEnd(winter, 'Europe/Madrid')).toEqual({
      lastDay: lastInstantBefore(winter),
      closesAt: undefined,
    });
    expect(periodEnd(winter, 'Europe/London')).toEqual({
      lastDay: lastInstantBefore(winter),
      closesAt: winter,
    });
  });

  it('reads in both languages as the chat writes dates', () => {
    const end = new Date('2027-03-10T23:00:00Z');
    expect(formatLastDay('es', end, 'Europe/Madrid')).toBe('10 de marzo de 2027');
    expect(formatLastDay('en', end, 'Europe/Madrid')).toBe('10 March 2027');
    expect(formatLastDay('es', new Date('2027-03-11T17:00:00Z'), 'Europe/Madrid')).toBe(
      '11 de marzo de 2027 a las 18:00',
    );
    expect(formatLastDay('en', new Date('2027-03-11T17:00:00Z'), 'Europe/Madrid')).toBe(
      '11 March 2027 at 18:00',
    );
  });
});
