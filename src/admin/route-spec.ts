// What every admin endpoint declares about itself, next to the router that serves it: method, path (express
// syntax, relative to /admin), who may call it, and the zod schemas its handler validates with. From these
// lists come the OpenAPI document (/admin/openapi.json, openapi.ts), the role checks admin-router.ts installs,
// the role matrix in docs/ADMIN-ROLES.md (renderRoleMatrix) and its cell-by-cell test, so none of them can
// drift from what the code does.
import type { z } from 'zod';
import type { StaffRole } from '../generated/prisma/enums.ts';
import { STAFF_ROLES } from '../domain/staff-members.ts';

export interface AdminRouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Relative to /admin, express syntax: `/broadcasts/:id/cancel`. */
  path: string;
  summary: string;
  /** Longer prose for the document (how to authenticate when it is not the Bearer header, limits…). */
  description?: string;
  /** Roles allowed; anyone else authenticated gets 403, the anonymous 401. */
  roles: readonly StaffRole[];
  /** The path parameters (`:id`…) as the handler parses them; every one is required. */
  params?: z.ZodType;
  /** The schemas the handler parses with (strict: unknown fields are refused). */
  query?: z.ZodType;
  body?: z.ZodType;
  /** Status codes it answers with, and what each means (for the document). */
  responses: Record<number, string>;
  /** Not JSON: the content type of its 200 answer (e.g. `text/html`, `text/csv`). */
  produces?: string;
}

/** The columns of the role matrix: who calls, from nobody to the most trusted. */
export const MATRIX_CALLERS = ['anonymous', 'moderator', 'staff', 'admin'] as const;
export type MatrixCaller = (typeof MATRIX_CALLERS)[number];

/** What a caller gets from an endpoint before its handler runs: let through, 401 or 403. */
export function expectedAccess(spec: AdminRouteSpec, caller: MatrixCaller): 'allow' | 401 | 403 {
  if (caller === 'anonymous') return 401;
  return spec.roles.includes(caller) ? 'allow' : 403;
}

/**
 * docs/ADMIN-ROLES.md, whole: every endpoint × caller. The test compares the file with this text, and
 * `npm run docs:roles` rewrites the file from it.
 */
export function renderRoleMatrix(specs: readonly AdminRouteSpec[]): string {
  const unknownRole = specs.flatMap((s) => s.roles).find((r) => !STAFF_ROLES.includes(r));
  if (unknownRole) throw new Error(`renderRoleMatrix: role ${unknownRole} has no column`);
  const cell = (s: AdminRouteSpec, c: MatrixCaller) => {
    const access = expectedAccess(s, c);
    return access === 'allow' ? 'allow' : `deny (${access})`;
  };
  const rows = [
    ['endpoint', ...MATRIX_CALLERS],
    ...specs.map((s) => [
      `\`${s.method.toUpperCase()} /admin${s.path}\``,
      ...MATRIX_CALLERS.map((c) => cell(s, c)),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(rows[0]!), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)];
  const summaries = specs.map((s) => `- \`${s.method.toUpperCase()} /admin${s.path}\`: ${s.summary}`);
  return [
    '# Admin API: who may call what',
    '',
    '<!-- Generated from the route specs (src/admin/route-spec.ts, the lists admin-router.ts mounts) by',
    '     `npm run docs:roles`. Do not edit by hand: tests/admin/role-matrix.test.ts fails when this file and',
    '     the specs differ, and checks every cell against the running HTTP app. -->',
    '',
    'Every request to `/admin` carries `Authorization: Bearer plaza_…` (a token from `plaza tokens create` or',
    '`plaza moderators token`). Without a working token the answer is 401 `{ "error": "unauthorized" }`; with',
    'a token whose role is not listed for the endpoint, 403 `{ "error": "forbidden" }`. Both come before the',
    'request is validated or anything is read or written. The queues board also accepts its token once in',
    'the address (`/admin/queues?token=…`) and then a cookie of its own; it answers alike.',
    '',
    ...table,
    '',
    '"allow" means the role check lets the request through: the handler then validates it (422, 404…).',
    '',
    '## Endpoints',
    '',
    ...summaries,
    '',
  ].join('\n');
}
