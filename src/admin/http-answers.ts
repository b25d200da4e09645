// The admin API's shared answers: ids from the path, 404 and 422 bodies, zod issues named by field, and the
// body parser's failures in this API's shape. One place, so every admin route answers alike.
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { isDbId } from '../domain/ids.ts';

export type FieldError = { path: string; message: string };

/** The path parameters of a route on one row, `/…/:id…`: a database id in decimal. */
export const idParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')
    .transform(Number)
    .refine(isDbId, 'Too large')
    .meta({ description: 'A database id: a positive integer up to 2147483647' }),
});

/** `:id` as a database id, or undefined (then the route answers 404). Other path parameters are ignored. */
export function idParam(req: Request): number | undefined {
  const parsed = idParams.safeParse({ id: req.params.id });
  return parsed.success ? parsed.data.id : undefined;
}

/** What the shared answers mean, for the route specs' `responses` (401 and 403 are added to every one). */
export const ANSWERS = {
  invalidJson: 'Malformed JSON: `{ "error": "invalid-json" }`',
  invalid: 'Invalid query or body: `{ "error": "invalid-request", "fields": [{ "path", "message" }] }`',
  notFound: 'No such row, or an id that is not one: `{ "error": "not-found" }`',
  tooLarge: 'Body over the limit: `{ "error": "payload-too-large" }`',
} as const;

export function notFound(res: Response): void {
  res.status(404).json({ error: 'not-found' });
}

/** A staff member whose role may not do this (the use case said `not-allowed`). */
export function forbidden(res: Response): void {
  res.status(403).json({ error: 'forbidden' });
}

export function invalid(res: Response, fields: FieldError[]): void {
  res.status(422).json({ error: 'invalid-request', fields });
}

/** zod issues as `{ path, message }`, one per unknown field; the root is named after what was parsed. */
export function fieldErrors(error: z.ZodError, root: 'query' | 'body'): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: at ? `${at}.${key}` : key, message: 'Unknown field' }));
    return [{ path: at || root, message: issue.message }];
  });
}

/** Body parser failures are the client's: answered in this API's shape (others go to the app's boundary). */
export function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = error as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof e?.type !== 'string' || e.expose !== true || typeof e.status !== 'number' || e.status >= 500)
    return next(error);
  const code =
    e.type === 'entity.parse.failed'
      ? 'invalid-json'
      : e.status === 413
        ? 'payload-too-large'
        : e.status === 415
          ? 'unsupported-media-type'
          : 'bad-request';
  res.status(e.status).json({ error: code });
}
