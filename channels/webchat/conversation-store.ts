// Direct Line conversations and their activity streams, in Redis, so any server process can serve any
// conversation.
//
// Key layout (the `{conversationId}` braces are a Redis Cluster hash tag: both keys live in one slot):
//   ${prefix}:dl:conv:{id}        hash  user (the only user id allowed on it), created (ms), seq (last watermark)
//   ${prefix}:dl:conv:{id}:acts   zset  score = watermark, member = `${watermark}:${activity JSON}`
//   ${prefix}:dl:rl:gen:${addr}   counter of token requests in the current minute from one client address
//
// Contract: watermarks are per conversation, start at 1 and only grow (the counter lives in the hash and is
// incremented in the same script that appends, so readers never see a later watermark before an earlier
// one). The stream keeps the newest `maxActivities`; both keys expire together `ttlSeconds` after the last
// append, start or token refresh. Every method rejects only when Redis itself fails.
import type { Redis } from '../../src/redis/client.ts';
import { RedisScript } from '../../src/redis/script.ts';

export interface StoredActivity {
  id: string;
  type: string;
  [key: string]: unknown;
}

export interface ConversationStoreOptions {
  keyPrefix: string;
  /** Seconds a conversation lives after its last activity. Default 24 h. */
  ttlSeconds?: number;
  /** Activities kept per conversation (oldest dropped first). Default 500. */
  maxActivities?: number;
  /** Most activities returned by one read. Default 100. */
  pageSize?: number;
}

/** `user`: the user the conversation is bound to (the reader checks it is theirs). */
export type ReadResult =
  { found: false } | { found: true; activities: StoredActivity[]; watermark: number; user: string };

/** Creates the conversation if missing. Returns whether it was created and the user bound to it. */
const ENSURE = `
local user = redis.call('HGET', KEYS[1], 'user')
if user then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  return {0, user}
end
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'created', ARGV[2], 'seq', 0)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, ARGV[1]}
`;

/** Appends ARGV[3..] in order; returns their watermarks, or -1 if the conversation does not exist. */
const APPEND = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if KEYS[3] and not redis.call('SET', KEYS[3], '1', 'NX', 'EX', tonumber(ARGV[1])) then return {} end
local ttl = ARGV[1]
local cap = tonumber(ARGV[2])
local seqs = {}
for i = 3, #ARGV do
  local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  redis.call('ZADD', KEYS[2], seq, seq .. ':' .. ARGV[i])
  seqs[#seqs + 1] = seq
end
local n = redis.call('ZCARD', KEYS[2])
if n > cap then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, n - cap - 1) end
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return seqs
`;

/** Returns {lastSeq, member...}: members after ARGV[1], at most ARGV[2]; nil if no conversation. */
const READ = `
local h = redis.call('HMGET', KEYS[1], 'seq', 'user')
if not h[1] then return nil end
local items = redis.call('ZRANGE', KEYS[2], '(' .. ARGV[1], '+inf', 'BYSCORE', 'LIMIT', 0, ARGV[2])
table.insert(items, 1, h[2] or '')
table.insert(items, 1, h[1])
return items
`;

/** Refreshes the TTL; returns the bound user, or nil if no conversation. */
const TOUCH = `
local user = redis.call('HGET', KEYS[1], 'user')
if not user then return nil end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return user
`;

const scripts = {
  ensure: new RedisScript(ENSURE),
  append: new RedisScript(APPEND),
  read: new RedisScript(READ),
  touch: new RedisScript(TOUCH),
};

export class ConversationStore {
  private readonly ttl: string;
  private readonly cap: string;
  private readonly pageSize: string;

  constructor(
    private readonly redis: Redis,
    private readonly opts: ConversationStoreOptions,
  ) {
    this.ttl = String(opts.ttlSeconds ?? 24 * 3600);
    this.cap = String(opts.maxActivities ?? 500);
    this.pageSize = String(opts.pageSize ?? 100);
  }

  private keys(conversationId: string): [string, string] {
    const base = `${this.opts.keyPrefix}:dl:conv:{${conversationId}}`;
    return [base, `${base}:acts`];
  }

  /** Starts the conversation for `userId`, or finds it. `userId` is the user already bound to it. */
  async ensure(conversationId: string, userId: string): Promise<{ created: boolean; userId: string }> {
    const reply = (await scripts.ensure.run(this.redis, this.keys(conversationId), [
      userId,
      String(Date.now()),
      this.ttl,
    ])) as [number, string];
    return { created: reply[0] === 1, userId: String(reply[1]) };
  }

  /** The user bound to the conversation (refreshing its TTL), or undefined if it does not exist. */
  async touch(conversationId: string): Promise<string | undefined> {
    const reply = await scripts.touch.run(this.redis, this.keys(conversationId), [this.ttl]);
    return reply === null || reply === undefined ? undefined : String(reply);
  }

  /**
   * Appends activities in order, atomically, and returns their watermarks; undefined if the conversation
   * does not exist (expired or never started).
   */
  /**
   * Appends activities to the stream. With `onceKey` (the user's activity id), a second append for the same
   * key adds nothing and resolves [] — a client's retry after a lost response does not duplicate the exchange.
   */
  async append(
    conversationId: string,
    activities: StoredActivity[],
    onceKey?: string,
  ): Promise<number[] | undefined> {
    if (activities.length === 0) return [];
    const keys: string[] = this.keys(conversationId);
    if (onceKey !== undefined) keys.push(`${keys[0]}:once:${onceKey}`);
    const reply = await scripts.append.run(this.redis, keys, [
      this.ttl,
      this.cap,
      ...activities.map((a) => JSON.stringify(a)),
    ]);
    if (reply === -1) return undefined;
    return (reply as number[]).map(Number);
  }

  /** Activities after `watermark` (at most one page) and the watermark to ask from next. */
  async read(conversationId: string, watermark: number): Promise<ReadResult> {
    const reply = (await scripts.read.run(this.redis, this.keys(conversationId), [
      String(watermark),
      this.pageSize,
    ])) as string[] | null;
    if (!reply) return { found: false };
    const activities: StoredActivity[] = [];
    // Nothing new: the client keeps its watermark (never sent backwards).
    let next = watermark;
    for (const member of reply.slice(2)) {
      const colon = member.indexOf(':');
      next = Math.max(next, Number(member.slice(0, colon)));
      activities.push(JSON.parse(member.slice(colon + 1)) as StoredActivity);
    }
    return { found: true, activities, watermark: next, user: reply[1] ?? '' };
  }
}
