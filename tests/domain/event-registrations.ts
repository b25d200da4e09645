// Test support for registration scenarios shared by the events, withdrawal, erasure and merge tests.
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import type { DomainTest } from './harness.ts';

/** Registers each person in turn (so the waiting list keeps this order); throws on a refusal. */
export async function registerInOrder(t: DomainTest, eventId: number, ...ids: string[]): Promise<void> {
  for (const participantId of ids) {
    const r = await registerForEvent(t.deps, { participantId, eventId });
    if (!r.ok) throw new Error(r.reason);
  }
}

/** The event's registrations as [participant, status], in the order they were created. */
export async function registrationStatuses(t: DomainTest, eventId: number): Promise<[string, string][]> {
  const rows = await t.db.eventRegistration.findMany({ where: { eventId }, orderBy: { id: 'asc' } });
  return rows.map((r) => [r.participantId, r.status]);
}
