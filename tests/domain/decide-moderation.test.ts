import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from '../../src/domain/answer-proposal.ts';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { reportContent } from '../../src/domain/report-content.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let mod: { id: string; name: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'proposals' });
  mod = await createStaffMember(t.db, { name: 'Lucía' });
});
afterAll(async () => {
  await t?.cleanup();
});

const auditOf = (proposalId: number) =>
  t.db.auditLog.findMany({
    where: { targetType: 'proposal', targetId: String(proposalId) },
    orderBy: { id: 'asc' },
  });

describe('decideModeration', () => {
  it('approves: publishes the proposal, closes the case, audits and enqueues the notification', async () => {
    const { caseId, proposalId } = await createCase(t.db, process);
    const now = new Date('2026-11-26T10:00:00Z');
    const r = await decideModeration(t.at(now), {
      caseId,
      staffMemberId: mod.id,
      decision: 'approve',
      sourceIp: '10.0.0.7',
    });
    expect(r).toEqual({
      ok: true,
      caseId,
      decision: 'approve',
      item: { kind: 'proposal', id: proposalId },
      status: 'published',
    });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: 'published',
      publishedAt: now,
      moderatedAt: now,
    });
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({
      decidedAt: now,
      decidedById: mod.id,
      decision: 'approve',
    });
    expect(await auditOf(proposalId)).toEqual([
      expect.objectContaining({
        actor: `staff:${mod.id}`,
        action: 'moderation.approve',
        before: { status: 'pending' },
        after: { status: 'published' },
        sourceIp: '10.0.0.7',
        createdAt: now,
      }),
    ]);
    expect(t.notified).toContainEqual({ kind: 'case-decided', caseId });
  });

  it('rejects only with a reason, which the author will read', async () => {
    const { caseId, proposalId } = await createCase(t.db, process);
    expect(await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'reject' })).toEqual({
      ok: false,
      reason: 'reason-required',
    });
    expect(
      await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'reject', reason: '   ' }),
    ).toEqual({ ok: false, reason: 'reason-required' });
    const r = await decideModeration(t.deps, {
      caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'duplicate',
    });
    expect(r).toMatchObject({ ok: true, status: 'rejected' });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: 'rejected',
      rejectionReason: 'duplicate',
      publishedAt: null,
    });
    expect((await auditOf(proposalId))[0]).toMatchObject({
      action: 'moderation.reject',
      reason: 'duplicate',
    });
  });

  it('redacts personal data and publishes, auditing the text before and after', async () => {
    const { caseId, proposalId } = await createCase(t.db, process, {
      title: 'Llamadme al 612 345 678',
      body: 'Mi correo es ana@example.com y mi DNI 12345678Z, para lo que haga falta.',
    });
    const r = await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'redact_approve' });
    expect(r).toMatchObject({ ok: true, status: 'published' });
    const p = await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } });
    expect(p.title).toBe('Llamadme al [teléfono]');
    expect(p.body).toBe('Mi correo es [correo] y mi DNI [DNI], para lo que haga falta.');
    const [entry] = await auditOf(proposalId);
    expect(entry).toMatchObject({
      action: 'moderation.redact_approve',
      before: { status: 'pending', title: 'Llamadme al 612 345 678' },
      after: { status: 'published', title: 'Llamadme al [teléfono]' },
    });
  });

  it('refuses to redact a text with nothing to redact, and leaves the case open', async () => {
    const { caseId } = await createCase(t.db, process);
    expect(
      await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'redact_approve' }),
    ).toEqual({ ok: false, reason: 'nothing-to-redact' });
    expect((await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } })).decidedAt).toBeNull();
  });

  it('takes down a post-moderated proposal that was already public', async () => {
    const { caseId, proposalId } = await createCase(t.db, process, { status: 'published' });
    await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'reject', reason: 'insults' });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('rejected');
  });

  it('tells the second decision who made the first, and changes nothing', async () => {
    const { caseId, proposalId } = await createCase(t.db, process);
    const other = await createStaffMember(t.db, { name: 'Pablo' });
    await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' });
    const second = await decideModeration(t.deps, {
      caseId,
      staffMemberId: other.id,
      decision: 'reject',
      reason: 'spam',
    });
    expect(second).toEqual({
      ok: false,
      reason: 'already-decided',
      decidedBy: 'Lucía',
      decidedById: mod.id,
      decision: 'approve',
    });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('published');
    expect(await auditOf(proposalId)).toHaveLength(1);
  });

  it('two moderators deciding the same case at once make exactly one decision, 100 times', async () => {
    const other = await createStaffMember(t.db, { name: 'Pablo' });
    for (let i = 0; i < 100; i++) {
      const { caseId, proposalId } = await createCase(t.db, process);
      const results = await Promise.all([
        decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' }),
        decideModeration(t.deps, { caseId, staffMemberId: other.id, decision: 'reject', reason: 'spam' }),
      ]);
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      const loser = results.find((r) => !r.ok);
      expect(loser).toMatchObject({ ok: false, reason: 'already-decided' });
      // The loser learns the winner's id too (a namesake is not "you").
      const winnerId = results[0]!.ok ? mod.id : other.id;
      expect(loser).toMatchObject({ decidedById: winnerId });
      const expected = winners[0]!.ok && winners[0]!.decision === 'approve' ? 'published' : 'rejected';
      expect((await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe(expected);
      expect(await auditOf(proposalId)).toHaveLength(1);
    }
  });

  it('counts only active staff', async () => {
    const { caseId } = await createCase(t.db, process);
    const gone = await createStaffMember(t.db, { disabled: true });
    expect(await decideModeration(t.deps, { caseId, staffMemberId: gone.id, decision: 'approve' })).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    const stranger = (await createParticipant(t.db)).id;
    expect(await decideModeration(t.deps, { caseId, staffMemberId: stranger, decision: 'approve' })).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(
      await decideModeration(t.deps, { caseId: 2 ** 40, staffMemberId: mod.id, decision: 'approve' }),
    ).toEqual({ ok: false, reason: 'not-found' });
  });
});

// Approving never demotes: a reported item comes back with the public status it had when reports hid it,
// and a post-moderated proposal that staff answered keeps its answer's status.
describe('decideModeration gives an item back its public status', () => {
  let voting: ProcessFixture;
  let staff: { id: string };
  const publishedAt = new Date('2026-10-01T09:00:00Z');
  beforeAll(async () => {
    voting = await createProcess(t.db, { phase: 'voting' });
    await t.db.process.update({ where: { id: voting.id }, data: { reportThreshold: 1 } });
    staff = await createStaffMember(t.db, { role: 'staff' });
  });

  /** Staff give a status once voting is over (answer-proposal.ts): the fixture's voting ends in 30 days. */
  const afterVoting = () => t.at(new Date(Date.now() + 31 * DAY));

  /** One citizen's report hides the proposal (threshold 1); returns the case it reopened. */
  async function hideByReport(proposalId: number): Promise<number> {
    const reporter = await createParticipant(t.db);
    expect(
      await reportContent(t.deps, {
        participantId: reporter.id,
        item: { kind: 'proposal', id: proposalId },
        reason: 'spam',
      }),
    ).toEqual({ ok: true, hidden: true });
    const open = await t.db.moderationCase.findFirstOrThrow({ where: { proposalId, decidedAt: null } });
    return open.id;
  }

  async function publicProposal(
    status: 'published' | 'selected' | 'not_selected',
    title?: string,
  ): Promise<number> {
    const id = await createProposal(t.db, voting, { status, title });
    await t.db.proposal.update({ where: { id }, data: { publishedAt } });
    return id;
  }

  for (const status of ['published', 'selected', 'not_selected'] as const)
    it(`restoring a ${status} proposal hidden by reports gives it back ${status}`, async () => {
      const id = await publicProposal(status);
      const caseId = await hideByReport(id);
      const now = new Date('2026-11-26T12:00:00Z');
      const r = await decideModeration(t.at(now), { caseId, staffMemberId: mod.id, decision: 'approve' });
      expect(r).toMatchObject({ ok: true, decision: 'approve', status });
      expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status,
        hiddenFrom: null,
        publishedAt,
        moderatedAt: now,
      });
      expect((await auditOf(id)).at(-1)).toMatchObject({
        action: 'moderation.approve',
        before: { status: 'hidden' },
        after: { status },
      });
    });

  it('redacting and restoring a selected proposal keeps it selected', async () => {
    const id = await publicProposal('selected', 'Llamadme al 612 345 678');
    const caseId = await hideByReport(id);
    const r = await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'redact_approve' });
    expect(r).toMatchObject({ ok: true, status: 'selected' });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'selected',
      hiddenFrom: null,
      title: 'Llamadme al [teléfono]',
    });
  });

  it('taking down a hidden selected proposal rejects it and forgets what it was', async () => {
    const id = await publicProposal('selected');
    const caseId = await hideByReport(id);
    const r = await decideModeration(t.deps, {
      caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'insults',
    });
    expect(r).toMatchObject({ ok: true, status: 'rejected' });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'rejected',
      hiddenFrom: null,
      rejectionReason: 'insults',
    });
  });

  it('keeping a post-moderated proposal that staff already answered keeps the answer', async () => {
    const { caseId, proposalId } = await createCase(t.db, voting, { status: 'published' });
    expect(
      await answerProposal(afterVoting(), {
        staffMemberId: staff.id,
        proposalId,
        status: 'not_selected',
        answer: 'No cabe en el presupuesto de este año.',
      }),
    ).toMatchObject({ ok: true });
    const r = await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' });
    expect(r).toMatchObject({ ok: true, status: 'not_selected' });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: 'not_selected',
      answer: 'No cabe en el presupuesto de este año.',
    });
  });

  it('a post-moderated proposal answered, then hidden by reports while its case is open, is kept as answered', async () => {
    const { caseId, proposalId } = await createCase(t.db, voting, { status: 'published' });
    await answerProposal(afterVoting(), { staffMemberId: staff.id, proposalId, status: 'selected' });
    // The reports find the submitted case open: it is closed undecided, and a reported case takes its place.
    const reported = await hideByReport(proposalId);
    expect(reported).not.toBe(caseId);
    expect(
      await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' }),
    ).toMatchObject({ ok: false, reason: 'already-decided', decision: null });
    const r = await decideModeration(t.deps, {
      caseId: reported,
      staffMemberId: mod.id,
      decision: 'approve',
    });
    expect(r).toMatchObject({ ok: true, status: 'selected' });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('selected');
  });

  it('an answer given while the moderator keeps the proposal is never undone, 50 times', async () => {
    for (let i = 0; i < 50; i++) {
      const { caseId, proposalId } = await createCase(t.db, voting, { status: 'published' });
      const [answered, decided] = await Promise.all([
        answerProposal(afterVoting(), { staffMemberId: staff.id, proposalId, status: 'selected' }),
        decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' }),
      ]);
      expect(answered).toMatchObject({ ok: true });
      expect(decided).toMatchObject({ ok: true, status: expect.stringMatching(/^(published|selected)$/) });
      expect((await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('selected');
    }
  });

  it('restoring a comment hidden by reports publishes it again (its one public status)', async () => {
    const proposalId = await publicProposal('selected');
    const comment = await t.db.comment.create({
      data: { proposalId, body: 'Un comentario', status: 'published', publishedAt },
    });
    const reporter = await createParticipant(t.db);
    await reportContent(t.deps, {
      participantId: reporter.id,
      item: { kind: 'comment', id: comment.id },
      reason: 'spam',
    });
    const open = await t.db.moderationCase.findFirstOrThrow({
      where: { commentId: comment.id, decidedAt: null },
    });
    expect((await t.db.comment.findUniqueOrThrow({ where: { id: comment.id } })).status).toBe('hidden');
    const r = await decideModeration(t.deps, { caseId: open.id, staffMemberId: mod.id, decision: 'approve' });
    expect(r).toMatchObject({ ok: true, status: 'published' });
    expect(await t.db.comment.findUniqueOrThrow({ where: { id: comment.id } })).toMatchObject({
      status: 'published',
      publishedAt,
    });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('selected');
  });
});

describe('the audit log', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const { caseId } = await createCase(t.db, process);
    await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' });
    const row = await t.db.auditLog.findFirstOrThrow();
    await expect(t.db.auditLog.update({ where: { id: row.id }, data: { reason: 'x' } })).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe('TRUNCATE "AuditLog"')).rejects.toThrow(/append-only/);
    expect(await t.db.auditLog.count({ where: { id: row.id } })).toBe(1);
  });
});
