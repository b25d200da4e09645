// The `moderation` queue's handler: pre-screen the case's item (findings stored with the case) and put its
// card before the moderators' room. Safe to run twice: the pre-screen stores once and returns what it stored,
// the room post is queued once per case (the outbox's key), the announcement is recorded once.
import type { DomainDeps } from '../../domain/deps.ts';
import { getModerationCase } from '../../domain/get-moderation-case.ts';
import { markCaseAnnounced } from '../../domain/mark-case-announced.ts';
import { prescreenCase, type ProposalIndexes } from '../../domain/prescreen-case.ts';
import type { ModerationJob } from './job.ts';

/** Where case cards go (the Telegram moderators' group), when one is configured. */
export interface ModeratorsRoomPort {
  post(caseId: number): Promise<void>;
  update(caseId: number): Promise<void>;
}

export interface ModerationHandlerDeps {
  domain: DomainDeps;
  indexes: ProposalIndexes;
  room?: ModeratorsRoomPort;
}

export type ModerationJobOutcome = 'announced' | 'screened' | 'decided' | 'not-found';

export async function handleModerationJob(
  deps: ModerationHandlerDeps,
  job: ModerationJob,
): Promise<ModerationJobOutcome> {
  const screened = await prescreenCase(deps.domain, { caseId: job.caseId }, deps.indexes);
  // A case decided before its pre-screen ran (e.g. over HTTP) needs no card: nothing is waiting.
  if (!screened.ok) return screened.reason;
  const item = await getModerationCase(deps.domain, { caseId: job.caseId });
  // A post-moderated comment is public already: its proposal's followers hear of it now (idempotent).
  if (item?.itemKind === 'comment' && item.reason === 'submitted' && item.status === 'published')
    await deps.domain.queues.notify({ kind: 'comment-published', commentId: item.itemId });
  if (!deps.room) return 'screened';
  await deps.room.post(job.caseId);
  await markCaseAnnounced(deps.domain, { caseId: job.caseId });
  return 'announced';
}
