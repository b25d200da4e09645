// The `notifications` queue's jobs: something happened that people must hear about. Ids only, never text;
// the handler renders each message in its recipient's language when it runs.
//   case-decided  a moderation case was decided: the moderators' room card shows the outcome, the author
//                 is told, and a comment that became public reaches the proposal's followers.
//   comment-published  a comment was published without waiting (post-moderation): its proposal's
//                 followers are told.
//   proposal-outcome  staff answered a proposal (selected, not selected, official answer): its author,
//                 supporters and followers are told.
//   commitment-changed  a commitment was made, or its status or progress changed (one dated update): the
//                 authors, supporters and followers of the proposals it answers are told.
//   event-reminder / event-changed / event-cancelled / event-promoted  workshops and events: the day-before
//                 reminder (registered people), a change of date or place, a cancellation (registered and
//                 waiting people), a place given to the first of the waiting list (that person).
//   retention-warning  the retention sweep warned people, long absent, that their data will be erased
//                 (warn-inactive-participants): their notices of that warning (`at`, its time) are delivered.
//   erased-cases  a participant was erased (erase-participant): the moderators' room cards of the cases whose
//                 texts went with them are edited to a neutral text. Case ids only: the cases are gone. With
//                 `why: 'withdrawn'`, the author withdrew the proposal before it was decided (withdraw-proposal).
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
  // `updateId`: the CommitmentUpdate that records the change, so each change is told once.
  z.strictObject({
    kind: z.literal('commitment-changed'),
    commitmentId: z.number().int().positive(),
    updateId: z.number().int().positive(),
  }),
  // Events: `at` is the start reminded of, the change's time or the promotion's time, so each is told once.
  z.strictObject({
    kind: z.literal('event-reminder'),
    eventId: z.number().int().positive(),
    at: z.number().int().positive(),
  }),
  z.strictObject({
    kind: z.literal('event-changed'),
    eventId: z.number().int().positive(),
    at: z.number().int().positive(),
  }),
  z.strictObject({ kind: z.literal('event-cancelled'), eventId: z.number().int().positive() }),
  z.strictObject({
    kind: z.literal('event-promoted'),
    eventId: z.number().int().positive(),
    registrationId: z.number().int().positive(),
    at: z.number().int().positive(),
  }),
  // `at`: the warning's time (epoch ms), which names its notices; no participant id.
  z.strictObject({ kind: z.literal('retention-warning'), at: z.number().int().positive() }),
  // A case is erased once, so the lowest of `caseIds` names the job.
  z.strictObject({
    kind: z.literal('erased-cases'),
    caseIds: z.array(z.number().int().positive()).min(1),
    why: z.literal('withdrawn').optional(),
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
    case 'commitment-changed':
      return `${job.kind}-${job.commitmentId}-${job.updateId}`;
    case 'event-reminder':
    case 'event-changed':
      return `${job.kind}-${job.eventId}-${job.at}`;
    case 'event-cancelled':
      return `${job.kind}-${job.eventId}`;
    case 'event-promoted':
      return `${job.kind}-${job.registrationId}-${job.at}`;
    case 'retention-warning':
      return `${job.kind}-${job.at}`;
    case 'erased-cases':
      return `${job.kind}-${Math.min(...job.caseIds)}`;
  }
}
