// Direct Line tokens: compact HS256 JWTs signed with the installation's secret, binding one conversation, one
// server-assigned user id and an expiry. Shaped as a JWT on purpose: Web Chat and botframework-directlinejs
// read the `user` claim from the token and then use it as the user id (a `dl_` id passed any other way is
// refused by them as forgeable).
//
// Contract: `verify` never throws; it returns `malformed` for anything that is not one of our tokens, `forged`
// when the signature does not match, `expired` after `exp`. Only a token we issued with this secret verifies.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  conversationId: string;
  userId: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

export type VerifyResult =
  { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export interface IssuedToken {
  token: string;
  /** Seconds until expiry. */
  expiresIn: number;
  claims: TokenClaims;
}

export interface TokenService {
  issue(conversationId: string, userId: string): IssuedToken;
  verify(token: string): VerifyResult;
}

/** Longest token accepted for verification; ours are ~300 characters. */
const MAX_TOKEN_LENGTH = 2048;
const ISSUER = 'plaza-directline';
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
/** Ids we issue are base64url; anything else in a claim is not ours. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A fresh random id: 16 random bytes, base64url (22 characters), with an optional prefix. */
export function randomId(prefix = ''): string {
  return prefix + randomBytes(16).toString('base64url');
}

export function createTokenService(
  secret: string,
  opts: { ttlSeconds?: number; now?: () => number } = {},
): TokenService {
  if (secret.length < 16) throw new Error('The Direct Line secret must be at least 16 characters');
  const ttlSeconds = opts.ttlSeconds ?? 3600;
  const now = opts.now ?? Date.now;
  const sign = (data: string): Buffer => createHmac('sha256', secret).update(data).digest();

  return {
    issue(conversationId, userId) {
      const iat = Math.floor(now() / 1000);
      const exp = iat + ttlSeconds;
      const payload = base64url(
        JSON.stringify({ iss: ISSUER, conv: conversationId, user: userId, iat, exp }),
      );
      const signature = sign(`${HEADER}.${payload}`).toString('base64url');
      return {
        token: `${HEADER}.${payload}.${signature}`,
        expiresIn: ttlSeconds,
        claims: { conversationId, userId, expiresAt: exp },
      };
    },

    verify(token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH)
        return { ok: false, reason: 'malformed' };
      const parts = token.split('.');
      if (parts.length !== 3) return { ok: false, reason: 'malformed' };
      const [header, payload, signature] = parts as [string, string, string];
      // A fixed header: no algorithm negotiation, so no "alg: none" or key-confusion tricks.
      if (header !== HEADER) return { ok: false, reason: 'malformed' };
      const expected = sign(`${header}.${payload}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'forged' };
      }
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
      if (claims.exp <= Math.floor(now() / 1000)) return { ok: false, reason: 'expired' };
      return {
        ok: true,
        claims: { conversationId: claims.conv, userId: claims.user, expiresAt: claims.exp },
      };
    },
  };
}

function isClaims(value: unknown): value is { iss: string; conv: string; user: string; exp: number } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.iss === ISSUER &&
    typeof v.conv === 'string' &&
    ID_PATTERN.test(v.conv) &&
    typeof v.user === 'string' &&
    ID_PATTERN.test(v.user) &&
    typeof v.exp === 'number' &&
    Number.isFinite(v.exp)
  );
}
