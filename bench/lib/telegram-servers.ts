// One system under test of the Telegram webhook bench as N server processes, the way an operator runs several
// `plaza serve` (or several copies of a hand-written bot) behind a reverse proxy: N child processes, each
// listening on a port of its own, on the same database and Redis prefix. The first child is started alone and
// does what must happen once (creating the database, seeding: see telegram-plaza-server.ts); the others are
// started, all at once, only after it is ready, told to reuse what it made.
//
// What the parent reads from the group is summed over its processes: CPU time, RSS (and each process's own
// figures next to the sum), and the PostgreSQL queries and Redis commands each child counted (counters.ts).
import { type ChildServer, type ResourceSnapshot } from './child.ts';
import { addCounts, type CountedResources } from './counters.ts';

/** One process's figures, for the per-process breakdown. */
export interface ProcessResources {
  pid: number;
  rss: number;
  maxRss: number;
  cpuMs: number;
}

/**
 * The group's resources: `rss`, `heapUsed`, `cpuMs` summed over its processes; `maxRss` is the sum of each
 * process's own peak (they need not have peaked at the same moment); the counters added up.
 */
export interface GroupResources
  extends ResourceSnapshot, Partial<Omit<CountedResources, keyof ResourceSnapshot>> {
  processes: ProcessResources[];
}

export class ServerGroup<Ready extends { port: number }> {
  constructor(readonly children: ChildServer<Ready>[]) {
    if (children.length === 0) throw new Error('a server group needs at least one process');
  }

  get size(): number {
    return this.children.length;
  }

  /** The process that did the once-only setup; the one profiled with --cpu-prof. */
  get first(): ChildServer<Ready> {
    return this.children[0]!;
  }

  /** Sends `cmd` to every process, at once; their answers in process order. */
  each<T = unknown>(cmd: string, args?: unknown): Promise<T[]> {
    return Promise.all(this.children.map((c) => c.call<T>(cmd, args)));
  }

  /** Every process's resources (`resources` command), and their sums. */
  async resources(): Promise<GroupResources> {
    const all = await this.each<ResourceSnapshot & Partial<CountedResources>>('resources');
    const sum = (pick: (r: ResourceSnapshot) => number) => all.reduce((a, r) => a + pick(r), 0);
    const counted = all.some((r) => r.pgQueries !== undefined || r.redisCommands !== undefined);
    return {
      rss: sum((r) => r.rss),
      heapUsed: sum((r) => r.heapUsed),
      maxRss: sum((r) => r.maxRss),
      cpuMs: sum((r) => r.cpuMs),
      ...(counted
        ? {
            pgQueries: all.reduce((a, r) => addCounts(a, r.pgQueries), {}),
            redisCommands: all.reduce((a, r) => addCounts(a, r.redisCommands), {}),
          }
        : {}),
      processes: all.map((r, i) => ({
        pid: this.children[i]!.pid,
        rss: r.rss,
        maxRss: r.maxRss,
        cpuMs: r.cpuMs,
      })),
    };
  }

  /** Stops every process (each asked to close; see ChildServer.stop); rejects with the first failure. */
  async stop(): Promise<void> {
    const outcomes = await Promise.allSettled(this.children.map((c) => c.stop()));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/**
 * Starts `n` processes: `start(0)` alone, then — once it is ready — `start(1)`…`start(n − 1)` at once, each
 * given the first one's ready message. If any fails to start, those already started are stopped.
 */
export async function startGroup<Ready extends { port: number }>(
  n: number,
  start: (index: number, first?: Ready) => Promise<ChildServer<Ready>>,
): Promise<ServerGroup<Ready>> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`process count must be a positive integer (got ${n})`);
  const first = await start(0);
  const rest = await Promise.allSettled(Array.from({ length: n - 1 }, (_, i) => start(i + 1, first.ready)));
  const started = [first, ...rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
  const failed = rest.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(started.map((c) => c.stop()));
    throw failed.reason;
  }
  return new ServerGroup(started);
}

/** "Plaza" for one process, "Plaza (2 processes)" for more. */
export const withProcesses = (name: string, n: number): string =>
  n === 1 ? name : `${name} (${n} processes)`;
