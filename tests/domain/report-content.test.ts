import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from '../../src/domain/answer-proposal.ts';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { reportContent } from '../../src/domain/report-content.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'voting' });
});
afterAll(async () => {
  await t?.cleanup();
});

const reporters = (n: number) => Promise.all(Array.from({ length: n }, () => createParticipant(t.db)));
const proposal = (id: number) => ({ kind: 'proposal' as const, id });

describe('reportContent', () => {
  it('hides a proposal at the third distinct report and sends it back to the moderators', async () => {
    const id = await createProposal(t.db, process);
    const [a, b, c] = await reporters(3);
    expect(await reportContent(t.deps, { participantId: a!.id, item: proposal(id), reason: 'spam' })).toEqual(
      {
        ok: true,
        hidden: false,
      },
    );
    await reportContent(t.deps, { participantId: b!.id, item: proposal(id), reason: 'insults' });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id } })).status).toBe('published');
    expect(await reportContent(t.deps, { participantId: c!.id, item: proposal(id), reason: 'spam' })).toEqual(
      {
        ok: true,
        hidden: true,
      },
    );
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id } })).status).toBe('hidden');
    const opened = await t.db.moderationCase.findFirstOrThrow({ where: { proposalId: id } });
    expect(opened).toMatchObject({ reason: 'reported', decidedAt: null });
    expect(t.enqueued).toContain(opened.id);
    expect(
      await t.db.auditLog.findFirst({ where: { targetId: String(id), action: 'moderation.hide' } }),
    ).toMatchObject({
      actor: 'system',
      before: { status: 'published' },
      after: { status: 'hidden', reports: 3 },
    });
  });

  it('counts one report per person and refuses the author and unknown reasons', async () => {
    const author = await createParticipant(t.db);
    const id = await createProposal(t.db, process, { authorId: author.id });
    const [a] = await reporters(1);
    await reportContent(t.deps, { participantId: a!.id, item: proposal(id), reason: 'spam' });
    expect(await reportContent(t.deps, { participantId: a!.id, item: proposal(id), reason: 'spam' })).toEqual(
      {
        ok: false,
        reason: 'already-reported',
      },
    );
    expect(
      await reportContent(t.deps, { participantId: author.id, item: proposal(id), reason: 'spam' }),
    ).toEqual({ ok: false, reason: 'own-item' });
    expect(
      await reportContent(t.deps, { participantId: a!.id, item: proposal(id), reason: 'dislike' }),
    ).toEqual({ ok: false, reason: 'invalid-reason' });
  });

  it('cannot report what the public cannot see', async () => {
    const pending = await createProposal(t.db, process, { status: 'pending' });
    const [a] = await reporters(1);
    for (const id of [pending, 2 ** 40, -1])
      expect(
        await reportContent(t.deps, { participantId: a!.id, item: proposal(id), reason: 'spam' }),
      ).toEqual({
        ok: false,
        reason: 'not-found',
      });
  });

  it('crosses the threshold exactly once under concurrent reports', async () => {
    const id = await createProposal(t.db, process);
    const people = await reporters(8);
    const results = await Promise.all(
      people.map((p) => reportContent(t.deps, { participantId: p.id, item: proposal(id), reason: 'spam' })),
    );
    expect(results.filter((r) => r.ok && r.hidden)).toHaveLength(1);
    expect(await t.db.moderationCase.count({ where: { proposalId: id } })).toBe(1);
  });

  it('after a moderator restores it, only new reports count towards hiding it again', async () => {
    const id = await createProposal(t.db, process);
    const first = await reporters(3);
    for (const p of first)
      await reportContent(t.deps, { participantId: p.id, item: proposal(id), reason: 'spam' });
    const opened = await t.db.moderationCase.findFirstOrThrow({ where: { proposalId: id, decidedAt: null } });
    const mod = await createStaffMember(t.db);
    expect(
      await decideModeration(t.deps, { caseId: opened.id, staffMemberId: mod.id, decision: 'approve' }),
    ).toMatchObject({
      ok: true,
      status: 'published',
    });
    const [d, e, f] = await reporters(3);
    await reportContent(t.deps, { participantId: d!.id, item: proposal(id), reason: 'spam' });
    expect(await reportContent(t.deps, { participantId: e!.id, item: proposal(id), reason: 'spam' })).toEqual(
      {
        ok: true,
        hidden: false,
      },
    );
    expect(await reportContent(t.deps, { participantId: f!.id, item: proposal(id), reason: 'spam' })).toEqual(
      {
        ok: true,
        hidden: true,
      },
    );
  });

  it('remembers the public status it hid, and a restore gives it back, each time', async () => {
    const id = await createProposal(t.db, process, { status: 'selected' });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id } })).hiddenFrom).toBeNull();
    const mod = await createStaffMember(t.db);
    for (let round = 0; round < 2; round++) {
      for (const p of await reporters(3))
        await reportContent(t.deps, { participantId: p.id, item: proposal(id), reason: 'spam' });
      expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: 'hidden',
        hiddenFrom: 'selected',
      });
      expect(
        (
          await t.db.auditLog.findMany({
            where: { targetId: String(id), action: 'moderation.hide' },
            orderBy: { id: 'asc' },
          })
        ).at(-1),
      ).toMatchObject({ before: { status: 'selected' }, after: { status: 'hidden', reports: 3 } });
      const opened = await t.db.moderationCase.findFirstOrThrow({
        where: { proposalId: id, decidedAt: null },
      });
      expect(
        await decideModeration(t.deps, { caseId: opened.id, staffMemberId: mod.id, decision: 'approve' }),
      ).toMatchObject({ ok: true, status: 'selected' });
      expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: 'selected',
        hiddenFrom: null,
      });
    }
  });

  it('a hidden proposal cannot be answered, so the status it remembers stays true', async () => {
    const id = await createProposal(t.db, process, { status: 'not_selected' });
    for (const p of await reporters(3))
      await reportContent(t.deps, { participantId: p.id, item: proposal(id), reason: 'spam' });
    const staff = await createStaffMember(t.db, { role: 'staff' });
    expect(
      await answerProposal(t.deps, { staffMemberId: staff.id, proposalId: id, status: 'selected' }),
    ).toEqual({ ok: false, reason: 'not-found' });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'hidden',
      hiddenFrom: 'not_selected',
    });
  });

  it('honours the process threshold', async () => {
    const strict = await createProcess(t.db, { phase: 'voting' });
    await t.db.process.update({ where: { id: strict.id }, data: { reportThreshold: 1 } });
    const id = await createProposal(t.db, strict);
    const [a] = await reporters(1);
    expect(await reportContent(t.deps, { participantId: a!.id, item: proposal(id), reason: 'spam' })).toEqual(
      {
        ok: true,
        hidden: true,
      },
    );
  });
  it('post-moderation: hiding an item whose first review is open closes that case and opens a reported one', async () => {
    const post = await createProcess(t.db, { phase: 'voting' });
    await t.db.process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
    const { caseId, proposalId } = await createCase(t.db, post, { status: 'published' });
    const before = t.enqueued.length;
    for (const p of await reporters(3))
      await reportContent(t.deps, { participantId: p.id, item: proposal(proposalId), reason: 'insults' });
    const cases = await t.db.moderationCase.findMany({ where: { proposalId }, orderBy: { id: 'asc' } });
    // Closed without a decision (nobody decided it), and settled: nobody is to be told of it.
    expect(cases).toMatchObject([
      { id: caseId, reason: 'submitted', decision: null, decidedById: null },
      { reason: 'reported', decidedAt: null },
    ]);
    expect(cases[0]!.decidedAt).toEqual(cases[0]!.settledAt);
    expect(cases[0]!.decidedAt).not.toBeNull();
    // Both jobs: the new card, and the first card put right.
    expect(t.enqueued.slice(before).sort()).toEqual([caseId, cases[1]!.id].sort());
    expect(
      await t.db.auditLog.findFirst({ where: { targetId: String(proposalId), action: 'moderation.hide' } }),
    ).toMatchObject({ after: { status: 'hidden', reports: 3, closedCase: caseId } });
    // A press on the first card decides nothing; the reported case is the one to decide.
    const mod = await createStaffMember(t.db);
    expect(
      await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' }),
    ).toMatchObject({ ok: false, reason: 'already-decided', decision: null });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('hidden');
    expect(
      await decideModeration(t.deps, { caseId: cases[1]!.id, staffMemberId: mod.id, decision: 'approve' }),
    ).toMatchObject({ ok: true, status: 'published' });
  });

  it('a first review decided before the reports stays as it was', async () => {
    const post = await createProcess(t.db, { phase: 'voting' });
    await t.db.process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
    const { caseId, proposalId } = await createCase(t.db, post, { status: 'published' });
    const mod = await createStaffMember(t.db);
    await decideModeration(t.deps, { caseId, staffMemberId: mod.id, decision: 'approve' });
    const decided = await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } });
    for (const p of await reporters(3))
      await reportContent(t.deps, { participantId: p.id, item: proposal(proposalId), reason: 'spam' });
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } })).toEqual(decided);
    expect(
      await t.db.moderationCase.count({ where: { proposalId, reason: 'reported', decidedAt: null } }),
    ).toBe(1);
  });
});
