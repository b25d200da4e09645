// Child process: a whole Plaza (createRuntime + createHttpApp, as `plaza serve` builds it) on a fresh
// PostgreSQL database of its own and a random Redis prefix, listening on a free loopback port. It creates
// one process in its voting phase with BENCH_PROPOSALS published proposals, then announces
// `{ type: 'ready', port, processId, proposalIds }`. Commands: `resources`, `supports`, `profile-start`,
// `profile-stop`, `close`. With BENCH_WORKERS > 1 the serving is done by that many cluster workers.
// Dropping the database and the Redis keys is the parent's job (it also does it when this process dies),
// see `cleanupPlazaState`.
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createHttpApp } from '../../src/main.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { seedPrivacyNotice } from '../../prisma/seed.ts';
import { createProcess, createProposals } from '../../tests/support/fixtures.ts';
import { connectRpc, serveIpc, type ResourceSnapshot } from './child.ts';
import { countedResources } from './counters.ts';
import { PhaseProfiler } from './profiler.ts';
import { databaseUrl } from './plaza-state.ts';

export interface PlazaReady {
  type: 'ready';
  port: number;
  processId: number;
  proposalIds: number[];
}

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

type Counts = Record<string, number>;

export interface ServerResources extends ResourceSnapshot {
  pgQueries: Counts;
  redisCommands: Counts;
  processes: number;
}

function config(secret: string) {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(env('BENCH_PG_ADMIN_URL'), env('BENCH_DB_NAME')),
    REDIS_URL: env('BENCH_REDIS_URL'),
    REDIS_PREFIX: env('BENCH_REDIS_PREFIX'),
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    FLOOD_MAX_MESSAGES: '1000000',
    WEBCHAT_TOKENS_PER_MINUTE: '1000000',
    DIRECTLINE_SECRET: secret,
  });
}

/** Creates and migrates the database, seeds the privacy notice, one voting process and its proposals. */
async function prepareDatabase(runtime: Runtime): Promise<{ processId: number; proposalIds: number[] }> {
  const db = runtime.database.prisma;
  const proposals = Number(env('BENCH_PROPOSALS'));
  await seedPrivacyNotice(db, { controller: 'Administración (bench)', contact: 'dpd@bench.invalid' });
  const process_ = await createProcess(db, {
    phase: 'voting',
    supportsPerParticipant: proposals,
    title: 'Votación (bench)',
  });
  return { processId: process_.id, proposalIds: await createProposals(db, process_, proposals) };
}

async function supportsByUser(runtime: Runtime) {
  const db = runtime.database.prisma;
  const rows = await db.$queryRaw<{ externalId: string; n: bigint }[]>`
    SELECT a."externalId", count(*) AS n
    FROM "Support" s JOIN "ChannelAccount" a ON a."participantId" = s."participantId"
    WHERE a.channel = 'webchat'
    GROUP BY a."externalId"`;
  const total = await db.support.count();
  return { total, byUser: Object.fromEntries(rows.map((r) => [r.externalId, Number(r.n)])) };
}

/** `plaza serve`'s HTTP server on this process: createHttpApp(runtime) on a loopback port. */
async function listen(runtime: Runtime): Promise<{ server: Server; port: number }> {
  const server: Server = createHttpApp(runtime).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Longer than any pause between the bench's phases, so a reused keep-alive socket is never closed under it.
  server.keepAliveTimeout = 60_000;
  return { server, port: (server.address() as AddressInfo).port };
}

const ownResources = (): ServerResources => ({ ...countedResources(), processes: 1 });

function closer(server: Server, runtime: Runtime): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    })());
}

/** One server process (BENCH_WORKERS=1): prepares the database and serves. */
async function single(): Promise<void> {
  await createDatabase();
  const runtime = await createRuntime(config(randomBytes(32).toString('hex')), createLogger('silent'));
  const prepared = await prepareDatabase(runtime);
  const { server, port } = await listen(runtime);
  const profiler = new PhaseProfiler();
  serveIpc(
    {
      resources: ownResources,
      /** Support rows per web chat user id (the Direct Line user id is the account's externalId). */
      supports: () => supportsByUser(runtime),
      'profile-start': () => profiler.start(),
      'profile-stop': async (file) => {
        await profiler.stop(String(file));
        return file;
      },
    },
    closer(server, runtime),
  );
  const ready: PlazaReady = { type: 'ready', port, ...prepared };
  process.send?.(ready);
}

/**
 * BENCH_WORKERS > 1: this process prepares the database and forks that many `node:cluster` workers, each a
 * whole runtime + HTTP server sharing one port (the engine's turn lock holds across processes). It relays
 * commands and sums the workers' resources.
 */
async function primary(workers: number): Promise<void> {
  await createDatabase();
  const secret = randomBytes(32).toString('hex');
  const runtime = await createRuntime(config(secret), createLogger('silent'));
  const prepared = await prepareDatabase(runtime);
  const rpcs = Array.from({ length: workers }, () => {
    const worker = cluster.fork({ BENCH_WORKER_SECRET: secret });
    return { worker, rpc: connectRpc<{ port: number }>(worker) };
  });
  const ports = await Promise.all(rpcs.map((r) => r.rpc.ready.then((m) => m.port)));
  if (new Set(ports).size !== 1) throw new Error(`workers listen on different ports: ${ports.join(', ')}`);
  serveIpc(
    {
      resources: async () => {
        const all = await Promise.all(rpcs.map((r) => r.rpc.call<ServerResources>('resources')));
        const merge = (pick: (r: ServerResources) => Counts) => {
          const out: Counts = {};
          for (const r of all) for (const [k, v] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + v;
          return out;
        };
        return {
          rss: all.reduce((a, r) => a + r.rss, 0),
          heapUsed: all.reduce((a, r) => a + r.heapUsed, 0),
          maxRss: all.reduce((a, r) => a + r.maxRss, 0),
          cpuMs: all.reduce((a, r) => a + r.cpuMs, 0),
          pgQueries: merge((r) => r.pgQueries),
          redisCommands: merge((r) => r.redisCommands),
          processes: all.length,
        } satisfies ServerResources;
      },
      supports: () => supportsByUser(runtime),
      'profile-start': () => {
        throw new Error('--cpu-prof needs a single server process (--workers 1)');
      },
    },
    async () => {
      await Promise.all(
        rpcs.map(({ worker, rpc }) => {
          if (rpc.hasExited()) return undefined;
          worker.send({ id: 0, cmd: 'close' });
          return rpc.exited;
        }),
      );
      await runtime.close();
    },
  );
  const ready: PlazaReady = { type: 'ready', port: ports[0]!, ...prepared };
  process.send?.(ready);
}

/** A cluster worker: a runtime on the prepared database, serving on the shared port. */
async function worker(): Promise<void> {
  const runtime = await createRuntime(config(env('BENCH_WORKER_SECRET')), createLogger('silent'));
  const { server, port } = await listen(runtime);
  serveIpc({ resources: ownResources }, closer(server, runtime));
  process.send?.({ type: 'ready', port });
}

async function createDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: env('BENCH_PG_ADMIN_URL') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${env('BENCH_DB_NAME')}`);
  } finally {
    await admin.end();
  }
}

const workers = Number(process.env.BENCH_WORKERS ?? '1');
const main = cluster.isWorker ? worker : workers > 1 ? () => primary(workers) : single;
main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
