// The public web chat page. Mount at `/`:
//   GET /                             the page (Spanish; ?lang=en for English, ?embed=1 without header)
//   GET /webchat/webchat-minimal.js   Microsoft Web Chat's prebuilt bundle, from node_modules
//   GET /webchat/plaza-webchat.js     the page's script (token, resume, join event, render)
// The page links both scripts with a `?v=` version (Web Chat's package version, a hash of our script), and a
// request carrying the current version gets a one-year immutable cache; any other gets `no-cache`.
// Paths the router does not know fall through to the next handler. Files are read once, at creation. The
// bundle (1.9 MB) goes gzipped to a browser that accepts it (480 KB: on a slow phone connection the chat's
// first button comes seconds sooner), compressed once, at its first request.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const YEAR_SECONDS = 365 * 24 * 3600;

/** Where botframework-webchat's prebuilt bundle is (its package exports do not expose `dist/`). */
export function resolveWebChatBundle(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  const packageRoot = path.resolve(path.dirname(require.resolve('botframework-webchat')), '..');
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { file: path.join(packageRoot, 'dist', 'webchat-minimal.js'), version };
}

export function createWebChatPageRouter(): Router {
  const bundle = resolveWebChatBundle();
  const script = readFileSync(path.join(PUBLIC_DIR, 'plaza-webchat.js'));
  const scriptVersion = createHash('sha256').update(script).digest('hex').slice(0, 12);
  const page = readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8')
    .replaceAll('{{WEBCHAT_VERSION}}', encodeURIComponent(bundle.version))
    .replaceAll('{{PLAZA_JS_VERSION}}', scriptVersion);

  const cacheFor = (req: Request, version: string): string =>
    req.query.v === version ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache';

  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  router.get('/', (_req: Request, res: Response) => {
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' }).send(page);
  });

  router.get('/webchat/plaza-webchat.js', (req: Request, res: Response) => {
    res
      .set({
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': cacheFor(req, scriptVersion),
      })
      .send(script);
  });

  const gzip = promisify(gzipCallback);
  let gzipped: Promise<Buffer> | undefined;
  router.get('/webchat/webchat-minimal.js', (req: Request, res: Response, next) => {
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      gzipped ??= gzip(readFileSync(bundle.file), { level: 9 });
      gzipped.then(
        (body) =>
          res
            .set({
              'Content-Type': 'text/javascript; charset=utf-8',
              'Content-Encoding': 'gzip',
              'Cache-Control': cacheFor(req, bundle.version),
            })
            .send(body),
        (error: unknown) => {
          gzipped = undefined;
          next(error);
        },
      );
      return;
    }
    res.sendFile(
      bundle.file,
      {
        cacheControl: false,
        headers: {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Cache-Control': cacheFor(req, bundle.version),
        },
      },
      (error) => {
        if (error && !res.headersSent) next(error);
      },
    );
  });

  return router;
}
