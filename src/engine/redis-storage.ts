// botbuilder Storage on Redis, with eTag checks: a write whose eTag is not the stored one fails (unless '*'),
// compared and set atomically in a Lua script. Items expire after `ttlSeconds` without writes, so dialog
// state of someone who never consented disappears by itself.
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from '../redis/client.ts';

export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage eTag conflict on ${key}`);
    this.name = 'ETagConflictError';
  }
}

// KEYS[1]=key ARGV[1]=expected eTag ('*' = any) ARGV[2]=new value JSON ARGV[3]=new eTag ARGV[4]=ttl seconds
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] ~= '*' and current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and decoded.eTag ~= ARGV[1] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[4]))
return 1`;

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
      if (typeof v === 'string') items[k] = JSON.parse(v);
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [k, item] of Object.entries(changes)) {
      const expected = typeof item?.eTag === 'string' && item.eTag !== '' ? item.eTag : '*';
      const eTag = randomUUID();
      const ok = await this.redis.eval(COMPARE_AND_SET, {
        keys: [this.key(k)],
        arguments: [expected, JSON.stringify({ ...item, eTag }), eTag, String(this.opts.ttlSeconds)],
      });
      if (ok !== 1) throw new ETagConflictError(k);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(keys.map((k) => this.key(k)));
  }
}
