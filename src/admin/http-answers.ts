// The admin API's shared answers: ids from the path, 404 and 422 bodies, zod issues named by field, and the
// body parser's failures in this API's shape. One place, so every admin route answers alike.
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { isDbId } from '../domain/ids.ts';

export type FieldError = { path: string; message: string };

/** `:id` as a database id, or undefined (then the route answers 404). */
export function idParam(req: Request): number | undefined {
  const raw = req.params.id;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return isDbId(id) ? id : undefined;
}

export function notFound(res: Response): void {
  res.status(404).json({ error: 'not-found' });
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
