// The BullMQ workers of a `plaza worker` / `plaza all` process. Each validates its job's payload with the
// queue's zod schema (a malformed job fails at once, without retries, and is kept for inspection) and calls
// the handler; handlers are safe to repeat, so BullMQ's at-least-once delivery is enough.
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '../logger.ts';
import { closeRedis, isRedisConnectionError, redisErrorListener, type Redis } from '../redis/client.ts';
import { handleModerationJob, type ModerationHandlerDeps } from './moderation/handler.ts';
import { MODERATION_QUEUE, moderationJobSchema } from './moderation/job.ts';
import { handleNotificationJob, type NotificationHandlerDeps } from './notifications/handler.ts';
import { handleBroadcastJob, type BroadcastHandlerDeps } from './broadcasts/handler.ts';
import { BROADCASTS_QUEUE, broadcastJobSchema } from './broadcasts/job.ts';
import { NOTIFICATIONS_QUEUE, notificationJobSchema } from './notifications/job.ts';
import { queuePrefix } from './queues.ts';

export interface Workers {
  close(): Promise<void>;
}

export interface WorkersOptions {
  redis: Redis;
  prefix: string;
  logger: Logger;
  moderation: ModerationHandlerDeps;
  notifications: NotificationHandlerDeps;
  broadcasts: Omit<BroadcastHandlerDeps, 'stopping'>;
  /** Jobs handled at once per queue. */
  concurrency?: number;
  /** BullMQ's stalled-job check (and lock) period: how soon a dead worker's jobs are taken over. */
  stalledIntervalMs?: number;
}

function parse<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  job: Job,
): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed ${job.queueName} job ${job.id}`);
  return parsed.data;
}

export function startWorkers(opts: WorkersOptions): Workers {
  const stalledInterval = opts.stalledIntervalMs ?? 30_000;
  // A connection of the workers' own, which keeps commands issued while Redis is away until it is back. The
  // shared client refuses them at once (disableOfflineQueue: callers answer "try again"), and BullMQ does not
  // take node-redis's "client is offline" for a lost connection: its fetch loop would ask again at once, for
  // ever, taking the whole CPU and starving the event loop (no signal handled, no timer run) for as long as
  // Redis is down. Waiting for the connection instead, it asks again when Redis is back.
  const connection = opts.redis.duplicate({ disableOfflineQueue: false });
  // Its errors reach the workers' 'error' listeners below (through BullMQ); one here keeps an error before
  // BullMQ listens from crashing the process.
  connection.on('error', () => undefined);
  const common = {
    connection,
    prefix: queuePrefix(opts.prefix),
    concurrency: opts.concurrency ?? 8,
    stalledInterval,
    lockDuration: stalledInterval,
  };
  let stopping = false;
  const log = opts.logger.child({ module: 'workers' });
  const moderation = new Worker(
    MODERATION_QUEUE,
    async (job) => handleModerationJob(opts.moderation, parse(moderationJobSchema, job)),
    common,
  );
  const notifications = new Worker(
    NOTIFICATIONS_QUEUE,
    async (job, token) => {
      const outcome = await handleNotificationJob(opts.notifications, parse(notificationJobSchema, job));
      if (outcome.deferUntil && token) {
        // Quiet hours: the same job runs again when they end.
        await job.moveToDelayed(outcome.deferUntil.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    },
    common,
  );
  // A broadcast's job lasts as long as its sending; one worker runs a few broadcasts at once.
  const broadcasts = new Worker(
    BROADCASTS_QUEUE,
    async (job, token) => {
      const outcome = await handleBroadcastJob(
        { ...opts.broadcasts, stopping: () => stopping },
        parse(broadcastJobSchema, job),
      );
      // Shutting down mid-broadcast: failing the attempt makes BullMQ run it again soon (on any worker),
      // and that run resumes from the ledger.
      if (outcome === 'interrupted') throw new Error('interrupted by shutdown; resumes from the ledger');
      if (typeof outcome === 'object' && token) {
        // A phase announcement in quiet hours: the same job runs again when they end, holding no slot.
        await job.moveToDelayed(outcome.held.getTime(), token);
        throw new DelayedError();
      }
      return outcome;
    },
    // Each stall is a worker that died holding the job (OOM kill, kill -9, a deploy that did not drain) and
    // whose lock lapsed: running it again is safe (it resumes from the ledger), and a broadcast of hours can
    // outlive several such deaths, where BullMQ's default (1) fails it at the second. Still bounded, so a
    // broadcast that itself kills its worker shows up as failed in the log rather than only as restarts; the
    // requeue sweep (requeue-broadcasts.ts) runs a failed one again within a minute anyway.
    { ...common, concurrency: 4, maxStalledCount: 20 },
  );
  const all = [moderation, notifications, broadcasts];
  // The same holds for a connection that is not open at all (Redis gone while the workers set theirs up:
  // "The client is closed", "Socket closed unexpectedly"): BullMQ takes those for job errors and its fetch
  // loop asks again at once. So at the first such error the workers are paused — nothing could be fetched
  // anyway — and resumed once their connection is ready again (looked at every second, not on an event: the
  // connection BullMQ blocks on is one it makes of its own).
  let outage: NodeJS.Timeout | undefined;
  const pauseForOutage = () => {
    if (outage !== undefined || stopping) return;
    for (const w of all) void w.pause(true).catch(() => undefined);
    outage = setInterval(() => {
      if (!stopping && !connection.isReady) return;
      clearInterval(outage);
      outage = undefined;
      if (!stopping) for (const w of all) void w.resume();
    }, 1000);
  };
  for (const worker of all) {
    // Job ids name cases (`case-12`), never people; no payload goes to the log.
    worker.on('failed', (job, error) =>
      log.warn({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
    );
    // BullMQ reports one error per connection and reconnection attempt while Redis is down: the outage is
    // told once (by the shared client's log), other errors once a minute per kind.
    const report = redisErrorListener(opts.redis, log, 'worker error', { queue: worker.name });
    worker.on('error', (error) => {
      if (isRedisConnectionError(error)) pauseForOutage();
      report(error);
    });
  }
  return {
    async close() {
      stopping = true;
      clearInterval(outage);
      outage = undefined;
      const workers = [moderation, notifications, broadcasts];
      // BullMQ's close waits for the jobs in hand, and for its fetch loop, which waits for Redis to answer:
      // with Redis down that is forever. The jobs in hand could not be marked done anyway (that is a write
      // to Redis), and nothing is lost without them: their locks lapse, and once Redis is back a worker
      // (this one at its next start) takes them over as stalled and runs them again — handlers are safe to
      // repeat. So a close with Redis down does not wait for them.
      const redisDown = () => !opts.redis.isReady || !connection.isReady;
      if (redisDown()) {
        log.warn(
          'closing the queue workers without waiting for their jobs: Redis is unreachable (jobs in hand run ' +
            'again once it is back)',
        );
        await Promise.all(workers.map((w) => w.close(true)));
        await closeRedis(connection);
        return;
      }
      const closing = Promise.all(workers.map((w) => w.close()));
      // Redis going away while the workers finish their jobs: the same (node-redis has no one event for
      // every way a connection is lost, so it is polled).
      let poll: NodeJS.Timeout | undefined;
      const lost = new Promise<'lost'>((resolve) => {
        poll = setInterval(() => {
          if (redisDown()) resolve('lost');
        }, 100);
      });
      try {
        if ((await Promise.race([closing, lost])) !== 'lost') {
          await closeRedis(connection);
          return;
        }
      } finally {
        clearInterval(poll);
      }
      closing.catch(() => undefined);
      await closeRedis(connection);
      log.warn(
        'stopped waiting for the queue workers to close: Redis became unreachable (jobs in hand run again ' +
          'once it is back)',
      );
    },
  };
}
