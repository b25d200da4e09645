// The processes part of the admin API, for staff and admins (admin-router.ts mounts it at `/processes`
// behind bearerAuth and the roles of processRoutes: moderators get 403):
//
//   POST  /processes                     create one: { slug, title, description, timeZone?, … , categories, phases? }
//   GET   /processes?limit=&cursor=      newest first, a page at a time
//   GET   /processes/:id                 the whole process, phases with their announcements, categories
//   PATCH /processes/:id                 change its own fields (any of create's but categories and phases;
//                                        `requiresVerification` makes it binding: verification-codes-router.ts);
//                                        a JSON merge patch (RFC 7386, whatever the JSON type): texts per
//                                        language merge, `null` removes a language (never Spanish: 422)
//   PUT   /processes/:id/phases          replace the ordered list of phases  { phases: [...] }
//   PUT   /processes/:id/categories      replace the ordered list of categories  { categories: [...] }
//   POST  /processes/:id/advance-phase   the phase under way ends now, the next one starts now
//
// Contract, as the other admin routers': JSON answers; strict schemas, so unknown fields and bad values
// answer 422 `{ error: 'invalid-request', fields: [{ path, message }] }` naming each field (a list entry by
// its index, `phases.2.startsAt`); no such process: 404 `{ error: 'not-found' }`; a conflict with what is
// stored: 409 `{ error: <reason>, … }` (`slug-taken`; `supports-exist`: `requiresVerification` cannot change
// once the process has supports; `category-in-use` with its key; `ended-phase-changed` /
// `started-phase-changed` with the entry's path; `no-next-phase`; `phase-changed` with the phase under way). Writes answer the process as
// GET /processes/:id does. Every write is audited with the caller's address.
//
// Phase announcements (the broadcasts telling subscribers a phase opens) are written in both languages by
// `phaseAnnouncementTexts` below, from the i18n catalogs: the domain is handed this port and knows no text.
import express, { type Router } from 'express';
import { z } from 'zod';
import { acceptsProposals, acceptsSupports } from '../domain/current-phase.ts';
import { advanceProcessPhase } from '../domain/advance-process-phase.ts';
import { createProcess } from '../domain/create-process.ts';
import type { DomainDeps, Locale } from '../domain/deps.ts';
import { getProcessAdminView } from '../domain/get-process-admin-view.ts';
import { MAX_DB_ID } from '../domain/ids.ts';
import { listProcessAdminViews, MAX_PROCESSES_LIMIT } from '../domain/list-process-admin-views.ts';
import type { PhaseAnnouncementTexts } from '../domain/process-phase-announcements.ts';
import {
  canonicalTimeZone,
  CATEGORY_KEY_PATTERN,
  MAX_CATEGORIES,
  MAX_CATEGORY_KEY,
  MAX_CATEGORY_LABEL,
  MAX_PHASES,
  MAX_PROCESS_DESCRIPTION,
  MAX_PROCESS_TITLE,
  MAX_REPORT_THRESHOLD,
  MAX_SLUG_LENGTH,
  MAX_SUPPORTS_PER_PARTICIPANT,
  MIN_SLUG_LENGTH,
  SLUG_PATTERN,
  type CategoryListProblem,
  type PhaseListProblem,
  type ProcessFieldsProblem,
} from '../domain/process-rules.ts';
import { setProcessCategories } from '../domain/set-process-categories.ts';
import { setProcessPhases, type PhaseHistoryProblem } from '../domain/set-process-phases.ts';
import { updateProcess } from '../domain/update-process.ts';
import { ModerationMode, PhaseKind, type StaffRole } from '../generated/prisma/enums.ts';
import { t } from '../i18n/index.ts';
import { formatLastDay } from '../i18n/last-day.ts';
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
  textsPatchOf,
} from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

/** Who may create, read and change processes. */
export const PROCESS_ROLES: readonly StaffRole[] = ['admin', 'staff'];

export interface ProcessesRouterDeps {
  domain: DomainDeps;
  logger: Logger;
  /** Largest JSON body accepted. Default '256kb' (a long description, 20 phases, 30 categories). */
  bodyLimit?: string;
  /** How phase announcements read. Default: phaseAnnouncementTexts (the i18n catalogs). */
  announce?: PhaseAnnouncementTexts;
}

/**
 * A phase's announcement in Spanish and English: which phase opens, until when (its last day open, as the
 * chat writes it: src/i18n/last-day.ts), and what it allows.
 */
export const phaseAnnouncementTexts: PhaseAnnouncementTexts = (phase) => {
  const like = { ...phase, position: 0 };
  const text = (locale: Locale) =>
    [
      t(locale, 'phaseAnnouncement.opens', {
        phase: t(locale, `phase.${phase.kind}`),
        until: formatLastDay(locale, phase.endsAt, phase.timeZone),
      }),
      ...(acceptsProposals(like) ? [t(locale, 'phaseAnnouncement.canPropose')] : []),
      ...(acceptsSupports(like) ? [t(locale, 'phaseAnnouncement.canSupport')] : []),
    ].join('\n');
  return { es: text('es'), en: text('en') };
};

const textOf = (max: number) =>
  storableText()
    .refine((s) => s.trim().length > 0, 'Must not be empty')
    .refine((s) => [...s.trim()].length <= max, `Must be at most ${max} characters`);

const textsOf = (max: number) =>
  z.strictObject({ es: textOf(max), en: textOf(max).optional() }).meta({
    description: `Per language: Spanish required (everyone's fallback), English optional; at most ${max} characters each`,
  });

const slug = z
  .string()
  .min(MIN_SLUG_LENGTH, `Must be at least ${MIN_SLUG_LENGTH} characters`)
  .max(MAX_SLUG_LENGTH, `Must be at most ${MAX_SLUG_LENGTH} characters`)
  .regex(SLUG_PATTERN, 'Must be lowercase letters and digits, words joined by single hyphens');

const timeZone = z
  .string()
  .max(64, 'Must be an IANA time zone, e.g. Europe/Madrid')
  .refine((tz) => canonicalTimeZone(tz) !== undefined, 'Must be an IANA time zone, e.g. Europe/Madrid');

const dateTime = storableDateTime();

const phase = z.strictObject({
  kind: z.enum(PhaseKind),
  startsAt: dateTime,
  endsAt: dateTime.meta({ description: 'Exclusive: the phase is current while startsAt ≤ now < endsAt' }),
  acceptsProposals: z.boolean().optional(),
});

const phases = z
  .array(phase)
  .max(MAX_PHASES, `At most ${MAX_PHASES} phases`)
  .meta({ description: 'In order; each starts before it ends and no earlier than the previous one ends' });

const category = z.strictObject({
  key: z
    .string()
    .max(MAX_CATEGORY_KEY, `Must be at most ${MAX_CATEGORY_KEY} characters`)
    .regex(CATEGORY_KEY_PATTERN, 'Must be lowercase letters and digits, joined by single - or _'),
  label: textsOf(MAX_CATEGORY_LABEL),
});

const categories = z
  .array(category)
  .min(1, 'Must name at least one category')
  .max(MAX_CATEGORIES, `At most ${MAX_CATEGORIES} categories`)
  .meta({ description: 'In order; keys unique within the process' });

const processFields = {
  slug,
  title: textsOf(MAX_PROCESS_TITLE),
  description: textsOf(MAX_PROCESS_DESCRIPTION),
  timeZone: timeZone.optional(),
  supportsPerParticipant: z
    .number()
    .int('Must be an integer')
    .min(1, 'Must be at least 1')
    .max(MAX_SUPPORTS_PER_PARTICIPANT, `Must be at most ${MAX_SUPPORTS_PER_PARTICIPANT}`)
    .optional(),
  moderationMode: z.enum(ModerationMode).optional(),
  reportThreshold: z
    .number()
    .int('Must be an integer')
    .min(1, 'Must be at least 1')
    .max(MAX_REPORT_THRESHOLD, `Must be at most ${MAX_REPORT_THRESHOLD}`)
    .optional(),
  requiresVerification: z.boolean().optional().meta({
    description:
      'Binding process: only participants who redeemed one of its verification codes (POST /processes/:id/verification-codes) may support; anyone may read and comment. Default false. Cannot change once the process has supports (409 supports-exist)',
  }),
};

export const createProcessBody = z.strictObject({ ...processFields, categories, phases: phases.optional() });

export const updateProcessBody = z.strictObject({
  slug: processFields.slug.optional(),
  title: textsPatchOf(textOf, MAX_PROCESS_TITLE).optional(),
  description: textsPatchOf(textOf, MAX_PROCESS_DESCRIPTION).optional(),
  timeZone: processFields.timeZone,
  supportsPerParticipant: processFields.supportsPerParticipant,
  moderationMode: processFields.moderationMode,
  reportThreshold: processFields.reportThreshold,
  requiresVerification: processFields.requiresVerification,
});

export const setPhasesBody = z.strictObject({ phases });

export const setCategoriesBody = z.strictObject({ categories });

/** `from`: the position of the phase under way that the caller means to end (null: none is under way). */
export const advancePhaseBody = z.strictObject({ from: z.number().int().min(1).max(1000).nullable() });

const dbIdString = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .refine((n) => n <= MAX_DB_ID, 'Too large');

export const listProcessesQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, `Must be an integer from 1 to ${MAX_PROCESSES_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_PROCESSES_LIMIT, `Must be an integer from 1 to ${MAX_PROCESSES_LIMIT}`)
    .optional(),
  cursor: dbIdString.optional().meta({ description: "The previous page's `nextCursor`" }),
});

/** `GET /processes/:id` takes no query at all. */
export const processQuery = z.strictObject({});

const CONFLICTS = {
  slugTaken: 'Another process has this slug: `{ "error": "slug-taken" }`',
  update:
    'Another process has this slug: `{ "error": "slug-taken" }`; or `requiresVerification` would change ' +
    'while the process has supports (they were given under the other rule): `{ "error": "supports-exist" }`',
  history:
    'The list changes a phase that has ended, or the kind or start of the one under way: ' +
    '`{ "error": "ended-phase-changed" | "started-phase-changed", "path": "phases.<i>" }`',
} as const;

/** The endpoints this router serves, relative to /admin (admin-router.ts mounts it at /processes). */
export const processRoutes: AdminRouteSpec[] = [
  {
    method: 'post',
    path: '/processes',
    summary:
      'Create a process with its categories and phases; phases to come are announced to subscribers when they open (audited)',
    roles: PROCESS_ROLES,
    body: createProcessBody,
    responses: {
      201: 'The process as `GET /processes/:id` shows it, with its address in `Location`',
      400: ANSWERS.invalidJson,
      409: CONFLICTS.slugTaken,
      413: ANSWERS.tooLarge,
      422: ANSWERS.invalid,
    },
  },
  {
    method: 'get',
    path: '/processes',
    summary: 'Processes, newest first, a page at a time',
    roles: PROCESS_ROLES,
    query: listProcessesQuery,
    responses: { 200: '`{ items, nextCursor }`', 422: ANSWERS.invalid },
  },
  {
    method: 'get',
    path: '/processes/:id',
    summary: 'A process: its fields, phases (with the current one and their announcements) and categories',
    roles: PROCESS_ROLES,
    params: idParams,
    query: processQuery,
    responses: { 200: 'The process', 404: ANSWERS.notFound, 422: ANSWERS.invalid },
  },
  {
    method: 'patch',
    path: '/processes/:id',
    summary:
      "Change a process's own fields (not its phases or categories), as a JSON merge patch: texts per language merge (audited)",
    roles: PROCESS_ROLES,
    params: idParams,
    body: updateProcessBody,
    responses: {
      200: 'The process',
      400: ANSWERS.invalidJson,
      404: ANSWERS.notFound,
      409: CONFLICTS.update,
      413: ANSWERS.tooLarge,
      422: ANSWERS.invalid,
    },
  },
  {
    method: 'put',
    path: '/processes/:id/phases',
    summary:
      "Replace a process's phases; ended ones stay as they were; announcements are rescheduled (audited)",
    roles: PROCESS_ROLES,
    params: idParams,
    body: setPhasesBody,
    responses: {
      200: 'The process',
      400: ANSWERS.invalidJson,
      404: ANSWERS.notFound,
      409: CONFLICTS.history,
      413: ANSWERS.tooLarge,
      422: ANSWERS.invalid,
    },
  },
  {
    method: 'put',
    path: '/processes/:id/categories',
    summary: "Replace a process's categories; one with proposals cannot be removed (audited)",
    roles: PROCESS_ROLES,
    params: idParams,
    body: setCategoriesBody,
    responses: {
      200: 'The process',
      400: ANSWERS.invalidJson,
      404: ANSWERS.notFound,
      409: 'A category left out has proposals: `{ "error": "category-in-use", "key", "proposals" }`',
      413: ANSWERS.tooLarge,
      422: ANSWERS.invalid,
    },
  },
  {
    method: 'post',
    path: '/processes/:id/advance-phase',
    summary:
      'Move a process to its next phase now: the current one ends, the next starts and is announced (audited). Body `{ "from": <position of the phase under way, as `currentPhasePosition` shows it; null when none is> }`: a request sent twice ends one phase only',
    roles: PROCESS_ROLES,
    params: idParams,
    body: advancePhaseBody,
    responses: {
      200: 'The process',
      400: ANSWERS.invalidJson,
      404: ANSWERS.notFound,
      409: 'No phase after the current one: `{ "error": "no-next-phase" }`; the phase under way is not `from` (already advanced, by this request sent twice or by someone else): `{ "error": "phase-changed", "currentPhase": { "position", "kind" } | null }`',
      422: ANSWERS.invalid,
    },
  },
];

export function createProcessesRouter(deps: ProcessesRouterDeps): Router {
  const log = deps.logger.child({ module: 'admin-processes' });
  const announce = deps.announce ?? phaseAnnouncementTexts;
  const router = express.Router();
  router.use(jsonBody(deps.bodyLimit ?? '256kb'));

  /** Answers with the process as GET /processes/:id shows it. */
  const answerView = async (res: express.Response, processId: number, status = 200) => {
    const view = await getProcessAdminView(deps.domain, { processId });
    if (!view) return notFound(res);
    res.status(status).json(view);
  };

  router.post('/', async (req, res) => {
    const body = createProcessBody.safeParse(req.body);
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const { phases: given, ...fields } = body.data;
    const result = await createProcess(deps.domain, {
      staffMemberId: staff.id,
      ...fields,
      phases: given?.map(toPhase),
      announce,
      sourceIp: req.ip,
    });
    log.info(
      {
        staffId: staff.id,
        outcome: result.ok ? 'created' : result.reason,
        processId: result.ok ? result.process.id : undefined,
      },
      'process create',
    );
    if (!result.ok) return refused(res, result);
    res.location(`${req.baseUrl}/${result.process.id}`);
    return answerView(res, result.process.id, 201);
  });

  router.get('/', async (req, res) => {
    const query = listProcessesQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    res.json(await listProcessAdminViews(deps.domain, query.data));
  });

  router.get('/:id', async (req, res) => {
    const processId = idParam(req);
    if (processId === undefined) return notFound(res);
    const query = processQuery.safeParse(req.query);
    if (!query.success) return invalid(res, fieldErrors(query.error, 'query'));
    return answerView(res, processId);
  });

  router.patch('/:id', async (req, res) => {
    const processId = idParam(req);
    if (processId === undefined) return notFound(res);
    const body = updateProcessBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const result = await updateProcess(deps.domain, {
      staffMemberId: staff.id,
      processId,
      ...body.data,
      announce,
      sourceIp: req.ip,
    });
    log.info(
      { processId, staffId: staff.id, outcome: result.ok ? result.changed : result.reason },
      'process update',
    );
    if (!result.ok) return refused(res, result);
    return answerView(res, processId);
  });

  router.put('/:id/phases', async (req, res) => {
    const processId = idParam(req);
    if (processId === undefined) return notFound(res);
    const body = setPhasesBody.safeParse(req.body);
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const result = await setProcessPhases(deps.domain, {
      staffMemberId: staff.id,
      processId,
      phases: body.data.phases.map(toPhase),
      announce,
      sourceIp: req.ip,
    });
    log.info(
      {
        processId,
        staffId: staff.id,
        outcome: result.ok ? 'set' : result.reason,
        announcements: result.ok ? result.announcements : undefined,
      },
      'process phases set',
    );
    if (!result.ok) return refused(res, result);
    return answerView(res, processId);
  });

  router.put('/:id/categories', async (req, res) => {
    const processId = idParam(req);
    if (processId === undefined) return notFound(res);
    const body = setCategoriesBody.safeParse(req.body);
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const result = await setProcessCategories(deps.domain, {
      staffMemberId: staff.id,
      processId,
      categories: body.data.categories,
      sourceIp: req.ip,
    });
    log.info(
      { processId, staffId: staff.id, outcome: result.ok ? 'set' : result.reason },
      'process categories set',
    );
    if (!result.ok) {
      if (result.reason === 'category-in-use')
        return void res
          .status(409)
          .json({ error: 'category-in-use', key: result.key, proposals: result.proposals });
      return refused(res, result);
    }
    return answerView(res, processId);
  });

  router.post('/:id/advance-phase', async (req, res) => {
    const processId = idParam(req);
    if (processId === undefined) return notFound(res);
    const body = advancePhaseBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const staff = staffOf(res);
    const result = await advanceProcessPhase(deps.domain, {
      staffMemberId: staff.id,
      processId,
      from: body.data.from,
      announce,
      sourceIp: req.ip,
    });
    log.info(
      {
        processId,
        staffId: staff.id,
        outcome: result.ok ? 'advanced' : result.reason,
        announcementId: result.ok ? result.announcementId : undefined,
      },
      'process phase advance',
    );
    if (!result.ok) {
      if (result.reason === 'not-allowed' || result.reason === 'not-found')
        return refused(res, { ok: false, reason: result.reason });
      if (result.reason === 'phase-changed')
        return void res.status(409).json({ error: result.reason, currentPhase: result.current });
      return void res.status(409).json({ error: result.reason });
    }
    return answerView(res, processId);
  });

  router.use(bodyParserErrors);
  return router;
}

function toPhase(p: z.infer<typeof phase>) {
  return {
    kind: p.kind,
    startsAt: new Date(p.startsAt),
    endsAt: new Date(p.endsAt),
    acceptsProposals: p.acceptsProposals,
  };
}

type Refusal =
  | { ok: false; reason: 'not-allowed' | 'not-found' | 'slug-taken' | 'supports-exist' }
  | ProcessFieldsProblem
  | CategoryListProblem
  | PhaseListProblem
  | PhaseHistoryProblem;

/** The use cases' refusals as HTTP answers (those they share; each route answers its own first). */
function refused(res: express.Response, r: Refusal): void {
  const field = (path: string, message: string) => invalid(res, [{ path, message }]);
  switch (r.reason) {
    case 'not-allowed':
      return forbidden(res);
    case 'not-found':
      return notFound(res);
    case 'slug-taken':
      return void res.status(409).json({ error: 'slug-taken' });
    case 'supports-exist':
      return void res.status(409).json({ error: 'supports-exist' });
    case 'ended-phase-changed':
    case 'started-phase-changed':
      return void res.status(409).json({ error: r.reason, path: `phases.${r.index}` });
    case 'invalid-slug':
      return field('slug', 'Not a valid slug');
    case 'invalid-title':
      return field('title.es', 'Required');
    case 'invalid-description':
      return field('description.es', 'Required');
    case 'invalid-time-zone':
      return field('timeZone', 'Must be an IANA time zone, e.g. Europe/Madrid');
    case 'invalid-supports-per-participant':
      return field('supportsPerParticipant', 'Out of range');
    case 'invalid-moderation-mode':
      return field('moderationMode', 'Must be pre or post');
    case 'invalid-report-threshold':
      return field('reportThreshold', 'Out of range');
    case 'no-categories':
    case 'too-many-categories':
      return field('categories', `Must name 1 to ${MAX_CATEGORIES} categories`);
    case 'invalid-category-key':
      return field(`categories.${r.index}.key`, 'Not a valid key');
    case 'invalid-category-label':
      return field(`categories.${r.index}.label.es`, 'Required');
    case 'duplicate-category-key':
      return field(`categories.${r.index}.key`, 'Used by another category of the list');
    case 'too-many-phases':
      return field('phases', `At most ${MAX_PHASES} phases`);
    case 'invalid-phase-kind':
      return field(`phases.${r.index}.kind`, 'Not a phase kind');
    case 'phase-ends-before-it-starts':
      return field(`phases.${r.index}.endsAt`, 'Must be after startsAt');
    case 'phases-out-of-order':
      return field(`phases.${r.index}.startsAt`, "Must not be before the previous phase's start");
    case 'phases-overlap':
      return field(`phases.${r.index}.startsAt`, 'Must not be before the previous phase ends');
    case 'phase-starts-in-the-past':
      return field(
        `phases.${r.index}.startsAt`,
        'Must be in the future (only phases that have started may have begun)',
      );
    case 'phase-ends-in-the-past':
      return field(
        `phases.${r.index}.endsAt`,
        'Must be in the future (to end the phase under way now, advance the process)',
      );
    default: {
      const unhandled: never = r;
      throw new Error(`unhandled process outcome ${JSON.stringify(unhandled)}`);
    }
  }
}
