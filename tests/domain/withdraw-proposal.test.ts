import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { withdrawProposal } from '../../src/domain/withdraw-proposal.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { holdTransaction, untilWaitingForALock } from './held-transaction.ts';

let t: DomainTest;
let process: ProcessFixture;
let mod: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'proposals' });
  mod = await createStaffMember(t.db, { name: 'Lucía' });
});
afterAll(() => t?.cleanup());

const statusOf = async (proposalId: number) =>
  (await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status;

describe('withdrawProposal', () => {
  it('withdraws its author’s pending proposal, closes its case, audits, and has a posted card edited', async () => {
    const author = (await createParticipant(t.db)).id;
    const { caseId, proposalId } = await createCase(t.db, process, { authorId: author, title: 'Fuente' });
    const now = new Date();
    await t.db.moderationCase.update({ where: { id: caseId }, data: { announcedAt: now } });
    const notifiedBefore = t.notified.length;

    expect(await withdrawProposal(t.at(now), { participantId: author, proposalId })).toEqual({
      ok: true,
      proposalId,
      title: 'Fuente',
    });
    expect(await statusOf(proposalId)).toBe('withdrawn');
    expect(await t.db.moderationCase.findUnique({ where: { id: caseId } })).toBeNull();
    const audit = await t.db.auditLog.findMany({
      where: { targetType: 'proposal', targetId: String(proposalId) },
    });
    expect(audit).toMatchObject([
      {
        actor: 'author',
        action: 'proposal.withdraw',
        before: { status: 'pending' },
        after: { status: 'withdrawn', casesClosed: [caseId] },
      },
    ]);
    // Case ids only, no text and no participant.
    expect(t.notified.slice(notifiedBefore)).toEqual([
      { kind: 'erased-cases', caseIds: [caseId], why: 'withdrawn' },
    ]);
    // A moderator deciding the case afterwards finds nothing to decide.
    expect(await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await statusOf(proposalId)).toBe('withdrawn');
    // Twice: nothing more happens.
    expect(await withdrawProposal(t.deps, { participantId: author, proposalId })).toEqual({
      ok: false,
      reason: 'not-pending',
    });
  });

  it('enqueues no card edit when the card was never posted', async () => {
    const author = (await createParticipant(t.db)).id;
    const { proposalId } = await createCase(t.db, process, { authorId: author });
    const notifiedBefore = t.notified.length;
    expect(await withdrawProposal(t.deps, { participantId: author, proposalId })).toMatchObject({ ok: true });
    expect(t.notified.slice(notifiedBefore)).toEqual([]);
  });

  it('refuses someone else’s proposal, an unknown id and a published proposal', async () => {
    const author = (await createParticipant(t.db)).id;
    const other = (await createParticipant(t.db)).id;
    const { proposalId } = await createCase(t.db, process, { authorId: author });
    for (const input of [
      { participantId: other, proposalId },
      { participantId: author, proposalId: 2_000_000_000 },
      { participantId: author, proposalId: -1 },
      { participantId: author, proposalId: 1.5 },
    ])
      expect(await withdrawProposal(t.deps, input)).toEqual({ ok: false, reason: 'not-found' });
    expect(await statusOf(proposalId)).toBe('pending');
    const published = await createCase(t.db, process, { authorId: author, status: 'published' });
    expect(
      await withdrawProposal(t.deps, { participantId: author, proposalId: published.proposalId }),
    ).toEqual({ ok: false, reason: 'not-pending' });
  });

  it('a moderator deciding at the same moment: the first to lock the proposal counts', async () => {
    const author = (await createParticipant(t.db)).id;
    const { caseId, proposalId } = await createCase(t.db, process, { authorId: author });
    // The moderator's decision holds the proposal's lock; the withdrawal waits, then finds it decided.
    const held = await holdTransaction(t.db, async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Proposal" WHERE id = ${proposalId} FOR UPDATE`;
      await tx.proposal.update({ where: { id: proposalId }, data: { status: 'published' } });
      await tx.moderationCase.update({
        where: { id: caseId },
        data: { decidedAt: new Date(), decision: 'approve', decidedById: mod.id },
      });
    });
    const withdrawing = withdrawProposal(t.deps, { participantId: author, proposalId });
    await untilWaitingForALock(t.db);
    await held.commit();
    expect(await withdrawing).toEqual({ ok: false, reason: 'not-pending' });
    expect(await statusOf(proposalId)).toBe('published');
    expect(await t.db.moderationCase.findUnique({ where: { id: caseId } })).not.toBeNull();
  });

  it('a decision waiting for a withdrawal to commit finds no case: not found, not «already decided»', async () => {
    const author = (await createParticipant(t.db)).id;
    const { caseId, proposalId } = await createCase(t.db, process, { authorId: author });
    // The withdrawal as withdraw-proposal does it, held open with the proposal's lock.
    const held = await holdTransaction(t.db, async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM "Proposal" WHERE id = ${proposalId} FOR UPDATE`;
      await tx.proposal.update({ where: { id: proposalId }, data: { status: 'withdrawn' } });
      await tx.moderationCase.delete({ where: { id: caseId } });
    });
    const deciding = decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' });
    await untilWaitingForALock(t.db);
    await held.commit();
    expect(await deciding).toEqual({ ok: false, reason: 'not-found' });
    expect(await statusOf(proposalId)).toBe('withdrawn');
  });
});
