// Producers for every queue, on one Redis connection. Workers live with each queue's handler.
import { Queue } from 'bullmq';
import type { Redis } from '../redis/client.ts';
import {
  MODERATION_QUEUE,
  moderationJobId,
  moderationJobSchema,
  type ModerationJob,
} from './moderation/job.ts';

export interface Queues {
  moderation: Queue<ModerationJob>;
  moderateProposal(proposalId: number): Promise<void>;
  close(): Promise<void>;
}

export function createQueues(opts: { redis: Redis; prefix: string }): Queues {
  const moderation = new Queue<ModerationJob>(MODERATION_QUEUE, {
    connection: opts.redis,
    prefix: `${opts.prefix}:bull`,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
  return {
    moderation,
    async moderateProposal(proposalId) {
      const job = moderationJobSchema.parse({ kind: 'proposal', proposalId });
      await moderation.add('proposal', job, { jobId: moderationJobId(job) });
    },
    async close() {
      await moderation.close();
    },
  };
}
