// Producers for every queue, on one Redis connection. Workers live with each queue's handler.
import { Queue } from 'bullmq';
import type { Redis } from '../redis/client.ts';
import {
  MODERATION_QUEUE,
  moderationJobId,
  moderationJobSchema,
  type ModerationJob,
} from './moderation/job.ts';
import {
  NOTIFICATIONS_QUEUE,
  notificationJobId,
  notificationJobSchema,
  type NotificationJob,
} from './notifications/job.ts';

export interface Queues {
  moderation: Queue<ModerationJob>;
  notifications: Queue<NotificationJob>;
  moderateCase(caseId: number): Promise<void>;
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
  return {
    moderation,
    notifications,
    async moderateCase(caseId) {
      const job = moderationJobSchema.parse({ caseId });
      await moderation.add('case', job, { jobId: moderationJobId(job) });
    },
    async notify(input) {
      const job = notificationJobSchema.parse(input);
      await notifications.add(job.kind, job, { jobId: notificationJobId(job) });
    },
    async close() {
      await moderation.close();
      await notifications.close();
    },
  };
}
