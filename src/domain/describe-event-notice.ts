// What a workshop or event notice says (describe-notices asks here for the `event-*` kinds): the event's
// title in the recipient's language, when and where, in its process's time zone. Left out (undefined) when
// it no longer applies: the event is gone, a reminder, change or promotion of an event since cancelled, a
// reminder of a start since moved, or one whose registration was cancelled meanwhile.
import type { EventKind } from '../generated/prisma/enums.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { pickText } from './localized-text.ts';

export const EVENT_NOTICE_KINDS = [
  'event-reminder',
  'event-changed',
  'event-cancelled',
  'event-promoted',
] as const;
export type EventNoticeKind = (typeof EVENT_NOTICE_KINDS)[number];

export const isEventNoticeKind = (kind: string): kind is EventNoticeKind =>
  (EVENT_NOTICE_KINDS as readonly string[]).includes(kind);

export interface EventNoticeView {
  id: bigint;
  locale: Locale;
  kind: EventNoticeKind;
  eventKind: EventKind;
  title: string;
  place: string;
  startsAt: Date;
  endsAt: Date | null;
  timeZone: string;
  /** A cancellation's reason, as staff wrote it (cancel-event); undefined for other kinds or none given. */
  reason?: string;
}

export async function describeEventNotice(
  deps: Pick<DomainDeps, 'db'>,
  notice: { id: bigint; locale: Locale; kind: EventNoticeKind; payload: unknown },
): Promise<EventNoticeView | undefined> {
  const payload = (notice.payload ?? {}) as { eventId?: number; registrationId?: number; at?: number };
  if (!payload.eventId) return undefined;
  const event = await deps.db.event.findUnique({
    where: { id: payload.eventId },
    select: {
      kind: true,
      title: true,
      place: true,
      startsAt: true,
      endsAt: true,
      status: true,
      cancelReason: true,
      process: { select: { timeZone: true } },
    },
  });
  if (!event) return undefined;
  if (notice.kind === 'event-cancelled' ? event.status !== 'cancelled' : event.status !== 'scheduled')
    return undefined;
  // A reminder of a start since moved: the new date has a reminder of its own.
  if (notice.kind === 'event-reminder' && payload.at !== undefined && payload.at !== event.startsAt.getTime())
    return undefined;
  if (notice.kind !== 'event-cancelled' && payload.registrationId) {
    const r = await deps.db.eventRegistration.findUnique({
      where: { id: payload.registrationId },
      select: { status: true },
    });
    if (!r || r.status === 'cancelled') return undefined;
    if ((notice.kind === 'event-reminder' || notice.kind === 'event-promoted') && r.status !== 'registered')
      return undefined;
  }
  return {
    id: notice.id,
    locale: notice.locale,
    kind: notice.kind,
    eventKind: event.kind,
    title: pickText(event.title, notice.locale),
    place: event.place,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timeZone: event.process.timeZone,
    ...(notice.kind === 'event-cancelled' && event.cancelReason ? { reason: event.cancelReason } : {}),
  };
}
