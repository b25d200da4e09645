import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { listCommitments } from '../../src/domain/list-commitments.ts';
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
let other: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'results' });
  other = await createProcess(t.db, { phase: 'results' });
  staff = await createStaffMember(t.db, { role: 'admin' });
});
afterAll(() => t?.cleanup());

describe('listCommitments', () => {
  it("lists a process's commitments in order, with linked proposal ids and the latest update", async () => {
    const proposalId = await createProposal(t.db, process, { status: 'selected' });
    const make = async (processId: number, title: string, proposalIds: number[] = []) => {
      const r = await createCommitment(t.deps, {
        staffMemberId: staff.id,
        processId,
        title: { es: title },
        department: 'Obras',
        proposalIds,
      });
      if (!r.ok) throw new Error(r.reason);
      return r.commitment.id;
    };
    const first = await make(process.id, 'Primero', [proposalId]);
    const second = await make(process.id, 'Segundo');
    await make(other.id, 'De otro proceso');
    await updateCommitment(t.deps, {
      staffMemberId: staff.id,
      commitmentId: first,
      progress: 30,
      note: 'En obras',
    });
    // A later change without a note: the latest update has none, the latest note stays.
    await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: first, department: 'Vías' });

    const list = await listCommitments(t.deps, { processId: process.id });
    expect(list.map((c) => [c.id, c.title.es, c.proposalIds])).toEqual([
      [first, 'Primero', [proposalId]],
      [second, 'Segundo', []],
    ]);
    expect(list[0]).toMatchObject({
      status: 'in_progress',
      progress: 30,
      department: 'Vías',
      latestUpdate: { progress: 30, note: null },
      latestNote: { note: 'En obras', at: expect.any(Date) },
    });
    expect(list[1]!.latestUpdate).toMatchObject({ status: 'planned', progress: 0, note: null });
    expect(list[1]!.latestNote).toBeNull();
    expect(await listCommitments(t.deps, { processId: 999999999 })).toEqual([]);
    expect(await listCommitments(t.deps, { processId: -1 })).toEqual([]);
  });
});
