// botbuilder Storage on Redis, with eTag checks: a write whose eTag is not the stored one fails (unless '*'),
// compared and set atomically in a Lua script. Items expire after `ttlSeconds` without writes, so dialog
// state of someone who never consented disappears by itself.
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from '../redis/client.ts';
import { RedisScript } from '../redis/script.ts';

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage eTag conflict on ${key}`);
    this.name = 'ETagConflictError';
  }
}

// Stored as "<eTag> <JSON>", so the script compares eTags without decoding the whole state.
// KEYS[1]=key ARGV[1]=expected eTag ('*' = any) ARGV[2]=new "<eTag> <JSON>" ARGV[3]=ttl seconds
const COMPARE_AND_SET = new RedisScript(`
local current = redis.call('GET', KEYS[1])
if ARGV[1] ~= '*' and current and string.sub(current, 1, #ARGV[1] + 1) ~= ARGV[1] .. ' ' then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1`);

export class RedisStorage implements Storage {
  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix: string; ttlSeconds: number },
  ) {}

  private key(k: string): string {
    return `${this.opts.prefix}:state:${k}`;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const values = await this.redis.mGet(keys.map((k) => this.key(k)));
    const items: StoreItems = {};
    keys.forEach((k, i) => {
      const v = values[i];
      if (typeof v !== 'string') return;
      const space = v.indexOf(' ');
      items[k] = { ...JSON.parse(v.slice(space + 1)), eTag: v.slice(0, space) };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [k, item] of Object.entries(changes)) {
      const expected = typeof item?.eTag === 'string' && item.eTag !== '' ? item.eTag : '*';
      const eTag = randomUUID();
      const { eTag: _previous, ...value } = item as Record<string, unknown>;
      const ok = await COMPARE_AND_SET.run(
        this.redis,
        [this.key(k)],
        [expected, `${eTag} ${JSON.stringify(value)}`, String(this.opts.ttlSeconds)],
      );
      if (ok !== 1) throw new ETagConflictError(k);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(keys.map((k) => this.key(k)));
  }
}
