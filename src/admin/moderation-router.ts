// The moderation part of the admin API (mounted behind bearerAuth by admin-router.ts):
//
//   GET  /moderation?state=&itemKind=&processId=&reason=&limit=&cursor=   the queue (list-moderation-queue)
//   GET  /moderation/:id?locale=                                         one case (get-moderation-case)
//   POST /moderation/:id/decision  { decision, reason? }                 decide it (decide-moderation)
//
// Contract: every answer is JSON. Query and body are validated by strict schemas: unknown fields, bad values
// and a rejection without a reason answer 422 `{ error: 'invalid-request', fields: [{ path, message }] }`.
// A case id that is not a database id, or no such case: 404 `{ error: 'not-found' }`. A decision taken by
// someone else first: 409 `{ error: 'already-decided', decidedBy, decision }`. A first review closed without
// a decision because reports hid its item while it waited (wasSuperseded): 409 `{ error: 'superseded',
// reviewedIn }`, the reported case opened in its place (null if it cannot be found). Malformed JSON: 400
// `{ error: 'invalid-json' }`; a body over the limit: 413; a body that is not JSON: 415. Bad input never
// reaches a 5xx. Logs carry ids and outcomes only.
import express, { type Router } from 'express';
import { z } from 'zod';
import {
  decideModeration,
  MAX_REASON_LENGTH,
  type DecideModerationResult,
} from '../domain/decide-moderation.ts';
import type { DomainDeps } from '../domain/deps.ts';
import { getCaseDecision } from '../domain/get-case-decision.ts';
import { getModerationCase } from '../domain/get-moderation-case.ts';
import { MAX_DB_ID } from '../domain/ids.ts';
import { listModerationQueue, MAX_QUEUE_LIMIT, QUEUE_STATES } from '../domain/list-moderation-queue.ts';
import type { Logger } from '../logger.ts';
import { MODERATION_ROLES, staffOf } from './auth.ts';
import {
  ANSWERS,
  bodyParserErrors,
  fieldErrors,
  idParam,
  idParams,
  invalid,
  jsonBody,
  notFound,
  forbidden,
  storableText,
} from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

export interface ModerationRouterDeps {
  domain: DomainDeps;
  logger: Logger;
  /** Largest JSON body accepted. Default '8kb' (a decision is a few hundred bytes). */
  bodyLimit?: string;
}

/** A decimal integer within the database's id range, from a query string. */
const dbIdString = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .refine((n) => n <= MAX_DB_ID, 'Too large');

export const queueQuery = z.strictObject({
  state: z.enum(QUEUE_STATES).optional(),
  itemKind: z.enum(['proposal', 'comment']).optional(),
  processId: dbIdString.optional(),
  reason: z.enum(['submitted', 'reported']).optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `Must be an integer from 1 to ${MAX_QUEUE_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_QUEUE_LIMIT, `Must be an integer from 1 to ${MAX_QUEUE_LIMIT}`)
    .optional(),
  cursor: z.string().max(200).optional(),
});

export const caseQuery = z.strictObject({ locale: z.enum(['es', 'en']).optional() });

export const decisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject', 'redact_approve']),
    reason: storableText()
      .trim()
      .min(1, `Must be 1 to ${MAX_REASON_LENGTH} characters`)
      .max(MAX_REASON_LENGTH, `Must be 1 to ${MAX_REASON_LENGTH} characters`)
      .optional(),
  })
  .refine((b) => b.decision !== 'reject' || b.reason !== undefined, {
    path: ['reason'],
    message: 'Required to reject',
  })
  .meta({ description: 'A reason is required to reject.' });

/** The endpoints this router serves (admin-router.ts checks their roles, openapi.ts documents them). */
export const moderationRoutes: AdminRouteSpec[] = [
  {
    method: 'get',
    path: '/moderation',
    summary: 'The moderation queue, oldest first, filtered, paged by cursor, with the open count',
    roles: MODERATION_ROLES,
    query: queueQuery,
    responses: { 200: '`{ items, nextCursor, openCount }`', 422: ANSWERS.invalid },
  },
  {
    method: 'get',
    path: '/moderation/:id',
    summary: 'One moderation case: the item, its pre-screen findings, reports and decision',
    roles: MODERATION_ROLES,
    params: idParams,
    query: caseQuery,
    responses: { 200: 'The case', 404: ANSWERS.notFound, 422: ANSWERS.invalid },
  },
  {
    method: 'post',
    path: '/moderation/:id/decision',
    summary: 'Decide a case: approve, reject (with a reason) or redact and approve; the first decision wins',
    roles: MODERATION_ROLES,
    params: idParams,
    body: decisionBody,
    responses: {
      200: 'The decided case',
      400: ANSWERS.invalidJson,
      404: ANSWERS.notFound,
      409:
        'Decided by someone else first: `{ "error": "already-decided", "decidedBy", "decision" }`; or closed ' +
        'without a decision because reports hid its item before anyone decided, and now reviewed as a ' +
        'report in another case: `{ "error": "superseded", "reviewedIn": <case id, or null if unknown> }`',
      413: ANSWERS.tooLarge,
      422: `${ANSWERS.invalid}; or \`{ "error": "nothing-to-redact" }\``,
    },
  },
];

/** A refused decision's outcome as logged and answered: a case reports closed is `superseded`. */
const outcomeOf = (r: Exclude<DecideModerationResult, { ok: true }>): string =>
  r.reason === 'already-decided' && r.decision === null ? 'superseded' : r.reason;

export function createModerationRouter(deps: ModerationRouterDeps): Router {
  const log = deps.logger.child({ module: 'admin-moderation' });
  const router = express.Router();
  router.use(jsonBody(deps.bodyLimit ?? '8kb'));

  router.get('/moderation', async (req, res) => {
    const query = queueQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    const result = await listModerationQueue(deps.domain, query.data);
    if (!result.ok) return invalid(res, [{ path: 'cursor', message: 'Not a cursor from this listing' }]);
    res.json({ items: result.items, nextCursor: result.nextCursor, openCount: result.openCount });
  });

  router.get('/moderation/:id', async (req, res) => {
    const caseId = idParam(req);
    if (caseId === undefined) return notFound(res);
    const query = caseQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    const view = await getModerationCase(deps.domain, { caseId, locale: query.data.locale });
    if (!view) return notFound(res);
    res.json(view);
  });

  router.post('/moderation/:id/decision', async (req, res) => {
    const caseId = idParam(req);
    if (caseId === undefined) return notFound(res);
    const body = decisionBody.safeParse(req.body);
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const result = await decideModeration(deps.domain, {
      caseId,
      staffMemberId: staff.id,
      decision: body.data.decision,
      reason: body.data.reason,
      sourceIp: req.ip,
    });
    log.info(
      {
        caseId,
        staffId: staff.id,
        decision: body.data.decision,
        outcome: result.ok ? 'decided' : outcomeOf(result),
      },
      'moderation decision',
    );
    if (result.ok) {
      const view = await getModerationCase(deps.domain, { caseId });
      if (!view) return notFound(res);
      return res.json(view);
    }
    switch (result.reason) {
      case 'not-found':
        return notFound(res);
      case 'already-decided': {
        // Closed, not decided (a decision always has its name): reports hid its item.
        if (result.decision === null) {
          const reviewedIn = (await getCaseDecision(deps.domain, { caseId }))?.supersededBy ?? null;
          return res.status(409).json({ error: 'superseded', reviewedIn });
        }
        return res
          .status(409)
          .json({ error: 'already-decided', decidedBy: result.decidedBy, decision: result.decision });
      }
      case 'nothing-to-redact':
        return res.status(422).json({ error: 'nothing-to-redact' });
      case 'reason-required':
        return invalid(res, [{ path: 'reason', message: 'Required to reject' }]);
      case 'not-allowed':
        return forbidden(res);
      default: {
        const unhandled: never = result;
        throw new Error(`unhandled decision outcome ${JSON.stringify(unhandled)}`);
      }
    }
  });

  router.use(bodyParserErrors);
  return router;
}
