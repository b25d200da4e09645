// The text of a workshop or event notice (reminder, change, cancellation and its reason, a place from the
// waiting list), in the recipient's language, with the date in the process's time zone.
import type { EventNoticeView } from '../../domain/describe-event-notice.ts';
import { t } from '../../i18n/index.ts';
import { eventTime } from '../events/event-time.ts';

const KEY = {
  'event-reminder': 'events.notice.reminder',
  'event-changed': 'events.notice.changed',
  'event-cancelled': 'events.notice.cancelled',
  'event-promoted': 'events.notice.promoted',
} as const;

export function eventNoticeText(n: EventNoticeView): string {
  const text = t(n.locale, KEY[n.kind], {
    title: n.title,
    when: eventTime(n.locale, n, n.timeZone),
    place: n.place,
  });
  // A cancellation's reason, on a line of its own, as staff wrote it.
  return n.reason ? `${text}\n${t(n.locale, 'events.notice.reason', { reason: n.reason })}` : text;
}
