// The BullMQ workers of a `plaza worker` / `plaza all` process. Each validates its job's payload with the
// queue's zod schema (a malformed job fails at once, without retries, and is kept for inspection) and calls
// the handler; handlers are safe to repeat, so BullMQ's at-least-once delivery is enough.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '../logger.ts';
import type { Redis } from '../redis/client.ts';
import { handleModerationJob, type ModerationHandlerDeps } from './moderation/handler.ts';
import { MODERATION_QUEUE, moderationJobSchema } from './moderation/job.ts';
import { handleNotificationJob, type NotificationHandlerDeps } from './notifications/handler.ts';
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
  /** Jobs handled at once per queue. */
  concurrency?: number;
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
  const common = {
    connection: opts.redis,
    prefix: queuePrefix(opts.prefix),
    concurrency: opts.concurrency ?? 8,
  };
  const log = opts.logger.child({ module: 'workers' });
  const moderation = new Worker(
    MODERATION_QUEUE,
    async (job) => handleModerationJob(opts.moderation, parse(moderationJobSchema, job)),
    common,
  );
  const notifications = new Worker(
    NOTIFICATIONS_QUEUE,
    async (job) => handleNotificationJob(opts.notifications, parse(notificationJobSchema, job)),
    common,
  );
  for (const worker of [moderation, notifications]) {
    // Job ids name cases (`case-12`), never people; no payload goes to the log.
    worker.on('failed', (job, error) =>
      log.warn({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
    );
    worker.on('error', (error) => log.error({ queue: worker.name, err: error }, 'worker error'));
  }
  return {
    async close() {
      await Promise.all([moderation.close(), notifications.close()]);
    },
  };
}
