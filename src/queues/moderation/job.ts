// The `moderation` queue's job: which item to pre-screen and put before a moderator. Ids only, never text.
import { z } from 'zod';

export const MODERATION_QUEUE = 'moderation';

export const moderationJobSchema = z.strictObject({
  kind: z.literal('proposal'),
  proposalId: z.number().int().positive(),
});

export type ModerationJob = z.infer<typeof moderationJobSchema>;

/** One job per item while it exists (BullMQ ids must not be only digits nor contain ':'). */
export const moderationJobId = (job: ModerationJob): string => `${job.kind}-${job.proposalId}`;
