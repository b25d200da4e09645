import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followProposal } from '../../src/domain/follow-proposal.ts';
import { unfollowProposal } from '../../src/domain/unfollow-proposal.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db);
});
afterAll(() => t?.cleanup());

const follows = (proposalId: number, participantId: string) =>
  t.db.proposalFollow.count({ where: { proposalId, participantId } });

describe('followProposal / unfollowProposal', () => {
  it('lets a supporter follow, twice without harm, and unfollow, twice without harm', async () => {
    const supporter = await createParticipant(t.db);
    const proposalId = await createProposal(t.db, process);
    await t.db.support.create({ data: { proposalId, participantId: supporter.id } });
    const input = { participantId: supporter.id, proposalId };
    expect(await followProposal(t.deps, input)).toEqual({ ok: true, alreadyFollowing: false });
    expect(await followProposal(t.deps, input)).toEqual({ ok: true, alreadyFollowing: true });
    expect(await follows(proposalId, supporter.id)).toBe(1);
    expect(await unfollowProposal(t.deps, input)).toEqual({ ok: true, wasFollowing: true });
    expect(await unfollowProposal(t.deps, input)).toEqual({ ok: true, wasFollowing: false });
    expect(await follows(proposalId, supporter.id)).toBe(0);
  });

  it('lets the author follow their proposal, even while it waits for moderation', async () => {
    const author = await createParticipant(t.db);
    for (const status of ['published', 'pending'] as const) {
      const proposalId = await createProposal(t.db, process, { authorId: author.id, status });
      expect(await followProposal(t.deps, { participantId: author.id, proposalId })).toEqual({
        ok: true,
        alreadyFollowing: false,
      });
    }
  });

  it('refuses someone who neither wrote nor supports the proposal', async () => {
    const stranger = await createParticipant(t.db);
    const proposalId = await createProposal(t.db, process);
    expect(await followProposal(t.deps, { participantId: stranger.id, proposalId })).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(await follows(proposalId, stranger.id)).toBe(0);
  });

  it('does not find a proposal that is not public, or does not exist', async () => {
    const supporter = await createParticipant(t.db);
    const hidden = await createProposal(t.db, process);
    await t.db.support.create({ data: { proposalId: hidden, participantId: supporter.id } });
    await t.db.proposal.update({ where: { id: hidden }, data: { status: 'hidden' } });
    for (const proposalId of [hidden, 2_000_000_000, 0])
      expect(await followProposal(t.deps, { participantId: supporter.id, proposalId })).toEqual({
        ok: false,
        reason: 'not-found',
      });
    expect(await unfollowProposal(t.deps, { participantId: supporter.id, proposalId: -1 })).toEqual({
      ok: true,
      wasFollowing: false,
    });
  });
});
