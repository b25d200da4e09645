import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { getCommitment } from '../../src/domain/get-commitment.ts';
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

describe('getCommitment', () => {
  it('gives a commitment with its dated history, oldest first, and the proposals it answers', async () => {
    const proposalId = await createProposal(t.db, process, { status: 'selected', title: 'Más árboles' });
    const r = await createCommitment(t.at(new Date('2027-01-10T09:00:00Z')), {
      staffMemberId: staff.id,
      processId: process.id,
      title: { es: 'Plantar 200 árboles' },
      department: 'Parques',
      note: 'Aprobado',
      proposalIds: [proposalId],
    });
    if (!r.ok) throw new Error(r.reason);
    const id = r.commitment.id;
    await updateCommitment(t.at(new Date('2027-02-10T09:00:00Z')), {
      staffMemberId: staff.id,
      commitmentId: id,
      progress: 50,
      note: 'Cien plantados',
    });
    await updateCommitment(t.at(new Date('2027-03-10T09:00:00Z')), {
      staffMemberId: staff.id,
      commitmentId: id,
      status: 'done',
      evidence: 'https://example.org/fotos',
    });
    const c = await getCommitment(t.deps, { commitmentId: id });
    expect(c).toMatchObject({
      id,
      status: 'done',
      progress: 100,
      evidence: 'https://example.org/fotos',
      proposals: [{ id: proposalId, title: 'Más árboles', status: 'selected' }],
    });
    expect(c!.history.map((u) => [u.at.toISOString(), u.status, u.progress, u.note, u.evidence])).toEqual([
      ['2027-01-10T09:00:00.000Z', 'planned', 0, 'Aprobado', null],
      ['2027-02-10T09:00:00.000Z', 'in_progress', 50, 'Cien plantados', null],
      ['2027-03-10T09:00:00.000Z', 'done', 100, null, 'https://example.org/fotos'],
    ]);
    expect(c!.latestUpdate).toEqual(c!.history[2]);
  });

  it('is undefined for an unknown or malformed id', async () => {
    expect(await getCommitment(t.deps, { commitmentId: 999999999 })).toBeUndefined();
    expect(await getCommitment(t.deps, { commitmentId: 0 })).toBeUndefined();
    expect(await getCommitment(t.deps, { commitmentId: 2 ** 40 })).toBeUndefined();
  });
});
