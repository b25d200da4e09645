// The retention sweep's erasure (retention.ts): erases, one by one (erase-participant), the participants due
// erasure. The condition is checked again under each participant's lock, so a person who comes back while
// the sweep runs keeps their data. Returns how many were erased, kept and failed (an unexpected error with
// one person is logged, without their id, and does not stop the others; they are tried again
// at the next sweep); the channel accounts erased are handed to `traces` once per batch, so their
// conversation state and queued messages in Redis go too. `stopping` ends a batch between two people.
import type { DomainDeps } from './deps.ts';
import { eraseParticipant, type ChannelAccountRef, type ParticipantTraces } from './erase-participant.ts';
import { findInactiveParticipants } from './find-inactive-participants.ts';
import type { RetentionPolicy } from './retention.ts';

export async function eraseInactiveParticipants(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: RetentionPolicy & {
    limit?: number;
    traces: ParticipantTraces;
    /** Asked between two people: true ends the batch early (the worker is stopping). */
    stopping?: () => boolean;
    /** Ids that failed earlier in this sweep: not tried again (failures are added to it). */
    failedIds?: string[];
  },
): Promise<{ erased: number; kept: number; failed: number; tracesLeft: number }> {
  const { toErase } = await findInactiveParticipants(deps, { ...input, skip: input.failedIds });
  let erased = 0;
  let kept = 0;
  let failed = 0;
  // The Redis traces of the whole batch are forgotten at once, after it: each `forget` scans the keyspace,
  // and a batch may erase hundreds of people.
  const accounts: ChannelAccountRef[] = [];
  const collect: ParticipantTraces = {
    forget: async (refs) => {
      accounts.push(...refs);
    },
  };
  for (const participantId of toErase) {
    if (input.stopping?.()) break;
    let result;
    try {
      result = await eraseParticipant(deps, {
        participantId,
        channel: 'system',
        traces: collect,
        onlyIfInactive: { days: input.days, warnDays: input.warnDays },
      });
    } catch (error) {
      failed++;
      input.failedIds?.push(participantId);
      deps.logger.error({ err: error }, 'retention erasure failed; tried again next sweep');
      continue;
    }
    if (result.ok) erased++;
    else kept++;
  }
  let tracesLeft = 0;
  if (accounts.length > 0) {
    try {
      await input.traces.forget(accounts);
    } catch (error) {
      // The database no longer knows them; their keys expire by themselves (dialog state, turn records).
      deps.logger.error({ err: error }, 'retention erasure: Redis traces not removed');
      tracesLeft = erased;
    }
  }
  return { erased, kept, failed, tracesLeft };
}
