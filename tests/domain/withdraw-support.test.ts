import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportProposal } from '../../src/domain/support-proposal.ts';
import { withdrawSupport } from '../../src/domain/withdraw-support.ts';
import { createParticipant, createProcess, createProposals } from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('withdrawSupport', () => {
  it('takes the support back once; a second time there is nothing to withdraw', async () => {
    const process = await createProcess(t.db);
    const [a] = await createProposals(t.db, process, 1);
    const me = await createParticipant(t.db);
    const other = await createParticipant(t.db);
    await supportProposal(t.deps, { participantId: me.id, proposalId: a! });
    await supportProposal(t.deps, { participantId: other.id, proposalId: a! });
    expect(await withdrawSupport(t.deps, { participantId: me.id, proposalId: a! })).toEqual({ ok: true });
    expect(await withdrawSupport(t.deps, { participantId: me.id, proposalId: a! })).toEqual({
      ok: false,
      reason: 'not-supported',
    });
    const left = await t.db.support.findMany({ where: { proposalId: a! }, select: { participantId: true } });
    expect(left).toEqual([{ participantId: other.id }]);
  });

  it('is closed once voting is over, and the support stays', async () => {
    const process = await createProcess(t.db);
    const [a] = await createProposals(t.db, process, 1);
    const me = await createParticipant(t.db);
    await supportProposal(t.deps, { participantId: me.id, proposalId: a! });
    const afterVoting = t.at(new Date(Date.now() + 31 * DAY));
    expect(await withdrawSupport(afterVoting, { participantId: me.id, proposalId: a! })).toEqual({
      ok: false,
      reason: 'voting-closed',
    });
    expect(await t.db.support.count({ where: { proposalId: a! } })).toBe(1);
  });

  it('is closed in a process that is not voting', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const [a] = await createProposals(t.db, process, 1);
    const me = await createParticipant(t.db);
    expect(await withdrawSupport(t.deps, { participantId: me.id, proposalId: a! })).toEqual({
      ok: false,
      reason: 'voting-closed',
    });
  });

  it('frees a slot under the limit', async () => {
    const process = await createProcess(t.db, { supportsPerParticipant: 1 });
    const [a, b] = await createProposals(t.db, process, 2);
    const me = await createParticipant(t.db);
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: a! })).toEqual({
      ok: true,
      used: 1,
      limit: 1,
    });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: b! })).toEqual({
      ok: false,
      reason: 'limit-reached',
      limit: 1,
    });
    expect(await withdrawSupport(t.deps, { participantId: me.id, proposalId: a! })).toEqual({ ok: true });
    expect(await supportProposal(t.deps, { participantId: me.id, proposalId: b! })).toEqual({
      ok: true,
      used: 1,
      limit: 1,
    });
  });

  it.each([0, -1, NaN, 1.5, 2_000_000_000])('does not find proposal %s', async (proposalId) => {
    const me = await createParticipant(t.db);
    expect(await withdrawSupport(t.deps, { participantId: me.id, proposalId })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('does not find proposal 2 ** 31 (beyond int4)', async () => {
    const me = await createParticipant(t.db);
    expect(await withdrawSupport(t.deps, { participantId: me.id, proposalId: 2 ** 31 })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });
});
