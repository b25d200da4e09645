import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listComments } from '../../src/domain/list-comments.ts';
import type { CommentStatus } from '../../src/generated/prisma/enums.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let me: { id: string };
let other: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db);
  [me, other] = await Promise.all([createParticipant(t.db), createParticipant(t.db)]);
});
afterAll(() => t?.cleanup());

const base = Date.parse('2026-03-01T10:00:00Z');
let clock = 0;

async function comment(
  proposalId: number,
  opts: { status?: CommentStatus; authorId?: string; parentId?: number; body?: string } = {},
) {
  const createdAt = new Date(base + ++clock * 60_000);
  const status = opts.status ?? 'published';
  const c = await t.db.comment.create({
    data: {
      proposalId,
      authorId: opts.authorId ?? other.id,
      parentId: opts.parentId ?? null,
      body: opts.body ?? `comentario ${clock}`,
      status,
      createdAt,
      publishedAt: status === 'published' ? new Date(createdAt.getTime() + 1000) : null,
    },
  });
  return c.id;
}

describe('listComments', () => {
  it('lists published comments oldest first with their replies, anonymously, and counts them', async () => {
    const proposalId = await createProposal(t.db, process, { title: 'Más bancos en la plaza' });
    const first = await comment(proposalId, { body: 'primero' });
    const second = await comment(proposalId, { body: 'segundo', authorId: me.id });
    const reply = await comment(proposalId, { parentId: first, body: 'respuesta', authorId: me.id });
    const page = await listComments(t.deps, { proposalId, participantId: me.id, page: 1 });
    expect(page).toMatchObject({
      proposal: { id: proposalId, title: 'Más bancos en la plaza', public: true },
      page: 1,
      pages: 1,
      totalThreads: 2,
      published: 3,
    });
    expect(page!.threads).toEqual([
      {
        id: first,
        body: 'primero',
        mine: false,
        pending: false,
        at: expect.any(Date),
        replies: [{ id: reply, body: 'respuesta', mine: true, pending: false, at: expect.any(Date) }],
      },
      { id: second, body: 'segundo', mine: true, pending: false, at: expect.any(Date), replies: [] },
    ]);
    expect(JSON.stringify(page)).not.toContain(other.id);
    expect(JSON.stringify(page)).not.toContain(me.id);
    const anonymous = await listComments(t.deps, { proposalId, page: 1 });
    expect(anonymous!.threads.map((c) => c.mine)).toEqual([false, false]);
  });

  it("shows the reader's own pending comments and replies, marked, to them only", async () => {
    const proposalId = await createProposal(t.db, process);
    const thread = await comment(proposalId);
    const myReply = await comment(proposalId, { parentId: thread, status: 'pending', authorId: me.id });
    const theirReply = await comment(proposalId, { parentId: thread, status: 'pending' });
    const mine = await comment(proposalId, { status: 'pending', authorId: me.id });
    await comment(proposalId, { status: 'pending' });

    const seenByMe = await listComments(t.deps, { proposalId, participantId: me.id, page: 1 });
    expect(seenByMe!.threads.map((c) => [c.id, c.pending, c.replies.map((r) => [r.id, r.pending])])).toEqual([
      [thread, false, [[myReply, true]]],
      [mine, true, []],
    ]);
    expect(seenByMe).toMatchObject({ totalThreads: 2, published: 1 });

    const seenByOther = await listComments(t.deps, { proposalId, participantId: other.id, page: 1 });
    expect(seenByOther!.threads.map((c) => [c.id, c.replies.map((r) => r.id)])).toEqual([
      [thread, [theirReply]],
      [expect.any(Number), []],
    ]);
    const anonymous = await listComments(t.deps, { proposalId, page: 1 });
    expect(anonymous!.threads.map((c) => [c.id, c.replies.length])).toEqual([[thread, 0]]);
  });

  it.each(['rejected', 'hidden'] as const)(
    'never lists a %s comment, nor the replies in its thread',
    async (status) => {
      const proposalId = await createProposal(t.db, process);
      const gone = await comment(proposalId, { status, authorId: me.id });
      await comment(proposalId, { parentId: gone });
      const kept = await comment(proposalId);
      await comment(proposalId, { parentId: kept, status });
      for (const participantId of [me.id, other.id, undefined]) {
        const page = await listComments(t.deps, { proposalId, participantId, page: 1 });
        expect(page!.threads.map((c) => [c.id, c.replies.length])).toEqual([[kept, 0]]);
        expect(page).toMatchObject({ totalThreads: 1, published: 1 });
      }
    },
  );

  it('pages top-level comments, keeping each page in reading order', async () => {
    const proposalId = await createProposal(t.db, process);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await comment(proposalId));
    await comment(proposalId, { parentId: ids[5] });
    const one = await listComments(t.deps, { proposalId, page: 1 });
    expect(one).toMatchObject({ page: 1, pages: 3, totalThreads: 12, published: 13 });
    expect(one!.threads.map((c) => c.id)).toEqual(ids.slice(0, 5));
    const two = await listComments(t.deps, { proposalId, page: 2 });
    expect(two!.threads.map((c) => c.id)).toEqual(ids.slice(5, 10));
    expect(two!.threads[0]!.replies).toHaveLength(1);
    const last = await listComments(t.deps, { proposalId, page: 99 });
    expect(last!.page).toBe(3);
    expect(last!.threads.map((c) => c.id)).toEqual(ids.slice(10));
    expect((await listComments(t.deps, { proposalId, page: -3 }))!.page).toBe(1);
    expect((await listComments(t.deps, { proposalId, page: 1, pageSize: 4 }))!.pages).toBe(3);
  });

  it('answers an empty page for a proposal without comments', async () => {
    const proposalId = await createProposal(t.db, process);
    expect(await listComments(t.deps, { proposalId, participantId: me.id, page: 1 })).toMatchObject({
      threads: [],
      page: 1,
      pages: 1,
      totalThreads: 0,
      published: 0,
    });
  });

  it("finds nothing for a proposal the reader may not see, or one that doesn't exist", async () => {
    const pending = await createProposal(t.db, process, { status: 'pending', authorId: me.id });
    expect(
      await listComments(t.deps, { proposalId: pending, participantId: other.id, page: 1 }),
    ).toBeUndefined();
    expect(await listComments(t.deps, { proposalId: pending, participantId: me.id, page: 1 })).toMatchObject({
      proposal: { public: false },
    });
    for (const proposalId of [2_000_000_000, 0, NaN])
      expect(await listComments(t.deps, { proposalId, page: 1 })).toBeUndefined();
  });
});
