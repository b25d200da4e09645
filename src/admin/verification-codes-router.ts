// The verification codes of a binding process, for whoever manages processes (PROCESS_ROLES: staff and
// admins). admin-router.ts mounts it at `/processes`, before the processes router, so this route's body
// parsers (a CSV file of a few MB) run instead of that router's smaller JSON limit:
//
//   POST /processes/:id/verification-codes   import codes: the CSV as the body (text/csv or text/plain),
//                                            or JSON `{ "csv": "…" }`
//   GET  /processes/:id/verification-codes   how many codes there are and how many were redeemed
//
// The import (import-verification-codes.ts: one code per line, or a table with a `code` column) answers 200
// `{ imported, malformed: [{ line, reason }], duplicatesInFile: [{ line, firstLine }], alreadyImported:
// [line], headerLine }`: rows are named by line number only, so importing the same file again is safe and
// adds nothing. A list's first line is a header only when it is exactly a header word (`code`, `código`…);
// `headerLine` says which line was skipped as one (null: none). Codes with fewer than 8 letters or digits are
// malformed (`too-short`: verification-codes.ts says why). The import is one transaction: all of it or
// nothing.
// Refusals: 404 `{ error: 'not-found' }` (no such process), 400 `{ error: 'empty' | 'no-code-column' |
// 'too-many' }`, 415 for another content type, 413 over the limit. Codes are never logged nor echoed: the
// log line has the counts only. Making a process require the codes is `PATCH /processes/:id
// { requiresVerification: true }` (processes-router.ts).
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { countVerificationCodes } from '../domain/count-verification-codes.ts';
import type { DomainDeps } from '../domain/deps.ts';
import {
  HEADER_WORDS,
  importVerificationCodes,
  MAX_IMPORTED_CODES,
} from '../domain/import-verification-codes.ts';
import { MAX_VERIFICATION_CODE_LENGTH, MIN_VERIFICATION_CODE_LENGTH } from '../domain/verification-codes.ts';
import type { Logger } from '../logger.ts';
import { staffOf } from './auth.ts';
import {
  ANSWERS,
  bodyParserErrors,
  fieldErrors,
  hasBody,
  idParam,
  idParams,
  invalid,
  JSON_TYPES,
  notFound,
  UNSUPPORTED_MEDIA_TYPE,
} from './http-answers.ts';
import { PROCESS_ROLES } from './processes-router.ts';
import type { AdminRouteSpec } from './route-spec.ts';

/** Largest CSV accepted: 200,000 codes of ~20 characters, with a column or two beside them. */
export const VERIFICATION_CSV_LIMIT = '8mb';

const CSV_TYPES = ['text/csv', 'text/plain'];

/** The header words, as the description lists them: `code`, `codes`… or `codigos` (any case, perhaps quoted). */
const HEADER_NAMES = `${HEADER_WORDS.slice(0, -1)
  .map((w) => `\`${w}\``)
  .join(', ')} or \`${HEADER_WORDS.at(-1)}\` (in any case, perhaps quoted)`;

export const importCodesBody = z
  .strictObject({ csv: z.string().meta({ description: 'The CSV text, as it would be sent as text/csv' }) })
  .meta({
    description:
      'Or send the CSV itself as the body, with Content-Type text/csv or text/plain (UTF-8): one code per line, ' +
      `or a table (comma, semicolon or tab separated) with a column named ${HEADER_NAMES}. Codes have ` +
      `${MIN_VERIFICATION_CODE_LENGTH}–${MAX_VERIFICATION_CODE_LENGTH} letters or digits, perhaps written with \`-\`, \`_\` or spaces ` +
      'between them, and are compared by their letters and digits alone, without regard to case (`ABCD-1234` and ' +
      '`abcd 1234` are one code); blank lines are skipped. In a list of one code per line, the first line is ' +
      `skipped as a header only when it is exactly ${HEADER_NAMES}; any other first line is read as a code ` +
      "(the answer's `headerLine` says which line, if any, was skipped).",
  });

/** `GET …/verification-codes` takes no query. */
export const countCodesQuery = z.strictObject({});

/** The endpoints this router serves, relative to /admin (admin-router.ts mounts it at /processes). */
export const verificationCodeRoutes: AdminRouteSpec[] = [
  {
    method: 'post',
    path: '/processes/:id/verification-codes',
    summary:
      "Import a binding process's invitation or census codes from CSV (stored hashed); reports malformed and duplicate rows by line",
    description:
      `The body is the CSV (text/csv or text/plain) or JSON \`{ "csv": "…" }\`, at most ${VERIFICATION_CSV_LIMIT}. ` +
      'Importing the same file twice adds nothing (its codes come back in `alreadyImported`). The codes are ' +
      'never logged nor returned.',
    roles: PROCESS_ROLES,
    params: idParams,
    body: importCodesBody,
    responses: {
      200: '`{ imported, malformed: [{ line, reason: "not-a-code" | "too-short" | "missing-column" }], duplicatesInFile: [{ line, firstLine }], alreadyImported: [line], headerLine: line | null }` (lines counted from 1; `headerLine`: the line skipped as a header, or null when every line was read as a code)',
      400: `${ANSWERS.invalidJson}; or the CSV cannot be imported: \`{ "error": "empty" | "no-code-column" | "too-many" }\``,
      404: ANSWERS.notFound,
      413: ANSWERS.tooLarge,
      415: 'Not CSV, text or JSON: `{ "error": "unsupported-media-type" }`',
      422: ANSWERS.invalid,
    },
  },
  {
    method: 'get',
    path: '/processes/:id/verification-codes',
    summary: 'How many verification codes a process has and how many were redeemed (never the codes)',
    roles: PROCESS_ROLES,
    params: idParams,
    query: countCodesQuery,
    responses: {
      200: '`{ requiresVerification, total, redeemed }`',
      404: ANSWERS.notFound,
      422: ANSWERS.invalid,
    },
  },
];

export interface VerificationCodesRouterDeps {
  domain: DomainDeps;
  logger: Logger;
}

export function createVerificationCodesRouter(deps: VerificationCodesRouterDeps): Router {
  const log = deps.logger.child({ module: 'admin-verification-codes' });
  const router = express.Router();

  router.post(
    '/:id/verification-codes',
    express.json({ limit: VERIFICATION_CSV_LIMIT, type: JSON_TYPES }),
    express.text({ type: CSV_TYPES, limit: VERIFICATION_CSV_LIMIT }),
    async (req: Request, res: Response) => {
      const processId = idParam(req);
      if (processId === undefined) return notFound(res);
      let csv: string;
      const given: unknown = req.body;
      if (typeof given === 'string') csv = given;
      else if (given === undefined) {
        if (hasBody(req)) return void res.status(415).json(UNSUPPORTED_MEDIA_TYPE);
        csv = '';
      } else {
        const body = importCodesBody.safeParse(given);
        if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
        csv = body.data.csv;
      }
      const staff = staffOf(res);
      const result = await importVerificationCodes(deps.domain, {
        processId,
        csv,
        staffMemberId: staff.id,
        sourceIp: req.ip,
      });
      log.info(
        result.ok
          ? {
              processId,
              staffId: staff.id,
              outcome: 'imported',
              imported: result.imported,
              malformed: result.malformed.length,
              duplicatesInFile: result.duplicatesInFile.length,
              alreadyImported: result.alreadyImported.length,
              headerLine: result.headerLine,
            }
          : { processId, staffId: staff.id, outcome: result.reason },
        'verification codes import',
      );
      if (!result.ok) {
        if (result.reason === 'process-not-found') return notFound(res);
        return void res
          .status(400)
          .json(
            result.reason === 'too-many'
              ? { error: result.reason, max: MAX_IMPORTED_CODES }
              : { error: result.reason },
          );
      }
      const { imported, malformed, duplicatesInFile, alreadyImported, headerLine } = result;
      res.json({ imported, malformed, duplicatesInFile, alreadyImported, headerLine });
    },
  );

  router.get('/:id/verification-codes', async (req, res) => {
    const processId = idParam(req);
    if (processId === undefined) return notFound(res);
    const query = countCodesQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    const result = await countVerificationCodes(deps.domain, { processId });
    if (!result.ok) return notFound(res);
    const { requiresVerification, total, redeemed } = result;
    res.json({ requiresVerification, total, redeemed });
  });

  router.use(bodyParserErrors);
  return router;
}
