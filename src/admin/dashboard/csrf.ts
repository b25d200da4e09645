// Cross-site request forgery, refused twice for every POST of the dashboard:
//
// 1. Where it comes from. A browser says it: `Sec-Fetch-Site` must be `same-origin`; an `Origin` header, when
//    it names an origin, must be this server's (scheme and host as the request arrived, or as a trusted
//    proxy says). The dashboard's Referrer-Policy is `no-referrer`, under which browsers send `Origin: null`
//    on form posts, so `null` passes only with `Sec-Fetch-Site: same-origin` (every current browser sends
//    it). A request with neither header is not a browser's: the token below still applies.
// 2. The synchronizer token: each session has a random token of its own, written into every form as a
//    hidden `_csrf` field (or sent as `X-CSRF-Token`), compared in constant time. Before a session exists
//    (the sign-in form), the form's token is paired with a short-lived HttpOnly, SameSite=Strict cookie
//    instead (double submit), so nobody can sign a victim into a session of their own.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const LOGIN_COOKIE = 'plaza_dashboard_login';

/** Whether the browser says this request comes from one of this server's own pages. */
export function isSameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  const origin = req.get('origin');
  if (site !== undefined && site !== 'same-origin') return false;
  if (origin !== undefined && origin !== 'null' && origin !== `${req.protocol}://${req.host}`) return false;
  if (origin === 'null' && site === undefined) return false;
  return true;
}

/** The token a request presents: the form's hidden field, else the header. */
export function presentedToken(req: Request): string | undefined {
  const body: unknown = req.body;
  if (body && typeof body === 'object') {
    const field = (body as Record<string, unknown>)[CSRF_FIELD];
    if (typeof field === 'string') return field;
  }
  return req.get(CSRF_HEADER);
}

/** Constant-time comparison (on digests, so lengths leak nothing either). */
export function tokensMatch(presented: string | undefined, expected: string | undefined): boolean {
  if (!presented || !expected) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
