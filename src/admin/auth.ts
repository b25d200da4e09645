// Bearer authentication for the admin API. A request carries `Authorization: Bearer plaza_…` (a token from
// `plaza tokens create` or `plaza moderators token`); every failure answers alike — 401
// `{ error: 'unauthorized' }` with a `WWW-Authenticate: Bearer` challenge — so a caller learns nothing about
// other people's tokens; the reason (invalid, expired, revoked, disabled) goes to the log. A role not allowed
// for a route (admin-router.ts checks each route spec's roles) answers 403 `{ error: 'forbidden' }`. The
// token itself is never logged, nor echoed.
//
// Browsers: the dashboard's links (the process report, its open data) are opened by a browser signed in by
// the dashboard's session cookie, for reading only. A browser's navigation (a GET asking for HTML first, no
// Authorization header) that no session signs in is sent to the dashboard's sign-in form, as the dashboard
// itself does; one signed in by a session whose role the route does not admit gets a page saying so. The
// decision is the same as for the API (nothing more is let through); only the answer's form differs.
// Requests with an Authorization header always get the JSON answers above.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { authenticateToken, type AuthenticatedStaff } from '../domain/authenticate-token.ts';
import type { DomainDeps } from '../domain/deps.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
import type { Logger } from '../logger.ts';
import { localeOf, redirectToSignIn, sendMessagePage, wantsHtml } from './dashboard/browser.ts';
import { LABELS } from './dashboard/labels.ts';
import { forbidden } from './http-answers.ts';

/** Who may read the moderation queue and decide cases. */
export const MODERATION_ROLES: readonly StaffRole[] = ['admin', 'staff', 'moderator'];

const REALM = 'plaza-admin';
const STAFF = Symbol('staff');
const VIA_SESSION = Symbol('via-session');

export interface AuthDeps {
  domain: Pick<DomainDeps, 'db' | 'now'>;
  logger: Logger;
  /**
   * A browser's staff dashboard session (its SameSite=Strict cookie), accepted instead of a Bearer token
   * for reading only (GET/HEAD): so the dashboard's links (the process report) open in the browser. Writes
   * always need the token (the dashboard's own forms carry CSRF tokens and go through its router).
   */
  session?: (req: Request) => Promise<AuthenticatedStaff | undefined>;
}

/** Authenticates every request; on success `staffOf(res)` names the staff member. */
export function bearerAuth(deps: AuthDeps): RequestHandler {
  const log = deps.logger.child({ module: 'admin-auth' });
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer +(\S+) *$/i.exec(header) : null;
    if (!header && deps.session && (req.method === 'GET' || req.method === 'HEAD')) {
      const staff = await deps.session(req);
      if (staff) {
        (res.locals as Record<symbol, AuthenticatedStaff>)[STAFF] = staff;
        (res.locals as Record<symbol, boolean>)[VIA_SESSION] = true;
        return next();
      }
      // A browser's page (the report a dashboard link opened) whose session ended, or that never had one:
      // to the sign-in form, as the dashboard sends it.
      if (wantsHtml(req)) {
        log.info({ method: req.method, path: req.path, reason: 'no-session' }, 'admin request refused');
        return redirectToSignIn(res, localeOf(req, req.query.lang ?? req.query.locale));
      }
    }
    if (!match) {
      log.info(
        { method: req.method, path: req.path, reason: header ? 'malformed' : 'missing' },
        'admin request refused',
      );
      return unauthorized(res, header !== undefined);
    }
    const result = await authenticateToken(deps.domain, { token: match[1]! });
    if (!result.ok) {
      log.info({ method: req.method, path: req.path, reason: result.reason }, 'admin request refused');
      return unauthorized(res, true);
    }
    (res.locals as Record<symbol, AuthenticatedStaff>)[STAFF] = result.staff;
    next();
  };
}

/** Lets through staff whose role is listed; must come after bearerAuth. */
export function requireRole(roles: readonly StaffRole[]): RequestHandler {
  return (req, res, next) => {
    const staff = (res.locals as Record<symbol, AuthenticatedStaff | undefined>)[STAFF];
    if (staff && roles.includes(staff.role)) return next();
    if (staff && answersAsPage(req, res)) {
      const locale = localeOf(req, req.query.lang ?? req.query.locale);
      return sendMessagePage(res, 403, { locale, text: LABELS[locale].pageNotAllowed(staff.role) });
    }
    forbidden(res);
  };
}

/**
 * Whether this request's refusals are pages, not JSON: a browser's navigation (it asks for HTML first)
 * signed in by the dashboard's session cookie. Only behind bearerAuth.
 */
export function answersAsPage(req: Request, res: Response): boolean {
  return (res.locals as Record<symbol, boolean | undefined>)[VIA_SESSION] === true && wantsHtml(req);
}

/** The authenticated staff member. Only for handlers mounted behind bearerAuth. */
export function staffOf(res: Response): AuthenticatedStaff {
  const staff = (res.locals as Record<symbol, AuthenticatedStaff | undefined>)[STAFF];
  if (!staff) throw new Error('staffOf: route mounted without bearerAuth');
  return staff;
}

function unauthorized(res: Response, presented: boolean): void {
  // RFC 6750: no error code when no credentials were sent, `invalid_token` otherwise.
  res.set(
    'WWW-Authenticate',
    presented ? `Bearer realm="${REALM}", error="invalid_token"` : `Bearer realm="${REALM}"`,
  );
  res.status(401).json({ error: 'unauthorized' });
}
