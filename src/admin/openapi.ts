// `GET /admin/openapi.json`: an OpenAPI 3.1 document of the admin API, generated from the route specs
// (route-spec.ts) with zod's own `z.toJSONSchema`, so it describes exactly what the handlers accept:
// strict objects become `additionalProperties: false`; schemas are described as input (`io: 'input'`), so a
// query field that the handler turns into a number is documented as the string a caller sends. Refinements
// (e.g. "a reason is required to reject") have no JSON Schema form: the schemas carry them as descriptions.
//
// Who may read it: any authenticated staff member (admin, staff, moderator). It holds no data, only the API's
// shape, which every caller needs; it stays behind the token so an anonymous visitor learns nothing of the
// admin surface. The document lists the endpoints actually mounted, built once per router.
import express, { type Router } from 'express';
import { z } from 'zod';
import { STAFF_ROLES } from '../domain/staff-members.ts';
import { ANSWERS, fieldErrors, invalid } from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

export const OPENAPI_PATH = '/openapi.json';

/** The document takes no query. */
export const openApiQuery = z.strictObject({});

export const openApiRoutes: AdminRouteSpec[] = [
  {
    method: 'get',
    path: OPENAPI_PATH,
    summary: 'The admin API as an OpenAPI 3.1 document, generated from the route specs',
    roles: STAFF_ROLES,
    query: openApiQuery,
    responses: { 200: 'The OpenAPI document', 422: 'A query was given' },
  },
];

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string }[];
  security: Record<string, string[]>[];
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Every endpoint can answer these: authentication and the role check come before anything else. */
const ALWAYS: Record<number, string> = {
  401: 'No working Bearer token: `{ "error": "unauthorized" }`, with a `WWW-Authenticate: Bearer` challenge',
  403: 'The token\'s role may not call this endpoint: `{ "error": "forbidden" }`',
  503: 'PostgreSQL or Redis is unreachable: `{ "error": "unavailable" }` with `Retry-After`; send it again later',
};

/**
 * The OpenAPI 3.1 document for these specs (paths relative to the server `/admin`). Throws on a spec that
 * contradicts itself (a `:param` without its schema, a query that is not an object): a programming error.
 */
export function buildOpenApiDocument(specs: readonly AdminRouteSpec[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const spec of specs) {
    const template = spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operations = (paths[template] ??= {});
    if (operations[spec.method]) throw new Error(`openapi: ${spec.method} ${spec.path} declared twice`);
    operations[spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Plaza admin API',
      version: '1',
      description:
        'Staff tools. Every request carries `Authorization: Bearer plaza_…` (a token from ' +
        '`plaza tokens create`). Answers are JSON and never cached; bad input answers 4xx with ' +
        '`{ "error": … }`. Each operation lists the roles allowed in `x-roles`.',
    },
    jsonSchemaDialect: DIALECT,
    servers: [{ url: '/admin' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token, `plaza_…`' },
      },
    },
    paths,
  };
}

/** The router serving the document for the endpoints mounted (the caller checks roles). */
export function createOpenApiRouter(specs: readonly AdminRouteSpec[]): Router {
  const document = JSON.stringify(buildOpenApiDocument(specs));
  const router = express.Router();
  router.get(OPENAPI_PATH, (req, res) => {
    const query = openApiQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    res.type('application/json').send(document);
  });
  return router;
}

function operation(spec: AdminRouteSpec): Operation {
  const declared = [...spec.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const pathParams = spec.params ? parameters(spec.params, 'path') : [];
  const named = pathParams.map((p) => p.name);
  if (declared.join() !== named.join())
    throw new Error(`openapi: ${spec.path} has params [${declared}] but its schema names [${named}]`);
  const op: Operation = {
    operationId: operationId(spec),
    summary: spec.summary,
    description: [spec.description, `Roles: ${spec.roles.join(', ')}.`].filter(Boolean).join('\n\n'),
    'x-roles': [...spec.roles],
    parameters: [...pathParams, ...(spec.query ? parameters(spec.query, 'query') : [])],
  };
  if (spec.body)
    op.requestBody = {
      // The handlers read a missing body as `{}` (or refuse it): optional exactly when `{}` is valid.
      required: !spec.body.safeParse({}).success,
      content: { 'application/json': { schema: jsonSchema(spec.body) } },
    };
  const responses: Record<string, unknown> = {};
  // A route taking a body answers 415 to one that is not JSON (http-answers.ts, jsonBody).
  const shared = spec.body ? { ...ALWAYS, 415: ANSWERS.unsupportedType } : ALWAYS;
  for (const [code, description] of Object.entries({ ...shared, ...spec.responses }).sort()) {
    const status = Number(code);
    const type = status < 300 ? (spec.produces ?? 'application/json') : 'application/json';
    responses[code] =
      status >= 300 && status < 400 ? { description } : { description, content: { [type]: {} } };
  }
  op.responses = responses;
  return op;
}

/** `post /broadcasts/:id/cancel` → `postBroadcastsIdCancel`: unique while method and path are. */
function operationId(spec: AdminRouteSpec): string {
  const words = spec.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return spec.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** An object schema's fields as OpenAPI parameters; path parameters are always required. */
function parameters(schema: z.ZodType, at: 'path' | 'query'): { name: string }[] {
  const json = jsonSchema(schema);
  const properties = json.properties as Record<string, JsonSchema> | undefined;
  if (json.type !== 'object' || !properties) throw new Error(`openapi: a ${at} schema must be an object`);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: at,
      required: at === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}
