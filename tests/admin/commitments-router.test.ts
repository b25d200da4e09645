import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, requireRole } from '../../src/admin/auth.ts';
import {
  COMMITMENT_ROLES,
  commitmentRoutes,
  createCommitmentsRouter,
} from '../../src/admin/commitments-router.ts';
import { createProcess, createProposal, type ProcessFixture } from '../support/fixtures.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

// Mounted as admin-router.ts mounts it: authenticated, then the role check, then the router.
let t: AdminTest & { close(): Promise<void> };
let process: ProcessFixture;
let staff: { token: string; id: string };
beforeAll(async () => {
  t = await createAdminTest({
    routes: ({ domain, logger }) => {
      const admin = express.Router();
      admin.use(bearerAuth({ domain, logger }));
      admin.use('/commitments', requireRole(COMMITMENT_ROLES), createCommitmentsRouter({ domain }));
      return [['/admin', admin]];
    },
  });
  process = await createProcess(t.db, { phase: 'results' });
  staff = await t.staffWithToken({ role: 'staff' });
});
afterAll(() => t?.close());

const fieldsOf = (body: unknown) => (body as { fields: { path: string }[] }).fields.map((f) => f.path).sort();

describe('/admin/commitments', () => {
  it('declares its routes for staff and admins only', () => {
    expect(commitmentRoutes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'post /commitments',
      'get /commitments',
      'get /commitments/:id',
      'patch /commitments/:id',
    ]);
    expect(commitmentRoutes.every((r) => r.roles === COMMITMENT_ROLES)).toBe(true);
    expect([...COMMITMENT_ROLES].sort()).toEqual(['admin', 'staff']);
  });

  it('refuses anonymous callers (401) and moderators (403)', async () => {
    const moderator = await t.staffWithToken({ role: 'moderator' });
    expect((await t.request(`/admin/commitments?processId=${process.id}`)).status).toBe(401);
    expect(
      (await t.request(`/admin/commitments?processId=${process.id}`, { token: moderator.token })).status,
    ).toBe(403);
    expect(
      (await t.request('/admin/commitments', { token: moderator.token, json: { processId: process.id } }))
        .status,
    ).toBe(403);
  });

  it('creates, lists, reads and follows up a commitment; audited with the source address', async () => {
    const proposalId = await createProposal(t.db, process, { status: 'selected' });
    const created = await t.request('/admin/commitments', {
      token: staff.token,
      json: {
        processId: process.id,
        title: { es: 'Carril bici en la avenida', en: 'Bike lane on the avenue' },
        department: 'Movilidad',
        dueDate: '2027-10-01',
        proposalIds: [proposalId],
        note: 'Presupuesto aprobado',
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { status: 'planned', progress: 0, dueDate: '2027-10-01', proposalIds: [proposalId] },
    });
    const id = (created.body as { id: number }).id;
    expect(created.headers.get('location')).toBe(`/admin/commitments/${id}`);
    expect(t.notified).toContainEqual({
      kind: 'commitment-changed',
      commitmentId: id,
      updateId: expect.any(Number),
    });

    const patched = await t.request(`/admin/commitments/${id}`, {
      method: 'PATCH',
      token: staff.token,
      json: { progress: 100, evidence: 'https://example.org/obra', note: 'Inaugurado' },
    });
    expect(patched).toMatchObject({ status: 200, body: { id, status: 'done', progress: 100 } });

    const list = await t.request(`/admin/commitments?processId=${process.id}`, { token: staff.token });
    expect(list).toMatchObject({
      status: 200,
      body: { items: [{ id, status: 'done', latestUpdate: { note: 'Inaugurado', progress: 100 } }] },
    });
    const one = await t.request(`/admin/commitments/${id}`, { token: staff.token });
    expect(one.status).toBe(200);
    expect((one.body as { history: { note: string; progress: number }[] }).history).toMatchObject([
      { note: 'Presupuesto aprobado', progress: 0 },
      { note: 'Inaugurado', progress: 100 },
    ]);
    const audits = await t.db.auditLog.findMany({
      where: { targetType: 'commitment', targetId: String(id) },
    });
    expect(audits.map((a) => a.action).sort()).toEqual(['commitment.create', 'commitment.update']);
    expect(audits.every((a) => a.sourceIp && a.actor === `staff:${staff.id}`)).toBe(true);
  });

  it('names bad and unknown fields (422), never a 5xx', async () => {
    const published = await createProposal(t.db, process);
    const bad = await t.request('/admin/commitments', {
      token: staff.token,
      json: {
        processId: process.id,
        title: { es: '', fr: 'x' },
        department: 'A',
        progress: 150,
        dueDate: '2027-02-30',
        extra: 1,
      },
    });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad.body)).toEqual(['dueDate', 'extra', 'progress', 'title.es', 'title.fr']);
    const notSelected = await t.request('/admin/commitments', {
      token: staff.token,
      json: { processId: process.id, title: { es: 'Algo' }, department: 'A', proposalIds: [published] },
    });
    expect(notSelected).toMatchObject({ status: 422, body: { fields: [{ path: 'proposalIds' }] } });
    const mismatch = await t.request('/admin/commitments', {
      token: staff.token,
      json: { processId: process.id, title: { es: 'Algo' }, department: 'A', status: 'done', progress: 10 },
    });
    expect(mismatch).toMatchObject({ status: 422, body: { fields: [{ path: 'progress' }] } });
    expect(
      await t.request('/admin/commitments', {
        token: staff.token,
        json: { processId: 999999999, title: { es: 'Algo' }, department: 'A' },
      }),
    ).toMatchObject({ status: 404, body: { error: 'process-not-found' } });
    const broken = await t.request('/admin/commitments', {
      token: staff.token,
      body: '{"processId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken).toMatchObject({ status: 400, body: { error: 'invalid-json' } });
    expect((await t.request('/admin/commitments', { token: staff.token })).status).toBe(422);
    expect(
      fieldsOf((await t.request('/admin/commitments?processId=abc&x=1', { token: staff.token })).body),
    ).toEqual(['processId', 'x']);
    expect((await t.request('/admin/commitments/abc', { token: staff.token })).status).toBe(404);
    expect((await t.request('/admin/commitments/999999999', { token: staff.token })).status).toBe(404);
    expect((await t.request('/admin/commitments/1?x=1', { token: staff.token })).status).toBe(422);
  });

  it('PATCH: 404 for unknown, 409 when nothing changes, 422 for an empty or unknown body', async () => {
    const created = await t.request('/admin/commitments', {
      token: staff.token,
      json: { processId: process.id, title: { es: 'Fuente' }, department: 'Parques' },
    });
    const id = (created.body as { id: number }).id;
    const patch = (path: string, json: unknown) =>
      t.request(path, { method: 'PATCH', token: staff.token, json });
    expect((await patch('/admin/commitments/999999999', { progress: 5 })).status).toBe(404);
    expect(await patch(`/admin/commitments/${id}`, { department: 'Parques' })).toMatchObject({
      status: 409,
      body: { error: 'nothing-to-change' },
    });
    expect((await patch(`/admin/commitments/${id}`, {})).status).toBe(422);
    expect(fieldsOf((await patch(`/admin/commitments/${id}`, { progres: 5 })).body)).toEqual(['progres']);
    expect(
      await patch(`/admin/commitments/${id}`, { dueDate: null, status: 'in_progress', progress: 5 }),
    ).toMatchObject({
      status: 200,
      body: { status: 'in_progress', progress: 5, dueDate: null },
    });
  });

  it('POST sent twice (a double click, a retry): 409 duplicate naming the first, people told once', async () => {
    const proposalId = await createProposal(t.db, process, { status: 'selected' });
    const json = {
      processId: process.id,
      title: { es: 'Iluminación del paseo del río', en: 'Lighting along the river walk' },
      department: 'Obras',
      proposalIds: [proposalId],
    };
    const first = await t.request('/admin/commitments', { token: staff.token, json });
    expect(first.status).toBe(201);
    const id = (first.body as { id: number }).id;
    const told = () => t.notified.filter((j) => j.kind === 'commitment-changed' && j.commitmentId === id);
    expect(told()).toHaveLength(1);
    const again = await t.request('/admin/commitments', { token: staff.token, json });
    expect(again).toMatchObject({ status: 409, body: { error: 'duplicate', id } });
    expect(again.headers.get('location')).toBeNull();
    // The same title in other words' case is the same commitment.
    expect(
      await t.request('/admin/commitments', {
        token: staff.token,
        json: { ...json, title: { es: 'iluminación del paseo del RÍO' }, proposalIds: [] },
      }),
    ).toMatchObject({ status: 409, body: { error: 'duplicate', id } });
    expect(
      await t.db.commitment.count({
        where: { processId: process.id, title: { path: ['es'], equals: json.title.es } },
      }),
    ).toBe(1);
    expect(told()).toHaveLength(1);
    expect(await t.db.auditLog.count({ where: { action: 'commitment.create', targetId: String(id) } })).toBe(
      1,
    );
  });

  it('PATCH merges texts per language as a JSON merge patch: one not named is kept, null removes it', async () => {
    const created = await t.request('/admin/commitments', {
      token: staff.token,
      json: {
        processId: process.id,
        title: { es: 'Sombra en el patio del colegio', en: 'Shade in the schoolyard' },
        department: 'Educación',
      },
    });
    const id = (created.body as { id: number }).id;
    const mergePatch = (json: unknown) =>
      t.request(`/admin/commitments/${id}`, {
        method: 'PATCH',
        token: staff.token,
        json,
        headers: { 'content-type': 'application/merge-patch+json' },
      });
    expect(await mergePatch({ title: { es: 'Toldos en el patio del colegio' } })).toMatchObject({
      status: 200,
      body: { title: { es: 'Toldos en el patio del colegio', en: 'Shade in the schoolyard' } },
    });
    // Plain JSON reads the same way; English alone keeps the Spanish.
    expect(
      await t.request(`/admin/commitments/${id}`, {
        method: 'PATCH',
        token: staff.token,
        json: { title: { en: 'Awnings in the schoolyard' } },
      }),
    ).toMatchObject({
      status: 200,
      body: { title: { es: 'Toldos en el patio del colegio', en: 'Awnings in the schoolyard' } },
    });
    const removed = await mergePatch({ title: { en: null } });
    expect(removed.status).toBe(200);
    expect((removed.body as { title: object }).title).toEqual({ es: 'Toldos en el patio del colegio' });
    expect(await mergePatch({ description: { es: 'Cuatro toldos.' } })).toMatchObject({
      status: 200,
      body: { description: { es: 'Cuatro toldos.' } },
    });
    expect(await mergePatch({ description: { en: 'Four awnings.' } })).toMatchObject({
      status: 200,
      body: { description: { es: 'Cuatro toldos.', en: 'Four awnings.' } },
    });
    // Spanish cannot be removed (422, as a missing one is on create); nothing written.
    const before = await t.db.commitment.findUniqueOrThrow({ where: { id } });
    for (const [json, field] of [
      [{ title: { es: null } }, 'title.es'],
      [{ title: { es: '   ' } }, 'title.es'],
      [{ description: { es: null, en: 'Only English' } }, 'description.es'],
      [{ title: null }, 'title'],
      [{ title: { fr: 'Auvents' } }, 'title.fr'],
    ] as const)
      expect(await mergePatch(json), field).toMatchObject({
        status: 422,
        body: { error: 'invalid-request', fields: [{ path: field }] },
      });
    expect(await t.db.commitment.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await mergePatch({ description: null })).toMatchObject({
      status: 200,
      body: { description: null },
    });
    // English alone for a description there is none of: no Spanish to fall back on.
    expect(await mergePatch({ description: { en: 'Four awnings.' } })).toMatchObject({
      status: 422,
      body: { error: 'invalid-request', fields: [{ path: 'description.es' }] },
    });
  });

  it('PATCH to the title of another commitment of the process: 409 duplicate naming it; its own title may stay', async () => {
    const make = async (es: string) => {
      const r = await t.request('/admin/commitments', {
        token: staff.token,
        json: { processId: process.id, title: { es }, department: 'Obras' },
      });
      expect(r.status).toBe(201);
      return (r.body as { id: number }).id;
    };
    const first = await make('Pasos de cebra elevados');
    const second = await make('Semáforos sonoros');
    const patch = (id: number, json: unknown) =>
      t.request(`/admin/commitments/${id}`, { method: 'PATCH', token: staff.token, json });
    const before = await t.db.commitment.findUniqueOrThrow({ where: { id: second } });
    const updates = await t.db.commitmentUpdate.count({ where: { commitmentId: second } });
    for (const es of ['Pasos de cebra elevados', '  PASOS de cebra ELEVADOS '])
      expect(await patch(second, { title: { es }, progress: 10 }), es).toMatchObject({
        status: 409,
        body: { error: 'duplicate', id: first },
      });
    expect(await t.db.commitment.findUniqueOrThrow({ where: { id: second } })).toEqual(before);
    expect(await t.db.commitmentUpdate.count({ where: { commitmentId: second } })).toBe(updates);
    expect(
      await t.db.auditLog.count({ where: { action: 'commitment.update', targetId: String(second) } }),
    ).toBe(0);
    // Its own title, in another case, or with English added: no duplicate.
    expect(
      await patch(first, { title: { es: 'Pasos de cebra ELEVADOS', en: 'Raised crossings' } }),
    ).toMatchObject({
      status: 200,
      body: { title: { es: 'Pasos de cebra ELEVADOS', en: 'Raised crossings' } },
    });
    expect(await patch(first, { title: { es: 'Pasos de cebra elevados' } })).toMatchObject({
      status: 200,
      body: { title: { es: 'Pasos de cebra elevados', en: 'Raised crossings' } },
    });
  });
});
