// The `notifications` queue's jobs: something happened that people must hear about. Ids only, never text;
// the handler renders each message in its recipient's language when it runs.
//   case-decided  a moderation case was decided: the moderators' room card shows the outcome, the author
//                 is told, and a comment that became public reaches the proposal's followers.
//   comment-published  a comment was published without waiting (post-moderation): its proposal's
//                 followers are told.
//   proposal-outcome  staff answered a proposal (selected, not selected, official answer): its author,
//                 supporters and followers are told.
import { z } from 'zod';

export const NOTIFICATIONS_QUEUE = 'notifications';

export const notificationJobSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('case-decided'), caseId: z.number().int().positive() }),
  z.strictObject({ kind: z.literal('comment-published'), commentId: z.number().int().positive() }),
  // `at`: when the answer was given (epoch ms), so each change is told once.
  z.strictObject({
    kind: z.literal('proposal-outcome'),
    proposalId: z.number().int().positive(),
    at: z.number().int().positive(),
  }),
]);

export type NotificationJob = z.infer<typeof notificationJobSchema>;

export function notificationJobId(job: NotificationJob): string {
  switch (job.kind) {
    case 'case-decided':
      return `${job.kind}-${job.caseId}`;
    case 'comment-published':
      return `${job.kind}-${job.commentId}`;
    case 'proposal-outcome':
      return `${job.kind}-${job.proposalId}-${job.at}`;
  }
}
