// A participant submits a proposal. It is stored as pending moderation (or published at once where the
// process uses post-moderation) and a `moderation` job carrying only its id is enqueued.
import { acceptsProposals, currentPhase } from './current-phase.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { checkBody, checkTitle } from './proposal-rules.ts';

export type SubmitProposalResult =
  | { ok: true; proposal: { id: number; status: 'pending' | 'published' } }
  | {
      ok: false;
      reason:
        | 'process-not-found'
        | 'proposals-closed'
        | 'invalid-category'
        | 'title-too-short'
        | 'title-too-long'
        | 'body-too-short'
        | 'body-too-long';
    };

export async function submitProposal(
  deps: DomainDeps,
  input: {
    participantId: string;
    processId: number;
    title: string;
    body: string;
    categoryId: number;
    locale: Locale;
  },
): Promise<SubmitProposalResult> {
  const title = checkTitle(input.title);
  if (!title.ok)
    return { ok: false, reason: title.reason === 'too-short' ? 'title-too-short' : 'title-too-long' };
  const body = checkBody(input.body);
  if (!body.ok)
    return { ok: false, reason: body.reason === 'too-short' ? 'body-too-short' : 'body-too-long' };

  if (!isDbId(input.processId)) return { ok: false, reason: 'process-not-found' };
  if (!isDbId(input.categoryId)) return { ok: false, reason: 'invalid-category' };
  const process = await deps.db.process.findUnique({
    where: { id: input.processId },
    select: { moderationMode: true, phases: true, categories: { select: { id: true } } },
  });
  if (!process) return { ok: false, reason: 'process-not-found' };
  const now = deps.now();
  if (!acceptsProposals(currentPhase(process.phases, now))) return { ok: false, reason: 'proposals-closed' };
  if (!process.categories.some((c) => c.id === input.categoryId))
    return { ok: false, reason: 'invalid-category' };

  const status = process.moderationMode === 'post' ? 'published' : 'pending';
  const proposal = await deps.db.proposal.create({
    data: {
      processId: input.processId,
      authorId: input.participantId,
      categoryId: input.categoryId,
      title: title.value,
      body: body.value,
      locale: input.locale,
      status,
      createdAt: now,
      publishedAt: status === 'published' ? now : null,
    },
    select: { id: true },
  });
  try {
    await deps.queues.moderateProposal(proposal.id);
  } catch (error) {
    // The proposal is stored; the moderation worker re-enqueues every pending proposal without a job when
    // it starts (requeue-pending-moderation), so nothing waits forever. The citizen is not bothered.
    deps.logger.error({ err: error, proposalId: proposal.id }, 'moderation enqueue failed; left for requeue');
  }
  return { ok: true, proposal: { id: proposal.id, status } };
}
