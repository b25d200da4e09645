// The staff dashboard: a server-rendered page at `/admin` for admins, staff and moderators (moderators see
// the moderation queue only), with its own routes under `/admin/ui/`:
//
//   GET  /admin?lang=&process=&reason=&after=&processes=all&processesAfter=&broadcastsAfter=
//                                                the page (no session: 303 to the sign-in form): the queue
//                                                filtered by process and origin, a page at a time (`after`:
//                                                list-moderation-queue's cursor); processes (20, or 50 with
//                                                `processes=all`) and broadcasts, newest first, a page at a
//                                                time (the cursors: the id of the last row of the page before)
//   GET  /admin/ui/login   POST /admin/ui/login  sign in: an API token, once, for a session (8 h)
//   POST /admin/ui/logout                        sign out: the session is deleted
//   POST /admin/ui/moderation/:id/decide?<page>  approve / redact-and-approve, or reject with a preset or typed
//                                                reason (an approval carrying a reason is refused, 422); then
//                                                back to the same page of the queue. A refusal is rendered at
//                                                this address, whose GET (a reload, the history) leads back.
//                                                A case reports closed before anyone decided (wasSuperseded)
//                                                is said to be reviewed now as a report, in the case named.
//   GET  /admin/ui/dashboard.css                 the one stylesheet
//
// Mounted on the admin router before bearerAuth (a browser cannot send a Bearer header when it navigates);
// every other path falls through to the JSON API. The token is posted once in a form (never in an address
// or a page) and exchanged for a session (session-store.ts): the browser holds a random id in an HttpOnly,
// SameSite=Strict cookie with Path=/admin, Secure when the request came over HTTPS (directly, or through a
// proxy that express trusts and that says so); each request asks again whether the token still works.
// Every POST is checked for cross-site forgery (csrf.ts): its origin, then the session's synchronizer token.
// Every answer carries a strict Content-Security-Policy (no script at all), nosniff, no-referrer,
// frame-ancestors 'none' and Cache-Control: no-store.
//
// Like the JSON API it translates only: decisions are decide-moderation's (audited there, with the source
// IP); figures come from get-dashboard-figures, the queue from list-moderation-queue and get-moderation-case,
// broadcasts from list-broadcasts and get-broadcast-progress. Bad input answers 4xx pages, never a 5xx.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { authenticateToken, type AuthenticatedStaff } from '../../domain/authenticate-token.ts';
import { authenticateTokenId } from '../../domain/authenticate-token-id.ts';
import { decideModeration, MAX_REASON_LENGTH, REJECTION_REASONS } from '../../domain/decide-moderation.ts';
import type { DomainDeps } from '../../domain/deps.ts';
import { getBroadcastProgress } from '../../domain/get-broadcast-progress.ts';
import { getCaseDecision } from '../../domain/get-case-decision.ts';
import { getDashboardFigures } from '../../domain/get-dashboard-figures.ts';
import { getModerationCase, type ModerationCaseView } from '../../domain/get-moderation-case.ts';
import { isDbId, MAX_DB_ID } from '../../domain/ids.ts';
import { listBroadcasts } from '../../domain/list-broadcasts.ts';
import { listModerationQueue } from '../../domain/list-moderation-queue.ts';
import { listProcesses } from '../../domain/list-processes.ts';
import type { StaffRole } from '../../generated/prisma/enums.ts';
import type { Logger } from '../../logger.ts';
import type { Redis } from '../../redis/client.ts';
import { storableText } from '../http-answers.ts';
import { CSRF_FIELD, isSameOrigin, LOGIN_COOKIE, presentedToken, tokensMatch } from './csrf.ts';
import { localeOf, sendMessagePage, setPageHeaders } from './browser.ts';
import { LABELS } from './labels.ts';
import { DASHBOARD_PATH, UI_PATH } from './paths.ts';
import {
  BROADCASTS_SHOWN,
  decisionWord,
  pageHref,
  PROCESSES_SHOWN,
  PROCESSES_SHOWN_ALL,
  QUEUE_PAGE,
  renderDashboard,
  renderLogin,
  STYLESHEET,
  FAVICON,
  stateQuery,
  type DashboardView,
  type Notice,
  type PageState,
} from './render.ts';
import {
  createSessionStore,
  randomSecret,
  readCookie,
  SESSION_COOKIE,
  type DashboardSession,
} from './session-store.ts';

/** Who may open the dashboard. */
export const DASHBOARD_ROLES: readonly StaffRole[] = ['admin', 'staff', 'moderator'];
/** Who sees more than the moderation queue: figures, broadcasts, the queues board. */
export const FULL_DASHBOARD_ROLES: readonly StaffRole[] = ['admin', 'staff'];
const LOGIN_COOKIE_MS = 3600 * 1000;

export interface DashboardRouterDeps {
  domain: DomainDeps;
  logger: Logger;
  /** Where sessions are kept (the process's Redis connection) and the key prefix (REDIS_PREFIX). */
  redis: Redis;
  prefix: string;
  /** How long a session lasts, from sign-in. Default 8 hours. */
  sessionTtlMs?: number;
  /** Whether the queues board is mounted at /admin/queues (then staff and admins get a link to it). */
  queuesBoard?: boolean;
}

const localeField = z.enum(['es', 'en']).optional();
const dbIdString = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/)
  .transform(Number)
  .refine((n) => n <= MAX_DB_ID);

/** What the page shows (render.ts PageState); an empty field (the filter form's «all») is no filter. */
const pageStateFields = {
  process: z.union([z.literal('').transform(() => undefined), dbIdString]).optional(),
  reason: z.union([z.literal('').transform(() => undefined), z.enum(['submitted', 'reported'])]).optional(),
  after: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .optional(),
  processes: z.literal('all').optional(),
  processesAfter: dbIdString.optional(),
  broadcastsAfter: dbIdString.optional(),
};
export const pageQuery = z.strictObject({
  lang: localeField,
  decided: dbIdString.optional(),
  /** The broadcasts' former page number: accepted (and dropped) so a bookmark of it opens the first page. */
  broadcasts: z
    .string()
    .max(20)
    .optional()
    .transform(() => undefined),
  ...pageStateFields,
});
/** The page a decision came from (its form's address), to go back to. */
export const decideQuery = z.strictObject(pageStateFields);
export const loginQuery = z.strictObject({ lang: localeField });
export const loginBody = z.strictObject({
  [CSRF_FIELD]: z.string(),
  lang: localeField,
  token: z.string().trim().min(1).max(200),
});
export const logoutBody = z.strictObject({ [CSRF_FIELD]: z.string(), lang: localeField });
export const decideBody = z.strictObject({
  [CSRF_FIELD]: z.string(),
  lang: localeField,
  decision: z.enum(['approve', 'reject', 'redact_approve']),
  preset: z.union([z.literal(''), z.enum(REJECTION_REASONS)]).optional(),
  reason: storableText().max(MAX_REASON_LENGTH).optional(),
});

type Signed = { id: string; session: DashboardSession; staff: AuthenticatedStaff };

function secureHeaders(_req: Request, res: Response, next: NextFunction): void {
  setPageHeaders(res);
  next();
}

/**
 * Who is signed in to the dashboard on this request, if anyone. Exported so other browser pages under
 * /admin (the process report) can accept the dashboard's session for GETs.
 */
export function createDashboardSessions(
  deps: Pick<DashboardRouterDeps, 'domain' | 'redis' | 'prefix' | 'sessionTtlMs'>,
) {
  const store = createSessionStore({ redis: deps.redis, prefix: deps.prefix, ttlMs: deps.sessionTtlMs });
  async function signedIn(req: Request): Promise<Signed | undefined> {
    const id = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (!id) return undefined;
    const session = await store.get(id);
    if (!session) return undefined;
    const auth = await authenticateTokenId(deps.domain, { tokenId: session.tokenId });
    if (!auth.ok || auth.staff.id !== session.staffId || !DASHBOARD_ROLES.includes(auth.staff.role)) {
      // The token stopped working (revoked, expired, its holder disabled): so does the session.
      await store.destroy(id);
      return undefined;
    }
    return { id, session, staff: auth.staff };
  }
  return { store, signedIn };
}

export function createDashboardRouter(deps: DashboardRouterDeps): Router {
  const log = deps.logger.child({ module: 'admin-dashboard' });
  const { store, signedIn } = createDashboardSessions(deps);
  const domain = deps.domain;

  const cookieOptions = (req: Request, path: string, maxAge?: number) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.secure,
    path,
    ...(maxAge === undefined ? {} : { maxAge }),
  });

  const page = (res: Response, status: number, body: string) =>
    void res.status(status).type('text/html; charset=utf-8').send(body);
  const message = (req: Request, res: Response, status: number, text: string, signIn = false) =>
    sendMessagePage(res, status, { locale: localeOf(req, bodyLang(req)), text, signIn });
  const bodyLang = (req: Request): unknown =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>).lang : undefined;

  async function dashboard(
    res: Response,
    who: Signed,
    state: PageState,
    status: number,
    notices: Notice[],
    draft?: DashboardView['draft'],
  ): Promise<void> {
    const locale = state.lang;
    const t = LABELS[locale];
    const full = FULL_DASHBOARD_ROLES.includes(who.staff.role);
    const processesShown = state.processes === 'all' ? PROCESSES_SHOWN_ALL : PROCESSES_SHOWN;
    const queueInput = {
      state: 'open' as const,
      limit: QUEUE_PAGE,
      processId: state.process,
      reason: state.reason,
    };
    const [listed, figures, broadcasts, processes] = await Promise.all([
      listModerationQueue(domain, { ...queueInput, cursor: state.after }),
      // One more than shown, to know whether older ones follow (get-dashboard-figures and list-broadcasts
      // give the newest first, or those older than their cursor, and no count).
      full
        ? getDashboardFigures(domain, { locale, limit: processesShown + 1, after: state.processesAfter })
        : undefined,
      full
        ? listBroadcasts(domain, { limit: BROADCASTS_SHOWN + 1, after: state.broadcastsAfter })
        : undefined,
      listProcesses(domain, { locale }),
    ]);
    let queue = listed;
    if (!queue.ok) {
      // A cursor that is not one (edited, or from another version): the first page, said so.
      notices = [...notices, { kind: 'error', text: t.staleCursor }];
      state = { ...state, after: undefined };
      queue = await listModerationQueue(domain, queueInput);
    }
    const items = queue.ok ? queue.items : [];
    const shownBroadcasts = (broadcasts ?? []).slice(0, BROADCASTS_SHOWN);
    const [cases, progress] = await Promise.all([
      Promise.all(items.map((i) => getModerationCase(domain, { caseId: i.id, locale }))),
      Promise.all(shownBroadcasts.map((b) => getBroadcastProgress(domain, { broadcastId: b.id }))),
    ]);
    page(
      res,
      status,
      renderDashboard({
        locale,
        state,
        staff: who.staff,
        csrf: who.session.csrf,
        notices,
        figures: figures && {
          rows: figures.slice(0, processesShown),
          more: figures.length > processesShown,
        },
        queue: {
          openCount: queue.ok ? queue.openCount : 0,
          // Decided since the listing: no longer waiting.
          cases: cases.filter((c): c is ModerationCaseView => c !== undefined && c.decidedAt === null),
          nextCursor: queue.ok ? queue.nextCursor : null,
          processes: processes.map((p) => ({ id: p.id, title: p.title })),
        },
        broadcasts: broadcasts && {
          rows: shownBroadcasts.map((summary, i) => ({ summary, progress: progress[i] })),
          more: broadcasts.length > BROADCASTS_SHOWN,
        },
        draft,
        queuesBoard: full && deps.queuesBoard ? `${DASHBOARD_PATH}/queues/` : undefined,
      }),
    );
  }

  /**
   * A first review that reports closed (wasSuperseded): where its item is reviewed now, the reported case
   * opened in its place, with a link to that case's card while it waits: on this page, or else the queue of
   * the process's reported cases (render.ts picks).
   */
  async function superseded(caseId: number, state: PageState): Promise<Notice> {
    const t = LABELS[state.lang];
    const next = (await getCaseDecision(domain, { caseId }))?.supersededBy ?? null;
    const text = t.superseded(caseId, next);
    const open = next === null ? undefined : await getModerationCase(domain, { caseId: next });
    if (!open || open.decidedAt !== null) return { kind: 'error', text };
    const elsewhere = pageHref(
      { ...state, process: open.processId, reason: 'reported', after: undefined },
      `#case-${open.id}`,
    );
    return { kind: 'error', text, caseId: open.id, caseElsewhere: elsewhere };
  }

  /** Every POST: from one of our pages (403 otherwise), and carrying the expected token (403 otherwise). */
  function forged(req: Request, expected: string | undefined): boolean {
    if (!isSameOrigin(req)) {
      log.warn({ path: req.path, reason: 'cross-origin' }, 'dashboard post refused');
      return true;
    }
    if (!tokensMatch(presentedToken(req), expected)) {
      log.warn({ path: req.path, reason: 'csrf-token' }, 'dashboard post refused');
      return true;
    }
    return false;
  }

  const router = express.Router();

  // The page: exactly /admin (and /admin/).
  router.get('/', secureHeaders, async (req, res) => {
    const query = pageQuery.safeParse(req.query);
    const locale = localeOf(req, query.success ? query.data.lang : undefined);
    if (!query.success) return message(req, res, 400, LABELS[locale].badRequest);
    const who = await signedIn(req);
    if (!who) return res.redirect(303, `${UI_PATH}/login?lang=${locale}`);
    const { decided, lang: _lang, ...rest } = query.data;
    const notices: Notice[] = [];
    if (decided !== undefined) {
      const c = await getModerationCase(domain, { caseId: decided, locale });
      // Decided (a case reports closed has no decision, and is never redirected to here).
      if (c?.decidedAt && c.decision !== null) {
        const t = LABELS[locale];
        notices.push({
          kind: 'ok',
          text: t.decided(c.id, c.decidedBy ?? t.someone, decisionWord(t, c.decision)),
        });
      }
    }
    await dashboard(res, who, { ...rest, lang: locale }, 200, notices);
  });

  const ui = express.Router();
  router.use('/ui', secureHeaders, ui);
  ui.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }));

  ui.get('/dashboard.css', (_req, res) => {
    res.type('text/css; charset=utf-8').send(STYLESHEET);
  });

  ui.get('/favicon.svg', (_req, res) => {
    res.type('image/svg+xml').send(FAVICON);
  });

  ui.get('/login', async (req, res) => {
    const query = loginQuery.safeParse(req.query);
    const locale = localeOf(req, query.success ? query.data.lang : undefined);
    if (!query.success) return message(req, res, 400, LABELS[locale].badRequest);
    if (await signedIn(req)) return res.redirect(303, `${DASHBOARD_PATH}?lang=${locale}`);
    const csrf = randomSecret();
    res.cookie(LOGIN_COOKIE, csrf, cookieOptions(req, `${UI_PATH}/login`, LOGIN_COOKIE_MS));
    page(res, 200, renderLogin({ locale, csrf }));
  });

  ui.post('/login', async (req, res) => {
    const pending = readCookie(req.get('cookie'), LOGIN_COOKIE);
    if (forged(req, pending)) return message(req, res, 403, LABELS[localeOf(req, bodyLang(req))].forbidden);
    const body = loginBody.safeParse(req.body);
    const locale = localeOf(req, body.success ? body.data.lang : bodyLang(req));
    const t = LABELS[locale];
    if (!body.success)
      return page(
        res,
        400,
        renderLogin({ locale, csrf: pending!, notices: [{ kind: 'error', text: t.badRequest }] }),
      );
    const result = await authenticateToken(domain, { token: body.data.token });
    if (!result.ok || !DASHBOARD_ROLES.includes(result.staff.role)) {
      log.info({ reason: result.ok ? 'role' : result.reason }, 'dashboard sign-in refused');
      const text = result.ok ? t.notAllowed : t.badToken;
      return page(
        res,
        result.ok ? 403 : 401,
        renderLogin({ locale, csrf: pending!, notices: [{ kind: 'error', text }] }),
      );
    }
    // A new id at every sign-in; a session this browser held before ends.
    const previous = readCookie(req.get('cookie'), SESSION_COOKIE);
    if (previous) await store.destroy(previous);
    const { id } = await store.create({ staffId: result.staff.id, tokenId: result.tokenId });
    log.info({ staffId: result.staff.id, tokenId: result.tokenId }, 'dashboard sign-in');
    res.clearCookie(LOGIN_COOKIE, cookieOptions(req, `${UI_PATH}/login`));
    res.cookie(SESSION_COOKIE, id, cookieOptions(req, DASHBOARD_PATH, store.ttlMs));
    res.redirect(303, `${DASHBOARD_PATH}?lang=${locale}`);
  });

  // A refusal's page stays at the address it was posted to: opened again (reload, history), it leads back.
  ui.get('/logout', (req, res) =>
    res.redirect(303, `${DASHBOARD_PATH}?lang=${localeOf(req, req.query.lang)}`),
  );

  ui.get('/moderation/:id/decide', (req, res) => {
    const query = decideQuery.safeParse(req.query);
    const locale = localeOf(req, req.query.lang);
    const state: PageState = { ...(query.success ? query.data : {}), lang: locale };
    const caseId = /^[1-9][0-9]{0,9}$/.test(req.params.id) ? Number(req.params.id) : undefined;
    res.redirect(
      303,
      pageHref(state, caseId !== undefined && isDbId(caseId) ? `#case-${caseId}` : '#moderation'),
    );
  });

  ui.post('/logout', async (req, res) => {
    const locale = localeOf(req, bodyLang(req));
    const who = await signedIn(req);
    // Nobody signed in (expired, revoked): nothing to end; on to the form.
    if (!who && isSameOrigin(req)) {
      res.clearCookie(SESSION_COOKIE, cookieOptions(req, DASHBOARD_PATH));
      return res.redirect(303, `${UI_PATH}/login?lang=${locale}`);
    }
    if (!who || forged(req, who.session.csrf)) return message(req, res, 403, LABELS[locale].forbidden);
    const body = logoutBody.safeParse(req.body);
    if (!body.success) return message(req, res, 400, LABELS[locale].badRequest);
    await store.destroy(who.id);
    log.info({ staffId: who.staff.id }, 'dashboard sign-out');
    res.clearCookie(SESSION_COOKIE, cookieOptions(req, DASHBOARD_PATH));
    res.redirect(303, `${UI_PATH}/login?lang=${locale}`);
  });

  ui.post('/moderation/:id/decide', async (req, res) => {
    if (!isSameOrigin(req)) {
      log.warn({ path: req.path, reason: 'cross-origin' }, 'dashboard post refused');
      return message(req, res, 403, LABELS[localeOf(req, bodyLang(req))].forbidden);
    }
    const who = await signedIn(req);
    if (!who) return message(req, res, 401, LABELS[localeOf(req, bodyLang(req))].sessionEnded, true);
    if (forged(req, who.session.csrf))
      return message(req, res, 403, LABELS[localeOf(req, bodyLang(req))].forbidden);
    const body = decideBody.safeParse(req.body);
    const locale = localeOf(req, body.success ? body.data.lang : bodyLang(req));
    const t = LABELS[locale];
    // The page of the queue the form was on (its address): shown again after the decision, or the refusal.
    const from = decideQuery.safeParse(req.query);
    const state: PageState = { ...(from.success ? from.data : {}), lang: locale };
    const caseId = /^[1-9][0-9]{0,9}$/.test(req.params.id ?? '') ? Number(req.params.id) : undefined;
    if (caseId === undefined || !isDbId(caseId))
      return dashboard(res, who, state, 404, [{ kind: 'error', text: t.caseNotFound }]);
    if (!body.success) {
      // A typed reason that cannot be stored (NUL, lone surrogates) is the moderator's to fix: said as such.
      const unstorable = body.error.issues.some((i) => i.path[0] === 'reason' && i.code === 'custom');
      return dashboard(res, who, state, unstorable ? 422 : 400, [
        { kind: 'error', text: unstorable ? t.reasonUnstorable : t.badRequest, caseId },
      ]);
    }
    const { decision, preset, reason: typed } = body.data;
    const typedReason = typed?.trim() || undefined;
    const draft = { caseId, preset: preset || undefined, reason: typed };
    // A reason goes with a rejection only. An approval that carries one was meant as a rejection (a form
    // submitted by Enter from an older page, a script): nothing is decided, and the reason is given back.
    if (decision !== 'reject' && (typedReason !== undefined || preset)) {
      log.info(
        { caseId, staffId: who.staff.id, decision, outcome: 'reason-with-approval' },
        'moderation decision (dashboard)',
      );
      return dashboard(
        res,
        who,
        state,
        422,
        [{ kind: 'error', text: t.reasonWithApproval(caseId), caseId }],
        draft,
      );
    }
    // A rejection's reason: the moderator's own words when typed, else the preset.
    const reason = decision === 'reject' ? typedReason || preset || undefined : undefined;
    const result = await decideModeration(domain, {
      caseId,
      staffMemberId: who.staff.id,
      decision,
      reason,
      sourceIp: req.ip,
    });
    log.info(
      { caseId, staffId: who.staff.id, decision, outcome: result.ok ? 'decided' : result.reason },
      'moderation decision (dashboard)',
    );
    if (result.ok)
      return res.redirect(303, `${DASHBOARD_PATH}${stateQuery(state, { decided: caseId })}#moderation`);
    const error = (status: number, text: Notice['text'], keep?: DashboardView['draft']) =>
      dashboard(res, who, state, status, [{ kind: 'error', text, caseId }], keep);
    switch (result.reason) {
      case 'already-decided':
        // Closed, not decided (a decision always has its name): reports hid its item before anyone decided.
        if (result.decision === null)
          return dashboard(res, who, state, 409, [await superseded(caseId, state)]);
        return error(
          409,
          t.alreadyDecided(caseId, result.decidedBy ?? t.someone, decisionWord(t, result.decision)),
        );
      case 'reason-required':
        return error(422, t.reasonRequired, draft);
      case 'nothing-to-redact':
        return error(422, t.nothingToRedact);
      case 'not-found':
        return error(404, t.caseNotFound);
      case 'not-allowed':
        return error(403, t.notAllowed);
      default: {
        const unhandled: never = result;
        throw new Error(`unhandled decision outcome ${JSON.stringify(unhandled)}`);
      }
    }
  });

  ui.use((req, res) => message(req, res, 404, LABELS[localeOf(req, bodyLang(req))].notFound));
  // The body parser's refusals (too large, malformed) are the client's: a 4xx page, never the app's 5xx.
  ui.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = error as { status?: unknown; expose?: unknown };
    if (e?.expose !== true || typeof e.status !== 'number' || e.status >= 500) return next(error);
    message(req, res, e.status, LABELS[localeOf(req)].badRequest);
  });
  return router;
}
