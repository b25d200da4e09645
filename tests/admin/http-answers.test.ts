// The admin API's shared input rules (http-answers.ts), through the whole admin router as main.ts mounts it:
// dates outside the years 2000–9999 (UTC), text PostgreSQL cannot store (NUL, lone surrogates) and bodies
// that are not JSON are refused with a 4xx naming the problem, and nothing is stored; `+json` types are JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storableDateTime, storableText } from '../../src/admin/http-answers.ts';
import { createCase, createProcess, createProposal, type ProcessFixture } from '../support/fixtures.ts';
import { createDashboardTest, csrfOf, type DashboardTest } from './dashboard-support.ts';

let t: DashboardTest;
let process: ProcessFixture;
let admin: Awaited<ReturnType<DashboardTest['staffWithToken']>>;
beforeAll(async () => {
  t = await createDashboardTest();
  process = await createProcess(t.db, { phase: 'proposals' });
  admin = await t.staffWithToken({ role: 'admin', name: 'Admin' });
});
afterAll(() => t?.close());

const DAY = 24 * 3600_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
/** Year 9999 in its own offset, year 10000 in UTC. */
const YEAR_10000 = '9999-12-31T23:00:00-23:00';
const NUL = 'Texto\u0000oculto';
const LONE_SURROGATE = 'Texto \ud800 roto';
let slugs = 0;
const newSlug = () => `limites-${Date.now().toString(36)}-${++slugs}`;

const send = (path: string, method: string, json: unknown) =>
  t.request(`/admin${path}`, { method, json, token: admin.token });

/** Expects a 422 naming exactly `path`. */
function expectRefused(r: { status: number; body: unknown }, path: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(422);
  expect(r.body).toMatchObject({ error: 'invalid-request' });
  expect((r.body as { fields: { path: string }[] }).fields.map((f) => f.path)).toContain(path);
}

/** How many rows each table a refused request could have written holds (audit included). */
const counts = async () => ({
  broadcasts: await t.db.broadcast.count(),
  processes: await t.db.process.count(),
  events: await t.db.event.count(),
  commitments: await t.db.commitment.count(),
  notices: await t.db.privacyNotice.count(),
  audit: await t.db.auditLog.count(),
});

const processBody = (over: Record<string, unknown> = {}) => ({
  slug: newSlug(),
  title: { es: 'Límites del barrio' },
  description: { es: 'Un proceso de prueba.' },
  categories: [{ key: 'calles', label: { es: 'Calles' } }],
  ...over,
});
const eventBody = (over: Record<string, unknown> = {}) => ({
  processId: process.id,
  kind: 'workshop',
  title: { es: 'Taller de movilidad' },
  place: 'Centro cívico Norte',
  startsAt: inDays(3),
  capacity: 10,
  ...over,
});
const commitmentBody = (over: Record<string, unknown> = {}) => ({
  processId: process.id,
  title: { es: 'Arreglar la plaza' },
  department: 'Urbanismo',
  ...over,
});

async function createdProcess(): Promise<number> {
  const r = await send(
    '/processes',
    'POST',
    processBody({ phases: [{ kind: 'proposals', startsAt: inDays(1), endsAt: inDays(9) }] }),
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return (r.body as { id: number }).id;
}

async function dashboardClient() {
  const client = t.client();
  expect((await client.signIn(admin.token)).status).toBe(303);
  const page = await client.request('/admin');
  expect(page.status).toBe(200);
  return { client, csrf: csrfOf(page.text) };
}

describe('the shared date type', () => {
  it('takes the years 2000 to 9999 as counted in UTC, nothing beyond', () => {
    const ok = (s: string) => storableDateTime().safeParse(s).success;
    expect(ok('9999-12-31T23:00:00+00:00')).toBe(true);
    expect(ok('2000-01-01T00:00:00Z')).toBe(true);
    expect(ok(YEAR_10000)).toBe(false);
    expect(ok('+010000-01-01T00:00:00Z')).toBe(false);
    expect(ok('2000-01-01T00:30:00+01:00')).toBe(false); // 1999 in UTC
    expect(ok('0000-01-01T00:00:00Z')).toBe(false);
    expect(ok('2026-05-01T10:00:00')).toBe(false); // no time zone: as before
  });
});

describe('dates past year 9999 (or before 2000) are refused by every admin router', () => {
  it('answers 422 naming the field, stores nothing, and the dashboard still opens', async () => {
    const processId = await createdProcess();
    const eventId = ((await send('/events', 'POST', eventBody())).body as { id: number }).id;
    const before = await counts();
    const phasesBefore = await t.db.phase.findMany({ where: { processId }, orderBy: { position: 'asc' } });
    const eventBefore = await t.db.event.findUniqueOrThrow({ where: { id: eventId } });

    expectRefused(
      await send('/broadcasts', 'POST', {
        processId: process.id,
        texts: { es: 'Hola' },
        scheduledAt: YEAR_10000,
      }),
      'scheduledAt',
    );
    expectRefused(
      await send('/broadcasts', 'POST', {
        processId: process.id,
        texts: { es: 'Hola' },
        scheduledAt: '1999-12-31T23:00:00Z',
      }),
      'scheduledAt',
    );
    expectRefused(
      await send(
        '/processes',
        'POST',
        processBody({ phases: [{ kind: 'proposals', startsAt: inDays(1), endsAt: YEAR_10000 }] }),
      ),
      'phases.0.endsAt',
    );
    expectRefused(
      await send(`/processes/${processId}/phases`, 'PUT', {
        phases: [{ kind: 'proposals', startsAt: YEAR_10000, endsAt: YEAR_10000 }],
      }),
      'phases.0.startsAt',
    );
    expectRefused(await send('/events', 'POST', eventBody({ startsAt: YEAR_10000 })), 'startsAt');
    expectRefused(await send(`/events/${eventId}`, 'PATCH', { endsAt: YEAR_10000 }), 'endsAt');

    expect(await counts()).toEqual(before);
    expect(await t.db.phase.findMany({ where: { processId }, orderBy: { position: 'asc' } })).toEqual(
      phasesBefore,
    );
    expect(await t.db.event.findUniqueOrThrow({ where: { id: eventId } })).toEqual(eventBefore);
    // What the refused dates used to break: the dashboard, the process's phases and its report.
    await dashboardClient();
    expect((await t.request(`/admin/processes/${processId}`, { token: admin.token })).status).toBe(200);
    expect((await t.request(`/admin/processes/${processId}/report`, { token: admin.token })).status).toBe(
      200,
    );
  });
});

describe('text PostgreSQL cannot store (NUL, lone surrogates)', () => {
  it('is refused by the shared text type, with a message saying why', () => {
    const messages = (s: string) =>
      storableText()
        .safeParse(s)
        .error?.issues.map((i) => i.message);
    expect(messages('Hola, ¿qué tal? 👋')).toBeUndefined();
    expect(messages(NUL)).toEqual(['Must not contain NUL characters (U+0000)']);
    expect(messages(LONE_SURROGATE)).toEqual(['Must be well-formed Unicode text (no lone surrogates)']);
    expect(messages('\udc00')).toEqual(['Must be well-formed Unicode text (no lone surrogates)']);
  });

  it('answers 422 naming the field on every admin router, and stores nothing', async () => {
    const processId = await createdProcess();
    const eventId = ((await send('/events', 'POST', eventBody())).body as { id: number }).id;
    const commitment = await send('/commitments', 'POST', commitmentBody());
    expect(commitment.status).toBe(201);
    const commitmentId = (commitment.body as { id: number }).id;
    const proposalId = await createProposal(t.db, process);
    const { caseId } = await createCase(t.db, process);
    const before = await counts();
    const rows = async () => ({
      process: await t.db.process.findUniqueOrThrow({
        where: { id: processId },
        include: { categories: true },
      }),
      event: await t.db.event.findUniqueOrThrow({ where: { id: eventId } }),
      commitment: await t.db.commitment.findUniqueOrThrow({ where: { id: commitmentId } }),
      commitmentUpdates: await t.db.commitmentUpdate.count({ where: { commitmentId } }),
      proposal: await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } }),
      case: await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } }),
    });
    const rowsBefore = await rows();

    for (const bad of [NUL, LONE_SURROGATE]) {
      expectRefused(
        await send('/broadcasts', 'POST', { processId: process.id, texts: { es: bad } }),
        'texts.es',
      );
      expectRefused(await send('/processes', 'POST', processBody({ title: { es: bad } })), 'title.es');
      expectRefused(
        await send(`/processes/${processId}`, 'PATCH', { description: { es: 'Bien', en: bad } }),
        'description.en',
      );
      expectRefused(
        await send(`/processes/${processId}/categories`, 'PUT', {
          categories: [{ key: 'calles', label: { es: bad } }],
        }),
        'categories.0.label.es',
      );
      expectRefused(await send('/events', 'POST', eventBody({ title: { es: bad } })), 'title.es');
      expectRefused(await send(`/events/${eventId}`, 'PATCH', { place: bad }), 'place');
      expectRefused(await send(`/events/${eventId}/cancel`, 'POST', { reason: bad }), 'reason');
      expectRefused(await send('/commitments', 'POST', commitmentBody({ department: bad })), 'department');
      expectRefused(await send(`/commitments/${commitmentId}`, 'PATCH', { note: bad }), 'note');
      expectRefused(await send(`/commitments/${commitmentId}`, 'PATCH', { title: { es: bad } }), 'title.es');
      expectRefused(await send(`/proposals/${proposalId}/answer`, 'POST', { answer: bad }), 'answer');
      expectRefused(
        await send('/privacy-notices', 'POST', {
          texts: {
            es: { summary: bad, fullText: 'Texto completo.' },
            en: { summary: 'Summary.', fullText: 'Full text.' },
          },
        }),
        'texts.es.summary',
      );
      expectRefused(
        await send(`/moderation/${caseId}/decision`, 'POST', { decision: 'reject', reason: bad }),
        'reason',
      );
    }

    expect(await counts()).toEqual(before);
    expect(await rows()).toEqual(rowsBefore);
  });

  it("the dashboard's decision form answers its page with the error, and decides nothing", async () => {
    const { client, csrf } = await dashboardClient();
    const { caseId } = await createCase(t.db, process);
    const answer = await client.post(`/admin/ui/moderation/${caseId}/decide`, {
      _csrf: csrf,
      decision: 'reject',
      preset: 'spam',
      reason: NUL,
    });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toContain('El motivo contiene caracteres que no se pueden guardar');
    expect(
      await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId }, select: { decidedAt: true } }),
    ).toEqual({ decidedAt: null });
  });
});

describe('bodies that are not JSON', () => {
  it('answer 415 and change nothing, where they used to be read as no body at all', async () => {
    const processId = await createdProcess();
    const before = await t.db.process.findUniqueOrThrow({ where: { id: processId } });
    const plain = (path: string, method: string) =>
      t.request(`/admin${path}`, {
        method,
        token: admin.token,
        body: JSON.stringify({ reportThreshold: 9 }),
        headers: { 'content-type': 'text/plain' },
      });
    for (const r of [
      await plain(`/processes/${processId}`, 'PATCH'),
      await plain(`/processes/${processId}/advance-phase`, 'POST'),
      await plain('/events', 'POST'),
    ])
      expect(r).toMatchObject({ status: 415, body: { error: 'unsupported-media-type' } });
    expect(await t.db.process.findUniqueOrThrow({ where: { id: processId } })).toEqual(before);
  });

  it('reads application/merge-patch+json (any application/*+json) as JSON', async () => {
    const processId = await createdProcess();
    const r = await t.request(`/admin/processes/${processId}`, {
      method: 'PATCH',
      token: admin.token,
      json: { reportThreshold: 9 },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(
      await t.db.process.findUniqueOrThrow({ where: { id: processId }, select: { reportThreshold: true } }),
    ).toEqual({ reportThreshold: 9 });
  });

  it('still takes an empty body of any type as no body where none is needed', async () => {
    const processId = await createdProcess();
    const r = await t.request(`/admin/processes/${processId}/advance-phase`, {
      method: 'POST',
      token: admin.token,
      body: '',
      headers: { 'content-type': 'text/plain' },
    });
    expect(r.status, JSON.stringify(r.body)).not.toBe(415);
    expect(r.status).toBeLessThan(500);
  });
});
