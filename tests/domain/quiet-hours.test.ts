import { describe, expect, it } from 'vitest';
import { parseQuietHours, quietUntil } from '../../src/domain/quiet-hours.ts';

const night = parseQuietHours('22:00-09:00')!;

describe('quiet hours', () => {
  it.each([
    ['2026-11-26T20:59:00Z', undefined], // 21:59 in Madrid (UTC+1)
    ['2026-11-26T21:00:00Z', '2026-11-27T08:00:00.000Z'], // 22:00 → 09:00 Madrid
    ['2026-11-27T02:30:00Z', '2026-11-27T08:00:00.000Z'], // 03:30
    ['2026-11-27T07:59:00Z', '2026-11-27T08:00:00.000Z'], // 08:59
    ['2026-11-27T08:00:00Z', undefined], // 09:00
    ['2026-07-01T21:30:00Z', '2026-07-02T07:00:00.000Z'], // 23:30 in summer (UTC+2) → 09:00
  ])('at %s in Europe/Madrid: quiet until %s', (now, until) => {
    expect(quietUntil(new Date(now), 'Europe/Madrid', night)?.toISOString()).toBe(until);
  });

  it('follows the process’s time zone', () => {
    expect(quietUntil(new Date('2026-11-27T04:00:00Z'), 'America/Bogota', night)?.toISOString()).toBe(
      '2026-11-27T14:00:00.000Z',
    );
  });

  it('handles hours within one day, and refuses malformed settings', () => {
    const lunch = parseQuietHours('14:00-16:00')!;
    expect(quietUntil(new Date('2026-11-26T14:30:00Z'), 'UTC', lunch)?.toISOString()).toBe(
      '2026-11-26T16:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-11-26T16:00:00Z'), 'UTC', lunch)).toBeUndefined();
    expect(parseQuietHours('')).toBeUndefined();
    expect(() => parseQuietHours('22-9')).toThrow(/HH:MM-HH:MM/);
    expect(() => parseQuietHours('10:00-10:00')).toThrow(/differ/);
  });
});
