// The `moderation` queue's job: which case to pre-screen and put before the moderators. Ids only, never text.
import { z } from 'zod';

export const MODERATION_QUEUE = 'moderation';

export const moderationJobSchema = z.strictObject({
  caseId: z.number().int().positive(),
});

export type ModerationJob = z.infer<typeof moderationJobSchema>;

/** One job per case while it exists (BullMQ ids must not be only digits nor contain ':'). */
export const moderationJobId = (job: ModerationJob): string => `case-${job.caseId}`;
