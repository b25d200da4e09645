// A self-hosted subset of Direct Line 3.0 (polling only, no websocket), enough for Microsoft Web Chat and
// botframework-directlinejs. Mount at `/v3/directline`.
//
//   POST /tokens/generate                     no auth; rate-limited per client address → { conversationId, token, expires_in, userId }
//   POST /tokens/refresh                      Bearer → a new token for the same conversation and user, and
//                                             `started`: whether that conversation is still kept
//   POST /conversations                       Bearer → 201 (started) or 200 (already started) { conversationId, token, expires_in }
//   GET  /conversations/:id?watermark=N       Bearer → the same (resume)
//   POST /conversations/:id/activities        Bearer → { id } once the bot's turn is over (its replies are readable)
//   GET  /conversations/:id/activities?watermark=N  Bearer → { activities, watermark }
//   POST /conversations/:id/upload            Bearer → 415: attachments are not supported yet
//
// Contract:
// - Every answer is JSON; every failure is `{ error: { code, message } }`. Bad input is a 4xx, never a 5xx:
//   malformed JSON 400 `invalid_json`, body over the limit 413 `payload_too_large`, text over the limit 413
//   `text_too_long`, a body that is not an activity or whose `value` is nested or sized past the limits
//   (activity-mapping.ts) 400 `bad_activity` (refused before the turn runs), missing/forged token 401
//   `unauthorized`, expired token 403 `token_expired` (what Direct Line answers, so clients report an
//   expired token), a token for another conversation 403 `forbidden`, unknown or expired conversation 404
//   `not_found`, too many token requests 429 `rate_limited`.
// - The user id is the one bound in the token; the client's `from` is ignored. `/tokens/generate` ignores
//   any `user` in its body: a caller can never choose a user id.
// - A posted activity is run through the engine first; the user's activity (echoed with its client
//   activity id) and the replies are appended to the stream together, only once the turn succeeded. If the
//   engine or Redis fails, the answer is 503 `retry` and nothing is appended: the client sends it again
//   (Web Chat shows "send failed, retry"), and the same client activity id maps to the same activity id.
// - Logs carry ids, counts and outcomes only, never text or tokens.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { TurnRunner } from '../../src/engine/types.ts';
import type { Logger } from '../../src/logger.ts';
import { OutageLog } from '../../src/outage-log.ts';
import type { Redis } from '../../src/redis/client.ts';
import {
  parseClientActivity,
  toBotStreamActivity,
  toInboundActivity,
  toUserStreamActivity,
  userActivityId,
} from './activity-mapping.ts';
import { ConversationStore, type StoredActivity } from './conversation-store.ts';
import { hitRateLimit } from './rate-limit.ts';
import { createTokenService, randomId, type TokenClaims } from './tokens.ts';

export interface DirectLineRouterDeps {
  engine: TurnRunner;
  redis: Redis;
  logger: Logger;
  /** Signs tokens (HMAC-SHA256); at least 16 characters. */
  secret: string;
  keyPrefix: string;
  /** Tokens one client address may generate per minute. */
  tokensPerMinute: number;
  /** '*' or a comma-separated list of origins allowed to call from a browser on another site. */
  allowedOrigins: string;
  /** Token lifetime in seconds. Default 3600 (clients refresh every 15 minutes). */
  tokenTtlSeconds?: number;
  /** Seconds a conversation is kept after its last activity or token refresh. Default 24 h. */
  conversationTtlSeconds?: number;
  /** Activities kept per conversation. Default 500. */
  maxActivities?: number;
  /**
   * Longest text accepted in one activity. Default 60,000 characters: far above the engine's own limit, so
   * that a long paste gets the bot's friendly «too long» answer in the chat, not a refusal Web Chat can only
   * show as «could not send».
   */
  maxTextLength?: number;
  /** Largest JSON body accepted. Default '256kb' (60,000 characters of 4-byte UTF-8 fit). */
  bodyLimit?: string;
  /** Clock, for tests. */
  now?: () => number;
}

export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DirectLineError';
  }
}

const retryLater = (cause: unknown): DirectLineError =>
  new DirectLineError(
    503,
    'retry',
    'The service is busy; please try again.',
    { 'Retry-After': '2' },
    { cause },
  );

/** Runs a Redis call; its failure becomes 503 `retry`. */
async function storage<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw retryLater(error);
  }
}

export function createDirectLineRouter(deps: DirectLineRouterDeps): Router {
  const log = deps.logger.child({ module: 'directline' });
  const now = deps.now ?? Date.now;
  const tokens = createTokenService(deps.secret, { ttlSeconds: deps.tokenTtlSeconds ?? 3600, now });
  const store = new ConversationStore(deps.redis, {
    keyPrefix: deps.keyPrefix,
    ttlSeconds: deps.conversationTtlSeconds,
    maxActivities: deps.maxActivities,
  });
  // Above the engine's own limit, so a long message gets the bot's friendly "too long" answer in chat.
  const maxTextLength = deps.maxTextLength ?? 60_000;

  // While Redis or the database is down every request is answered 503 `retry`: one line when that starts, a
  // reminder a minute, one when requests are served again — not a line (with its stack) per request.
  const refusing = new OutageLog({
    logger: log,
    level: 'warn',
    down: 'web chat requests answered 503 while a store is unreachable; clients retry',
    up: 'web chat requests served again',
  });

  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    if (refusing.isDown)
      res.once('finish', () => {
        if (res.statusCode < 500) refusing.recovered();
      });
    next();
  });
  router.use(cors(deps.allowedOrigins));
  router.use(
    express.json({ limit: deps.bodyLimit ?? '256kb', type: ['application/json', 'application/*+json'] }),
  );

  /** The presented token's claims; with `conversationId`, also checks the token is for that conversation. */
  function authenticate(req: Request, conversationId?: string): TokenClaims & { token: string } {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) throw new DirectLineError(401, 'unauthorized', 'A Bearer token is required.');
    const token = match[1];
    const result = tokens.verify(token);
    if (!result.ok) {
      if (result.reason === 'expired') {
        throw new DirectLineError(403, 'token_expired', 'The token has expired; start a new conversation.');
      }
      throw new DirectLineError(401, 'unauthorized', 'The token is not valid.');
    }
    if (conversationId !== undefined && conversationId !== result.claims.conversationId) {
      throw new DirectLineError(403, 'forbidden', 'The token is for another conversation.');
    }
    return { ...result.claims, token };
  }

  const conversationBody = (claims: TokenClaims & { token: string }) => ({
    conversationId: claims.conversationId,
    token: claims.token,
    expires_in: Math.max(0, claims.expiresAt - Math.floor(now() / 1000)),
    userId: claims.userId,
  });

  const notFound = () =>
    new DirectLineError(404, 'not_found', 'This conversation does not exist or has expired.');

  router.post('/tokens/generate', async (req, res) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const limit = await storage(() =>
      hitRateLimit(deps.redis, `${deps.keyPrefix}:dl:rl:gen:${address}`, deps.tokensPerMinute),
    );
    if (!limit.allowed) {
      log.warn({ outcome: 'rate_limited' }, 'directline token refused');
      throw new DirectLineError(
        429,
        'rate_limited',
        'Too many new conversations from this address; wait a minute.',
        {
          'Retry-After': String(limit.retryAfterSeconds),
        },
      );
    }
    const issued = tokens.issue(randomId(), randomId('dl_'));
    log.info({ conversationId: issued.claims.conversationId }, 'directline token generated');
    res.json(conversationBody({ ...issued.claims, token: issued.token }));
  });

  router.post('/tokens/refresh', async (req, res) => {
    const claims = authenticate(req);
    const user = await storage(() => store.touch(claims.conversationId));
    if (user !== undefined && user !== claims.userId)
      throw new DirectLineError(403, 'forbidden', 'Not your conversation.');
    // A token whose conversation was never started may be refreshed too (the page may not have started it yet).
    // `started` says whether the conversation is there: false once Redis has lost it (restarted empty), so
    // the page greets anew instead of showing an empty chat.
    const issued = tokens.issue(claims.conversationId, claims.userId);
    res.json({ ...conversationBody({ ...issued.claims, token: issued.token }), started: user !== undefined });
  });

  router.post('/conversations', async (req, res) => {
    const claims = authenticate(req);
    const { created, userId } = await storage(() => store.ensure(claims.conversationId, claims.userId));
    if (userId !== claims.userId) throw new DirectLineError(403, 'forbidden', 'Not your conversation.');
    if (created) log.info({ conversationId: claims.conversationId }, 'directline conversation started');
    res.status(created ? 201 : 200).json(conversationBody(claims));
  });

  router.get('/conversations/:id', async (req, res) => {
    const claims = authenticate(req, req.params.id);
    const user = await storage(() => store.touch(claims.conversationId));
    if (user === undefined) throw notFound();
    if (user !== claims.userId) throw new DirectLineError(403, 'forbidden', 'Not your conversation.');
    res.json(conversationBody(claims));
  });

  router.post('/conversations/:id/activities', async (req, res) => {
    const started = now();
    const claims = authenticate(req, req.params.id);
    const parsed = parseClientActivity(req.body, maxTextLength);
    if (!parsed.ok) throw new DirectLineError(parsed.status, parsed.code, parsed.message);
    const input = parsed.activity;
    const { conversationId, userId } = claims;

    const user = await storage(() => store.touch(conversationId));
    if (user === undefined) throw notFound();
    if (user !== userId) throw new DirectLineError(403, 'forbidden', 'Not your conversation.');

    const id = userActivityId(conversationId, userId, input.clientActivityId?.value);
    const receivedAt = new Date(now());
    const ctx = { conversationId, userId, id, timestamp: receivedAt };
    let replies;
    try {
      replies = await deps.engine.runTurn(toInboundActivity(input, ctx));
    } catch (error) {
      log.warn({ conversationId, activityId: id, outcome: 'retry', err: error }, 'directline turn failed');
      throw retryLater(error);
    }

    // Replies get increasing timestamps after the user's, so every client orders them the same way.
    const replyBase = Math.max(receivedAt.getTime() + 1, now());
    const stream: StoredActivity[] = [toUserStreamActivity(input, ctx)];
    for (const reply of replies) {
      const mapped = toBotStreamActivity(reply, {
        conversationId,
        userId,
        replyToId: id,
        timestamp: new Date(replyBase + stream.length - 1),
      });
      if (mapped) stream.push(mapped);
    }
    const watermarks = await storage(() => store.append(conversationId, stream, id));
    if (watermarks === undefined) throw notFound();
    log.info(
      { conversationId, activityId: id, type: input.type, replies: stream.length - 1, ms: now() - started },
      'directline activity',
    );
    res.json({ id });
  });

  router.get('/conversations/:id/activities', async (req, res) => {
    const claims = authenticate(req, req.params.id);
    const raw = req.query.watermark;
    if (raw !== undefined && (typeof raw !== 'string' || !/^\d{0,15}$/.test(raw))) {
      throw new DirectLineError(400, 'bad_watermark', 'watermark must be a number.');
    }
    const result = await storage(() => store.read(claims.conversationId, raw ? Number(raw) : 0));
    if (!result.found) throw notFound();
    // As for every other use of a conversation: only the user it is bound to reads it.
    if (result.user !== claims.userId) throw new DirectLineError(403, 'forbidden', 'Not your conversation.');
    res.json({ activities: result.activities, watermark: String(result.watermark) });
  });

  router.post('/conversations/:id/upload', (req) => {
    authenticate(req, req.params.id);
    throw new DirectLineError(
      415,
      'attachments_unsupported',
      'Attachments are not supported yet; please write your message as text.',
    );
  });

  router.use(() => {
    throw new DirectLineError(404, 'not_found', 'No such Direct Line endpoint.');
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const answer = toAnswer(error);
    if (answer.status === 503) {
      // The store's error, not its wrapper: its name and code say what is down (no message: it may quote
      // values).
      const cause = ((error as { cause?: unknown } | undefined)?.cause ?? error) as
        { name?: unknown; code?: unknown } | undefined;
      refusing.failed({ name: cause?.name, code: cause?.code });
    } else if (answer.status >= 500)
      log.error({ status: answer.status, err: error }, 'directline request failed');
    res
      .set(answer.headers)
      .status(answer.status)
      .json({ error: { code: answer.code, message: answer.message } });
  });

  return router;
}

function toAnswer(error: unknown): {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
} {
  if (error instanceof DirectLineError) {
    return { status: error.status, code: error.code, message: error.message, headers: error.headers };
  }
  // express.json()'s errors (body-parser): a `type` and a 4xx status. Their `body` may hold the user's text,
  // so nothing of it is logged or echoed.
  const e = error as { type?: unknown; status?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : 500;
  switch (e?.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.', headers: {} };
    case 'entity.too.large':
      return { status: 413, code: 'payload_too_large', message: 'The body is too large.', headers: {} };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        code: 'unsupported_encoding',
        message: 'Send the body as UTF-8 JSON.',
        headers: {},
      };
  }
  if (status >= 400 && status < 500) {
    return { status, code: 'bad_request', message: 'The request could not be read.', headers: {} };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side.', headers: {} };
}

/** CORS for browsers on other sites: no cookies are involved (tokens travel in the Authorization header). */
function cors(allowedOrigins: string) {
  const normalize = (origin: string) => origin.trim().replace(/\/+$/, '').toLowerCase();
  const any = allowedOrigins.trim() === '*';
  const allowed = new Set(allowedOrigins.split(',').map(normalize).filter(Boolean));
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (!any) res.vary('Origin');
    const ok = origin !== undefined && (any || allowed.has(normalize(origin)));
    if (ok) {
      res.set({
        'Access-Control-Allow-Origin': any ? '*' : origin,
        'Access-Control-Expose-Headers': 'Retry-After',
      });
    }
    if (req.method !== 'OPTIONS') return next();
    if (origin !== undefined && !ok) {
      res
        .status(403)
        .json({ error: { code: 'origin_not_allowed', message: 'This site may not embed the chat.' } });
      return;
    }
    res
      .set({
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers':
          'Authorization, Content-Type, Accept, X-Requested-With, x-ms-bot-agent',
        'Access-Control-Max-Age': '600',
      })
      .status(204)
      .end();
  };
}
