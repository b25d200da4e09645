import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportProposal } from '../../src/domain/support-proposal.ts';
import type { PhaseKind } from '../../src/generated/prisma/enums.ts';
import { createParticipant, createProcess, createProposal, createProposals } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

const supportsOf = (where: { proposalId?: number; participantId?: string }) => t.db.support.count({ where });

describe('supportProposal', () => {
  it('records the support and says how many of the limit are used', async () => {
    const process = await createProcess(t.db, { supportsPerParticipant: 3 });
    const [a, b] = await createProposals(t.db, process, 2);
    const me = await createParticipant(t.db);
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: a! })).toEqual({
      ok: true,
      used: 1,
      limit: 3,
    });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: b! })).toEqual({
      ok: true,
      used: 2,
      limit: 3,
    });
    expect(await supportsOf({ participantId: me.id })).toBe(2);
  });

  it('refuses a second support of the same proposal', async () => {
    const process = await createProcess(t.db);
    const [a] = await createProposals(t.db, process, 1);
    const me = await createParticipant(t.db);
    await supportProposal(t.deps, { participantId: me.id, proposalId: a! });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: a! })).toEqual({
      ok: false,
      reason: 'already-supported',
    });
    expect(await supportsOf({ proposalId: a! })).toBe(1);
  });

  it("stops at the process's supports per participant, and counts only that process", async () => {
    const process = await createProcess(t.db, { supportsPerParticipant: 2 });
    const other = await createProcess(t.db, { supportsPerParticipant: 2 });
    const ids = await createProposals(t.db, process, 3);
    const [elsewhere] = await createProposals(t.db, other, 1);
    const me = await createParticipant(t.db);
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: elsewhere! })).toMatchObject({
      ok: true,
      used: 1,
    });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: ids[0]! })).toEqual({
      ok: true,
      used: 1,
      limit: 2,
    });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: ids[1]! })).toEqual({
      ok: true,
      used: 2,
      limit: 2,
    });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: ids[2]! })).toEqual({
      ok: false,
      reason: 'limit-reached',
      limit: 2,
    });
    expect(await supportsOf({ proposalId: ids[2]! })).toBe(0);
  });

  it.each([
    ['hidden by reports', { status: 'hidden', hiddenFrom: 'published' }],
    ['taken down', { status: 'rejected' }],
  ] as const)('does not count a support on a proposal %s against the limit', async (_, data) => {
    const process = await createProcess(t.db, { supportsPerParticipant: 1 });
    const [a, b] = await createProposals(t.db, process, 2);
    const me = await createParticipant(t.db);
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: a! })).toMatchObject({
      ok: true,
    });
    await t.db.proposal.update({ where: { id: a! }, data });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: b! })).toEqual({
      ok: true,
      used: 1,
      limit: 1,
    });
    expect(await supportsOf({ participantId: me.id })).toBe(2);
  });

  it('counts a hidden proposal again once restored, refusing new supports while over the limit', async () => {
    const process = await createProcess(t.db, { supportsPerParticipant: 1 });
    const [a, b, c] = await createProposals(t.db, process, 3);
    const me = await createParticipant(t.db);
    await supportProposal(t.deps, { participantId: me.id, proposalId: a! });
    await t.db.proposal.update({ where: { id: a! }, data: { status: 'hidden', hiddenFrom: 'published' } });
    await supportProposal(t.deps, { participantId: me.id, proposalId: b! });
    await t.db.proposal.update({ where: { id: a! }, data: { status: 'published', hiddenFrom: null } });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: c! })).toEqual({
      ok: false,
      reason: 'limit-reached',
      limit: 1,
    });
    expect(await supportsOf({ proposalId: c! })).toBe(0);
  });

  it.each<PhaseKind>(['information', 'proposals', 'debate', 'results', 'follow_up'])(
    'is closed while the process is in its %s phase',
    async (phase) => {
      const process = await createProcess(t.db, { phase });
      const [a] = await createProposals(t.db, process, 1);
      const me = await createParticipant(t.db);
      expect(await supportProposal(t.deps, { participantId: me.id, proposalId: a! })).toEqual({
        ok: false,
        reason: 'voting-closed',
      });
      expect(await supportsOf({ proposalId: a! })).toBe(0);
    },
  );

  it('is closed before the first phase and after the last one', async () => {
    const process = await createProcess(t.db);
    const [a] = await createProposals(t.db, process, 1);
    const me = await createParticipant(t.db);
    for (const when of [Date.now() - 2 * DAY, Date.now() + 61 * DAY]) {
      expect(await supportProposal(t.at(new Date(when)), { participantId: me.id, proposalId: a! })).toEqual({
        ok: false,
        reason: 'voting-closed',
      });
    }
    expect(await supportsOf({ proposalId: a! })).toBe(0);
  });

  it.each(['pending', 'rejected', 'withdrawn'] as const)('does not find a %s proposal', async (status) => {
    const process = await createProcess(t.db);
    const id = await createProposal(t.db, process, { status });
    const me = await createParticipant(t.db);
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: id })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await supportsOf({ proposalId: id })).toBe(0);
  });

  it.each([0, -1, NaN, Infinity, 1.5, Number.MAX_SAFE_INTEGER + 2, 2_000_000_000])(
    'does not find proposal %s',
    async (proposalId) => {
      const me = await createParticipant(t.db);
      expect(await supportProposal(t.deps, { participantId: me.id, proposalId })).toEqual({
        ok: false,
        reason: 'not-found',
      });
    },
  );

  it.each([2 ** 31, 2 ** 40])('does not find proposal %s (beyond int4)', async (proposalId) => {
    const me = await createParticipant(t.db);
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  describe('under concurrency', () => {
    it('50 simultaneous supports of one proposal by one participant store exactly one', async () => {
      const process = await createProcess(t.db, { supportsPerParticipant: 3 });
      const [a] = await createProposals(t.db, process, 1);
      const me = await createParticipant(t.db);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => supportProposal(t.deps, { participantId: me.id, proposalId: a! })),
      );
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, used: 1, limit: 3 }]);
      expect(results.filter((r) => !r.ok && r.reason === 'already-supported')).toHaveLength(49);
      expect(await supportsOf({ proposalId: a! })).toBe(1);
    });

    it('50 simultaneous supports by one participant across 10 proposals respect a limit of 3', async () => {
      const process = await createProcess(t.db, { supportsPerParticipant: 3 });
      const ids = await createProposals(t.db, process, 10);
      const me = await createParticipant(t.db);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          supportProposal(t.deps, { participantId: me.id, proposalId: ids[i % 10]! }),
        ),
      );
      const ok = results.filter((r) => r.ok);
      expect(ok.map((r) => r.used).sort()).toEqual([1, 2, 3]);
      expect(
        results.every((r) => r.ok || r.reason === 'limit-reached' || r.reason === 'already-supported'),
      ).toBe(true);
      expect(await supportsOf({ participantId: me.id })).toBe(3);
    });

    it('50 different participants supporting one proposal at once are all stored', async () => {
      const process = await createProcess(t.db, { supportsPerParticipant: 1 });
      const [a] = await createProposals(t.db, process, 1);
      const people = await Promise.all(Array.from({ length: 50 }, () => createParticipant(t.db)));
      const results = await Promise.all(
        people.map((p) => supportProposal(t.deps, { participantId: p.id, proposalId: a! })),
      );
      expect(results).toEqual(Array.from({ length: 50 }, () => ({ ok: true, used: 1, limit: 1 })));
      expect(await supportsOf({ proposalId: a! })).toBe(50);
    });
  });
});
