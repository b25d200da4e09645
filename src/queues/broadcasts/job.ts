// The `broadcasts` queue's job: send one broadcast (freeze its audience into the ledger if not done yet,
// then feed the ledger's pending rows to the channels at their rate). Ids only, never text.
import { z } from 'zod';

export const BROADCASTS_QUEUE = 'broadcasts';

export const broadcastJobSchema = z.strictObject({
  broadcastId: z.number().int().positive(),
});

export type BroadcastJob = z.infer<typeof broadcastJobSchema>;

export const broadcastJobId = (job: BroadcastJob): string => `broadcast-${job.broadcastId}`;
