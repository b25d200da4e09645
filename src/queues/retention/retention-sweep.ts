// The retention sweep, run by every worker process (`plaza worker`, `plaza all`): at start and every
// `intervalMs` (RETENTION_SWEEP_EVERY_MINUTES) it warns the participants due a warning, then erases those
// due erasure (retention.ts), in batches of `batchSize`, at most `maxBatches` of each per sweep (the rest
// waits for the next one). A timer rather than a BullMQ repeatable job, as the event reminders: each step
// claims its rows in PostgreSQL — the warning is one conditional UPDATE … FOR UPDATE SKIP LOCKED, each
// erasure re-checks its condition under the participant's lock — so several workers sweeping at once warn
// and erase each person once, and nothing has to be scheduled or cleaned up in Redis.
// Then spent link codes and old code attempts go (purge-spent-codes: storage limitation).
// The erasure forgets what Redis keeps of the person (`traces`: dialog state, Telegram queues). The warning
// notices go out through the notifications queue, whose jobs carry the warning's time only.
// The log has counts only: no participant ids, no channel accounts.
import type { DomainDeps } from '../../domain/deps.ts';
import { eraseInactiveParticipants } from '../../domain/erase-inactive-participants.ts';
import type { ParticipantTraces } from '../../domain/erase-participant.ts';
import type { RetentionPolicy } from '../../domain/retention.ts';
import { purgeSpentCodes } from '../../domain/purge-spent-codes.ts';
import { warnInactiveParticipants } from '../../domain/warn-inactive-participants.ts';
import type { Logger } from '../../logger.ts';

export interface RetentionSweepOptions extends RetentionPolicy {
  traces: ParticipantTraces;
  /** People warned, or erased, per batch. */
  batchSize?: number;
  /** Batches of each step per sweep. */
  maxBatches?: number;
  /** Asked between batches and between two erasures: true ends the sweep (the worker is stopping). */
  stopping?: () => boolean;
}

export interface RetentionSweepCounts {
  warned: number;
  /** Warning notices recorded (people with participation consent and a channel). */
  noticed: number;
  erased: number;
  /** Due erasure when chosen, but back by the time their turn came. */
  kept: number;
  failed: number;
  /** Erased, but their Redis traces could not all be deleted (they expire anyway). */
  tracesLeft: number;
  /** Spent link codes and old attempts removed (purge-spent-codes). */
  codesPurged: number;
}

/** One sweep: warn, then erase, batch after batch. */
export async function sweepRetention(
  domain: DomainDeps,
  opts: RetentionSweepOptions,
): Promise<RetentionSweepCounts> {
  const policy = { days: opts.days, warnDays: opts.warnDays };
  const limit = opts.batchSize ?? 200;
  const maxBatches = opts.maxBatches ?? 50;
  const counts: RetentionSweepCounts = {
    warned: 0,
    noticed: 0,
    erased: 0,
    kept: 0,
    failed: 0,
    tracesLeft: 0,
    codesPurged: 0,
  };
  const stopping = opts.stopping ?? (() => false);
  for (let batch = 0; batch < maxBatches && !stopping(); batch++) {
    const r = await warnInactiveParticipants(domain, { ...policy, limit });
    counts.warned += r.warned.length;
    counts.noticed += r.noticed;
    if (r.warned.length < limit) break;
  }
  // People whose erasure failed are not tried again in this sweep: the next batch moves past them.
  const failedIds: string[] = [];
  let allFailed = 0;
  for (let batch = 0; batch < maxBatches && !stopping(); batch++) {
    const r = await eraseInactiveParticipants(domain, {
      ...policy,
      limit,
      traces: opts.traces,
      stopping,
      failedIds,
    });
    counts.erased += r.erased;
    counts.kept += r.kept;
    counts.failed += r.failed;
    counts.tracesLeft += r.tracesLeft;
    // A short batch was the last. Failed people are skipped, so the next batch reaches the people after
    // them; but two batches in a row that erased and kept nobody mean something is wrong with everyone.
    if (r.erased + r.kept + r.failed < limit) break;
    allFailed = r.erased + r.kept === 0 ? allFailed + 1 : 0;
    if (allFailed >= 2) break;
  }
  if (stopping()) return counts;
  const purged = await purgeSpentCodes(domain);
  counts.codesPurged = purged.linkCodes + purged.linkAttempts + purged.verificationAttempts;
  return counts;
}

export interface RetentionSweep {
  /** No more sweeps; resolves when the one running (if any) has finished. */
  stop(): Promise<void>;
}

export function startRetentionSweep(
  domain: DomainDeps,
  logger: Logger,
  opts: RetentionSweepOptions & { intervalMs?: number },
): RetentionSweep {
  const log = logger.child({ module: 'retention' });
  let running: Promise<void> | undefined;
  let stopped = false;
  const sweep = () => (running ??= once().finally(() => (running = undefined)));
  const once = async () => {
    try {
      const counts = await sweepRetention(domain, { ...opts, stopping: () => stopped });
      if (counts.warned + counts.erased + counts.kept + counts.failed > 0)
        log.info(counts, 'retention sweep');
      else log.debug(counts, 'retention sweep: nobody due');
    } catch (error) {
      log.warn({ err: error }, 'retention sweep failed');
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), opts.intervalMs ?? 3600_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
