// Commitments, for staff and admins: POST /admin/commitments (make one, linked to selected proposals),
// GET /admin/commitments?processId= (a process's, with linked proposal ids and the latest update),
// GET /admin/commitments/:id (with its dated history), PATCH /admin/commitments/:id (status, progress, a note,
// evidence, due date, department, texts, linked proposals; each change kept as a dated update). Writes are
// audited with the caller's address; the people behind the linked proposals are told of changes. A POST
// whose Spanish title is that of another commitment of the process (the same request sent twice) is 409
// `{ error: 'duplicate', id }`, naming the one that exists; so is a PATCH renaming one to another's title
// (keeping its own, in any case, is fine).
//
// PATCH is a JSON merge patch (RFC 7386, whatever the JSON type): title and description merge per
// language, as processes-router.ts's do (a language given replaces its text, `null` removes it, one not
// named is kept; Spanish cannot be removed: 422); `description: null` removes the whole description.
import express, { type Router } from 'express';
import { z } from 'zod';
import { COMMITMENT_LIMITS, COMMITMENT_STATUSES, parseDueDate } from '../domain/commitments.ts';
import { createCommitment } from '../domain/create-commitment.ts';
import type { DomainDeps } from '../domain/deps.ts';
import { getCommitment } from '../domain/get-commitment.ts';
import { MAX_DB_ID } from '../domain/ids.ts';
import { listCommitments } from '../domain/list-commitments.ts';
import { updateCommitment } from '../domain/update-commitment.ts';
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
  type FieldError,
  forbidden,
  storableText,
  textsPatchOf,
} from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

/** Who may make, read and follow up commitments. */
export const COMMITMENT_ROLES: readonly StaffRole[] = ['admin', 'staff'];

const textOf = (max: number) =>
  storableText()
    .trim()
    .min(1, 'Must not be empty')
    .refine((s) => [...s].length <= max, `Must be at most ${max} characters`);

const textsOf = (max: number) => z.strictObject({ es: textOf(max), en: textOf(max).optional() });

const dbId = z.number().int('Must be an integer').positive('Must be positive').max(MAX_DB_ID, 'Too large');

const dueDate = z
  .string()
  .refine((s) => parseDueDate(s) !== undefined, 'Must be a date, YYYY-MM-DD')
  .meta({ description: 'A calendar date, YYYY-MM-DD' });

const progress = z
  .number()
  .int('Must be an integer')
  .min(0, 'Must be 0–100')
  .max(100, 'Must be 0–100')
  .meta({ description: 'Percent done, 0–100. Progress 100 ⇔ status done; giving one moves the other.' });

const proposalIds = z
  .array(dbId)
  .max(COMMITMENT_LIMITS.proposals, `At most ${COMMITMENT_LIMITS.proposals} proposals`)
  .meta({ description: 'Ids of `selected` proposals of the same process' });

export const createBody = z.strictObject({
  processId: dbId,
  title: textsOf(COMMITMENT_LIMITS.title),
  description: textsOf(COMMITMENT_LIMITS.description).optional(),
  department: textOf(COMMITMENT_LIMITS.department),
  dueDate: dueDate.optional(),
  status: z.enum(COMMITMENT_STATUSES).optional(),
  progress: progress.optional(),
  evidence: textOf(COMMITMENT_LIMITS.evidence).optional(),
  note: textOf(COMMITMENT_LIMITS.note).optional(),
  proposalIds: proposalIds.optional(),
});

export const updateBody = z
  .strictObject({
    status: z.enum(COMMITMENT_STATUSES).optional(),
    progress: progress.optional(),
    note: textOf(COMMITMENT_LIMITS.note).optional(),
    evidence: textOf(COMMITMENT_LIMITS.evidence).nullable().optional(),
    dueDate: dueDate.nullable().optional(),
    department: textOf(COMMITMENT_LIMITS.department).optional(),
    title: textsPatchOf(textOf, COMMITMENT_LIMITS.title).optional(),
    description: textsPatchOf(textOf, COMMITMENT_LIMITS.description).nullable().optional(),
    proposalIds: proposalIds.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: 'Give at least one field to change',
    // Only for an otherwise valid body: unknown fields are named on their own.
    when: (payload) => payload.issues.length === 0,
  })
  .meta({
    description:
      'A JSON merge patch (RFC 7386): `null` clears evidence, dueDate or description; title and ' +
      'description merge per language (a language given replaces its text, `null` removes it, English ' +
      'only: Spanish is required; one not named is kept); proposalIds is the whole list of linked proposals.',
  });

const dbIdString = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .refine((n) => n <= MAX_DB_ID, 'Too large');

export const listQuery = z.strictObject({ processId: dbIdString });

/** `GET /commitments/:id` takes no query. */
export const getQuery = z.strictObject({});

const WRITE_ANSWERS = {
  400: ANSWERS.invalidJson,
  413: ANSWERS.tooLarge,
  422: `${ANSWERS.invalid}; also proposals that are not selected ones of the process (\`proposalIds\`), status and progress that contradict each other (\`progress\`)`,
};

/** The endpoints this router serves, relative to /admin (admin-router.ts mounts it at /commitments). */
export const commitmentRoutes: AdminRouteSpec[] = [
  {
    method: 'post',
    path: '/commitments',
    summary: "Make a commitment about a process's selected proposals (audited; their people are told)",
    roles: COMMITMENT_ROLES,
    body: createBody,
    responses: {
      201: 'The commitment, with its address in `Location`',
      404: 'No such process: `{ "error": "process-not-found" }`',
      409:
        'The process has a commitment with this Spanish title already (compared trimmed, in any case: ' +
        'the same request sent twice), nothing made and nobody told: `{ "error": "duplicate", "id": <its id> }`',
      ...WRITE_ANSWERS,
    },
  },
  {
    method: 'get',
    path: '/commitments',
    summary: "A process's commitments, with linked proposal ids and the latest update",
    roles: COMMITMENT_ROLES,
    query: listQuery,
    responses: { 200: '`{ items }`', 422: ANSWERS.invalid },
  },
  {
    method: 'get',
    path: '/commitments/:id',
    summary: 'A commitment with its dated history and linked proposals',
    roles: COMMITMENT_ROLES,
    params: idParams,
    query: getQuery,
    responses: { 200: 'The commitment and `history`', 404: ANSWERS.notFound, 422: ANSWERS.invalid },
  },
  {
    method: 'patch',
    path: '/commitments/:id',
    summary:
      'Follow a commitment up: status, progress, note, evidence, due date… (a dated update, audited), as a JSON merge patch: texts per language merge',
    roles: COMMITMENT_ROLES,
    params: idParams,
    body: updateBody,
    responses: {
      200: 'The commitment as it is now',
      404: ANSWERS.notFound,
      409:
        'Nothing would change: `{ "error": "nothing-to-change" }`; the new Spanish title is that of another ' +
        'commitment of the process (compared trimmed, in any case), nothing changed: ' +
        '`{ "error": "duplicate", "id": <its id> }`',
      ...WRITE_ANSWERS,
    },
  },
];

/** The domain's refusals that are the request's fault, named by field. */
type Refusal = { reason: string; field?: string; proposalIds?: number[] };

function refusalFields(r: Refusal): FieldError[] {
  if (r.field) return [{ path: r.field, message: 'Invalid value' }];
  if (r.proposalIds)
    return [
      {
        path: 'proposalIds',
        message: `Not selected proposals of this process: ${r.proposalIds.join(', ')}`,
      },
    ];
  return [{ path: 'progress', message: 'Progress 100 goes with status done, and only with it' }];
}

export function createCommitmentsRouter(deps: { domain: DomainDeps }): Router {
  const router = express.Router();
  router.use(jsonBody('64kb'));

  router.post('/', async (req, res) => {
    const body = createBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const r = await createCommitment(deps.domain, {
      staffMemberId: staffOf(res).id,
      ...body.data,
      sourceIp: req.ip,
    });
    if (r.ok) {
      res.status(201).location(`${req.baseUrl}/${r.commitment.id}`);
      return void res.json(r.commitment);
    }
    if (r.reason === 'not-allowed') return forbidden(res);
    if (r.reason === 'process-not-found') return void res.status(404).json({ error: 'process-not-found' });
    if (r.reason === 'duplicate') return void res.status(409).json({ error: 'duplicate', id: r.id });
    return invalid(res, refusalFields(r));
  });

  router.get('/', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    res.json({ items: await listCommitments(deps.domain, query.data) });
  });

  router.get('/:id', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return notFound(res);
    const query = getQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    const commitment = await getCommitment(deps.domain, { commitmentId: id });
    if (!commitment) return notFound(res);
    res.json(commitment);
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return notFound(res);
    const body = updateBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const r = await updateCommitment(deps.domain, {
      staffMemberId: staffOf(res).id,
      commitmentId: id,
      ...body.data,
      sourceIp: req.ip,
    });
    if (r.ok) return void res.json(r.commitment);
    if (r.reason === 'not-allowed') return forbidden(res);
    if (r.reason === 'not-found') return notFound(res);
    if (r.reason === 'nothing-to-change') return void res.status(409).json({ error: 'nothing-to-change' });
    if (r.reason === 'duplicate') return void res.status(409).json({ error: 'duplicate', id: r.id });
    return invalid(res, refusalFields(r));
  });

  router.use(bodyParserErrors);
  return router;
}
