// The `broadcasts` queue's handler: sends one broadcast, for as long as that takes. It starts it (the
// audience frozen into the ledger once), then repeatedly takes the next pending recipients from the ledger
// and hands each to its channel — Telegram's rate-limited outbox (once per delivery), or, for web chat, a
// notice shown at the person's next message — never holding more than a couple of seconds of messages
// ahead of the channel's rate, so interactive replies are not stuck behind a broadcast and a cancellation
// or an unsubscribe takes effect at once. Rows handed over long ago and never settled (Redis flushed, a
// process died) are handed over again; the channel's per-delivery key makes that a no-op when the message
// is still on its way. Safe to run again at any point (a crashed worker's job is picked up by another):
// everything resumes from the ledger. The staff member's chat shows a progress message, edited as it goes.
//
// Quiet hours: a phase announcement (process-phase-announcements.ts) is held while QUIET_HOURS last in its
// process's time zone: not started (its audience is frozen when it goes) and, if they begin while it is
// sending, nothing more handed over (what the channel already holds, ~2 s of it, still goes). The job then
// ends with `{ held: <their end> }` and the worker puts it back, delayed until then (workers.ts): it holds
// no worker slot overnight, the ledger is untouched, and the next run resumes from it, so nobody is lost or
// reached twice; a cancellation meanwhile is found by that run. Staff's own broadcasts are never held:
// staff chose their time. A phase announcement not started yet whose phase is over by the time it would go
// (a night-only phase held until morning, staff advancing past it before then, a sender down for long) is
// cancelled instead: "phase X begins" must not reach people after X ended.
import type { DomainDeps, Locale } from '../../domain/deps.ts';
import { claimBroadcastDeliveries, type ClaimedDelivery } from '../../domain/claim-broadcast-deliveries.ts';
import { finishBroadcast } from '../../domain/finish-broadcast.ts';
import { getBroadcastProgress, type BroadcastProgress } from '../../domain/get-broadcast-progress.ts';
import { listStaleDeliveries } from '../../domain/list-stale-deliveries.ts';
import {
  cancelEndedPhaseAnnouncement,
  phaseAnnouncementTimeZone,
} from '../../domain/process-phase-announcements.ts';
import { quietUntil, type QuietHours } from '../../domain/quiet-hours.ts';
import { settleBroadcastDeliveries } from '../../domain/settle-broadcast-deliveries.ts';
import { startBroadcast } from '../../domain/start-broadcast.ts';
import type { BroadcastJob } from './job.ts';

/**
 * Hands one delivery to a channel: 'queued' (its outcome is reported later), 'waiting' (kept for the
 * person's next visit), 'sent' (handed over before and it did go out), 'in-flight' (still on its way).
 */
export type BroadcastSender = (
  delivery: ClaimedDelivery & { broadcastId: number },
  opts: { force: boolean },
) => Promise<'queued' | 'waiting' | 'sent' | 'in-flight'>;

export interface BroadcastHandlerDeps {
  domain: DomainDeps;
  senders: Partial<Record<string, BroadcastSender>>;
  /** Shows (and then edits) the progress in the staff member's chat. */
  progress?: (
    broadcastId: number,
    chatId: string,
    progress: BroadcastProgress,
    final: boolean,
  ) => Promise<void>;
  /** The channel's overall rate (messages per second): at most ~2 s of it is handed over ahead. */
  perSecond: number;
  pollMs?: number;
  /** Rows queued longer than this without an outcome are handed over again. */
  staleMs?: number;
  progressEveryMs?: number;
  /** True when the worker is closing: the job stops and is picked up again later. */
  stopping?: () => boolean;
  /** Phase announcements wait for the end of these hours (their process's time zone); none if absent. */
  quietHours?: QuietHours;
}

/** `held`: a phase announcement in quiet hours; run the job again at that time. */
export type BroadcastJobOutcome = 'done' | 'cancelled' | 'not-found' | 'interrupted' | { held: Date };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function handleBroadcastJob(
  deps: BroadcastHandlerDeps,
  job: BroadcastJob,
): Promise<BroadcastJobOutcome> {
  const { broadcastId } = job;
  const domain = deps.domain;
  const pollMs = deps.pollMs ?? 200;
  const quietHours = deps.quietHours;
  const timeZone = quietHours ? await phaseAnnouncementTimeZone(domain, { broadcastId }) : undefined;
  /** While quiet hours hold this broadcast: when they end. */
  const heldUntil = (): Date | undefined =>
    quietHours && timeZone !== undefined ? quietUntil(domain.now(), timeZone, quietHours) : undefined;

  // A phase announcement about to start for a phase already over: cancelled, nobody reached.
  const ended = await cancelEndedPhaseAnnouncement(domain, { broadcastId });
  if (ended) {
    domain.logger.info(
      { broadcastId, processId: ended.processId, phase: ended.position, kind: ended.kind },
      'phase announcement cancelled: its phase ended before it went out',
    );
    return 'cancelled';
  }
  // Due in quiet hours: not started until they end (one cancelled or finished meanwhile just ends).
  const held = heldUntil();
  if (held) {
    // Reads where it stands (a scheduled one is left as it is; a sending one with nothing open is done).
    const state = await finishBroadcast(domain, { broadcastId });
    if (state.status === 'done' || state.status === 'cancelled' || state.status === 'not-found')
      return state.status;
    return { held };
  }
  const started = await startBroadcast(domain, { broadcastId });
  if (!started.ok) return started.reason === 'done' ? 'done' : started.reason;
  const broadcast = await domain.db.broadcast.findUniqueOrThrow({
    where: { id: broadcastId },
    select: { progressChatId: true },
  });
  const staleMs = deps.staleMs ?? 60_000;
  const ahead = Math.max(10, deps.perSecond * 2);
  // Each edit of the progress message is one of the channel's messages per second: a long broadcast's is
  // edited less often.
  const progressEvery =
    deps.progressEveryMs ?? (started.recipients / Math.max(1, deps.perSecond) > 60 ? 10_000 : 3000);
  const handOverBatch = 200;
  let lastProgress = 0;
  let lastStaleCheck = Date.now();

  const showProgress = async (final: boolean) => {
    if (!broadcast.progressChatId || !deps.progress) return;
    const progress = await getBroadcastProgress(domain, { broadcastId });
    if (progress) await deps.progress(broadcastId, broadcast.progressChatId, progress, final);
  };

  // `force`: the channel hands it over even if it believes it has it (it lost it some other way).
  // Handed over `handOverBatch` at a time, concurrently (their Redis commands are pipelined), so the channel
  // is never starved while the next deliveries are prepared.
  const handOver = async (
    deliveries: ClaimedDelivery[],
    force: (d: ClaimedDelivery) => boolean = () => false,
  ) => {
    const settled = { waiting: [] as bigint[], sent: [] as bigint[], unsendable: [] as bigint[] };
    for (let i = 0; i < deliveries.length; i += handOverBatch) {
      await Promise.all(
        deliveries.slice(i, i + handOverBatch).map(async (d) => {
          const send = deps.senders[d.channel];
          if (!send) return settled.unsendable.push(d.id);
          const r = await send({ ...d, broadcastId }, { force: force(d) });
          if (r === 'waiting' || r === 'sent') settled[r].push(d.id);
        }),
      );
    }
    await settleBroadcastDeliveries(domain, {
      ids: settled.unsendable,
      outcome: 'failed',
      error: 'no-sender',
    });
    await settleBroadcastDeliveries(domain, { ids: settled.waiting, outcome: 'waiting' });
    await settleBroadcastDeliveries(domain, { ids: settled.sent, outcome: 'sent' });
  };

  for (;;) {
    if (deps.stopping?.()) return 'interrupted';
    const state = await finishBroadcast(domain, { broadcastId });
    if (state.status === 'done' || state.status === 'cancelled' || state.status === 'not-found') {
      await showProgress(true);
      return state.status;
    }
    // Quiet hours began while sending: nothing more is handed over until they end; what the channel holds
    // settles meanwhile, and the next run resumes from the ledger.
    const heldNow = heldUntil();
    if (heldNow) {
      await showProgress(false);
      return { held: heldNow };
    }
    const inFlight = await domain.db.broadcastDelivery.count({ where: { broadcastId, status: 'queued' } });
    let worked = false;
    if (inFlight < ahead) {
      const claimed = await claimBroadcastDeliveries(domain, { broadcastId, max: ahead - inFlight });
      await handOver(claimed);
      worked = claimed.length > 0;
    }
    if (Date.now() - lastStaleCheck >= Math.min(staleMs, 10_000)) {
      lastStaleCheck = Date.now();
      const stale = await listStaleDeliveries(domain, { broadcastId, olderThanMs: staleMs, max: ahead });
      // Still "on its way" three stale periods later: no healthy channel holds a message that long (at most
      // ~2 s of the rate is handed over ahead), so it was lost half-way (a partial Redis loss): hand it over
      // anew, accepting a duplicate over a person never reached.
      const lost = new Set(
        stale.filter((d) => Date.now() - d.queuedAt.getTime() > 3 * staleMs).map((d) => d.id),
      );
      await handOver(stale, (d) => lost.has(d.id));
    }
    if (Date.now() - lastProgress >= progressEvery) {
      lastProgress = Date.now();
      await showProgress(false);
    }
    if (!worked) await sleep(pollMs);
  }
}

/** The text a recipient gets: theirs, else the Spanish one. */
export function broadcastText(texts: unknown, locale: string): string {
  const all = (texts ?? {}) as Partial<Record<Locale, string>>;
  return all[locale as Locale] ?? all.es ?? '';
}
