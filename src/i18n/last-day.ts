// The end of a phase as the chat writes it after «hasta el» / «until»: its last day open when it ends at
// midnight in the process's time zone («10 de marzo de 2027» for an end stored as 11 March 00:00), else the
// day and time it closes («11 de marzo de 2027 a las 18:00»). The rule is src/domain/last-day.ts; the
// words are Intl's, in the same style as the chat's other dates (src/flows/ui.ts formatDate).
import type { Locale } from '../domain/deps.ts';
import { periodEnd } from '../domain/last-day.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: Locale, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}\u0000${timeZone}\u0000${withTime}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'es-ES', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
      timeZone,
    });
    formats.set(key, f);
  }
  return f;
}

/** «10 de marzo de 2027» / «11 de marzo de 2027 a las 18:00» ("10 March 2027" / "11 March 2027 at 18:00"). */
export function formatLastDay(locale: Locale, endsAt: Date, timeZone: string): string {
  const end = periodEnd(endsAt, timeZone);
  return end.closesAt
    ? format(locale, timeZone, true).format(end.closesAt)
    : format(locale, timeZone, false).format(end.lastDay);
}
