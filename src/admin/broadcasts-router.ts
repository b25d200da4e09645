// The broadcasts part of the admin API, for staff and admins (admin-router.ts mounts it at `/broadcasts`
// behind bearerAuth and checks broadcastRoutes' roles, BROADCAST_ROLES: moderators get 403):
//
//   POST /broadcasts                { processId, texts: { es, en? }, audience?, scheduledAt? }   create one
//   GET  /broadcasts?processId=&limit=                                                       newest first
//   GET  /broadcasts/:id                  its figures (get-broadcast-progress, which says what they mean)
//   POST /broadcasts/:id/cancel                               stop a scheduled or sending one (audited)
//
// Contract, as the moderation API's: every answer is JSON; strict schemas, so unknown fields and bad values
// answer 422 `{ error: 'invalid-request', fields: [{ path, message }] }` naming each field; an id that is not
// a database id, or no such broadcast: 404 `{ error: 'not-found' }`; a process that does not exist: 404
// `{ error: 'process-not-found' }`; a broadcast already done or cancelled: 409 `{ error: 'not-cancellable',
// status }`. Malformed JSON: 400 `{ error: 'invalid-json' }`; too large: 413; a body that is not JSON: 415
// `{ error: 'unsupported-media-type' }`. Bad input never reaches a 5xx.
// Sending is not done here: create-broadcast enqueues it (now, or delayed until `scheduledAt`).
import express, { type Router } from 'express';
import { z } from 'zod';
import { BROADCAST_CHANNELS } from '../domain/broadcast-audience.ts';
import { cancelBroadcast } from '../domain/cancel-broadcast.ts';
import { countBroadcastAudience } from '../domain/count-broadcast-audience.ts';
import { createBroadcast, MAX_BROADCAST_TEXT } from '../domain/create-broadcast.ts';
import type { DomainDeps } from '../domain/deps.ts';
import { getBroadcastProgress } from '../domain/get-broadcast-progress.ts';
import { MAX_DB_ID } from '../domain/ids.ts';
import { listBroadcasts, MAX_BROADCASTS_LIMIT } from '../domain/list-broadcasts.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
import type { Logger } from '../logger.ts';
import { staffOf } from './auth.ts';
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
  storableDateTime,
  storableText,
} from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

/** Who may create, list, follow and cancel broadcasts. */
export const BROADCAST_ROLES: readonly StaffRole[] = ['admin', 'staff'];

export interface BroadcastsRouterDeps {
  domain: DomainDeps;
  logger: Logger;
  /** Largest JSON body accepted. Default '64kb' (two texts of 4,000 characters, in any script). */
  bodyLimit?: string;
}

const textOf = storableText()
  .refine((s) => s.trim().length > 0, 'Must not be empty')
  .refine(
    (s) => [...s.trim()].length <= MAX_BROADCAST_TEXT,
    `Must be at most ${MAX_BROADCAST_TEXT} characters`,
  );

export const createBody = z.strictObject({
  processId: z.number().int('Must be an integer').positive('Must be positive').max(MAX_DB_ID, 'Too large'),
  texts: z.strictObject({ es: textOf, en: textOf.optional() }),
  audience: z
    .strictObject({
      locales: z
        .array(z.enum(['es', 'en']))
        .min(1, 'Must name at least one language')
        .optional(),
      channels: z.array(z.enum(BROADCAST_CHANNELS)).min(1, 'Must name at least one channel').optional(),
    })
    .optional(),
  scheduledAt: storableDateTime().optional(),
});

const dbIdString = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .refine((n) => n <= MAX_DB_ID, 'Too large');

export const listQuery = z.strictObject({
  processId: dbIdString.optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `Must be an integer from 1 to ${MAX_BROADCASTS_LIMIT}`)
    .transform(Number)
    .refine(
      (n) => n >= 1 && n <= MAX_BROADCASTS_LIMIT,
      `Must be an integer from 1 to ${MAX_BROADCASTS_LIMIT}`,
    )
    .optional(),
});

/** A cancellation carries nothing; an empty object (or no body) is fine, anything in it is not. */
export const cancelBody = z.strictObject({});

/** `GET /broadcasts/:id` takes no query at all. */
export const progressQuery = z.strictObject({});

/** What a broadcast's figures mean (get-broadcast-progress), as the API documents them. */
const PROGRESS_ANSWER =
  '`{ id, processId, status, scheduledAt, startedAt, finishedAt, recipients, sent, waiting, failed, blocked, ' +
  "skipped, remaining, ratePerSecond, etaSeconds }`. `sent`: delivered on Plaza's side (Telegram: the message " +
  'went out; web chat, where nothing is pushed: recorded for the person, shown at their next visit). ' +
  '`waiting`: part of `sent`, the web chat ones not shown yet (until the person comes back, or never will: ' +
  'unsubscribed or erased); whether anyone read it is not known. `remaining`: not settled yet; ' +
  '`sent + failed + blocked + skipped + remaining = recipients`. `ratePerSecond`: recipients counted in ' +
  '`sent` per second over the last 10 s; `etaSeconds`: `remaining` at that rate, null when nothing moves.';

/** The endpoints this router serves, relative to /admin (admin-router.ts mounts it at /broadcasts). */
export const broadcastRoutes: AdminRouteSpec[] = [
  {
    method: 'post',
    path: '/broadcasts',
    summary: "Create a broadcast to a process's subscribers, now or at `scheduledAt` (audited)",
    roles: BROADCAST_ROLES,
    body: createBody,
    responses: {
      201: '`{ id, status, scheduledAt, recipientsEstimate }`, with its address in `Location`',
      400: ANSWERS.invalidJson,
      404: 'No such process: `{ "error": "process-not-found" }`',
      413: ANSWERS.tooLarge,
      422: ANSWERS.invalid,
    },
  },
  {
    method: 'get',
    path: '/broadcasts',
    summary: 'Broadcasts, newest first',
    roles: BROADCAST_ROLES,
    query: listQuery,
    responses: { 200: '`{ items }`', 422: ANSWERS.invalid },
  },
  {
    method: 'get',
    path: '/broadcasts/:id',
    summary: "A broadcast's figures: recipients, sent, waiting, failed, blocked, skipped…",
    roles: BROADCAST_ROLES,
    params: idParams,
    query: progressQuery,
    responses: { 200: PROGRESS_ANSWER, 404: ANSWERS.notFound, 422: ANSWERS.invalid },
  },
  {
    method: 'post',
    path: '/broadcasts/:id/cancel',
    summary: 'Stop a scheduled or sending broadcast (audited); no body, or `{}`',
    roles: BROADCAST_ROLES,
    params: idParams,
    body: cancelBody,
    responses: {
      200: `Its progress, now cancelled. ${PROGRESS_ANSWER}`,
      400: ANSWERS.invalidJson,
      404: ANSWERS.notFound,
      409: 'Already done or cancelled: `{ "error": "not-cancellable", "status" }`',
      422: ANSWERS.invalid,
    },
  },
];

export function createBroadcastsRouter(deps: BroadcastsRouterDeps): Router {
  const log = deps.logger.child({ module: 'admin-broadcasts' });
  const router = express.Router();
  router.use(jsonBody(deps.bodyLimit ?? '64kb'));

  router.post('/', async (req, res) => {
    const body = createBody.safeParse(req.body);
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const { processId, texts, audience, scheduledAt } = body.data;
    const result = await createBroadcast(deps.domain, {
      staffMemberId: staff.id,
      processId,
      texts,
      audience,
      scheduledAt: scheduledAt === undefined ? undefined : new Date(scheduledAt),
      sourceIp: req.ip,
    });
    log.info(
      { processId, staffId: staff.id, outcome: result.ok ? 'created' : result.reason },
      'broadcast create',
    );
    if (result.ok) {
      const estimate = await countBroadcastAudience(deps.domain, { processId, audience: audience ?? {} });
      res.status(201).location(`${req.baseUrl}/${result.broadcast.id}`);
      return res.json({
        id: result.broadcast.id,
        status: result.broadcast.status,
        scheduledAt: result.broadcast.scheduledAt,
        recipientsEstimate: estimate.total,
      });
    }
    switch (result.reason) {
      case 'not-allowed':
        return forbidden(res);
      case 'process-not-found':
        return res.status(404).json({ error: 'process-not-found' });
      case 'spanish-text-required':
        return invalid(res, [{ path: 'texts.es', message: 'Required' }]);
      case 'text-too-long':
        return invalid(res, [{ path: 'texts', message: `At most ${MAX_BROADCAST_TEXT} characters` }]);
      case 'invalid-audience':
        return invalid(res, [{ path: 'audience', message: 'Not a valid audience' }]);
      case 'in-the-past':
        return invalid(res, [{ path: 'scheduledAt', message: 'Must not be in the past' }]);
      default: {
        const unhandled: never = result.reason;
        throw new Error(`unhandled broadcast outcome ${String(unhandled)}`);
      }
    }
  });

  router.get('/', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    res.json({ items: await listBroadcasts(deps.domain, query.data) });
  });

  router.get('/:id', async (req, res) => {
    const broadcastId = idParam(req);
    if (broadcastId === undefined) return notFound(res);
    const query = progressQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    const progress = await getBroadcastProgress(deps.domain, { broadcastId });
    if (!progress) return notFound(res);
    res.json(progress);
  });

  router.post('/:id/cancel', async (req, res) => {
    const broadcastId = idParam(req);
    if (broadcastId === undefined) return notFound(res);
    const body = cancelBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const result = await cancelBroadcast(deps.domain, {
      broadcastId,
      staffMemberId: staff.id,
      sourceIp: req.ip,
    });
    log.info(
      { broadcastId, staffId: staff.id, outcome: result.ok ? 'cancelled' : result.reason },
      'broadcast cancel',
    );
    if (!result.ok) {
      switch (result.reason) {
        case 'not-allowed':
          return forbidden(res);
        case 'not-found':
          return notFound(res);
        case 'not-cancellable':
          return res.status(409).json({ error: 'not-cancellable', status: result.status });
        default: {
          const unhandled: never = result;
          throw new Error(`unhandled cancel outcome ${JSON.stringify(unhandled)}`);
        }
      }
    }
    const progress = await getBroadcastProgress(deps.domain, { broadcastId });
    if (!progress) return notFound(res);
    res.json(progress);
  });

  router.use(bodyParserErrors);
  return router;
}
