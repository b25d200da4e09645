import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcess, createProposal, type ProcessFixture } from '../support/fixtures.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
let mod: Awaited<ReturnType<AdminTest['staffWithToken']>>;
let other: Awaited<ReturnType<AdminTest['staffWithToken']>>;
beforeAll(async () => {
  t = await createAdminTest();
  mod = await t.staffWithToken({ name: 'Lucía' });
  other = await t.staffWithToken({ name: 'Marcos' });
});
afterAll(() => t?.close());

const MIN = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MIN);

/** An open case on a new pending proposal (or a pending comment on a published one). */
async function openCase(
  process: ProcessFixture,
  opts: {
    minutesAgo?: number;
    kind?: 'proposal' | 'comment';
    body?: string;
    reason?: 'submitted' | 'reported';
  } = {},
) {
  const comment = opts.kind === 'comment';
  const proposalId = await createProposal(t.db, process, { status: comment ? 'published' : 'pending' });
  if (opts.body && !comment)
    await t.db.proposal.update({ where: { id: proposalId }, data: { body: opts.body } });
  const commentId = comment
    ? (await t.db.comment.create({ data: { proposalId, body: opts.body ?? 'Buen comentario' } })).id
    : null;
  const c = await t.db.moderationCase.create({
    data: {
      processId: process.id,
      itemKind: comment ? 'comment' : 'proposal',
      proposalId: comment ? null : proposalId,
      commentId,
      reason: opts.reason ?? 'submitted',
      openedAt: ago(opts.minutesAgo ?? 1),
    },
  });
  return { caseId: c.id, proposalId, commentId, openedAt: c.openedAt };
}

const get = (path: string) => t.request(path, { token: mod.token });
const decide = (caseId: number | string, json: unknown, token = mod.token) =>
  t.request(`/admin/moderation/${caseId}/decision`, { token, json });

describe('GET /admin/moderation', () => {
  it('lists open cases oldest first, filtered, paged by cursor, with the open count', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const newest = await openCase(process, { minutesAgo: 5 });
    const oldest = await openCase(process, { minutesAgo: 50, kind: 'comment', body: 'Me parece bien' });
    const middle = await openCase(process, { minutesAgo: 20, reason: 'reported' });

    const all = await get(`/admin/moderation?processId=${process.id}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      openCount: 3,
      nextCursor: null,
      items: [
        {
          id: oldest.caseId,
          itemKind: 'comment',
          itemId: oldest.commentId,
          excerpt: 'Me parece bien',
          reports: 0,
        },
        { id: middle.caseId, itemKind: 'proposal', itemId: middle.proposalId, reason: 'reported' },
        { id: newest.caseId, itemKind: 'proposal', itemId: newest.proposalId },
      ],
    });
    const first = (all.body as { items: { openedAt: string; ageSeconds: number }[] }).items[0]!;
    expect(first.openedAt).toBe(oldest.openedAt.toISOString());
    expect(first.ageSeconds).toBeGreaterThanOrEqual(50 * 60);

    const ids = (body: unknown) => (body as { items: { id: number }[] }).items.map((i) => i.id);
    expect(ids((await get(`/admin/moderation?processId=${process.id}&itemKind=proposal`)).body)).toEqual([
      middle.caseId,
      newest.caseId,
    ]);
    expect(ids((await get(`/admin/moderation?processId=${process.id}&reason=reported`)).body)).toEqual([
      middle.caseId,
    ]);

    const page1 = await get(`/admin/moderation?processId=${process.id}&limit=2`);
    expect(ids(page1.body)).toEqual([oldest.caseId, middle.caseId]);
    const cursor = (page1.body as { nextCursor: string }).nextCursor;
    const page2 = await get(`/admin/moderation?processId=${process.id}&limit=2&cursor=${cursor}`);
    expect(page2.body).toMatchObject({ nextCursor: null, items: [{ id: newest.caseId }] });
  });

  it('lists decided cases most recent first', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const a = await openCase(process);
    const b = await openCase(process);
    expect((await decide(a.caseId, { decision: 'approve' })).status).toBe(200);
    expect((await decide(b.caseId, { decision: 'reject', reason: 'spam' })).status).toBe(200);
    const res = await get(`/admin/moderation?processId=${process.id}&state=decided`);
    expect(res.body).toMatchObject({
      openCount: 0,
      items: [
        { id: b.caseId, decision: 'reject', decidedBy: 'Lucía', status: 'rejected' },
        { id: a.caseId, decision: 'approve', decidedBy: 'Lucía', status: 'published' },
      ],
    });
  });

  it('refuses unknown query fields and bad values with 422 naming each field', async () => {
    expect(await get('/admin/moderation?foo=1&state=open')).toEqual({
      status: 422,
      headers: expect.anything(),
      body: { error: 'invalid-request', fields: [{ path: 'foo', message: 'Unknown field' }] },
    });
    for (const [query, path] of [
      ['state=closed', 'state'],
      ['state=open&state=all', 'state'],
      ['itemKind=post', 'itemKind'],
      ['reason=other', 'reason'],
      ['processId=-1', 'processId'],
      ['processId=abc', 'processId'],
      ['processId=99999999999', 'processId'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=1.5', 'limit'],
      ['cursor=nonsense', 'cursor'],
      [`cursor=${'x'.repeat(201)}`, 'cursor'],
    ]) {
      const res = await get(`/admin/moderation?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body, query).toMatchObject({
        error: 'invalid-request',
        fields: [{ path, message: expect.any(String) }],
      });
    }
  });
});

describe('GET /admin/moderation/:id', () => {
  it('shows one case, and 404 for unknown cases and ids that are not ids', async () => {
    const process = await createProcess(t.db, { phase: 'proposals' });
    const c = await openCase(process, { body: 'Un texto para leer entero.' });
    const res = await get(`/admin/moderation/${c.caseId}?locale=en`);
    expect(res).toMatchObject({
      status: 200,
      body: {
        id: c.caseId,
        itemKind: 'proposal',
        itemId: c.proposalId,
        processId: process.id,
        processTitle: `Process ${process.slug}`,
        status: 'pending',
        body: 'Un texto para leer entero.',
        decision: null,
      },
    });
    for (const id of ['abc', '0', '-1', '1.5', '2147483648', '99999999999', '1e3', String(c.caseId + 10_000)])
      expect(await get(`/admin/moderation/${id}`), id).toMatchObject({
        status: 404,
        body: { error: 'not-found' },
      });
    expect(await get(`/admin/moderation/${c.caseId}?x=1`)).toMatchObject({ status: 422 });
  });
});

describe('POST /admin/moderation/:id/decision', () => {
  let process: ProcessFixture;
  beforeAll(async () => {
    process = await createProcess(t.db, { phase: 'proposals' });
  });

  const auditOf = (kind: string, id: number) =>
    t.db.auditLog.findMany({ where: { targetType: kind, targetId: String(id) }, orderBy: { id: 'asc' } });

  it('approves: the item is published, the answer is the updated case, audited with the source address', async () => {
    const c = await openCase(process);
    const res = await decide(c.caseId, { decision: 'approve' });
    expect(res).toMatchObject({
      status: 200,
      body: {
        id: c.caseId,
        status: 'published',
        decision: 'approve',
        decidedBy: 'Lucía',
        decidedAt: expect.any(String),
      },
    });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: c.proposalId } })).toMatchObject({
      status: 'published',
    });
    expect(await auditOf('proposal', c.proposalId)).toMatchObject([
      {
        actor: `staff:${mod.id}`,
        action: 'moderation.approve',
        before: { status: 'pending' },
        after: { status: 'published' },
        sourceIp: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/),
      },
    ]);
    expect(t.notified).toContainEqual({ kind: 'case-decided', caseId: c.caseId });
  });

  it('rejects with a reason, and refuses a rejection without one naming `reason`', async () => {
    const c = await openCase(process);
    for (const json of [
      { decision: 'reject' },
      { decision: 'reject', reason: '   ' },
      { decision: 'reject', reason: 'x'.repeat(501) },
    ]) {
      const res = await decide(c.caseId, json);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        error: 'invalid-request',
        fields: [{ path: 'reason', message: expect.any(String) }],
      });
    }
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: c.caseId } })).toMatchObject({
      decidedAt: null,
    });

    const res = await decide(c.caseId, { decision: 'reject', reason: ' off-topic ' });
    expect(res).toMatchObject({
      status: 200,
      body: { status: 'rejected', decision: 'reject', decisionReason: 'off-topic' },
    });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: c.proposalId } })).toMatchObject({
      status: 'rejected',
      rejectionReason: 'off-topic',
    });
    expect(await auditOf('proposal', c.proposalId)).toMatchObject([
      { action: 'moderation.reject', reason: 'off-topic', sourceIp: expect.stringMatching(/127\.0\.0\.1$/) },
    ]);
  });

  it('redacts personal data and approves; with nothing to redact answers 422 and leaves the case open', async () => {
    const c = await openCase(process, {
      kind: 'comment',
      body: 'Escribidme a vecina@example.com para quedar',
    });
    const res = await decide(c.caseId, { decision: 'redact_approve' });
    expect(res).toMatchObject({ status: 200, body: { status: 'published', decision: 'redact_approve' } });
    const comment = await t.db.comment.findUniqueOrThrow({ where: { id: c.commentId! } });
    expect(comment).toMatchObject({ status: 'published' });
    expect(comment.body).not.toContain('vecina@example.com');
    expect(comment.body).toContain('[correo]');
    expect(await auditOf('comment', c.commentId!)).toMatchObject([
      {
        action: 'moderation.redact_approve',
        before: { body: 'Escribidme a vecina@example.com para quedar' },
      },
    ]);

    const clean = await openCase(process, { body: 'Nada personal aquí, solo una idea.' });
    expect(await decide(clean.caseId, { decision: 'redact_approve' })).toMatchObject({
      status: 422,
      body: { error: 'nothing-to-redact' },
    });
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: clean.caseId } })).toMatchObject({
      decidedAt: null,
    });
  });

  it('a second decision answers 409 with who decided and what', async () => {
    const c = await openCase(process);
    expect((await decide(c.caseId, { decision: 'approve' })).status).toBe(200);
    expect(await decide(c.caseId, { decision: 'reject', reason: 'spam' }, other.token)).toMatchObject({
      status: 409,
      body: { error: 'already-decided', decidedBy: 'Lucía', decision: 'approve' },
    });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: c.proposalId } })).toMatchObject({
      status: 'published',
    });
  });

  it('a first review that reports closed (their hiding the item) answers 409 superseded, naming the reported case', async () => {
    // reopenAsReported: the published proposal's open first review is closed without a decision and a
    // reported case opened in its place; a client still holding the first case decides it.
    const c = await openCase(process, { minutesAgo: 30 });
    await t.db.proposal.update({
      where: { id: c.proposalId },
      data: { status: 'hidden', hiddenFrom: 'published' },
    });
    const closedAt = ago(5);
    await t.db.moderationCase.update({
      where: { id: c.caseId },
      data: { decidedAt: closedAt, settledAt: closedAt },
    });
    const reported = await t.db.moderationCase.create({
      data: {
        processId: process.id,
        itemKind: 'proposal',
        proposalId: c.proposalId,
        reason: 'reported',
        openedAt: closedAt,
      },
    });
    const late = await decide(c.caseId, { decision: 'approve' });
    expect(late.status).toBe(409);
    expect(late.body).toEqual({ error: 'superseded', reviewedIn: reported.id });
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: c.caseId } })).toMatchObject({
      decision: null,
    });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: c.proposalId } })).toMatchObject({
      status: 'hidden',
    });
    // The reported case gone since (its author erased): where it went is not known.
    await t.db.moderationCase.delete({ where: { id: reported.id } });
    expect(await decide(c.caseId, { decision: 'reject', reason: 'spam' })).toMatchObject({
      status: 409,
      body: { error: 'superseded', reviewedIn: null },
    });
  });

  it('refuses unknown fields, bad decisions and bodies that are not objects with 422; not JSON with 415', async () => {
    const c = await openCase(process);
    expect(await decide(c.caseId, { decision: 'approve', note: 'hola' })).toMatchObject({
      status: 422,
      body: { error: 'invalid-request', fields: [{ path: 'note', message: 'Unknown field' }] },
    });
    expect(await decide(c.caseId, { decision: 'ban' })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'decision' }] },
    });
    expect(await decide(c.caseId, { reason: 'x' })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'decision' }] },
    });
    expect(await decide(c.caseId, ['approve'])).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'body' }] },
    });
    expect(await decide(c.caseId, { decision: 'approve', reason: 5 })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'reason' }] },
    });
    const text = await t.request(`/admin/moderation/${c.caseId}/decision`, {
      token: mod.token,
      body: 'decision=approve',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    // A body no parser reads is refused as such (http-answers.ts, jsonBody), never taken for no body.
    expect(text).toMatchObject({ status: 415, body: { error: 'unsupported-media-type' } });
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: c.caseId } })).toMatchObject({
      decidedAt: null,
    });
  });

  it('answers malformed JSON with 400 and a body over the limit with 413, as JSON', async () => {
    const c = await openCase(process);
    const path = `/admin/moderation/${c.caseId}/decision`;
    const headers = { 'content-type': 'application/json' };
    expect(await t.request(path, { token: mod.token, body: '{"decision": ', headers })).toMatchObject({
      status: 400,
      body: { error: 'invalid-json' },
    });
    expect(
      await t.request(path, { token: mod.token, json: { decision: 'reject', reason: 'x'.repeat(20_000) } }),
    ).toMatchObject({ status: 413, body: { error: 'payload-too-large' } });
    expect(await t.db.moderationCase.findUniqueOrThrow({ where: { id: c.caseId } })).toMatchObject({
      decidedAt: null,
    });
  });

  it('answers 404 for unknown cases and ids that are not ids', async () => {
    for (const id of ['abc', '0', '2147483648', '999999'])
      expect(await decide(id, { decision: 'approve' }), id).toMatchObject({
        status: 404,
        body: { error: 'not-found' },
      });
  });

  it('never answers 5xx or leaks internals for hostile input', async () => {
    const c = await openCase(process);
    for (const body of [
      'null',
      '"approve"',
      '{"__proto__": {"decision": "approve"}}',
      '{"decision": "approve", "constructor": {}}',
      '\u0000',
    ]) {
      const res = await t.request(`/admin/moderation/${c.caseId}/decision`, {
        token: mod.token,
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
      expect(JSON.stringify(res.body)).not.toMatch(/stack|at .*\.ts/);
    }
  });
});
