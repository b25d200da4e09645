// The admin API, mounted once at `/admin`: every request is authenticated (Bearer API token) before any
// body is read; then the roles its route spec lists are checked, so the specs (what openapi.json documents
// and docs/ADMIN-ROLES.md shows) are what the code enforces. A request no spec declares is answered 404
// `no-such-route` before any router sees it, so a route a router serves without declaring it cannot be
// reached. Answers are never cached, and every error is in this API's shape, `{ error: '<code>' }`: a store
// down is 503 `unavailable` (Retry-After), anything unexpected 500 `internal` (logged, no internals said).
import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { Queue } from 'bullmq';
import type { DomainDeps } from '../domain/deps.ts';
import type { Logger } from '../logger.ts';
import { httpStatusOf, RETRY_AFTER_SECONDS } from '../http/app.ts';
import { bearerAuth, requireRole } from './auth.ts';
import { broadcastRoutes, createBroadcastsRouter } from './broadcasts-router.ts';
import { createModerationRouter, moderationRoutes } from './moderation-router.ts';
import { createOpenApiRouter, openApiRoutes } from './openapi.ts';
import { createProposalsRouter, proposalRoutes } from './proposals-router.ts';
import { createProcessesRouter, processRoutes } from './processes-router.ts';
import { createVerificationCodesRouter, verificationCodeRoutes } from './verification-codes-router.ts';
import { createReportsRouter, reportRoutes } from './reports-router.ts';
import { createEventsRouter, eventRoutes } from './events-router.ts';
import { commitmentRoutes, createCommitmentsRouter } from './commitments-router.ts';
import { createPrivacyNoticesRouter, privacyNoticeRoutes } from './privacy-notices-router.ts';
import { createDashboardRouter, createDashboardSessions } from './dashboard/dashboard-router.ts';
import type { Redis } from '../redis/client.ts';
import { createQueuesBoard, queuesBoardRoutes } from './queues-board.ts';
import type { AdminRouteSpec } from './route-spec.ts';

export interface AdminRouterDeps {
  domain: DomainDeps;
  logger: Logger;
  /** Shown on the queues board (bull-board) at /admin/queues. */
  queues?: Queue[];
  /** Sessions of the staff dashboard at /admin (the page is mounted only when given). */
  redis?: Redis;
  /** REDIS_PREFIX: the dashboard's session keys are `<prefix>:dash:session:…`. */
  redisPrefix?: string;
}

/** One part of the admin API behind the Bearer token: its router, where it is mounted, what it serves. */
interface AdminPart {
  /** Where the router is mounted, relative to /admin; its specs' paths include it. */
  mount: string;
  routes: readonly AdminRouteSpec[];
  create(deps: AdminRouterDeps): Router;
}

// ┌─ THE ONE LIST ────────────────────────────────────────────────────────────────────────────────────────┐
// │ Every router behind the Bearer token, with the specs it exports. A new router (processes, commitments, │
// │ reports…) is one line here: its roles are then enforced, documented in /admin/openapi.json, and        │
// │ covered by docs/ADMIN-ROLES.md (npm run docs:roles) and tests/admin/role-matrix.test.ts.               │
// └────────────────────────────────────────────────────────────────────────────────────────────────────────┘
const PARTS: readonly AdminPart[] = [
  { mount: '/broadcasts', routes: broadcastRoutes, create: createBroadcastsRouter },
  { mount: '/proposals', routes: proposalRoutes, create: createProposalsRouter },
  // The report's paths (/:id/report, /:id/open-data.*) share the prefix with the processes API.
  { mount: '/processes', routes: reportRoutes, create: createReportsRouter },
  // Before the processes router: its own body parsers take a CSV of a few MB on this one path.
  { mount: '/processes', routes: verificationCodeRoutes, create: createVerificationCodesRouter },
  { mount: '/processes', routes: processRoutes, create: createProcessesRouter },
  { mount: '/commitments', routes: commitmentRoutes, create: createCommitmentsRouter },
  { mount: '/events', routes: eventRoutes, create: createEventsRouter },
  { mount: '/privacy-notices', routes: privacyNoticeRoutes, create: createPrivacyNoticesRouter },
  { mount: '/', routes: moderationRoutes, create: createModerationRouter },
];

/** Every admin endpoint (the queues board included): the role matrix's rows, docs and test alike. */
export const ADMIN_ROUTES: readonly AdminRouteSpec[] = [
  ...queuesBoardRoutes,
  ...openApiRoutes,
  ...PARTS.flatMap((p) => p.routes),
];

const DECLARED = Symbol('declared');

export function createAdminRouter(deps: AdminRouterDeps): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // The staff dashboard's sessions (a cookie of its own), also accepted by the board and, for reading, by
  // the API (the dashboard links to the board and the report).
  const sessions = deps.redis
    ? createDashboardSessions({ domain: deps.domain, redis: deps.redis, prefix: deps.redisPrefix ?? 'plaza' })
    : undefined;
  const session = sessions ? async (req: Request) => (await sessions.signedIn(req))?.staff : undefined;
  // The board authenticates itself (a browser page: token once, then a cookie of its own).
  if (deps.queues) router.use('/queues', createQueuesBoard({ ...deps, queues: deps.queues, session }));
  // The staff dashboard: GET /admin and /admin/ui/…, CSRF checks on its forms.
  if (deps.redis)
    router.use(
      createDashboardRouter({
        domain: deps.domain,
        logger: deps.logger,
        redis: deps.redis,
        prefix: deps.redisPrefix ?? 'plaza',
        queuesBoard: deps.queues !== undefined,
      }),
    );
  router.use(bearerAuth({ ...deps, session }));

  // A request matching several specs must satisfy each one's roles.
  const behindToken = [...openApiRoutes, ...PARTS.flatMap((p) => p.routes)];
  const declared = (_req: Request, res: Response, next: NextFunction) => {
    (res.locals as Record<symbol, boolean>)[DECLARED] = true;
    next();
  };
  for (const spec of behindToken) router[spec.method](spec.path, declared, requireRole(spec.roles));
  router.use((_req, res, next) => {
    if ((res.locals as Record<symbol, boolean | undefined>)[DECLARED]) return next();
    res.status(404).json({ error: 'no-such-route' });
  });

  router.use(createOpenApiRouter(deps.queues ? ADMIN_ROUTES : behindToken));
  for (const part of PARTS) router.use(part.mount, part.create(deps));
  // A declared path whose router did not answer (no handler matched after all).
  router.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'no-such-route' });
  });
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = httpStatusOf(error);
    if (status === 503) {
      deps.logger.warn(
        { method: req.method, path: req.path, err: { name: (error as Error | undefined)?.name } },
        'admin request refused: a store is unreachable',
      );
      res.set('Retry-After', RETRY_AFTER_SECONDS);
    } else if (status >= 500) {
      deps.logger.error({ err: error, method: req.method, path: req.path }, 'admin request failed');
    }
    res.status(status).json({ error: adminErrorCode(status) });
  });
  return router;
}

function adminErrorCode(status: number): string {
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'internal';
  if (status === 413) return 'payload-too-large';
  return 'bad-request';
}
