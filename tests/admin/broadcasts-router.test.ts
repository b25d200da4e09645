import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createSubscriber } from '../support/subscribers.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

type Staff = Awaited<ReturnType<AdminTest['staffWithToken']>>;

let t: AdminTest & { close(): Promise<void> };
let staff: Staff;
let admin: Staff;
let moderator: Staff;
let process_: ProcessFixture;
beforeAll(async () => {
  t = await createAdminTest();
  staff = await t.staffWithToken({ role: 'staff', name: 'Irene' });
  admin = await t.staffWithToken({ role: 'admin', name: 'Admin' });
  moderator = await t.staffWithToken({ role: 'moderator', name: 'Mod' });
  process_ = await createProcess(t.db);
  await createSubscriber(t.db, process_.id, { channel: 'telegram', locale: 'es' });
  await createSubscriber(t.db, process_.id, { channel: 'telegram', locale: 'en' });
  await createSubscriber(t.db, process_.id, { channel: 'webchat', locale: 'es' });
});
afterAll(() => t?.close());

const TEXTS = { es: 'Mañana presentamos los resultados.', en: 'Tomorrow we present the results.' };

const create = (json: unknown, token = staff.token) => t.request('/admin/broadcasts', { token, json });

async function created(json: Record<string, unknown> = {}, token = staff.token): Promise<number> {
  const res = await create({ processId: process_.id, texts: TEXTS, ...json }, token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: number }).id;
}

/**
 * A broadcast that started: its ledger as the sender leaves it midway (recipients not subscribed now). A
 * `waiting` row is a web chat recipient's, with the notice kept for their next visit.
 */
async function sending(rows: { status: string; sentAt?: Date }[]): Promise<number> {
  const id = await created();
  const channelOf = (r: { status: string }) => (r.status === 'waiting' ? 'webchat' : 'telegram');
  const participants = await Promise.all(rows.map((r) => createParticipant(t.db, channelOf(r))));
  await t.db.broadcast.update({
    where: { id },
    data: { status: 'sending', startedAt: new Date(), recipients: rows.length },
  });
  await t.db.broadcastDelivery.createMany({
    data: rows.map((r, i) => ({
      broadcastId: id,
      participantId: participants[i]!.id,
      channel: channelOf(r),
      locale: 'es',
      status: r.status as 'pending',
      sentAt: r.sentAt ?? null,
    })),
  });
  await t.db.notice.createMany({
    data: rows.flatMap((r, i) =>
      r.status === 'waiting'
        ? [
            {
              participantId: participants[i]!.id,
              kind: 'broadcast',
              eventKey: `broadcast:${id}`,
              payload: { broadcastId: id },
              channel: 'webchat',
            },
          ]
        : [],
    ),
  });
  return id;
}

describe('who may use /admin/broadcasts', () => {
  it('anonymous 401, moderators 403, staff and admins allowed, on every route', async () => {
    const id = await created();
    const routes: { path: string; json?: unknown; ok: number }[] = [
      { path: '/admin/broadcasts', json: { processId: process_.id, texts: TEXTS }, ok: 201 },
      { path: `/admin/broadcasts?processId=${process_.id}`, ok: 200 },
      { path: `/admin/broadcasts/${id}`, ok: 200 },
    ];
    for (const r of routes) {
      const anonymous = await t.request(r.path, { json: r.json });
      expect(anonymous, r.path).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await t.request(r.path, { json: r.json, token: moderator.token }), r.path).toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
      for (const who of [staff, admin])
        expect((await t.request(r.path, { json: r.json, token: who.token })).status, r.path).toBe(r.ok);
    }
    const cancel = (id: number, token?: string) =>
      t.request(`/admin/broadcasts/${id}/cancel`, { method: 'POST', token });
    expect((await cancel(id)).status).toBe(401);
    expect((await cancel(id, moderator.token)).status).toBe(403);
    expect((await cancel(id, staff.token)).status).toBe(200);
    expect((await cancel(await created(), admin.token)).status).toBe(200);
    // Refusals happen before anything is written.
    expect(await t.db.broadcast.count({ where: { createdById: moderator.id } })).toBe(0);
  });
});

describe('POST /admin/broadcasts', () => {
  it('creates a broadcast to send now: 201 with its id, status and the recipients it would reach now', async () => {
    const before = t.broadcastsStarted.length;
    const res = await create({ processId: process_.id, texts: TEXTS });
    expect(res).toMatchObject({
      status: 201,
      body: { id: expect.any(Number), status: 'scheduled', scheduledAt: null, recipientsEstimate: 3 },
    });
    const id = (res.body as { id: number }).id;
    expect(res.headers.get('location')).toBe(`/admin/broadcasts/${id}`);
    expect(await t.db.broadcast.findUniqueOrThrow({ where: { id } })).toMatchObject({
      processId: process_.id,
      createdById: staff.id,
      texts: TEXTS,
      audience: {},
      status: 'scheduled',
      progressChatId: null,
    });
    expect(t.broadcastsStarted.slice(before)).toEqual([{ broadcastId: id, at: undefined }]);
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { targetType: 'broadcast', targetId: String(id) },
    });
    expect(audit).toMatchObject({
      actor: `staff:${staff.id}`,
      action: 'broadcast.create',
      sourceIp: expect.stringMatching(/127\.0\.0\.1$/),
    });
  });

  it('narrows the audience and schedules it for later', async () => {
    const at = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const before = t.broadcastsStarted.length;
    const res = await create({
      processId: process_.id,
      texts: { es: TEXTS.es },
      audience: { locales: ['es'], channels: ['telegram'] },
      scheduledAt: at.toISOString().replace('Z', '+00:00'),
    });
    expect(res).toMatchObject({
      status: 201,
      body: { status: 'scheduled', scheduledAt: at.toISOString(), recipientsEstimate: 1 },
    });
    const id = (res.body as { id: number }).id;
    expect(await t.db.broadcast.findUniqueOrThrow({ where: { id } })).toMatchObject({
      texts: { es: TEXTS.es },
      audience: { locales: ['es'], channels: ['telegram'] },
      scheduledAt: at,
    });
    expect(t.broadcastsStarted.slice(before)).toEqual([{ broadcastId: id, at }]);
  });

  it('refuses unknown fields and bad values with 422 naming each field', async () => {
    const base = { processId: process_.id, texts: TEXTS };
    const cases: [unknown, string][] = [
      [{ ...base, subject: 'x' }, 'subject'],
      [{ ...base, texts: { ...TEXTS, fr: 'Bonjour' } }, 'texts.fr'],
      [{ ...base, audience: { languages: ['es'] } }, 'audience.languages'],
      [{ texts: TEXTS }, 'processId'],
      [{ ...base, processId: String(process_.id) }, 'processId'],
      [{ ...base, processId: 1.5 }, 'processId'],
      [{ ...base, processId: 0 }, 'processId'],
      [{ ...base, processId: 99_999_999_999 }, 'processId'],
      [{ processId: process_.id }, 'texts'],
      [{ ...base, texts: { en: TEXTS.en } }, 'texts.es'],
      [{ ...base, texts: { es: '   ' } }, 'texts.es'],
      [{ ...base, texts: { es: 42 } }, 'texts.es'],
      [{ ...base, texts: { es: 'x'.repeat(4001) } }, 'texts.es'],
      [{ ...base, texts: { es: TEXTS.es, en: '' } }, 'texts.en'],
      [{ ...base, audience: { locales: ['fr'] } }, 'audience.locales.0'],
      [{ ...base, audience: { locales: [] } }, 'audience.locales'],
      [{ ...base, audience: { channels: ['sms'] } }, 'audience.channels.0'],
      [{ ...base, audience: 'all' }, 'audience'],
      [{ ...base, scheduledAt: 'mañana a las 10' }, 'scheduledAt'],
      [{ ...base, scheduledAt: '2030-11-28T18:30:00' }, 'scheduledAt'],
      [{ ...base, scheduledAt: '2020-01-01T10:00:00Z' }, 'scheduledAt'],
      [[base], 'body'],
    ];
    const before = await t.db.broadcast.count();
    for (const [json, path] of cases) {
      const res = await create(json);
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(422);
      expect(res.body, JSON.stringify(json).slice(0, 80)).toMatchObject({
        error: 'invalid-request',
        fields: expect.arrayContaining([{ path, message: expect.any(String) }]),
      });
    }
    // 4,000 characters of emoji are 8,000 UTF-16 units: the limit counts characters.
    expect((await create({ ...base, texts: { es: '🙂'.repeat(4000) } })).status).toBe(201);
    expect(await t.db.broadcast.count()).toBe(before + 1);
  });

  it('answers 404 for a process that does not exist, 400 for malformed JSON, 413 for a huge body', async () => {
    expect(await create({ processId: 2_000_000_000, texts: TEXTS })).toMatchObject({
      status: 404,
      body: { error: 'process-not-found' },
    });
    expect(
      await t.request('/admin/broadcasts', {
        token: staff.token,
        body: '{"processId": 1,',
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid-json' } });
    // Only an object is a body: a bare JSON string is not.
    expect(await create('hola')).toMatchObject({ status: 400, body: { error: 'invalid-json' } });
    expect(await create({ processId: process_.id, texts: { es: 'x'.repeat(100_000) } })).toMatchObject({
      status: 413,
      body: { error: 'payload-too-large' },
    });
  });
});

describe('GET /admin/broadcasts/:id', () => {
  it("shows the figures of a broadcast's ledger", async () => {
    const now = new Date();
    const id = await sending([
      { status: 'sent', sentAt: now },
      { status: 'sent', sentAt: new Date(now.getTime() - 60_000) },
      { status: 'waiting', sentAt: new Date(now.getTime() - 60_000) },
      { status: 'failed' },
      { status: 'blocked' },
      { status: 'skipped' },
      { status: 'pending' },
      { status: 'queued' },
    ]);
    const res = await t.request(`/admin/broadcasts/${id}`, { token: staff.token });
    expect(res).toMatchObject({
      status: 200,
      body: {
        id,
        processId: process_.id,
        status: 'sending',
        recipients: 8,
        // Web chat's recorded one is sent, and waiting until shown.
        sent: 3,
        waiting: 1,
        failed: 1,
        blocked: 1,
        skipped: 1,
        remaining: 2,
        ratePerSecond: 0.1,
        etaSeconds: 20,
        scheduledAt: null,
        startedAt: expect.any(String),
        finishedAt: null,
      },
    });
  });

  it('404 for unknown broadcasts and ids that are not ids; 422 for query fields', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '2147483648', '99999999999', '1e3', '2000000000'])
      expect(await t.request(`/admin/broadcasts/${id}`, { token: staff.token }), id).toMatchObject({
        status: 404,
        body: { error: 'not-found' },
      });
    const id = await created();
    expect(await t.request(`/admin/broadcasts/${id}?verbose=1`, { token: staff.token })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'verbose', message: 'Unknown field' }] },
    });
  });
});

describe('GET /admin/broadcasts', () => {
  it('lists newest first, of one process, up to a limit', async () => {
    const other = await createProcess(t.db);
    const first = await created({ processId: other.id });
    const second = await created({ processId: other.id, audience: { channels: ['webchat'] } }, admin.token);
    const third = await created({ processId: other.id, texts: { es: 'Tercera' } });
    const res = await t.request(`/admin/broadcasts?processId=${other.id}`, { token: staff.token });
    expect(res).toMatchObject({
      status: 200,
      body: {
        items: [
          {
            id: third,
            processId: other.id,
            status: 'scheduled',
            createdBy: 'Irene',
            texts: { es: 'Tercera' },
          },
          { id: second, createdBy: 'Admin', audience: { channels: ['webchat'] }, recipients: 0 },
          { id: first, texts: TEXTS, createdAt: expect.any(String), scheduledAt: null },
        ],
      },
    });
    expect((res.body as { items: unknown[] }).items).toHaveLength(3);
    const limited = await t.request(`/admin/broadcasts?processId=${other.id}&limit=2`, {
      token: staff.token,
    });
    expect((limited.body as { items: { id: number }[] }).items.map((i) => i.id)).toEqual([third, second]);
    const all = await t.request('/admin/broadcasts', { token: admin.token });
    expect((all.body as { items: { id: number }[] }).items[0]!.id).toBe(third);
  });

  it('refuses unknown query fields and bad values with 422', async () => {
    for (const [query, path] of [
      ['foo=1', 'foo'],
      ['processId=abc', 'processId'],
      ['processId=-1', 'processId'],
      ['processId=99999999999', 'processId'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=x', 'limit'],
    ]) {
      const res = await t.request(`/admin/broadcasts?${query}`, { token: staff.token });
      expect(res.status, query).toBe(422);
      expect(res.body, query).toMatchObject({ error: 'invalid-request', fields: [{ path }] });
    }
  });
});

describe('POST /admin/broadcasts/:id/cancel', () => {
  const cancel = (id: number | string, json?: unknown, token = staff.token) =>
    t.request(`/admin/broadcasts/${id}/cancel`, { method: 'POST', token, json });

  it('cancels a scheduled broadcast, audited; cancelling again is a conflict', async () => {
    const id = await created({ scheduledAt: new Date(Date.now() + 3600_000).toISOString() });
    const res = await cancel(id);
    expect(res).toMatchObject({
      status: 200,
      body: { id, status: 'cancelled', finishedAt: expect.any(String) },
    });
    expect(
      await t.db.auditLog.findFirstOrThrow({
        where: { targetType: 'broadcast', targetId: String(id), action: 'broadcast.cancel' },
      }),
    ).toMatchObject({
      actor: `staff:${staff.id}`,
      before: { status: 'scheduled' },
      after: { status: 'cancelled', skipped: 0 },
      sourceIp: expect.stringMatching(/127\.0\.0\.1$/),
    });
    expect(await cancel(id, undefined, admin.token)).toMatchObject({
      status: 409,
      body: { error: 'not-cancellable', status: 'cancelled' },
    });
  });

  it('stops a sending broadcast: pending rows are skipped, what went out stays as it was', async () => {
    const id = await sending([
      { status: 'sent', sentAt: new Date() },
      { status: 'queued' },
      { status: 'pending' },
      { status: 'pending' },
    ]);
    const res = await cancel(id, {});
    expect(res).toMatchObject({
      status: 200,
      body: { id, status: 'cancelled', sent: 1, skipped: 2, remaining: 1 },
    });
    const rows = await t.db.broadcastDelivery.groupBy({
      by: ['status'],
      where: { broadcastId: id },
      _count: true,
    });
    expect(Object.fromEntries(rows.map((r) => [r.status, r._count]))).toEqual({
      sent: 1,
      queued: 1,
      skipped: 2,
    });
  });

  it('refuses finished, unknown and malformed ones', async () => {
    const done = await created();
    await t.db.broadcast.update({ where: { id: done }, data: { status: 'done', finishedAt: new Date() } });
    expect(await cancel(done)).toMatchObject({
      status: 409,
      body: { error: 'not-cancellable', status: 'done' },
    });
    for (const id of ['abc', '0', '99999999999', '2000000000'])
      expect(await cancel(id), id).toMatchObject({ status: 404, body: { error: 'not-found' } });
    const id = await created();
    expect(await cancel(id, { reason: 'oops' })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'reason', message: 'Unknown field' }] },
    });
    expect((await t.db.broadcast.findUniqueOrThrow({ where: { id } })).status).toBe('scheduled');
  });
});
