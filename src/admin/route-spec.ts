// What every admin endpoint declares about itself, next to the router that serves it: method, path (express
// syntax, relative to /admin), who may call it, and the zod schemas its handler validates with. From these
// lists come the OpenAPI document (/admin/openapi.json), the role matrix in docs/ and its cell-by-cell test,
// so none of them can drift from what the code does.
import type { z } from 'zod';
import type { StaffRole } from '../generated/prisma/enums.ts';

export interface AdminRouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Relative to /admin, express syntax: `/broadcasts/:id/cancel`. */
  path: string;
  summary: string;
  /** Roles allowed; anyone else authenticated gets 403, the anonymous 401. */
  roles: readonly StaffRole[];
  /** The schemas the handler parses with (strict: unknown fields are refused). */
  query?: z.ZodType;
  body?: z.ZodType;
  /** Status codes it answers with, and what each means (for the document). */
  responses: Record<number, string>;
  /** Not JSON: the content type of its 200 answer (e.g. `text/html`, `text/csv`). */
  produces?: string;
}
