// The retention sweep's erasure (retention.ts): erases, one by one (erase-participant), the participants due
// erasure. The condition is checked again under each participant's lock, so a person who comes back while
// the sweep runs keeps their data. Returns how many were erased, kept and failed (an unexpected error with
// one person is logged, without their id, and does not stop the others; they are tried again
// at the next sweep); the channel accounts erased are handed to `traces` as erase-participant does, so their
// conversation state and queued messages in Redis go too.
import type { DomainDeps } from './deps.ts';
import { eraseParticipant, type ParticipantTraces } from './erase-participant.ts';
import { findInactiveParticipants } from './find-inactive-participants.ts';
import type { RetentionPolicy } from './retention.ts';

export async function eraseInactiveParticipants(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: RetentionPolicy & { limit?: number; traces: ParticipantTraces },
): Promise<{ erased: number; kept: number; failed: number; tracesLeft: number }> {
  const { toErase } = await findInactiveParticipants(deps, input);
  let erased = 0;
  let kept = 0;
  let failed = 0;
  let tracesLeft = 0;
  for (const participantId of toErase) {
    let result;
    try {
      result = await eraseParticipant(deps, {
        participantId,
        channel: 'system',
        traces: input.traces,
        onlyIfInactive: { days: input.days, warnDays: input.warnDays },
      });
    } catch (error) {
      failed++;
      deps.logger.error({ err: error }, 'retention erasure failed; tried again next sweep');
      continue;
    }
    if (result.ok) {
      erased++;
      if (!result.tracesForgotten) tracesLeft++;
    } else kept++;
  }
  return { erased, kept, failed, tracesLeft };
}
