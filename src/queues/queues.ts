// Producers for every queue, on one Redis connection. Workers live with each queue's handler.
import { Queue } from 'bullmq';
import type { Redis } from '../redis/client.ts';
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
  moderateCase(caseId: number): Promise<void>;
  /** Starts a broadcast now, or at `at`. Safe to call twice while its job exists. */
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

/**
 * Per kind, where the defaults do not fit. Withdrawing erased texts' cards waits for cards still in the
 * moderators' room outbox (a group gets ~20 messages a minute): an hour of tries, a minute apart, rather
 * than the default's four minutes — giving up would leave an erased text on screen.
 */
const NOTIFICATION_JOB_OPTIONS: Partial<Record<NotificationJob['kind'], object>> = {
  'erased-cases': { attempts: 60, backoff: { type: 'fixed', delay: 60_000 } },
};

export function createQueues(opts: { redis: Redis; prefix: string }): Queues {
  const connection = { connection: opts.redis, prefix: queuePrefix(opts.prefix) };
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
  return {
    moderation,
    notifications,
    broadcasts,
    async startBroadcast(broadcastId, at) {
      const job = broadcastJobSchema.parse({ broadcastId });
      const delay = at ? Math.max(0, at.getTime() - Date.now()) : 0;
      await broadcasts.add('broadcast', job, { jobId: broadcastJobId(job), delay });
    },
    async moderateCase(caseId) {
      const job = moderationJobSchema.parse({ caseId });
      await moderation.add('case', job, { jobId: moderationJobId(job) });
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
