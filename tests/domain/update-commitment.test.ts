import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { updateCommitment } from '../../src/domain/update-commitment.ts';
import {
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'results' });
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

let made = 0;
async function commitment(proposalIds: number[] = []) {
  const r = await createCommitment(t.deps, {
    staffMemberId: staff.id,
    processId: process.id,
    // Each its own title: a repeated one is refused as a duplicate.
    title: { es: `Bancos a la sombra ${++made}` },
    department: 'Parques',
    dueDate: '2027-09-01',
    proposalIds,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.commitment;
}

const history = (commitmentId: number) =>
  t.db.commitmentUpdate.findMany({ where: { commitmentId }, orderBy: { id: 'asc' } });

describe('updateCommitment', () => {
  it('keeps every change as a dated update, audited with what it was before; tells people of progress', async () => {
    const proposalId = await createProposal(t.db, process, { status: 'selected' });
    const c = await commitment([proposalId]);
    const at = new Date('2027-04-02T08:30:00Z');
    const r = await updateCommitment(t.at(at), {
      staffMemberId: staff.id,
      commitmentId: c.id,
      progress: 40,
      note: 'Obras adjudicadas',
      evidence: 'https://example.org/contrato',
      sourceIp: '198.51.100.7',
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.commitment).toMatchObject({
      status: 'in_progress',
      progress: 40,
      evidence: 'https://example.org/contrato',
      latestUpdate: { at, status: 'in_progress', progress: 40, note: 'Obras adjudicadas' },
    });
    expect((await history(c.id)).map((u) => [u.status, u.progress, u.note])).toEqual([
      ['planned', 0, null],
      ['in_progress', 40, 'Obras adjudicadas'],
    ]);
    expect(
      await t.db.auditLog.findFirst({ where: { action: 'commitment.update', targetId: String(c.id) } }),
    ).toMatchObject({
      actor: `staff:${staff.id}`,
      sourceIp: '198.51.100.7',
      before: { status: 'planned', progress: 0, evidence: null },
      after: { status: 'in_progress', progress: 40, note: 'Obras adjudicadas' },
    });
    expect(t.notified).toContainEqual({
      kind: 'commitment-changed',
      commitmentId: c.id,
      updateId: r.commitment.latestUpdate!.id,
    });
  });

  it('progress 100 makes it done; leaving done needs a progress; contradictions are refused', async () => {
    const c = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    expect(await updateCommitment(t.deps, { ...input, progress: 100 })).toMatchObject({
      ok: true,
      commitment: { status: 'done', progress: 100 },
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'in_progress' })).toEqual({
      ok: false,
      reason: 'status-progress-mismatch',
    });
    expect(await updateCommitment(t.deps, { ...input, progress: 80 })).toMatchObject({
      ok: true,
      commitment: { status: 'in_progress', progress: 80 },
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'done', progress: 90 })).toEqual({
      ok: false,
      reason: 'status-progress-mismatch',
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'done' })).toMatchObject({
      ok: true,
      commitment: { status: 'done', progress: 100 },
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'cancelled', progress: 80 })).toMatchObject({
      ok: true,
      commitment: { status: 'cancelled', progress: 80 },
    });
  });

  it('refuses a change that changes nothing; a note alone is news', async () => {
    const c = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    expect(
      await updateCommitment(t.deps, {
        ...input,
        status: 'planned',
        progress: 0,
        dueDate: '2027-09-01',
        department: ' Parques ',
        title: { es: c.title.es },
      }),
    ).toEqual({ ok: false, reason: 'nothing-to-change' });
    expect(await updateCommitment(t.deps, { ...input, note: '   ' })).toEqual({
      ok: false,
      reason: 'nothing-to-change',
    });
    const before = t.notified.length;
    const r = await updateCommitment(t.deps, { ...input, note: 'Reunión con el vecindario el martes' });
    expect(r).toMatchObject({
      ok: true,
      commitment: { status: 'planned', latestUpdate: { note: /Reunión/ } },
    });
    // Only status and progress changes are announced.
    expect(t.notified.length).toBe(before);
    expect(await history(c.id)).toHaveLength(2);
  });

  it('changes due date, department, texts; clears the due date and description with null', async () => {
    const c = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    const r = await updateCommitment(t.deps, {
      ...input,
      dueDate: '2028-01-15',
      department: 'Medio Ambiente',
      title: { es: 'Bancos y árboles', en: 'Benches and trees' },
      description: { es: 'Veinte bancos.' },
    });
    expect(r).toMatchObject({
      ok: true,
      commitment: {
        dueDate: '2028-01-15',
        department: 'Medio Ambiente',
        title: { es: 'Bancos y árboles', en: 'Benches and trees' },
        description: { es: 'Veinte bancos.' },
      },
    });
    expect(await updateCommitment(t.deps, { ...input, dueDate: null, description: null })).toMatchObject({
      ok: true,
      commitment: { dueDate: null, description: null },
    });
  });

  it('links and unlinks proposals; a new link must be a selected proposal of its process', async () => {
    const a = await createProposal(t.db, process, { status: 'selected' });
    const b = await createProposal(t.db, process, { status: 'selected' });
    const published = await createProposal(t.db, process);
    const c = await commitment([a]);
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    expect(await updateCommitment(t.deps, { ...input, proposalIds: [a, published] })).toEqual({
      ok: false,
      reason: 'proposals-not-selected',
      proposalIds: [published],
    });
    expect(await updateCommitment(t.deps, { ...input, proposalIds: [b] })).toMatchObject({
      ok: true,
      commitment: { proposalIds: [b] },
    });
    expect(await updateCommitment(t.deps, { ...input, proposalIds: [b] })).toEqual({
      ok: false,
      reason: 'nothing-to-change',
    });
  });

  it('refuses moderators, unknown commitments and bad fields', async () => {
    const c = await commitment();
    const moderator = await createStaffMember(t.db, { role: 'moderator' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: moderator.id, commitmentId: c.id, progress: 5 }),
    ).toEqual({ ok: false, reason: 'not-allowed' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: 999999999, progress: 5 }),
    ).toEqual({ ok: false, reason: 'not-found' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: c.id, progress: -1 }),
    ).toEqual({ ok: false, reason: 'invalid', field: 'progress' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: c.id, dueDate: '2027-13-01' }),
    ).toEqual({ ok: false, reason: 'invalid', field: 'dueDate' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: c.id, department: '' }),
    ).toEqual({ ok: false, reason: 'invalid', field: 'department' });
  });
});
