// What a server child sends to PostgreSQL and Redis, counted inside that child: queries by first SQL word
// (every pg Client, so Prisma's pool too) and Redis commands by name (node-redis's diagnostics channels; a
// MULTI batch counts MULTI, its commands and EXEC). Importing this module installs the counters; every bench
// server child (Plaza, the hand-written bot) imports it, so all pay the same small cost. When a system runs as
// several processes, the parent adds their counts up (addCounts).
import diagnostics from 'node:diagnostics_channel';
import pg from 'pg';
import { resourceSnapshot, type ResourceSnapshot } from './child.ts';

type Counts = Record<string, number>;

const pgQueries = new Map<string, number>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0];
  const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
  const verb = typeof text === 'string' ? (/^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '?') : '?';
  pgQueries.set(verb, (pgQueries.get(verb) ?? 0) + 1);
  return Reflect.apply(query, this, args) as never;
} as typeof query;

const redisCommands = new Map<string, number>();
const countRedis = (name: string, n = 1) => redisCommands.set(name, (redisCommands.get(name) ?? 0) + n);
const ignore = () => undefined;
diagnostics.tracingChannel('node-redis:command').subscribe({
  start: (ctx) => countRedis(String((ctx as { command?: unknown }).command ?? '?')),
  end: ignore,
  asyncStart: ignore,
  asyncEnd: ignore,
  error: ignore,
});
diagnostics.tracingChannel('node-redis:batch').subscribe({
  start: (ctx) => {
    const { batchMode, batchSize } = ctx as { batchMode?: string; batchSize?: number };
    if (batchMode === 'MULTI') countRedis('MULTI…EXEC (all commands)', (batchSize ?? 0) + 2);
  },
  end: ignore,
  asyncStart: ignore,
  asyncEnd: ignore,
  error: ignore,
});

export interface CountedResources extends ResourceSnapshot {
  pgQueries: Counts;
  redisCommands: Counts;
}

/** This process's CPU and memory, and the queries and commands it has sent so far. */
export function countedResources(): CountedResources {
  return {
    ...resourceSnapshot(),
    pgQueries: Object.fromEntries(pgQueries),
    redisCommands: Object.fromEntries(redisCommands),
  };
}

/** The sum of two sets of counts, key by key (a new object). */
export function addCounts(a: Counts = {}, b: Counts = {}): Counts {
  const out: Counts = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** after − before per key, divided by `per`, largest first, as "KEY 1.5, OTHER 0.5"; and the total. */
export function countsPer(
  before: Counts = {},
  after: Counts = {},
  per: number,
): { total: number; text: string } {
  const rows = Object.entries(after)
    .map(([k, v]) => [k, (v - (before[k] ?? 0)) / per] as const)
    .filter(([, v]) => v > 0)
    .sort((x, y) => y[1] - x[1]);
  return {
    total: rows.reduce((a, [, v]) => a + v, 0),
    text: rows.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '),
  };
}
