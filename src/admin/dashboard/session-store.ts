// The staff dashboard's sessions, in Redis. An API token is exchanged once for a session: a random id (32
// bytes) that only the browser holds, in an HttpOnly, SameSite=Strict cookie scoped to /admin. Redis keeps
// the session under the SHA-256 of that id (a copy of Redis, or a look at its keys, gives nobody a cookie),
// with an absolute expiry; signing out deletes it. The session holds the token's id (never the token), so
// every request can ask whether the token still works (authenticate-token-id), and the CSRF synchronizer
// token of the session's forms.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Redis } from '../../redis/client.ts';

export const SESSION_COOKIE = 'plaza_dashboard';
export const DEFAULT_SESSION_TTL_MS = 8 * 3600 * 1000;

/** What a session id looks like: 32 random bytes in base64url. Anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

const storedSession = z.strictObject({
  staffId: z.string(),
  tokenId: z.string(),
  csrf: z.string(),
  createdAt: z.number(),
});

export type DashboardSession = z.infer<typeof storedSession>;

export interface SessionStore {
  /** Opens a session; resolves with its id (for the cookie only) and the stored session. */
  create(input: { staffId: string; tokenId: string }): Promise<{ id: string; session: DashboardSession }>;
  get(id: string): Promise<DashboardSession | undefined>;
  destroy(id: string): Promise<void>;
  /** The Redis key of a session id (tests inspect it). */
  keyOf(id: string): string;
  ttlMs: number;
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function createSessionStore(opts: { redis: Redis; prefix: string; ttlMs?: number }): SessionStore {
  const ttlMs = opts.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const keyOf = (id: string) =>
    `${opts.prefix}:dash:session:${createHash('sha256').update(id).digest('hex')}`;
  return {
    ttlMs,
    keyOf,
    async create(input) {
      const id = randomSecret();
      const session: DashboardSession = { ...input, csrf: randomSecret(), createdAt: Date.now() };
      await opts.redis.set(keyOf(id), JSON.stringify(session), {
        expiration: { type: 'PX', value: ttlMs },
      });
      return { id, session };
    },
    async get(id) {
      if (!SESSION_ID.test(id)) return undefined;
      const raw = await opts.redis.get(keyOf(id));
      if (raw === null) return undefined;
      try {
        const parsed = storedSession.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async destroy(id) {
      if (SESSION_ID.test(id)) await opts.redis.del(keyOf(id));
    },
  };
}

/** A cookie's value from the Cookie header (no cookie parser is installed). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
