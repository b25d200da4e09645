// botbuilder Storage on Redis, with eTag checks: a write whose eTag is not the stored one fails (unless '*'),
// compared and set atomically in a Lua script. Items expire after `ttlSeconds` without writes, so dialog
// state of someone who never consented disappears by itself.
// During a turn the conversation's item travels with the turn gate instead (`attach`): it was read when the
// gate was taken, and a write goes into the gate's slot, to be compared and set when the gate is given back
// (turn-gate.ts) — the same check, without round trips of its own.
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from '../redis/client.ts';
import { RedisScript } from '../redis/script.ts';
import type { StateSlot } from './turn-gate.ts';

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

interface Attached {
  slot: StateSlot;
  /** The item as this turn sees it: as read with the gate, then as last written. */
  current: string | undefined;
  /** The eTag the stored item had when the gate was taken ('' = there was none). */
  expected: string;
}

export class RedisStorage implements Storage {
  private readonly attached = new Map<string, Attached>();

  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix: string; ttlSeconds: number },
  ) {}

  /** The Redis key of an item (what the turn gate reads and writes for it). */
  key(k: string): string {
    return `${this.opts.prefix}:state:${k}`;
  }

  /**
   * Until `detach`, item `k` is read from the slot and written into it (one turn of its conversation at a
   * time holds the gate, so one slot per item at a time). Its writes are compared with the eTag it had
   * when the gate was taken — botbuilder writes with eTag '*' — so a turn that outlived its lease does not
   * overwrite what a later turn wrote.
   */
  attach(k: string, slot: StateSlot): void {
    const stored = slot.stored;
    this.attached.set(k, {
      slot,
      current: stored,
      expected: stored === undefined ? '' : stored.slice(0, Math.max(0, stored.indexOf(' '))),
    });
  }

  detach(k: string): void {
    this.attached.delete(k);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const items: StoreItems = {};
    const fetch: string[] = [];
    for (const k of keys) {
      const a = this.attached.get(k);
      if (!a) fetch.push(k);
      else if (a.current !== undefined) items[k] = decode(a.current);
    }
    if (fetch.length === 0) return items;
    const values = await this.redis.mGet(fetch.map((k) => this.key(k)));
    fetch.forEach((k, i) => {
      const v = values[i];
      if (typeof v === 'string') items[k] = decode(v);
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [k, item] of Object.entries(changes)) {
      const eTag = randomUUID();
      const { eTag: given, ...value } = item as Record<string, unknown>;
      const stored = `${eTag} ${JSON.stringify(value)}`;
      const a = this.attached.get(k);
      if (a) {
        a.slot.save(a.expected, stored, this.opts.ttlSeconds);
        a.current = stored;
        continue;
      }
      const expected = typeof given === 'string' && given !== '' ? given : '*';
      const ok = await COMPARE_AND_SET.run(
        this.redis,
        [this.key(k)],
        [expected, stored, String(this.opts.ttlSeconds)],
      );
      if (ok !== 1) throw new ETagConflictError(k);
    }
  }

  async delete(keys: string[]): Promise<void> {
    // A deleted item is gone now, not when the gate is given back: nothing of the turn is written for it.
    for (const k of keys) {
      this.attached.get(k)?.slot.forget();
      this.attached.delete(k);
    }
    if (keys.length > 0) await this.redis.del(keys.map((k) => this.key(k)));
  }
}

function decode(v: string): Record<string, unknown> {
  const space = v.indexOf(' ');
  return { ...(JSON.parse(v.slice(space + 1)) as Record<string, unknown>), eTag: v.slice(0, space) };
}
