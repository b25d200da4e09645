// Staff record what came out of a workshop as a proposal of its process, marked with the workshop
// (`eventId`) and with no author (it is the group's, not one person's; nobody is told about it as theirs).
//
// It goes through moderation exactly as a citizen's proposal does, following the process's mode: in `pre`
// it waits for a moderator, in `post` it is public at once and still reviewed. Why not publish it directly:
// what staff type is what citizens said in the room, and it may carry their names, phone numbers or words
// nobody should publish; the pre-screen and a moderator's look catch that, and the moderation queue stays
// the one gate to what the public sees. The recording itself is audited (who, which workshop, source IP).
// Only workshops (not results events), not cancelled, and once they have started.
//
// A title already recorded for the workshop (as stored: cleaned, in any case) is refused as a `duplicate`
// naming that proposal: it is the same request sent twice (a double click, a client's retry). Recordings
// of one workshop run one after another under the lock on its row (events.ts), so two identical requests
// at the same moment record one proposal.
import type { DomainDeps, Locale } from './deps.ts';
import { EVENT_TRANSACTION, lockEvent, mayManageEvents } from './events.ts';
import { isDbId } from './ids.ts';
import { titleKey } from './localized-text.ts';
import { audit, enqueueCase, openCase } from './moderation-cases.ts';
import { checkBody, checkTitle } from './proposal-rules.ts';

export type RecordWorkshopProposalResult =
  | { ok: true; proposal: { id: number; status: 'pending' | 'published'; eventId: number; caseId: number } }
  | {
      ok: false;
      reason:
        | 'not-allowed'
        | 'event-not-found'
        | 'not-a-workshop'
        | 'event-cancelled'
        | 'not-held-yet'
        | 'invalid-category';
    }
  | { ok: false; reason: 'invalid'; field: 'title' | 'body'; problem: 'too-short' | 'too-long' }
  /** The workshop has a proposal of this title already: `id` is that one. */
  | { ok: false; reason: 'duplicate'; id: number };

export async function recordWorkshopProposal(
  deps: Pick<DomainDeps, 'db' | 'now' | 'queues' | 'logger'>,
  input: {
    staffMemberId: string;
    eventId: number;
    title: string;
    body: string;
    /** Default: the process's first category. */
    categoryId?: number;
    locale?: Locale;
    sourceIp?: string;
  },
): Promise<RecordWorkshopProposalResult> {
  if (!(await mayManageEvents(deps, input.staffMemberId))) return { ok: false, reason: 'not-allowed' };
  if (!isDbId(input.eventId)) return { ok: false, reason: 'event-not-found' };
  const title = checkTitle(input.title);
  if (!title.ok) return { ok: false, reason: 'invalid', field: 'title', problem: title.reason };
  const body = checkBody(input.body);
  if (!body.ok) return { ok: false, reason: 'invalid', field: 'body', problem: body.reason };
  if (input.categoryId !== undefined && !isDbId(input.categoryId))
    return { ok: false, reason: 'invalid-category' };
  const event = await deps.db.event.findUnique({
    where: { id: input.eventId },
    select: {
      kind: true,
      status: true,
      startsAt: true,
      processId: true,
      process: {
        select: {
          moderationMode: true,
          categories: { select: { id: true }, orderBy: { position: 'asc' } },
        },
      },
    },
  });
  if (!event) return { ok: false, reason: 'event-not-found' };
  if (event.kind !== 'workshop') return { ok: false, reason: 'not-a-workshop' };
  if (event.status === 'cancelled') return { ok: false, reason: 'event-cancelled' };
  const now = deps.now();
  if (event.startsAt.getTime() > now.getTime()) return { ok: false, reason: 'not-held-yet' };
  const categoryId = input.categoryId ?? event.process.categories[0]?.id;
  if (categoryId === undefined || !event.process.categories.some((c) => c.id === categoryId))
    return { ok: false, reason: 'invalid-category' };

  const status = event.process.moderationMode === 'post' ? 'published' : 'pending';
  type Recorded = { duplicate: number } | { proposalId: number; caseId: number };
  const recorded = await deps.db.$transaction(async (tx): Promise<Recorded> => {
    // One recording of this workshop at a time, so the title check sees any recorded meanwhile.
    await lockEvent(tx, input.eventId);
    const duplicate = await sameTitle(
      tx,
      { processId: event.processId, eventId: input.eventId },
      title.value,
    );
    if (duplicate !== undefined) return { duplicate };
    const proposal = await tx.proposal.create({
      data: {
        processId: event.processId,
        authorId: null,
        eventId: input.eventId,
        categoryId,
        title: title.value,
        body: body.value,
        locale: input.locale ?? 'es',
        status,
        createdAt: now,
        publishedAt: status === 'published' ? now : null,
      },
      select: { id: true },
    });
    const caseId = await openCase(tx, {
      item: { kind: 'proposal', id: proposal.id },
      processId: event.processId,
      reason: 'submitted',
      at: now,
    });
    await audit(tx, {
      actor: `staff:${input.staffMemberId}`,
      action: 'event.proposal',
      target: { kind: 'proposal', id: proposal.id },
      after: { eventId: input.eventId, status, categoryId, title: title.value },
      sourceIp: input.sourceIp,
      at: now,
    });
    return { proposalId: proposal.id, caseId };
  }, EVENT_TRANSACTION);
  if ('duplicate' in recorded) return { ok: false, reason: 'duplicate', id: recorded.duplicate };
  const { proposalId, caseId } = recorded;
  await enqueueCase(deps, caseId);
  return { ok: true, proposal: { id: proposalId, status, eventId: input.eventId, caseId } };
}

/** The id of the workshop's proposal whose title is this one (in any case), if there is one. */
async function sameTitle(
  tx: Pick<DomainDeps['db'], 'proposal'>,
  workshop: { processId: number; eventId: number },
  title: string,
): Promise<number | undefined> {
  // The process narrows the search to its proposals' index (eventId has none).
  const rows = await tx.proposal.findMany({
    where: { processId: workshop.processId, eventId: workshop.eventId },
    select: { id: true, title: true },
    orderBy: { id: 'asc' },
  });
  const key = titleKey(title);
  return rows.find((r) => titleKey(r.title) === key)?.id;
}
