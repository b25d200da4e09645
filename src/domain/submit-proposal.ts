// A participant submits a proposal. It is stored as pending moderation (or published at once where the
// process uses post-moderation, still reviewed and removable), a moderation case is opened with it, and a
// `moderation` job carrying only the case id is enqueued.
import { acceptsProposals, currentPhase } from './current-phase.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps, Locale } from './deps.ts';
import { checkBody, checkTitle } from './proposal-rules.ts';
import { enqueueCase, openCase } from './moderation-cases.ts';

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
  const { proposal, caseId } = await deps.db.$transaction(async (tx) => {
    const proposal = await tx.proposal.create({
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
    const caseId = await openCase(tx, {
      item: { kind: 'proposal', id: proposal.id },
      processId: input.processId,
      reason: 'submitted',
      at: now,
    });
    return { proposal, caseId };
  });
  await enqueueCase(deps, caseId);
  return { ok: true, proposal: { id: proposal.id, status } };
}
