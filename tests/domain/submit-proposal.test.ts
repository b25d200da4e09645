import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { submitProposal } from '../../src/domain/submit-proposal.ts';
import type { PhaseKind } from '../../src/generated/prisma/enums.ts';
import { createLogger } from '../../src/logger.ts';
import { createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createDomainTest, DAY, withQueues, type DomainTest, type TestQueues } from './harness.ts';

let t: DomainTest;
let queues: TestQueues;
let deps: DomainDeps;
beforeAll(async () => {
  t = await createDomainTest();
  queues = await withQueues();
  deps = { ...t.deps, queues };
});
afterAll(async () => {
  await queues?.cleanup();
  await t?.cleanup();
});

const TITLE = 'Más autobuses nocturnos';
const BODY = 'Que haya autobuses cada media hora entre la una y las cinco.';

async function draft(process: ProcessFixture, texts: { title?: string; body?: string } = {}) {
  const me = await createParticipant(t.db);
  return {
    participantId: me.id,
    processId: process.id,
    title: texts.title ?? TITLE,
    body: texts.body ?? BODY,
    categoryId: process.categories[1]!.id,
    locale: 'es' as const,
  };
}

describe('submitProposal', () => {
  let open: ProcessFixture;
  beforeAll(async () => {
    open = await createProcess(t.db, { phase: 'proposals' });
  });

  it('stores the proposal as pending in a pre-moderated process and enqueues its moderation by id', async () => {
    const input = await draft(open);
    const result = await submitProposal(deps, input);
    expect(result).toEqual({ ok: true, proposal: { id: expect.any(Number), status: 'pending' } });
    const id = (result as { proposal: { id: number } }).proposal.id;
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      processId: open.id,
      authorId: input.participantId,
      categoryId: input.categoryId,
      title: TITLE,
      body: BODY,
      locale: 'es',
      status: 'pending',
      publishedAt: null,
    });
    const opened = await t.db.moderationCase.findFirstOrThrow({ where: { proposalId: id } });
    expect(opened).toMatchObject({ itemKind: 'proposal', reason: 'submitted', decidedAt: null });
    const job = await queues.moderation.getJob(`case-${opened.id}`);
    expect(job?.name).toBe('case');
    expect(job?.data).toEqual({ caseId: opened.id });
    expect(JSON.stringify(job?.data)).not.toMatch(/autobuses/);
  });

  it('publishes at once in a post-moderated process, and still enqueues its moderation', async () => {
    const post = await createProcess(t.db, { phase: 'proposals' });
    await t.db.process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
    const now = new Date();
    const result = await submitProposal({ ...deps, now: () => now }, await draft(post));
    expect(result).toEqual({ ok: true, proposal: { id: expect.any(Number), status: 'published' } });
    const id = (result as { proposal: { id: number } }).proposal.id;
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'published',
      publishedAt: now,
      createdAt: now,
    });
    const opened = await t.db.moderationCase.findFirstOrThrow({ where: { proposalId: id } });
    expect((await queues.moderation.getJob(`case-${opened.id}`))?.data).toEqual({ caseId: opened.id });
  });

  it('accepts proposals in any phase that says so', async () => {
    const debate = await createProcess(t.db, { phase: 'debate', acceptsProposals: true });
    expect(await submitProposal(deps, await draft(debate))).toMatchObject({ ok: true });
  });

  it.each<PhaseKind>(['information', 'debate', 'voting', 'results', 'follow_up'])(
    'is closed in a %s phase that does not accept proposals',
    async (phase) => {
      const process = await createProcess(t.db, { phase });
      const input = await draft(process);
      expect(await submitProposal(deps, input)).toEqual({ ok: false, reason: 'proposals-closed' });
      expect(await t.db.proposal.count({ where: { authorId: input.participantId } })).toBe(0);
    },
  );

  it('is closed before the first phase and after the last one', async () => {
    for (const when of [Date.now() - 2 * DAY, Date.now() + 61 * DAY]) {
      expect(await submitProposal({ ...deps, now: () => new Date(when) }, await draft(open))).toEqual({
        ok: false,
        reason: 'proposals-closed',
      });
    }
  });

  it('refuses a category of another process', async () => {
    const other = await createProcess(t.db, { phase: 'proposals' });
    const input = { ...(await draft(open)), categoryId: other.categories[0]!.id };
    expect(await submitProposal(deps, input)).toEqual({ ok: false, reason: 'invalid-category' });
    expect(await t.db.proposal.count({ where: { authorId: input.participantId } })).toBe(0);
  });

  it('says when the process does not exist', async () => {
    const input = { ...(await draft(open)), processId: 2_000_000_000 };
    expect(await submitProposal(deps, input)).toEqual({ ok: false, reason: 'process-not-found' });
  });

  describe('texts', () => {
    const a = (n: number) => 'a'.repeat(n);
    it.each([
      ['a title of 9 characters', { title: a(9) }, 'title-too-short'],
      ['a title of 121 characters', { title: a(121) }, 'title-too-long'],
      ['a title of 120 characters and an emoji', { title: a(120) + '🚲' }, 'title-too-long'],
      ['a title of whitespace only', { title: ' \t\n\u3000'.repeat(10) }, 'title-too-short'],
      [
        'a title padded with control characters',
        { title: a(9) + '\u0000\u0007\u202e\u0085' },
        'title-too-short',
      ],
      ['a body of 19 characters', { body: a(19) }, 'body-too-short'],
      ['a body of 2001 characters', { body: a(2001) }, 'body-too-long'],
      ['a body of whitespace only', { body: ' \n'.repeat(30) }, 'body-too-short'],
      ['a body of control characters', { body: a(10) + '\u0001'.repeat(20) }, 'body-too-short'],
    ])('refuses %s', async (_label, texts, reason) => {
      const input = await draft(open, texts);
      expect(await submitProposal(deps, input)).toEqual({ ok: false, reason });
      expect(await t.db.proposal.count({ where: { authorId: input.participantId } })).toBe(0);
    });

    it('accepts the limits exactly, counting an emoji as one character', async () => {
      for (const texts of [
        { title: a(10), body: a(20) },
        { title: a(119) + '🚲', body: a(1999) + '🚲' },
        { title: '🚲'.repeat(10), body: '🚌'.repeat(20) },
      ]) {
        expect(await submitProposal(deps, await draft(open, texts))).toMatchObject({ ok: true });
      }
    });

    it('stores the texts trimmed, without control characters, the title on one line', async () => {
      const input = await draft(open, {
        title: '  Más\u0000 autobuses\n\n nocturnos\u202e  ',
        body: '\u0007 Línea 1\r\nLínea 2\rLínea 3\t \u2066fin\u2069 \n',
      });
      const result = await submitProposal(deps, input);
      const id = (result as { proposal: { id: number } }).proposal.id;
      const stored = await t.db.proposal.findUniqueOrThrow({
        where: { id },
        select: { title: true, body: true },
      });
      expect(stored).toEqual({ title: 'Más autobuses nocturnos', body: 'Línea 1\nLínea 2\nLínea 3\t fin' });
    });
  });

  it('keeps the proposal and answers ok when the queue fails, logging an error', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const failing: DomainDeps = {
      ...deps,
      logger,
      queues: {
        moderateCase: () => Promise.reject(new Error('Redis does not answer')),
        notify: () => Promise.reject(new Error('Redis does not answer')),
        startBroadcast: () => Promise.reject(new Error('Redis does not answer')),
      },
    };
    const input = await draft(open);
    const result = await submitProposal(failing, input);
    expect(result).toEqual({ ok: true, proposal: { id: expect.any(Number), status: 'pending' } });
    const id = (result as { proposal: { id: number } }).proposal.id;
    expect(await t.db.proposal.count({ where: { id, authorId: input.participantId } })).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      caseId: expect.any(Number),
      err: { message: 'Redis does not answer' },
    });
    expect(lines[0]).not.toMatch(/autobuses/);
  });
});
