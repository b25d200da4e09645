// bull-board, the queues' dashboard, at /admin/queues for staff and admins. A browser cannot send a Bearer
// header when it navigates, so the board is opened once as /admin/queues?token=plaza_…: the token is checked
// and kept in an HttpOnly, SameSite=Strict cookie scoped to /admin/queues (never readable by scripts, never
// sent by another site, never valid for the rest of the admin API), and the browser is sent on to the same
// address without the token, so it stays out of history and logs.
//
// The board is read-only (every queue's adapter in bull-board's readOnlyMode, and any request but GET/HEAD
// refused here with 405): retrying, removing, promoting or cleaning jobs, or pausing a queue, would be
// privileged actions that leave no row in the audit log. Nothing is lost by watching only: the workers
// re-enqueue open moderation cases and broadcasts themselves (requeue-open-cases, requeue-broadcasts).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  authenticateToken,
  type AuthenticatedStaff,
  type AuthenticateTokenResult,
} from '../domain/authenticate-token.ts';
import type { DomainDeps } from '../domain/deps.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
import { httpStatusOf, RETRY_AFTER_SECONDS } from '../http/app.ts';
import type { Logger } from '../logger.ts';
import { OutageLog } from '../outage-log.ts';
import { readCookie } from './dashboard/session-store.ts';
import type { AdminRouteSpec } from './route-spec.ts';

export const BOARD_PATH = '/admin/queues';
export const BOARD_COOKIE = 'plaza_board';
export const BOARD_ROLES: readonly StaffRole[] = ['admin', 'staff'];
const COOKIE_HOURS = 8;

/**
 * The board's own query: the token, once. Loose on purpose: bull-board's pages and API under /admin/queues
 * take query parameters of their own, which it validates itself.
 */
export const boardQuery = z.looseObject({
  token: z.string().max(200).optional().meta({ description: 'An API token, once: kept in a cookie' }),
});

/** The board as one endpoint, relative to /admin (its pages and API under /admin/queues/… answer alike). */
export const queuesBoardRoutes: AdminRouteSpec[] = [
  {
    method: 'get',
    path: '/queues',
    summary: 'The queues board (bull-board), read-only',
    description:
      'A browser page: open `/admin/queues?token=<token>` once; the token is kept in an HttpOnly, ' +
      'SameSite=Strict cookie scoped to /admin/queues and the browser is sent on without it (303). ' +
      'A Bearer header works too. Anything but GET and HEAD answers 405.',
    roles: BOARD_ROLES,
    query: boardQuery,
    produces: 'text/html',
    responses: { 200: 'The board', 303: 'Token kept in the cookie; on to the board', 405: 'Read-only' },
  },
];

export function createQueuesBoard(deps: {
  domain: Pick<DomainDeps, 'db' | 'now'>;
  logger: Logger;
  queues: Queue[];
  /** The staff dashboard's session, accepted as the board's sign-in (the dashboard links here). */
  session?: (req: Request) => Promise<AuthenticatedStaff | undefined>;
}): Router {
  const log = deps.logger.child({ module: 'queues-board' });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: deps.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter,
  });
  // bull-board answers a failure itself: 500 with the driver's message ("The client is offline") while
  // Redis is down, and no log line. Its errors go to Plaza's boundary below instead (bull-board's error
  // middleware calls this handler for each, and express hands what it throws to the next error middleware).
  serverAdapter.setErrorHandler((error) => {
    throw error;
  });
  // A store down: told once when it starts, reminded once a minute, and once when the board answers again
  // (bull-board's page asks its API every few seconds: a line per request would flood the log).
  const outage = new OutageLog({
    logger: log,
    level: 'warn',
    down: 'queues board answering 503: a store is unreachable',
    up: 'queues board answering again',
  });

  const router = express.Router();
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const query = boardQuery.safeParse(req.query);
    const fromQuery = query.success ? query.data.token : undefined;
    const header = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '')?.[1];
    // A cookie that is not valid percent-encoding reads as no cookie: 401 like any missing sign-in.
    const token = fromQuery ?? header ?? readCookie(req.get('cookie'), BOARD_COOKIE);
    const fromSession = !token && deps.session ? await deps.session(req) : undefined;
    const result: { ok: true; staff: AuthenticatedStaff } | AuthenticateTokenResult | undefined = fromSession
      ? { ok: true, staff: fromSession }
      : token
        ? await authenticateToken(deps.domain, { token })
        : undefined;
    if (!result?.ok || !BOARD_ROLES.includes(result.staff.role)) {
      log.info(
        { path: req.path, reason: result && !result.ok ? result.reason : 'role-or-missing' },
        'board refused',
      );
      res
        .status(result?.ok ? 403 : 401)
        .type('text/plain')
        .send(
          result?.ok
            ? 'Only staff and admins can open the queues board.'
            : `Open ${BOARD_PATH}?token=<your staff token> (plaza tokens create --role staff).`,
        );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).set('Allow', 'GET, HEAD').json({ error: 'read-only' });
      return;
    }
    if (fromQuery) {
      res.cookie(BOARD_COOKIE, fromQuery, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: BOARD_PATH,
        maxAge: COOKIE_HOURS * 3600 * 1000,
      });
      res.redirect(303, BOARD_PATH + (req.path === '/' ? '/' : req.path));
      return;
    }
    res.on('finish', () => {
      if (res.statusCode < 500) outage.recovered();
    });
    next();
  });
  router.use(serverAdapter.getRouter() as Router);
  // As the rest of the admin API: a store down is 503 `unavailable` with Retry-After; anything else goes on
  // to the admin router's boundary (500 `internal`, logged).
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || httpStatusOf(error) !== 503) return next(error);
    outage.failed(error, { path: req.path });
    res.set('Retry-After', RETRY_AFTER_SECONDS).status(503).json({ error: 'unavailable' });
  });
  return router;
}
