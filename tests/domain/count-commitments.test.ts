import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCommitments } from '../../src/domain/count-commitments.ts';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { createProcess, createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('countCommitments', () => {
  it("counts a process's commitments only; 0 for unknown or malformed ids", async () => {
    const staff = await createStaffMember(t.db, { role: 'staff' });
    const process = await createProcess(t.db, { phase: 'results' });
    const other = await createProcess(t.db, { phase: 'results' });
    expect(await countCommitments(t.deps, { processId: process.id })).toBe(0);
    for (const [processId, title] of [
      [process.id, 'Algo'],
      [process.id, 'Otra cosa'],
      [other.id, 'Algo'],
    ] as const) {
      const r = await createCommitment(t.deps, {
        staffMemberId: staff.id,
        processId,
        title: { es: title },
        department: 'Obras',
      });
      expect(r.ok).toBe(true);
    }
    expect(await countCommitments(t.deps, { processId: process.id })).toBe(2);
    expect(await countCommitments(t.deps, { processId: 999999999 })).toBe(0);
    expect(await countCommitments(t.deps, { processId: 0 })).toBe(0);
  });
});
