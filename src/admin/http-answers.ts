// The admin API's shared answers: ids from the path, 404 and 422 bodies, zod issues named by field, the
// body parser (JSON only, 415 for any other body) and its failures in this API's shape, and the text and
// date types every admin schema builds on, so what passes validation can be stored and read back (and how
// a PATCH gives texts per language). One place, so every admin route answers alike.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
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
  unsupportedType: 'A body that is not JSON: `{ "error": "unsupported-media-type" }`',
} as const;

/**
 * Free text that PostgreSQL can store as it was given: no NUL (refused in `text` and `jsonb`) and
 * well-formed UTF-16 (a lone surrogate is refused in `jsonb`, or silently turned into U+FFFD in `text`).
 * Every admin free-text field starts from this; each adds its own trim and limits.
 */
export const storableText = () =>
  z
    .string()
    .refine((s) => !s.includes('\u0000'), 'Must not contain NUL characters (U+0000)')
    .refine((s) => s.isWellFormed(), 'Must be well-formed Unicode text (no lone surrogates)');

/**
 * Texts per language in a PATCH, merged into the stored ones as a JSON merge patch (RFC 7386) merges
 * objects (the domain's `mergeTexts`, localized-text.ts): a language given replaces its text, `null`
 * removes it, one not named is kept. Spanish cannot be removed. `text` is the route's own schema of one
 * language's text, at most `max` characters (what it trims and refuses as on create).
 */
export const textsPatchOf = (text: (max: number) => z.ZodString, max: number) =>
  z
    .strictObject({
      // Not nullable: Spanish is everyone's fallback, so `null` is refused as a missing one is on create.
      es: text(max).optional(),
      en: text(max).nullable().optional(),
    })
    .meta({
      description: `Merged per language into the stored texts: a language given replaces its text, \`null\` removes it (English only: Spanish is required), one not named is kept; at most ${max} characters each`,
    });

/**
 * The first and last UTC years an admin date may fall in. Past 9999 PostgreSQL stores the date but Prisma
 * reads it back as an Invalid Date, which then breaks every page showing it (the dashboard, the report, the
 * chat). Before 2000: BC years read back as badly, and any other is a typing mistake, since Plaza schedules
 * broadcasts, phases and events of processes run now (none of the tests' dates, nor a real one, is older).
 */
export const MIN_DATE_YEAR = 2000;
export const MAX_DATE_YEAR = 9999;

/** An ISO 8601 date and time with its offset, within MIN_DATE_YEAR…MAX_DATE_YEAR once in UTC. */
export const storableDateTime = () =>
  z.iso
    .datetime({ offset: true, message: 'Must be an ISO 8601 date and time with a time zone' })
    .refine((s) => {
      const year = new Date(s).getUTCFullYear();
      return year >= MIN_DATE_YEAR && year <= MAX_DATE_YEAR;
    }, `Must be between the years ${MIN_DATE_YEAR} and ${MAX_DATE_YEAR} (in UTC)`);

/** Whether the request carries a body at all (express leaves `req.body` undefined when no parser took it). */
export const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** What the admin API reads as JSON: `application/json` and its structured-syntax kin (`merge-patch+json`…). */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/** A body of another type is answered 415, so it is never read as "no body" and silently dropped. */
export const UNSUPPORTED_MEDIA_TYPE = { error: 'unsupported-media-type' } as const;

/**
 * The JSON body parser of an admin router, up to `limit`: a body of any other type answers 415 before the
 * handler runs (the handlers read a missing body as `{}`, which must mean nothing was sent).
 */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    express.json({ limit, type: JSON_TYPES }),
    (req, res, next) =>
      req.body === undefined && hasBody(req) ? void res.status(415).json(UNSUPPORTED_MEDIA_TYPE) : next(),
  ];
}

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
