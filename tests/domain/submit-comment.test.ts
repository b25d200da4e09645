import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { submitComment } from '../../src/domain/submit-comment.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, withQueues, type DomainTest, type TestQueues } from './harness.ts';

let t: DomainTest;
let queues: TestQueues;
let deps: DomainDeps;
let pre: ProcessFixture;
let post: ProcessFixture;
beforeAll(async () => {
  t = await createDomainTest();
  queues = await withQueues();
  deps = { ...t.deps, queues };
  // Comments do not depend on the phase: a results phase takes them like any other.
  pre = await createProcess(t.db, { phase: 'results' });
  post = await createProcess(t.db, { phase: 'voting' });
  await t.db.process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
});
afterAll(async () => {
  await queues?.cleanup();
  await t?.cleanup();
});

const BODY = 'Estoy de acuerdo, el barrio lo necesita.';

async function comment(
  db = t.db,
  status: 'pending' | 'published' | 'rejected' | 'hidden',
  proposalId: number,
  parentId?: number,
) {
  const c = await db.comment.create({
    data: { proposalId, parentId: parentId ?? null, body: 'Un comentario de otra persona', status },
  });
  return c.id;
}

describe('submitComment', () => {
  it('stores a comment as pending in a pre-moderated process, opens a case and enqueues it by id', async () => {
    const me = await createParticipant(t.db);
    const proposalId = await createProposal(t.db, pre);
    const now = new Date();
    const result = await submitComment(
      { ...deps, now: () => now },
      { participantId: me.id, proposalId, body: `  ${BODY}\u0000 `, locale: 'en' },
    );
    expect(result).toEqual({
      ok: true,
      comment: { id: expect.any(Number), status: 'pending', parentId: null },
    });
    const id = (result as { comment: { id: number } }).comment.id;
    expect(await t.db.comment.findUniqueOrThrow({ where: { id } })).toMatchObject({
      proposalId,
      authorId: me.id,
      parentId: null,
      body: BODY,
      locale: 'en',
      status: 'pending',
      createdAt: now,
      publishedAt: null,
    });
    const opened = await t.db.moderationCase.findFirstOrThrow({ where: { commentId: id } });
    expect(opened).toMatchObject({
      itemKind: 'comment',
      processId: pre.id,
      reason: 'submitted',
      openedAt: now,
      decidedAt: null,
    });
    const job = await queues.moderation.getJob(`case-${opened.id}`);
    expect(job?.data).toEqual({ caseId: opened.id });
    expect(JSON.stringify(job?.data)).not.toMatch(/barrio/);
  });

  it('publishes at once in a post-moderated process, still opening a case', async () => {
    const me = await createParticipant(t.db);
    const proposalId = await createProposal(t.db, post);
    const now = new Date();
    const result = await submitComment(
      { ...deps, now: () => now },
      { participantId: me.id, proposalId, body: BODY, locale: 'es' },
    );
    expect(result).toMatchObject({ ok: true, comment: { status: 'published' } });
    const id = (result as { comment: { id: number } }).comment.id;
    expect(await t.db.comment.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'published',
      publishedAt: now,
    });
    expect(await t.db.moderationCase.count({ where: { commentId: id, decidedAt: null } })).toBe(1);
  });

  it.each(['selected', 'not_selected'] as const)('takes comments on a %s proposal', async (status) => {
    const me = await createParticipant(t.db);
    const proposalId = await createProposal(t.db, pre, { status });
    expect(
      await submitComment(deps, { participantId: me.id, proposalId, body: BODY, locale: 'es' }),
    ).toMatchObject({
      ok: true,
    });
  });

  it.each(['pending', 'rejected', 'withdrawn'] as const)(
    'refuses a %s proposal, even from its author',
    async (status) => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre, { status, authorId: me.id });
      expect(
        await submitComment(deps, { participantId: me.id, proposalId, body: BODY, locale: 'es' }),
      ).toEqual({
        ok: false,
        reason: 'proposal-not-found',
      });
      expect(await t.db.comment.count({ where: { proposalId } })).toBe(0);
    },
  );

  it('refuses a hidden proposal and an unknown one', async () => {
    const me = await createParticipant(t.db);
    const hidden = await createProposal(t.db, pre);
    await t.db.proposal.update({ where: { id: hidden }, data: { status: 'hidden' } });
    for (const proposalId of [hidden, 2_000_000_000, 0, 1.5])
      expect(
        await submitComment(deps, { participantId: me.id, proposalId, body: BODY, locale: 'es' }),
      ).toEqual({
        ok: false,
        reason: 'proposal-not-found',
      });
  });

  it('refuses a participant who withdrew consent', async () => {
    const me = await createParticipant(t.db);
    await t.db.consentRecord.create({
      data: {
        participantId: me.id,
        purpose: 'participation',
        action: 'withdrawn',
        noticeVersion: 1,
        channel: 'webchat',
      },
    });
    const proposalId = await createProposal(t.db, pre);
    expect(await submitComment(deps, { participantId: me.id, proposalId, body: BODY, locale: 'es' })).toEqual(
      {
        ok: false,
        reason: 'no-consent',
      },
    );
  });

  describe('replies', () => {
    it('replies to a published top-level comment of the same proposal', async () => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre);
      const parentId = await comment(t.db, 'published', proposalId);
      const result = await submitComment(deps, {
        participantId: me.id,
        proposalId,
        parentId,
        body: BODY,
        locale: 'es',
      });
      expect(result).toMatchObject({ ok: true, comment: { status: 'pending', parentId } });
      const id = (result as { comment: { id: number } }).comment.id;
      expect((await t.db.comment.findUniqueOrThrow({ where: { id } })).parentId).toBe(parentId);
    });

    it('attaches a reply to a reply to the thread it belongs to (one level only)', async () => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre);
      const thread = await comment(t.db, 'published', proposalId);
      const reply = await comment(t.db, 'published', proposalId, thread);
      const result = await submitComment(deps, {
        participantId: me.id,
        proposalId,
        parentId: reply,
        body: BODY,
        locale: 'es',
      });
      expect(result).toMatchObject({ ok: true, comment: { parentId: thread } });
    });

    it.each(['pending', 'rejected', 'hidden'] as const)('refuses to answer a %s comment', async (status) => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre);
      const parentId = await comment(t.db, status, proposalId);
      expect(
        await submitComment(deps, { participantId: me.id, proposalId, parentId, body: BODY, locale: 'es' }),
      ).toEqual({ ok: false, reason: 'parent-not-found' });
    });

    it('refuses to answer a published reply whose thread is no longer public', async () => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre);
      const thread = await comment(t.db, 'hidden', proposalId);
      const reply = await comment(t.db, 'published', proposalId, thread);
      expect(
        await submitComment(deps, {
          participantId: me.id,
          proposalId,
          parentId: reply,
          body: BODY,
          locale: 'es',
        }),
      ).toEqual({ ok: false, reason: 'parent-not-found' });
    });

    it('refuses a comment of another proposal and an unknown one', async () => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre);
      const other = await comment(t.db, 'published', await createProposal(t.db, pre));
      for (const parentId of [other, 2_000_000_000, -1])
        expect(
          await submitComment(deps, { participantId: me.id, proposalId, parentId, body: BODY, locale: 'es' }),
        ).toEqual({ ok: false, reason: 'parent-not-found' });
      expect(await t.db.comment.count({ where: { proposalId } })).toBe(0);
    });
  });

  describe('texts', () => {
    it.each([
      ['one character', 'a', 'body-too-short'],
      ['whitespace only', ' \n\t\u3000 ', 'body-too-short'],
      ['one character padded with control characters', 'a\u0000\u0007\u202e', 'body-too-short'],
      ['1001 characters', 'a'.repeat(1001), 'body-too-long'],
      ['1000 characters and an emoji', 'a'.repeat(1000) + '🚲', 'body-too-long'],
    ])('refuses %s', async (_label, body, reason) => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre);
      expect(await submitComment(deps, { participantId: me.id, proposalId, body, locale: 'es' })).toEqual({
        ok: false,
        reason,
      });
      expect(await t.db.comment.count({ where: { proposalId } })).toBe(0);
    });

    it('accepts the limits exactly, counting an emoji as one character', async () => {
      const me = await createParticipant(t.db);
      const proposalId = await createProposal(t.db, pre);
      for (const body of ['ok', '👍👍', 'a'.repeat(999) + '🚲'])
        expect(
          await submitComment(deps, { participantId: me.id, proposalId, body, locale: 'es' }),
        ).toMatchObject({
          ok: true,
        });
    });
  });
});
