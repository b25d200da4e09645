// Verification codes of binding processes over HTTP, through the whole admin router (createAdminTest's
// default): import as CSV or JSON, counts, refusals, who may call, and making a process binding by PATCH
// (not once it has supports).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/admin/openapi.ts';
import { verificationCodeRoutes } from '../../src/admin/verification-codes-router.ts';
import { MAX_IMPORTED_CODES } from '../../src/domain/import-verification-codes.ts';
import { createParticipant, createProcess, createProposals } from '../support/fixtures.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

type Staff = Awaited<ReturnType<AdminTest['staffWithToken']>>;

let t: AdminTest & { close(): Promise<void> };
let staff: Staff;
let admin: Staff;
let moderator: Staff;
beforeAll(async () => {
  t = await createAdminTest();
  staff = await t.staffWithToken({ role: 'staff', name: 'Irene' });
  admin = await t.staffWithToken({ role: 'admin', name: 'Admin' });
  moderator = await t.staffWithToken({ role: 'moderator', name: 'Mod' });
});
afterAll(() => t?.close());

const codesOf = (id: number | string) => `/admin/processes/${id}/verification-codes`;

const postCsv = (id: number | string, csv: string, token = staff.token, type = 'text/csv') =>
  t.request(codesOf(id), { method: 'POST', token, body: csv, headers: { 'content-type': type } });

const CSV = [
  'nombre;código;distrito',
  'Ana;CENSO-0001;Centro',
  'Luis;censo-0002;Norte',
  '',
  'Eva;CENSO-0001;Sur',
  'Sin código',
  'Raúl;no vale!;Sur',
  'Marta;CENSO-0003;Centro',
].join('\r\n');

describe('POST /admin/processes/:id/verification-codes', () => {
  it('imports a CSV table, reporting duplicates and malformed rows by line; a re-import adds nothing', async () => {
    const process = await createProcess(t.db);
    const res = await postCsv(process.id, CSV);
    expect(res).toMatchObject({ status: 200 });
    expect(res.body).toEqual({
      imported: 3,
      malformed: [
        { line: 6, reason: 'missing-column' },
        { line: 7, reason: 'not-a-code' },
      ],
      duplicatesInFile: [{ line: 5, firstLine: 2 }],
      alreadyImported: [],
      headerLine: 1,
    });
    expect(await t.request(codesOf(process.id), { token: staff.token })).toMatchObject({
      status: 200,
      body: { requiresVerification: false, total: 3, redeemed: 0 },
    });

    const again = await postCsv(process.id, CSV, admin.token, 'text/plain; charset=utf-8');
    expect(again).toMatchObject({
      status: 200,
      body: { imported: 0, duplicatesInFile: [{ line: 5, firstLine: 2 }], alreadyImported: [2, 3, 8] },
    });
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(3);
    const audits = await t.db.auditLog.findMany({
      where: { action: 'verification-codes.import', targetId: String(process.id) },
      orderBy: { id: 'asc' },
    });
    // Audited with the caller's address, as every other write of the API.
    expect(audits.map((a) => [a.actor, a.after, a.sourceIp])).toEqual([
      [
        `staff:${staff.id}`,
        { imported: 3, malformed: 2, duplicatesInFile: 1, alreadyImported: 0 },
        expect.stringMatching(/\S/),
      ],
      [
        `staff:${admin.id}`,
        { imported: 0, malformed: 2, duplicatesInFile: 1, alreadyImported: 3 },
        expect.stringMatching(/\S/),
      ],
    ]);

    // Never echoed, never logged (nor audited).
    const said = JSON.stringify([res.body, again.body, audits.map((a) => a.after)]) + t.logs.join('');
    expect(said).not.toMatch(/CENSO|censo|no vale/);
    expect(t.logs.join('')).toMatch(/verification codes import/);
  });

  it('accepts JSON { csv } and one code per line', async () => {
    const process = await createProcess(t.db);
    const res = await t.request(codesOf(process.id), {
      token: staff.token,
      json: { csv: 'JJ-000001\nJJ-000002\njj-000001\n' },
    });
    expect(res).toMatchObject({
      status: 200,
      body: {
        imported: 2,
        malformed: [],
        duplicatesInFile: [{ line: 3, firstLine: 1 }],
        alreadyImported: [],
        headerLine: null,
      },
    });
    // A one-column list under a header word: the header is not a code, and the answer says it was skipped;
    // short codes are reported.
    expect(
      await t.request(codesOf(process.id), {
        token: staff.token,
        json: { csv: '"Códigos"\nJJ-000003\nJJ-03\n' },
      }),
    ).toMatchObject({
      status: 200,
      body: {
        imported: 1,
        malformed: [{ line: 3, reason: 'too-short' }],
        alreadyImported: [],
        headerLine: 1,
      },
    });
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(3);
    expect(
      await t.request(codesOf(process.id), { token: staff.token, json: { csv: 'JJ-000004', codes: [] } }),
    ).toMatchObject({ status: 422, body: { error: 'invalid-request', fields: [{ path: 'codes' }] } });
    expect(await t.request(codesOf(process.id), { token: staff.token, json: { csv: 7 } })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'csv' }] },
    });
  });

  it('refuses what cannot be imported with a clear 400, an unknown process with 404, other bodies with 415', async () => {
    const process = await createProcess(t.db);
    expect(await postCsv(process.id, '\n  \n')).toMatchObject({ status: 400, body: { error: 'empty' } });
    expect(await t.request(codesOf(process.id), { method: 'POST', token: staff.token })).toMatchObject({
      status: 400,
      body: { error: 'empty' },
    });
    expect(await postCsv(process.id, 'nombre,distrito\nAna,Centro')).toMatchObject({
      status: 400,
      body: { error: 'no-code-column' },
    });
    const many = Array.from(
      { length: MAX_IMPORTED_CODES + 1 },
      (_, i) => `M-CODE-${String(i).padStart(6, '0')}`,
    ).join('\n');
    expect(await postCsv(process.id, many)).toMatchObject({
      status: 400,
      body: { error: 'too-many', max: MAX_IMPORTED_CODES },
    });
    expect(await postCsv(2_000_000_000, 'KK-000001')).toMatchObject({
      status: 404,
      body: { error: 'not-found' },
    });
    expect(await postCsv('abc', 'KK-000001')).toMatchObject({ status: 404, body: { error: 'not-found' } });
    expect(await postCsv(process.id, '<codes/>', staff.token, 'application/xml')).toMatchObject({
      status: 415,
      body: { error: 'unsupported-media-type' },
    });
    expect(
      await t.request(codesOf(process.id), {
        method: 'POST',
        token: staff.token,
        body: '{"csv": ',
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid-json' } });
    expect(await postCsv(process.id, 'X'.repeat(9 * 1024 * 1024))).toMatchObject({
      status: 413,
      body: { error: 'payload-too-large' },
    });
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(0);
  });

  it('is for staff and admins: moderators 403, the anonymous 401, nothing imported', async () => {
    const process = await createProcess(t.db);
    expect(await postCsv(process.id, 'RR-000001', moderator.token)).toMatchObject({
      status: 403,
      body: { error: 'forbidden' },
    });
    expect((await t.request(codesOf(process.id), { token: moderator.token })).status).toBe(403);
    expect(
      (
        await t.request(codesOf(process.id), {
          method: 'POST',
          body: 'RR-000001',
          headers: { 'content-type': 'text/csv' },
        })
      ).status,
    ).toBe(401);
    expect((await t.request(codesOf(process.id))).status).toBe(401);
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(0);
  });
});

describe('GET /admin/processes/:id/verification-codes', () => {
  it('counts codes and redeemed ones; 404 for an unknown process; no query', async () => {
    const process = await createProcess(t.db);
    await postCsv(process.id, 'GG-000001\nGG-000002');
    await t.db.verificationCode.updateMany({
      where: { processId: process.id },
      data: { redeemedAt: new Date() },
      // One of the two.
      limit: 1,
    });
    expect(await t.request(codesOf(process.id), { token: admin.token })).toEqual(
      expect.objectContaining({ status: 200, body: { requiresVerification: false, total: 2, redeemed: 1 } }),
    );
    expect((await t.request(codesOf(2_000_000_000), { token: admin.token })).status).toBe(404);
    expect(await t.request(`${codesOf(process.id)}?all=1`, { token: admin.token })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'all' }] },
    });
  });
});

describe('requiresVerification on the process', () => {
  it('is set on creation and changed by PATCH, audited', async () => {
    const slug = `vinculante-${Date.now().toString(36)}`;
    const created = await t.request('/admin/processes', {
      token: staff.token,
      json: {
        slug,
        title: { es: 'Presupuesto vinculante' },
        description: { es: 'Solo vota el censo.' },
        categories: [{ key: 'calles', label: { es: 'Calles' } }],
        requiresVerification: true,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = (created.body as { id: number }).id;
    expect(await t.db.process.findUniqueOrThrow({ where: { id } })).toMatchObject({
      requiresVerification: true,
    });
    const createAudit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'process.create', targetId: String(id) },
    });
    expect(createAudit.after).toMatchObject({ requiresVerification: true });
    expect((await t.request(`/admin/processes/${id}`, { token: staff.token })).body).toMatchObject({
      requiresVerification: true,
    });

    const off = await t.request(`/admin/processes/${id}`, {
      method: 'PATCH',
      token: staff.token,
      json: { requiresVerification: false },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect((await t.request(codesOf(id), { token: staff.token })).body).toMatchObject({
      requiresVerification: false,
    });
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'process.update', targetId: String(id) },
      orderBy: { id: 'desc' },
    });
    expect(audit).toMatchObject({
      actor: `staff:${staff.id}`,
      before: { requiresVerification: true },
      after: { requiresVerification: false },
    });

    // The same value again changes nothing and writes nothing.
    const updates = await t.db.auditLog.count({ where: { action: 'process.update', targetId: String(id) } });
    expect(
      (
        await t.request(`/admin/processes/${id}`, {
          method: 'PATCH',
          token: admin.token,
          json: { requiresVerification: false },
        })
      ).status,
    ).toBe(200);
    expect(await t.db.auditLog.count({ where: { action: 'process.update', targetId: String(id) } })).toBe(
      updates,
    );

    expect(
      await t.request(`/admin/processes/${id}`, {
        method: 'PATCH',
        token: staff.token,
        json: { requiresVerification: 'yes' },
      }),
    ).toMatchObject({ status: 422, body: { fields: [{ path: 'requiresVerification' }] } });
    expect(
      (
        await t.request(`/admin/processes/${id}`, {
          method: 'PATCH',
          token: moderator.token,
          json: { requiresVerification: true },
        })
      ).status,
    ).toBe(403);
    expect(await t.db.process.findUniqueOrThrow({ where: { id } })).toMatchObject({
      requiresVerification: false,
    });
  });
});

describe('requiresVerification once there are supports', () => {
  it('cannot change either way: 409 supports-exist, nothing written; other fields still can', async () => {
    for (const binding of [false, true]) {
      const process = await createProcess(t.db);
      await t.db.process.update({ where: { id: process.id }, data: { requiresVerification: binding } });
      const patch = (json: Record<string, unknown>) =>
        t.request(`/admin/processes/${process.id}`, { method: 'PATCH', token: staff.token, json });
      // No supports yet: it may change, and back.
      expect((await patch({ requiresVerification: !binding })).status).toBe(200);
      expect((await patch({ requiresVerification: binding })).status).toBe(200);
      const [proposalId] = await createProposals(t.db, process, 1);
      const ana = await createParticipant(t.db);
      await t.db.support.create({ data: { proposalId: proposalId!, participantId: ana.id } });
      const updates = await t.db.auditLog.count({
        where: { action: 'process.update', targetId: String(process.id) },
      });
      expect(await patch({ requiresVerification: !binding, supportsPerParticipant: 5 })).toMatchObject({
        status: 409,
        body: { error: 'supports-exist' },
      });
      expect(await t.db.process.findUniqueOrThrow({ where: { id: process.id } })).toMatchObject({
        requiresVerification: binding,
        supportsPerParticipant: 3,
      });
      expect(
        await t.db.auditLog.count({ where: { action: 'process.update', targetId: String(process.id) } }),
      ).toBe(updates);
      // The same value is no change; the other fields are free.
      expect((await patch({ requiresVerification: binding, supportsPerParticipant: 5 })).status).toBe(200);
    }
  });
});

describe('the specs', () => {
  it('declare both routes for staff and admins, documented in openapi', () => {
    expect(verificationCodeRoutes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'post /processes/:id/verification-codes',
      'get /processes/:id/verification-codes',
    ]);
    for (const r of verificationCodeRoutes) expect(r.roles).toEqual(['admin', 'staff']);
    const doc = buildOpenApiDocument(verificationCodeRoutes) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(['/processes/{id}/verification-codes']);
  });
});
