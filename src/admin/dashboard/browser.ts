// What a browser gets from the pages under /admin, the dashboard's and the ones it links to (the process
// report, its open data): the page's language, whether the request is a browser's navigation (it asks for
// HTML first; API clients ask for JSON or anything), the headers every page carries, and the message page
// a refusal answers with. Used by the dashboard's router, and by bearerAuth and the reports router for
// requests signed in by the dashboard's session cookie, so a refusal there reads as a page, not JSON.
import type { Request, Response } from 'express';
import { DEFAULT_LOCALE, toLocale, type Locale } from '../../domain/deps.ts';
import { UI_PATH } from './paths.ts';
import { renderMessage, type MessageLink } from './render.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The browser's language: `explicit` when valid, else the first Accept-Language we speak, else Spanish. */
export function localeOf(req: Request, explicit?: unknown): Locale {
  if (explicit === 'es' || explicit === 'en') return explicit;
  for (const part of (req.get('accept-language') ?? '').split(',')) {
    const locale = toLocale(part.split(';')[0]!.trim());
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/**
 * Whether the request is a browser's navigation: it prefers HTML to JSON. Browsers send
 * `Accept: text/html,…`; curl's and fetch's defaults (any type) and no header at all prefer JSON (listed first).
 */
export function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** The headers of every dashboard page: a strict CSP (no script at all), no framing, no referrer, no cache. */
export function setPageHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
}

/** A refusal as a page: the message, the links given, and the way back (or to sign in). */
export function sendMessagePage(
  res: Response,
  status: number,
  opts: { locale: Locale; text: string; signIn?: boolean; links?: MessageLink[]; intro?: string },
): void {
  setPageHeaders(res);
  res.status(status).type('text/html; charset=utf-8').send(renderMessage(opts));
}

/** To the sign-in form, as the dashboard sends a browser without a session. */
export function redirectToSignIn(res: Response, locale: Locale): void {
  setPageHeaders(res);
  res.redirect(303, `${UI_PATH}/login?lang=${locale}`);
}
