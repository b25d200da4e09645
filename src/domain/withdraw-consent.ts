// Withdrawing participation consent: one ledger row. Afterwards the engine treats the person as not
// consented (they can read the notice and consent again). What they published stays, as the notice says;
// erasing it is a separate right. A person who withdraws receives nothing more: in the same transaction
// their subscriptions end, the `updates` consent is withdrawn too and their broadcast messages not yet sent
// are marked skipped (consent-ledger's endUpdates, as unsubscribe-from-everything does).
//
// Nor is their data processed for events any more: in the same transaction their registrations (places and
// waiting-list spots) for events still to come and not cancelled end exactly as if they had cancelled each
// one (cancel-event-registration's cancelRegistrationOfLockedEvent): a freed place goes to the first of the
// waiting list, who is told after commit. Registrations of events started, past or cancelled stay: history.
//
// Lock order: the participant's row first (lockParticipant, as every consent change), then the events' rows
// one at a time in ascending id (as erase-participant and merge-participants do), so two withdrawals or
// erasures never wait on each other's events in a cycle. registerForEvent holds an event's lock and then
// takes a key-share lock on the participant's row (the foreign key) only when it inserts a new registration,
// and that waits for this transaction; it cannot close a cycle, because it inserts only for someone with no
// registration for that event, while the events locked here are those where the participant's registration
// was found after their row was locked; and registerForEvent now takes a share lock on the participant's row
// before the event's, so it waits for a withdrawal and then refuses (no consent). cancelEventRegistration and
// staff changes lock one event and no participant.
import { endRegistrations } from './cancel-event-registration.ts';
import { currentConsent, endUpdates, lockParticipant } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import { EVENT_TRANSACTION, notifyPromoted } from './events.ts';

export type WithdrawConsentResult =
  | {
      ok: true;
      /** How many registrations for upcoming events ended; absent when none. */
      endedRegistrations?: number;
    }
  | { ok: false; reason: 'not-consented' };

export async function withdrawConsent(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: { participantId: string; channel: string },
): Promise<WithdrawConsentResult> {
  const result = await deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, input.participantId);
    const latest = await currentConsent(tx, input.participantId, 'participation');
    if (latest?.action !== 'given') return { ok: false, reason: 'not-consented' } as const;
    const now = deps.now();
    await tx.consentRecord.create({
      data: {
        participantId: input.participantId,
        purpose: 'participation',
        action: 'withdrawn',
        noticeVersion: latest.noticeVersion,
        channel: input.channel,
        createdAt: now,
      },
    });
    await endUpdates(tx, { participantId: input.participantId, channel: input.channel, at: now });
    const ended = await endRegistrations(tx, input.participantId, now, { upcomingOnly: true });
    return { ok: true, ...ended } as const;
  }, EVENT_TRANSACTION);
  if (!result.ok) return result;
  for (const p of result.promoted) await notifyPromoted(deps, p.eventId, p.list);
  return result.ended > 0 ? { ok: true, endedRegistrations: result.ended } : { ok: true };
}
