// Bearer authentication for the admin API. A request carries `Authorization: Bearer plaza_…` (a token from
// `plaza tokens create` or `plaza moderators token`); every failure answers alike — 401
// `{ error: 'unauthorized' }` with a `WWW-Authenticate: Bearer` challenge — so a caller learns nothing about
// other people's tokens; the reason (invalid, expired, revoked, disabled) goes to the log. A role not allowed
// for a route (admin-router.ts checks each route spec's roles) answers 403 `{ error: 'forbidden' }`. The
// token itself is never logged, nor echoed.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { authenticateToken, type AuthenticatedStaff } from '../domain/authenticate-token.ts';
import type { DomainDeps } from '../domain/deps.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
import type { Logger } from '../logger.ts';
import { forbidden } from './http-answers.ts';

/** Who may read the moderation queue and decide cases. */
export const MODERATION_ROLES: readonly StaffRole[] = ['admin', 'staff', 'moderator'];

const REALM = 'plaza-admin';
const STAFF = Symbol('staff');

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
        return next();
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
    forbidden(res);
  };
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
