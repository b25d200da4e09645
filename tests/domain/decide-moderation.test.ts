import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

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
  t.db.auditLog.findMany({ where: { targetType: 'proposal', targetId: String(proposalId) } });

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
    expect(second).toEqual({ ok: false, reason: 'already-decided', decidedBy: 'Lucía', decision: 'approve' });
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
