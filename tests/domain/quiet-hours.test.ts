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

  it('keeps Europe/Madrid for an unknown time zone', () => {
    expect(quietUntil(new Date('2026-11-26T21:00:00Z'), 'Not/A_Zone', night)?.toISOString()).toBe(
      '2026-11-27T08:00:00.000Z',
    );
  });

  describe('on a night the clocks change', () => {
    it.each([
      // Madrid springs forward 2027-03-28 02:00 CET → 03:00 CEST: the night is an hour shorter.
      ['Europe/Madrid', '22:00-09:00', '2027-03-27T21:00:00Z', '2027-03-28T07:00:00.000Z'], // 22:00 → 09:00
      ['Europe/Madrid', '22:00-09:00', '2027-03-28T00:30:00Z', '2027-03-28T07:00:00.000Z'], // 01:30 → 09:00
      ['Europe/Madrid', '22:00-09:00', '2027-03-28T01:00:00Z', '2027-03-28T07:00:00.000Z'], // 03:00 → 09:00
      // Madrid falls back 2026-10-25 03:00 CEST → 02:00 CET: the night is an hour longer.
      ['Europe/Madrid', '22:00-09:00', '2026-10-24T20:00:00Z', '2026-10-25T08:00:00.000Z'], // 22:00 → 09:00
      ['Europe/Madrid', '22:00-09:00', '2026-10-25T00:30:00Z', '2026-10-25T08:00:00.000Z'], // 02:30 CEST
      ['Europe/Madrid', '22:00-09:00', '2026-10-25T01:30:00Z', '2026-10-25T08:00:00.000Z'], // 02:30 CET
      // The end in the skipped hour: there is no 02:30 that night; the first instant past it is 03:00.
      ['Europe/Madrid', '22:00-02:30', '2027-03-27T22:00:00Z', '2027-03-28T01:00:00.000Z'], // 23:00 → 03:00
      ['Europe/Madrid', '22:00-02:30', '2027-03-28T00:59:00Z', '2027-03-28T01:00:00.000Z'], // 01:59 → 03:00
      // The end in the repeated hour: its first occurrence (02:30 CEST), not an hour later.
      ['Europe/Madrid', '22:00-02:30', '2026-10-24T21:00:00Z', '2026-10-25T00:30:00.000Z'], // 23:00 → 02:30 CEST
      ['Europe/Madrid', '22:00-02:30', '2026-10-25T00:15:00Z', '2026-10-25T00:30:00.000Z'], // 02:15 CEST
      // Wall-clock hours: once the clocks go back to 02:00, it is 02:00–02:30 again, until 02:30 CET.
      ['Europe/Madrid', '22:00-02:30', '2026-10-25T00:45:00Z', undefined], // 02:45 CEST
      ['Europe/Madrid', '22:00-02:30', '2026-10-25T01:00:00Z', '2026-10-25T01:30:00.000Z'], // 02:00 CET
      // New York: falls back 2026-11-01 02:00 EDT → 01:00 EST, springs forward 2027-03-14 02:00 EST → 03:00 EDT.
      ['America/New_York', '22:00-09:00', '2026-11-01T02:00:00Z', '2026-11-01T14:00:00.000Z'], // 22:00 EDT → 09:00 EST
      ['America/New_York', '22:00-09:00', '2026-11-01T06:30:00Z', '2026-11-01T14:00:00.000Z'], // 01:30 EST
      ['America/New_York', '22:00-09:00', '2027-03-14T03:00:00Z', '2027-03-14T13:00:00.000Z'], // 22:00 EST → 09:00 EDT
      ['America/New_York', '22:00-02:30', '2027-03-14T04:00:00Z', '2027-03-14T07:00:00.000Z'], // 23:00 → 03:00 EDT
      ['America/New_York', '22:00-01:30', '2026-11-01T03:00:00Z', '2026-11-01T05:30:00.000Z'], // → 01:30 EDT
    ])('in %s, quiet %s, at %s: quiet until %s', (zone, hours, now, until) => {
      expect(quietUntil(new Date(now), zone, parseQuietHours(hours)!)?.toISOString()).toBe(until);
    });

    const hhmm = (at: Date, timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(at);

    // 24 h around each change, every 15 minutes, for ends before, in and after the changed hour.
    it.each([
      ['Europe/Madrid', '2027-03-28T01:00:00Z'],
      ['Europe/Madrid', '2026-10-25T01:00:00Z'],
      ['America/New_York', '2027-03-14T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
    ])('in %s around %s, the quiet hours end at their end', (zone, change) => {
      let quietSeen = 0;
      for (const hours of [
        '22:00-09:00',
        '22:00-02:30',
        '22:00-01:30',
        '00:30-02:15',
        '02:15-02:45',
        '01:00-03:30',
      ]) {
        const end = hours.slice(6);
        for (
          let at = Date.parse(change) - 12 * 3_600_000;
          at <= Date.parse(change) + 12 * 3_600_000;
          at += 900_000
        ) {
          const now = new Date(at);
          const until = quietUntil(now, zone, parseQuietHours(hours)!);
          if (!until) continue;
          quietSeen++;
          const context = `${hours} at ${now.toISOString()}: ${until.toISOString()}`;
          expect(until.getTime(), context).toBeGreaterThan(at);
          expect(until.getTime() - at, context).toBeLessThanOrEqual(24 * 3_600_000);
          expect(until.getUTCSeconds() + until.getUTCMilliseconds(), context).toBe(0);
          const local = hhmm(until, zone);
          if (local !== end) {
            // The end does not exist that day: the clock jumps over it in the minute before.
            expect(hhmm(new Date(until.getTime() - 60_000), zone) < end && local > end, context).toBe(true);
          }
          // Quiet all the way to the end, and not at the end.
          for (let between = at; between < until.getTime(); between += 900_000)
            expect(quietUntil(new Date(between), zone, parseQuietHours(hours)!), context).toEqual(until);
          expect(quietUntil(until, zone, parseQuietHours(hours)!), context).toBeUndefined();
        }
      }
      expect(quietSeen).toBeGreaterThan(50);
    });
  });
});
