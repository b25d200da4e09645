// A fixed one-minute window per key, counted in Redis (shared by every server process). The window starts at
// the key's first hit, so a burst is never split across two windows by the clock.
//
// Contract: `hit` counts one request and says whether it is within `limit`; it rejects only if Redis fails.
import type { Redis } from '../../src/redis/client.ts';

const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

export async function hitRateLimit(
  redis: Redis,
  key: string,
  limit: number,
  windowMs = 60_000,
): Promise<RateLimitResult> {
  const [count, ttl] = (await redis.eval(HIT, { keys: [key], arguments: [String(windowMs)] })) as [
    number,
    number,
  ];
  return { allowed: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
}
