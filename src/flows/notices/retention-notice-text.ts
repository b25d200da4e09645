// The text of a retention warning, in the recipient's language: from which day their data is erased
// (Madrid time, the default time zone: the warning belongs to no process) unless they write before, and
// what stays anonymously; or, once they came back, that their data stays.
import type { RetentionNoticeView } from '../../domain/describe-retention-notice.ts';
import { t } from '../../i18n/index.ts';

export function retentionNoticeText(n: RetentionNoticeView): string {
  const date = new Intl.DateTimeFormat(n.locale === 'en' ? 'en-GB' : 'es-ES', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Madrid',
  }).format(n.eraseAt);
  return n.stillDue
    ? t(n.locale, 'retention.warning', { date, days: n.days })
    : t(n.locale, 'retention.cameBack', { date, days: n.days });
}
