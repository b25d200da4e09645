// GET /admin/openapi.json: any authenticated staff member reads the OpenAPI 3.1 document generated from
// the route specs; what it says about each endpoint is what the handlers accept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADMIN_ROUTES } from '../../src/admin/admin-router.ts';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/admin/openapi.ts';
import type { AdminRouteSpec } from '../../src/admin/route-spec.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
beforeAll(async () => {
  t = await createAdminTest();
});
afterAll(() => t?.close());

type Operation = {
  operationId: string;
  'x-roles': string[];
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: Record<string, unknown> } } };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
};
const op = (doc: OpenApiDocument, method: string, path: string) =>
  doc.paths[path]?.[method] as Operation | undefined;

describe('GET /admin/openapi.json', () => {
  it('is for any authenticated staff role, never anonymous, takes no query', async () => {
    const anonymous = await t.request('/admin/openapi.json');
    expect(anonymous).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    for (const role of ['moderator', 'staff', 'admin'] as const) {
      const { token } = await t.staffWithToken({ role });
      const res = await t.request('/admin/openapi.json', { token });
      expect(res.status, role).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ openapi: '3.1.0', servers: [{ url: '/admin' }] });
    }
    const { token } = await t.staffWithToken();
    expect(await t.request('/admin/openapi.json?format=yaml', { token })).toMatchObject({
      status: 422,
      body: { error: 'invalid-request', fields: [{ path: 'format', message: 'Unknown field' }] },
    });
  });

  it('documents every endpoint mounted, with its roles and the 401/403 every one can answer', async () => {
    const { token } = await t.staffWithToken();
    const doc = (await t.request('/admin/openapi.json', { token })).body as OpenApiDocument;
    // This app has no queues, so no board: the document lists what is mounted.
    const mounted = ADMIN_ROUTES.filter((s) => s.path !== '/queues');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(
      mounted.map((s) => `${s.method} ${s.path.replace(/:(\w+)/g, '{$1}')}`).sort(),
    );
    for (const spec of mounted) {
      const o = op(doc, spec.method, spec.path.replace(/:(\w+)/g, '{$1}'))!;
      expect(o['x-roles']).toEqual([...spec.roles]);
      expect(Object.keys(o.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' } });
  });

  it('describes bodies, queries and path parameters as the handlers parse them (strict: no other fields)', async () => {
    const { token } = await t.staffWithToken();
    const doc = (await t.request('/admin/openapi.json', { token })).body as OpenApiDocument;

    const decision = op(doc, 'post', '/moderation/{id}/decision')!;
    expect(decision.parameters).toEqual([
      expect.objectContaining({
        name: 'id',
        in: 'path',
        required: true,
        schema: expect.objectContaining({ type: 'string', pattern: '^[1-9][0-9]{0,9}$' }),
      }),
    ]);
    const body = decision.requestBody!.content['application/json'].schema;
    expect(body).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['decision'],
      properties: { decision: { enum: ['approve', 'reject', 'redact_approve'] }, reason: { type: 'string' } },
      description: expect.stringMatching(/reason is required to reject/),
    });
    expect(body).not.toHaveProperty('$schema');
    expect(decision.requestBody).toMatchObject({ required: true });
    // Both 409s a decision can get are documented: decided first by someone else, or closed by reports.
    expect(decision.responses['409']!.description).toMatch(/already-decided/);
    expect(decision.responses['409']!.description).toMatch(/superseded[\s\S]*reviewedIn/);

    // A cancellation carries nothing: its body may be left out.
    expect(op(doc, 'post', '/broadcasts/{id}/cancel')!.requestBody).toMatchObject({ required: false });

    const create = op(doc, 'post', '/broadcasts')!.requestBody!.content['application/json'].schema;
    expect(create).toMatchObject({
      additionalProperties: false,
      required: ['processId', 'texts'],
      properties: {
        processId: { type: 'integer', maximum: 2_147_483_647 },
        texts: { additionalProperties: false, required: ['es'] },
        scheduledAt: { type: 'string', format: 'date-time' },
      },
    });

    // A query field the handler turns into a number is documented as the string a caller sends.
    const queue = op(doc, 'get', '/moderation')!;
    expect(queue.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['state', 'query', false],
      ['itemKind', 'query', false],
      ['processId', 'query', false],
      ['reason', 'query', false],
      ['limit', 'query', false],
      ['cursor', 'query', false],
    ]);
    expect(queue.parameters.find((p) => p.name === 'processId')!.schema).toMatchObject({ type: 'string' });
    expect(op(doc, 'post', '/broadcasts')!.responses['201']).toMatchObject({
      content: { 'application/json': {} },
    });
  });
});

describe('buildOpenApiDocument', () => {
  const spec: AdminRouteSpec = {
    method: 'get',
    path: '/reports/:processId/csv',
    summary: 'A report',
    roles: ['admin'],
    params: z.strictObject({ processId: z.string() }),
    query: z.strictObject({ from: z.iso.date(), to: z.iso.date().optional() }),
    produces: 'text/csv',
    responses: { 200: 'The CSV' },
  };

  it('takes any list of specs: a router added later is documented from its own', () => {
    const doc = buildOpenApiDocument([spec]);
    const o = op(doc, 'get', '/reports/{processId}/csv')!;
    expect(o).toMatchObject({
      operationId: 'getReportsProcessIdCsv',
      'x-roles': ['admin'],
      responses: { 200: { content: { 'text/csv': {} } }, 401: {}, 403: {} },
    });
    expect(o.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['processId', 'path', true],
      ['from', 'query', true],
      ['to', 'query', false],
    ]);
  });

  it('refuses specs that contradict themselves', () => {
    expect(() => buildOpenApiDocument([{ ...spec, params: undefined }])).toThrow(/params/);
    expect(() => buildOpenApiDocument([{ ...spec, params: z.strictObject({ id: z.string() }) }])).toThrow(
      /params/,
    );
    expect(() => buildOpenApiDocument([spec, spec])).toThrow(/twice/);
    expect(() => buildOpenApiDocument([{ ...spec, query: z.string() }])).toThrow(/object/);
  });
});
