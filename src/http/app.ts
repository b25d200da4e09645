// The express app factory: health and readiness, the routers a process mounts, and one error boundary
// that turns anything unexpected into a JSON answer without internals. It never listens by itself.
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { isInfrastructureError } from '../engine/errors.ts';
import type { Logger } from '../logger.ts';

export interface Readiness {
  /** Each check resolves when its dependency answers, rejects otherwise. */
  [name: string]: () => Promise<unknown>;
}

export interface AppOptions {
  logger: Logger;
  readiness: Readiness;
  /** Routers to mount, in order: [path, router]. */
  routes: [string, Router][];
  /** Behind a reverse proxy, the hops to trust for the client address (rate limits use it). */
  trustProxy?: boolean | number | string;
}

export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  if (opts.trustProxy !== undefined) app.set('trust proxy', opts.trustProxy);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, 'ok' | 'down'> = {};
    await Promise.all(
      Object.entries(opts.readiness).map(async ([name, check]) => {
        checks[name] = await withTimeout(check(), 2000).then(
          () => 'ok' as const,
          () => 'down' as const,
        );
      }),
    );
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
  });

  for (const [path, router] of opts.routes) app.use(path, router);

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such resource' } });
  });

  // The one boundary for errors no router handled: log with the request id, answer without internals.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500)
      opts.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (status === 503) res.set('Retry-After', RETRY_AFTER_SECONDS);
    res.status(status).json({ error: describeStatus(status) });
  });
  return app;
}

/** What a 503 asks the client to wait before sending again, in seconds. */
export const RETRY_AFTER_SECONDS = '5';

function describeStatus(status: number): { code: string; message: string } {
  if (status === 413) return { code: 'payload_too_large', message: 'The request body is too large' };
  if (status === 416)
    return { code: 'range_not_satisfiable', message: 'The requested range is not available' };
  if (status < 500) return { code: 'bad_request', message: 'The request could not be served as sent' };
  if (status === 503) return { code: 'retry', message: 'Temporarily unavailable; please retry' };
  return { code: 'internal', message: 'Something went wrong; please retry' };
}

/**
 * The status an error no route handled is answered with: a store unreachable (PostgreSQL, Redis) is 503 —
 * the request may be sent again —; an error carrying an HTTP status (a body parser's 413…) keeps it; any
 * other is 500.
 */
export function httpStatusOf(error: unknown): number {
  if (isInfrastructureError(error)) return 503;
  const status =
    (error as { status?: unknown; statusCode?: unknown })?.status ??
    (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
