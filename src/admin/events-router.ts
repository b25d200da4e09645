// Workshops and events, for staff and admins (admin-router.ts mounts it at `/events`; moderators get 403):
//
//   POST /events                  { processId, kind, title: { es, en? }, description?, place, startsAt, endsAt?,
//                                   capacity }                                                  announce one
//   GET  /events?processId=&include=upcoming|all       a process's events, with places left and waiting list
//   GET  /events/:id              one, with `registered` and `waitlisted` counts (never who)
//   PATCH /events/:id             any of the fields above but processId (`null` clears description or endsAt);
//                                 a JSON merge patch (RFC 7386, whatever the JSON type): title and description
//                                 merge per language, `null` removes a language (never Spanish: 422), one not
//                                 named is kept (as PATCH /processes/:id); registered and waiting people are
//                                 told of a new date, time or place (not once it has started: 409 event-started)
//   POST /events/:id/cancel       { reason? }: call it off; registered and waiting people are told, with the
//                                 reason as written
//                                 (not once it has started: 409 event-started)
//   POST /events/:id/proposals    { title, body, categoryId?, locale? }: a workshop's outcome as a proposal
//                                 (no author, marked with the workshop, moderated as the process says; a
//                                 title already recorded for it, the same request sent twice: 409 duplicate)
//
// Writes are audited with the caller's address. Answers as the other admin routers (http-answers.ts): strict
// schemas, unknown fields and bad values 422 naming each field; no such event 404; conflicts 409.
import express, { type Router } from 'express';
import { z } from 'zod';
import { cancelEvent, MAX_CANCEL_REASON } from '../domain/cancel-event.ts';
import { createEvent } from '../domain/create-event.ts';
import type { DomainDeps } from '../domain/deps.ts';
import { EVENT_KINDS, EVENT_LIMITS } from '../domain/events.ts';
import { getEvent } from '../domain/get-event.ts';
import { MAX_DB_ID } from '../domain/ids.ts';
import { listEvents } from '../domain/list-events.ts';
import { BODY_MAX, BODY_MIN, TITLE_MAX, TITLE_MIN } from '../domain/proposal-rules.ts';
import { recordWorkshopProposal } from '../domain/record-workshop-proposal.ts';
import { updateEvent } from '../domain/update-event.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
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
  textsPatchOf,
} from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

/** Who may announce, change, cancel and follow events, and record workshop outcomes. */
export const EVENT_ROLES: readonly StaffRole[] = ['admin', 'staff'];

const textOf = (max: number) =>
  storableText()
    .trim()
    .min(1, 'Must not be empty')
    .refine((s) => [...s].length <= max, `Must be at most ${max} characters`);

const textsOf = (max: number) => z.strictObject({ es: textOf(max), en: textOf(max).optional() });

const dbId = z.number().int('Must be an integer').positive('Must be positive').max(MAX_DB_ID, 'Too large');

const dateTime = storableDateTime();

const capacity = z
  .number()
  .int('Must be an integer')
  .min(1, 'Must be at least 1')
  .max(EVENT_LIMITS.capacity, `Must be at most ${EVENT_LIMITS.capacity}`);

export const createBody = z.strictObject({
  processId: dbId,
  kind: z.enum(EVENT_KINDS),
  title: textsOf(EVENT_LIMITS.title),
  description: textsOf(EVENT_LIMITS.description).optional(),
  place: textOf(EVENT_LIMITS.place),
  startsAt: dateTime,
  endsAt: dateTime.optional(),
  capacity,
});

export const updateBody = z
  .strictObject({
    kind: z.enum(EVENT_KINDS).optional(),
    title: textsPatchOf(textOf, EVENT_LIMITS.title).optional(),
    description: textsPatchOf(textOf, EVENT_LIMITS.description).nullable().optional(),
    place: textOf(EVENT_LIMITS.place).optional(),
    startsAt: dateTime.optional(),
    endsAt: dateTime.nullable().optional(),
    capacity: capacity.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: 'Give at least one field to change',
    when: (payload) => payload.issues.length === 0,
  })
  .meta({
    description:
      'A JSON merge patch (RFC 7386): `null` clears description or endsAt; title and description merge per ' +
      'language (a language given replaces its text, `null` removes it, English only: Spanish is required; ' +
      'one not named is kept).',
  });

export const cancelBody = z.strictObject({
  reason: textOf(MAX_CANCEL_REASON)
    .optional()
    .meta({ description: 'Told, as written, to the registered and waiting people (and audited)' }),
});

export const proposalBody = z.strictObject({
  title: storableText()
    .refine((s) => [...s.trim()].length >= TITLE_MIN, `Must be at least ${TITLE_MIN} characters`)
    .refine((s) => [...s.trim()].length <= TITLE_MAX, `Must be at most ${TITLE_MAX} characters`),
  body: storableText()
    .refine((s) => [...s.trim()].length >= BODY_MIN, `Must be at least ${BODY_MIN} characters`)
    .refine((s) => [...s.trim()].length <= BODY_MAX, `Must be at most ${BODY_MAX} characters`),
  categoryId: dbId.optional().meta({ description: "Default: the process's first category" }),
  locale: z.enum(['es', 'en']).optional(),
});

const dbIdString = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .refine((n) => n <= MAX_DB_ID, 'Too large');

export const listQuery = z.strictObject({
  processId: dbIdString,
  include: z.enum(['upcoming', 'all']).optional(),
});

/** `GET /events/:id` takes no query. */
export const getQuery = z.strictObject({});

const WRITE_ANSWERS = { 400: ANSWERS.invalidJson, 413: ANSWERS.tooLarge, 422: ANSWERS.invalid };

/** The endpoints this router serves, relative to /admin (admin-router.ts mounts it at /events). */
export const eventRoutes: AdminRouteSpec[] = [
  {
    method: 'post',
    path: '/events',
    summary: 'Announce a workshop or results event of a process, with its capacity (audited)',
    roles: EVENT_ROLES,
    body: createBody,
    responses: {
      201: 'The event, with its address in `Location`',
      404: 'No such process: `{ "error": "process-not-found" }`',
      ...WRITE_ANSWERS,
    },
  },
  {
    method: 'get',
    path: '/events',
    summary:
      "A process's events, soonest first, with places left and waiting list (upcoming, or `include=all`)",
    roles: EVENT_ROLES,
    query: listQuery,
    responses: { 200: '`{ items }`', 422: ANSWERS.invalid },
  },
  {
    method: 'get',
    path: '/events/:id',
    summary: 'An event with how many are registered and waiting (no personal data)',
    roles: EVENT_ROLES,
    params: idParams,
    query: getQuery,
    responses: { 200: 'The event', 404: ANSWERS.notFound, 422: ANSWERS.invalid },
  },
  {
    method: 'patch',
    path: '/events/:id',
    summary:
      'Change an event (audited), as a JSON merge patch: texts per language merge; registered and waiting people are told of a new date or place',
    roles: EVENT_ROLES,
    params: idParams,
    body: updateBody,
    responses: {
      200: 'The event as it is now',
      404: ANSWERS.notFound,
      409: 'Cancelled, started already, nothing would change, or a capacity below the places taken: `{ "error": "event-cancelled" | "event-started" | "nothing-to-change" | "capacity-below-registered", "registered"? }`',
      ...WRITE_ANSWERS,
    },
  },
  {
    method: 'post',
    path: '/events/:id/cancel',
    summary:
      'Call an event off (audited); registered and waiting people are told, with the reason if given. `{ reason? }`',
    roles: EVENT_ROLES,
    params: idParams,
    body: cancelBody,
    responses: {
      200: 'The event, now cancelled',
      404: ANSWERS.notFound,
      409: 'Already cancelled, or started already: `{ "error": "already-cancelled" | "event-started" }`',
      ...WRITE_ANSWERS,
    },
  },
  {
    method: 'post',
    path: '/events/:id/proposals',
    summary:
      "Record a workshop's outcome as a proposal (no author, marked with the workshop; moderated as the process's mode says)",
    roles: EVENT_ROLES,
    params: idParams,
    body: proposalBody,
    responses: {
      201: '`{ id, status, eventId, caseId }` (status `pending` or `published`, per the moderation mode)',
      404: ANSWERS.notFound,
      409:
        'Not a workshop, cancelled, or not held yet: `{ "error": "not-a-workshop" | "event-cancelled" | "not-held-yet" }`; ' +
        'a proposal with this title (compared cleaned, in any case: the same request sent twice) is recorded for the workshop already, nothing recorded: `{ "error": "duplicate", "id": <its id> }`',
      ...WRITE_ANSWERS,
    },
  },
];

const conflict = (res: express.Response, error: string, extra: object = {}) =>
  void res.status(409).json({ error, ...extra });
const dateOrNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

export function createEventsRouter(deps: { domain: DomainDeps }): Router {
  const router = express.Router();
  router.use(jsonBody('64kb'));

  router.post('/', async (req, res) => {
    const body = createBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const { startsAt, endsAt, ...rest } = body.data;
    const r = await createEvent(deps.domain, {
      staffMemberId: staffOf(res).id,
      ...rest,
      startsAt: new Date(startsAt),
      endsAt: endsAt === undefined ? undefined : new Date(endsAt),
      sourceIp: req.ip,
    });
    if (r.ok) {
      res.status(201).location(`${req.baseUrl}/${r.event.id}`);
      return void res.json(r.event);
    }
    switch (r.reason) {
      case 'not-allowed':
        return forbidden(res);
      case 'process-not-found':
        return void res.status(404).json({ error: 'process-not-found' });
      case 'in-the-past':
        return invalid(res, [{ path: 'startsAt', message: 'Must be in the future' }]);
      case 'ends-before-start':
        return invalid(res, [{ path: 'endsAt', message: 'Must be after startsAt' }]);
      case 'invalid':
        return invalid(res, [{ path: r.field, message: 'Invalid value' }]);
    }
  });

  router.get('/', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    res.json({ items: await listEvents(deps.domain, query.data) });
  });

  router.get('/:id', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return notFound(res);
    const query = getQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    const event = await getEvent(deps.domain, { eventId: id });
    if (!event) return notFound(res);
    res.json(event);
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return notFound(res);
    const body = updateBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const { startsAt, endsAt, ...rest } = body.data;
    const r = await updateEvent(deps.domain, {
      staffMemberId: staffOf(res).id,
      eventId: id,
      ...rest,
      startsAt: dateOrNull(startsAt) ?? undefined,
      endsAt: dateOrNull(endsAt),
      sourceIp: req.ip,
    });
    if (r.ok) return void res.json(r.event);
    switch (r.reason) {
      case 'not-allowed':
        return forbidden(res);
      case 'not-found':
        return notFound(res);
      case 'event-cancelled':
      case 'event-started':
      case 'nothing-to-change':
        return conflict(res, r.reason);
      case 'capacity-below-registered':
        return conflict(res, r.reason, { registered: r.registered });
      case 'in-the-past':
        return invalid(res, [{ path: 'startsAt', message: 'Must be in the future' }]);
      case 'ends-before-start':
        return invalid(res, [{ path: 'endsAt', message: 'Must be after startsAt' }]);
      case 'invalid':
        return invalid(res, [{ path: r.field, message: 'Invalid value' }]);
    }
  });

  router.post('/:id/cancel', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return notFound(res);
    const body = cancelBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const r = await cancelEvent(deps.domain, {
      staffMemberId: staffOf(res).id,
      eventId: id,
      reason: body.data.reason,
      sourceIp: req.ip,
    });
    if (r.ok) return void res.json(r.event);
    switch (r.reason) {
      case 'not-allowed':
        return forbidden(res);
      case 'not-found':
        return notFound(res);
      case 'already-cancelled':
      case 'event-started':
        return conflict(res, r.reason);
      case 'reason-too-long':
        return invalid(res, [{ path: 'reason', message: `At most ${MAX_CANCEL_REASON} characters` }]);
    }
  });

  router.post('/:id/proposals', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return notFound(res);
    const body = proposalBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const r = await recordWorkshopProposal(deps.domain, {
      staffMemberId: staffOf(res).id,
      eventId: id,
      ...body.data,
      sourceIp: req.ip,
    });
    if (r.ok) return void res.status(201).json(r.proposal);
    switch (r.reason) {
      case 'not-allowed':
        return forbidden(res);
      case 'event-not-found':
        return notFound(res);
      case 'not-a-workshop':
      case 'event-cancelled':
      case 'not-held-yet':
        return conflict(res, r.reason);
      case 'duplicate':
        return conflict(res, r.reason, { id: r.id });
      case 'invalid-category':
        return invalid(res, [{ path: 'categoryId', message: 'Not a category of this process' }]);
      case 'invalid':
        return invalid(res, [
          { path: r.field, message: r.problem === 'too-short' ? 'Too short' : 'Too long' },
        ]);
    }
  });

  router.use(bodyParserErrors);
  return router;
}
