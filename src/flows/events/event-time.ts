// When an event takes place, as people read it: weekday, day, month and time in the process's time zone
// ("miércoles, 3 de diciembre, 18:00" / "Wednesday 3 December, 18:00"), with the end time when it has one.
import type { Locale } from '../../domain/deps.ts';

function format(locale: Locale, date: Date, timeZone: string, opts: Intl.DateTimeFormatOptions): string {
  const tag = locale === 'en' ? 'en-GB' : 'es-ES';
  try {
    return new Intl.DateTimeFormat(tag, { ...opts, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(tag, { ...opts, timeZone: 'Europe/Madrid' }).format(date);
  }
}

export function eventTime(
  locale: Locale,
  event: { startsAt: Date; endsAt?: Date | null },
  timeZone: string,
): string {
  const start = format(locale, event.startsAt, timeZone, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  if (!event.endsAt) return start;
  const end = format(locale, event.endsAt, timeZone, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${start}–${end}`;
}
