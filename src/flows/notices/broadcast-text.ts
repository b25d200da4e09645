// How a broadcast reads for its recipients, and how its progress reads for the staff member who sent it.
import type { Locale } from '../../domain/deps.ts';
import type { BroadcastProgress } from '../../domain/get-broadcast-progress.ts';
import { t } from '../../i18n/index.ts';
import { formatAge } from '../moderation/room.ts';

export function broadcastMessageText(
  locale: Locale,
  message: { processTitle: string; text: string },
): string {
  return t(locale, 'notice.broadcast', { process: message.processTitle, text: message.text });
}

const BAR_CELLS = 20;

export function broadcastProgressText(locale: Locale, p: BroadcastProgress, final: boolean): string {
  if (final && p.status === 'done') return t(locale, 'progress.summary', { ...p });
  if (final && p.status === 'cancelled') return t(locale, 'progress.cancelledSummary', { ...p });
  const handled = p.recipients - p.remaining;
  const ratio = p.recipients > 0 ? handled / p.recipients : 1;
  const filled = Math.round(ratio * BAR_CELLS);
  return [
    t(locale, 'progress.title', { id: p.id, status: t(locale, `progress.status.${p.status}`) }),
    t(locale, 'progress.bar', {
      bar: '▓'.repeat(filled) + '░'.repeat(BAR_CELLS - filled),
      percent: Math.floor(ratio * 100),
    }),
    t(locale, 'progress.figures', { ...p }),
    p.ratePerSecond > 0
      ? t(locale, 'progress.rate', {
          rate: p.ratePerSecond,
          eta: p.etaSeconds === null ? '—' : formatAge(p.etaSeconds),
        })
      : t(locale, 'progress.rateIdle'),
  ].join('\n');
}
