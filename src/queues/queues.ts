// Producers for every queue, on one Redis connection. Workers live with each queue's handler.
import { Queue } from 'bullmq';
import { createLogger, type Logger } from '../logger.ts';
import { redisErrorListener, type Redis } from '../redis/client.ts';
import {
  MODERATION_QUEUE,
  moderationJobId,
  moderationJobSchema,
  type ModerationJob,
} from './moderation/job.ts';
import { BROADCASTS_QUEUE, broadcastJobId, broadcastJobSchema, type BroadcastJob } from './broadcasts/job.ts';
import {
  NOTIFICATIONS_QUEUE,
  notificationJobId,
  notificationJobSchema,
  type NotificationJob,
} from './notifications/job.ts';

export interface Queues {
  moderation: Queue<ModerationJob>;
  notifications: Queue<NotificationJob>;
  broadcasts: Queue<BroadcastJob>;
  /** Queues a case's pre-screen and card, once while queued; a finished job is run again. */
  moderateCase(caseId: number): Promise<void>;
  /**
   * Starts a broadcast now, or at `at`. Safe to call twice while its job exists. Asked again for a broadcast
   * whose job is over (BullMQ keeps it for days under the same id), it runs again, with all its tries: the
   * callers ask only for broadcasts still scheduled or sending (requeue-broadcasts), so one whose job failed
   * for good — a database outage longer than its tries, or a job stalled by workers that died holding it —
   * resumes from the ledger instead of staying `sending` with nobody else reached.
   */
  startBroadcast(broadcastId: number, at?: Date): Promise<void>;
  /**
   * Queues a notification job, once per job id. Asking again for a job that failed for good runs it again
   * (the retention sweep re-asks for warnings still undelivered: a job that gave up while PostgreSQL or
   * Redis was down must not leave people untold).
   */
  notify(job: NotificationJob): Promise<void>;
  close(): Promise<void>;
}

export const queuePrefix = (prefix: string): string => `${prefix}:bull`;

const JOB_DEFAULTS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/** An hour of tries, a minute apart. */
const AN_HOUR_OF_TRIES = { attempts: 60, backoff: { type: 'fixed', delay: 60_000 } } as const;

/**
 * Per kind, where the defaults do not fit. Withdrawing erased texts' cards, and editing a decided case's card,
 * wait for cards still in the moderators' room outbox (a group gets 20 messages a minute; a room the bot was
 * removed from keeps them until it is back): an hour of tries, a minute apart, rather than the default's four
 * minutes — giving up would leave an erased text on screen, or a decided case's buttons.
 */
const NOTIFICATION_JOB_OPTIONS: Partial<Record<NotificationJob['kind'], object>> = {
  'erased-cases': AN_HOUR_OF_TRIES,
  'case-decided': AN_HOUR_OF_TRIES,
};

/**
 * A moderation job follows its case's card until Telegram has it (a flood of cases takes minutes at 20 a
 * minute; a room the bot was removed from, longer): tries 3 s, 6 s, 12 s… apart, about 50 minutes in all,
 * before it fails for good (the worker's start-up requeue runs it again).
 */
const MODERATION_JOB_OPTIONS = { attempts: 11, backoff: { type: 'exponential', delay: 3000 } } as const;

export function createQueues(opts: { redis: Redis; prefix: string; logger?: Logger }): Queues {
  const connection = { connection: opts.redis, prefix: queuePrefix(opts.prefix) };
  const log = (opts.logger ?? createLogger('silent')).child({ module: 'queues' });
  const moderation = new Queue<ModerationJob>(MODERATION_QUEUE, {
    ...connection,
    defaultJobOptions: JOB_DEFAULTS,
  });
  const notifications = new Queue<NotificationJob>(NOTIFICATIONS_QUEUE, {
    ...connection,
    defaultJobOptions: JOB_DEFAULTS,
  });
  // A broadcast's job runs as long as its sending (it feeds the channels at their pace); attempts are many
  // because each run resumes from the ledger.
  const broadcasts = new Queue<BroadcastJob>(BROADCASTS_QUEUE, {
    ...connection,
    defaultJobOptions: { ...JOB_DEFAULTS, attempts: 1000, backoff: { type: 'fixed', delay: 5000 } },
  });
  // Without a listener BullMQ prints every error with console.error (a multi-line dump per reconnection
  // attempt while Redis is down). The callers of add() and the rest get their own errors anyway.
  for (const queue of [moderation, notifications, broadcasts])
    queue.on('error', redisErrorListener(opts.redis, log, 'queue error', { queue: queue.name }));
  return {
    moderation,
    notifications,
    broadcasts,
    async startBroadcast(broadcastId, at) {
      const job = broadcastJobSchema.parse({ broadcastId });
      const jobId = broadcastJobId(job);
      const delay = at ? Math.max(0, at.getTime() - Date.now()) : 0;
      const queued = await broadcasts.add('broadcast', job, { jobId, delay });
      const state = await queued.getState();
      if (state !== 'completed' && state !== 'failed') return;
      // Over: put back anew rather than retried. A retry would run it at once (a broadcast scheduled for
      // later must wait for its time) and keeps the job's stalled count, so a job failed by stalls would
      // fail again at its next one.
      if ((await broadcasts.remove(jobId)) === 0) {
        const now = await broadcasts.getJobState(jobId);
        // Someone else ran it again meanwhile (it waits or runs): fine.
        if (now !== 'unknown') return;
      }
      await broadcasts.add('broadcast', job, { jobId, delay });
    },
    async moderateCase(caseId) {
      const job = moderationJobSchema.parse({ caseId });
      const queued = await moderation.add('case', job, {
        jobId: moderationJobId(job),
        ...MODERATION_JOB_OPTIONS,
      });
      // Asked again for a case whose job is over (kept for days): the case still needs it (its card was given
      // up, or never taken), so it runs again, with all its tries.
      const state = await queued.getState();
      if (state === 'completed' || state === 'failed')
        await queued
          .retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true })
          .catch(async (e) => {
            // Someone else ran it again meanwhile: fine.
            if (['completed', 'failed'].includes(await queued.getState())) throw e;
          });
    },
    async notify(input) {
      const job = notificationJobSchema.parse(input);
      const queued = await notifications.add(job.kind, job, {
        jobId: notificationJobId(job),
        ...NOTIFICATION_JOB_OPTIONS[job.kind],
      });
      if (await queued.isFailed()) await queued.retry('failed');
    },
    async close() {
      await moderation.close();
      await notifications.close();
      await broadcasts.close();
    },
  };
}
