// Benchmark (not a test): one broadcast to N Telegram subscribers, sent by a real `plaza worker` child process
// (`node bin/plaza.mjs worker`, the production command) through the rate-limited Redis outbox to the fake Bot
// API (tests/fakes/telegram-bot-api.ts, in a child process of its own, holding Telegram's flood limits).
//
//   npm run bench:broadcast -- --scenario throttled [--recipients 100000] [--rate 30]
//   npm run bench:broadcast -- --scenario paid      [--recipients 20000]
//   npm run bench:broadcast -- --scenario crash     [--recipients 20000] [--rate 1000] [--kill-at 0.5]
//   common: [--concurrency 100] [--no-progress-chat] [--rss-every S] [--progress-every S] [--cpu-prof]
//           [--no-record] [--wait-idle 300] [--max-minutes M] [--freeze worker|bench] [--plaza-root DIR]
//
//   --freeze bench     createBroadcast without enqueueing the job; the bench runs the product's startBroadcast
//                      with Prisma's transaction timeout raised to 10 min, then enqueues the job (at 100,000
//                      recipients the worker's own startBroadcast exceeds the default 5 s and never starts)
//   --plaza-root DIR   run `bin/plaza.mjs worker` from another tree (a copy with a change being tried); the
//                      worker's code (commit + uncommitted diff) is recorded in every block
//
// Scenarios
//   throttled  TELEGRAM_MESSAGES_PER_SECOND = --rate (30); the fake refuses (429) beyond --rate sends/s overall
//              and 1/s per chat. Reported: the achieved rate from the fake's successful broadcast sends, first
//              to last ((n − 1) / (last − first)), against the target ≥ 29.5/s; the busiest rolling second of
//              all successful sends (≤ 30); 429s (0); total time; the worker's RSS (VmRSS every 10 s).
//              Baseline: the configured rate itself (achieved ÷ allowed), and how much of the limit was used.
//   paid       Telegram's paid broadcasts: TELEGRAM_MESSAGES_PER_SECOND = 1000, the fake at 1000/s overall and
//              1/s per chat. Reported: deliveries/s with the ledger (target ≥ 1,000/s), checked against the
//              ledger (every row `sent`). Baseline in the same run: a bare loop sending the same N sendMessage
//              calls (same params, same chats, same telegraf client) to a fresh fake (no global limit), --concurrency
//              (50, the outbox's) at a time, with no ledger and no outbox: the ceiling of this machine + fake.
//   crash      like paid at --rate (1000), with QUEUE_STALLED_INTERVAL_MS=2000, TELEGRAM_OUTBOX_LEASE_MS=2000,
//              BROADCAST_STALE_MS=3000; the worker is killed (SIGKILL) when the fake has received --kill-at (50 %)
//              of the messages and a new worker is started at once. Reported: every recipient delivered,
//              duplicates (messages beyond one per chat; must be ≤ the outbox's concurrency, 100), time from the
//              kill to the new worker's first send, total time.
//
// Setup (not measured): a fresh PostgreSQL database (`plaza_bench_<random>`, migrated) and Redis prefix
// (`plazabench-<random>`); one process with N subscribers (tests/support/fixtures.ts createSubscribers, 1,000
// at a time; a batch whose random chat id collides with an earlier one is made again); a staff member. The
// worker is started and, once its BullMQ workers are registered, the broadcast is created with createBroadcast
// (as /difundir does: Spanish text, and the staff member's Telegram chat for the progress message, which the
// worker edits every 3 s; --no-progress-chat leaves it out). Total time runs from createBroadcast to the
// ledger's `done`.
//
// Cleanup: the worker is killed, the fake stopped, the database dropped and the Redis keys deleted — on
// success, on failure and on Ctrl-C/SIGTERM. (A kill -9 of the bench itself leaves them: the pids and names are
// printed at the start.) Results are printed as Markdown and added to this bench's section of
// bench/RESULTS.md (unless --no-record; --cpu-prof implies it), and the scenario's row in "Latest figures" is
// replaced when the run has the scenario's full size.
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createBotApi } from '../channels/telegram/bot-api.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { createBroadcast } from '../src/domain/create-broadcast.ts';
import { startBroadcast } from '../src/domain/start-broadcast.ts';
import type { Db } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { createQueues, type Queues } from '../src/queues/queues.ts';
import { connectRedis, type Redis } from '../src/redis/client.ts';
import {
  createProcess,
  createStaffMember,
  createSubscribers,
  type ProcessFixture,
} from '../tests/support/fixtures.ts';
import type { BroadcastFakeReady, FakeCount, FakeSummary } from './lib/broadcast-fake-server.ts';
import { startChild, type ChildServer } from './lib/child.ts';
import { benchNames, cleanupPlazaState, databaseUrl } from './lib/plaza-state.ts';
import { machineBusyMs } from './lib/proc-cpu.ts';
import { profileMarkdown, summarizeProfile, type CpuProfile } from './lib/profiler.ts';
import { machine, record, RESULTS, waitForIdle } from './lib/run-record.ts';
import { epochNow } from './lib/telegram-updates.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(here, '..');
const OUT = path.join(here, 'out');

const { values: argv } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'throttled' },
    recipients: { type: 'string' },
    rate: { type: 'string' },
    concurrency: { type: 'string', default: '100' },
    'kill-at': { type: 'string', default: '0.5' },
    'no-progress-chat': { type: 'boolean', default: false },
    'rss-every': { type: 'string' },
    'progress-every': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '300' },
    'max-minutes': { type: 'string' },
    freeze: { type: 'string', default: 'worker' },
    'plaza-root': { type: 'string' },
  },
});

type Scenario = 'throttled' | 'paid' | 'crash';
const SCENARIO = argv.scenario as Scenario;
if (!['throttled', 'paid', 'crash'].includes(SCENARIO))
  throw new Error(`--scenario must be throttled, paid or crash (not ${argv.scenario})`);
const FULL_SIZE = SCENARIO === 'throttled' ? 100_000 : 20_000;
const RECIPIENTS = Number(argv.recipients ?? FULL_SIZE);
const RATE = SCENARIO === 'paid' ? 1000 : Number(argv.rate ?? (SCENARIO === 'throttled' ? 30 : 1000));
if (SCENARIO === 'paid' && argv.rate !== undefined && Number(argv.rate) !== 1000)
  throw new Error('--scenario paid runs at 1000/s (use --scenario crash --rate R for another rate)');
const CONCURRENCY = Number(argv.concurrency);
const KILL_AT = Number(argv['kill-at']);
const PROGRESS_CHAT = argv['no-progress-chat'] !== true;
const RSS_EVERY_S = Number(argv['rss-every'] ?? (SCENARIO === 'throttled' ? 10 : 1));
const PROGRESS_EVERY_S = Number(argv['progress-every'] ?? (SCENARIO === 'throttled' ? 60 : 5));
const PROFILE = argv['cpu-prof'] === true;
/** Where `bin/plaza.mjs worker` is run from: this repository, or another tree to try a change before making it. */
const PLAZA_ROOT = path.resolve(argv['plaza-root'] ?? ROOT);
const FREEZE = argv.freeze as 'worker' | 'bench';
if (FREEZE !== 'worker' && FREEZE !== 'bench') throw new Error('--freeze must be worker or bench');
const RECORD = argv['no-record'] !== true && !PROFILE;
const WAIT_IDLE_SECONDS = Number(argv['wait-idle']);
const EXPECTED_S = RECIPIENTS / RATE;
const MAX_MS = Number(argv['max-minutes'] ?? Math.ceil((EXPECTED_S * 2 + 300) / 60)) * 60_000;
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BOT_TOKEN = '123456789:BENCH-token_abcdefghijklmnopqrstuvwx';
const MARKER = 'BENCHBC';
const TEXT = `${MARKER} Abre la fase de votación de los presupuestos participativos: consulta las propuestas de tu barrio y apoya las que prefieras antes del 30 de junio.`;
const OUTBOX_CONCURRENCY = 100; // TELEGRAM_OUTBOX_CONCURRENCY's default: the most messages in flight in one process
const TARGETS = { throttledRate: 29.5, busiest: RATE, paidRate: 1000 };
const SECTION = '## bench/broadcast.ts — broadcasts through the Telegram outbox, sent by `plaza worker`';

const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const fail = (message: string): never => {
  throw new Error(message);
};
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmtDuration = (ms: number) => {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const rate1 = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));

// ---- CPU and memory from /proc ------------------------------------------------------------------------------

const TICKS = 100; // USER_HZ

function procCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS;
  } catch {
    return undefined;
  }
}

function procRssKiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms of PostgreSQL processes serving this bench's database, of all other PostgreSQL processes, and Redis. */
function serviceCpu(dbName: string): { pgOurs: number; pgOther: number; redis: number } {
  const out = { pgOurs: 0, pgOther: 0, redis: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (comm !== 'postgres' && comm !== 'redis-server') continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(f[11]) + Number(f[12])) * 1000) / TICKS;
    if (comm === 'redis-server') out.redis += ms;
    else {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        /* gone */
      }
      if (cmd.includes(` ${dbName} `)) out.pgOurs += ms;
      else out.pgOther += ms;
    }
  }
  return out;
}

interface CpuMark {
  at: number;
  machine: number;
  workers: number;
  fake: number;
  bench: number;
  pgOurs: number;
  pgOther: number;
  redis: number;
}

// ---- The run's state (for cleanup from anywhere, Ctrl-C included) -------------------------------------------

const names = benchNames();
const state = {
  adminUrl: ADMIN_URL,
  dbName: names.dbName,
  redisUrl: REDIS_URL,
  redisPrefix: names.redisPrefix,
};
const children = new Set<ChildProcess>();
const fakes = new Set<ChildServer<BroadcastFakeReady>>();
let database: Database | undefined;
let redis: Redis | undefined;
let queues: Queues | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const f of fakes) await f.stop(5000).catch(() => undefined);
    await queues?.broadcasts.obliterate({ force: true }).catch(() => undefined);
    await queues?.close().catch(() => undefined);
    await redis?.quit().catch(() => undefined);
    await database?.close().catch(() => undefined);
    const deleted = await cleanupPlazaState(state).catch((e: unknown) => {
      log(`CLEANUP FAILED (drop ${state.dbName}, keys ${state.redisPrefix}:*): ${String(e)}`);
      return -1;
    });
    if (deleted >= 0) log(`cleaned up: database ${state.dbName} dropped, ${deleted} Redis keys deleted`);
  })());
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping the worker, dropping the database and the Redis keys`);
    void cleanup().finally(() => process.exit(130));
  });

// ---- The worker process -------------------------------------------------------------------------------------

interface WorkerProcess {
  /** The commit and uncommitted changes it ran (codeState). */
  code: string;
  child: ChildProcess;
  pid: number;
  spawnedAt: number;
  output: () => string;
  logFile: string;
  exited: Promise<void>;
  /** Set when the bench kills or stops it on purpose. */
  expectedExit: boolean;
  /** Its CPU ms at the last reading (kept after it dies). */
  lastCpu?: number;
}

let fakeApiRoot = '';

/**
 * The code a worker runs: the commit and, since others edit the tree while benches run, the uncommitted diff of
 * src/, channels/ and prisma/ at the moment it is spawned (saved next to its log; its SHA-1 identifies it).
 */
function codeState(label: string): string {
  const git = (args: string) => {
    try {
      return execSync(`git ${args}`, { cwd: PLAZA_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse --short HEAD').trim() || 'n/a';
  const diff = git('diff HEAD -- src channels prisma');
  if (!diff) return `${commit}, no uncommitted changes in src/channels/prisma`;
  const file = path.join(OUT, `broadcast-${names.redisPrefix}-${label}.diff`);
  writeFileSync(file, diff);
  const files = [...diff.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]);
  const sha = createHash('sha1').update(diff).digest('hex').slice(0, 10);
  return `${commit} + uncommitted changes (diff SHA-1 ${sha}, saved as bench/out/${path.basename(file)}) in ${files.join(', ')}`;
}

function startWorkerProcess(label: string): WorkerProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(ADMIN_URL, names.dbName),
    REDIS_URL,
    REDIS_PREFIX: names.redisPrefix,
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_API_ROOT: fakeApiRoot,
    TELEGRAM_MESSAGES_PER_SECOND: String(RATE),
    LOG_LEVEL: 'warn',
    ...(SCENARIO === 'crash'
      ? { QUEUE_STALLED_INTERVAL_MS: '2000', TELEGRAM_OUTBOX_LEASE_MS: '2000', BROADCAST_STALE_MS: '3000' }
      : {}),
  };
  const args = [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${OUT}`] : []), 'bin/plaza.mjs', 'worker'];
  const child = spawn(process.execPath, args, { cwd: PLAZA_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  mkdirSync(OUT, { recursive: true });
  const logFile = path.join(OUT, `broadcast-${names.redisPrefix}-${label}.log`);
  const file = createWriteStream(logFile);
  let output = '';
  const keep = (d: Buffer) => {
    file.write(d);
    output = (output + d.toString()).slice(-64 * 1024);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const w: WorkerProcess = {
    code: codeState(label),
    child,
    pid: child.pid ?? fail('worker did not start'),
    spawnedAt: epochNow(),
    output: () => output,
    logFile,
    expectedExit: false,
    exited: new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        file.end();
        if (!w.expectedExit && !cleaning)
          log(`WORKER ${label} (pid ${child.pid}) EXITED (${code ?? signal}):\n${output.slice(-4000)}`);
        resolve();
      }),
    ),
  };
  log(`worker ${label} started: pid ${w.pid}, log ${path.relative(ROOT, logFile)}`);
  return w;
}

/** Waits until the worker has checked the token (getMe) and its BullMQ `broadcasts` worker is registered. */
async function workerReady(
  w: WorkerProcess,
  fake: ChildServer<BroadcastFakeReady>,
  getMeBefore: number,
): Promise<number> {
  const deadline = Date.now() + 90_000;
  while ((await fake.call<FakeCount>('count')).getMe <= getMeBefore) {
    if (w.child.exitCode !== null || w.child.signalCode !== null) fail('worker exited while starting');
    if (Date.now() > deadline) fail(`worker did not check the token in 90 s:\n${w.output()}`);
    await sleep(25);
  }
  while ((await queues!.broadcasts.getWorkersCount().catch(() => -1)) === 0) {
    if (w.child.exitCode !== null || w.child.signalCode !== null) fail('worker exited while starting');
    if (Date.now() > deadline) fail(`worker's BullMQ workers not registered in 90 s:\n${w.output()}`);
    await sleep(25);
  }
  return epochNow();
}

async function stopWorker(w: WorkerProcess, signal: NodeJS.Signals, graceMs = 20_000): Promise<void> {
  w.expectedExit = true;
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill(signal);
  const timer = setTimeout(() => w.child.kill('SIGKILL'), graceMs);
  await w.exited;
  clearTimeout(timer);
}

// ---- Setup ----------------------------------------------------------------------------------------------------

async function seedSubscribers(db: Database['prisma'], processId: ProcessFixture) {
  const people: { id: string; externalId: string }[] = [];
  let collisions = 0;
  let lastLog = performance.now();
  while (people.length < RECIPIENTS) {
    const k = Math.min(1000, RECIPIENTS - people.length);
    try {
      people.push(...(await createSubscribers(db, processId, k)));
    } catch (error) {
      // Random chat ids (2e9 + up to 7e9): at 100,000 a collision with an earlier batch is likely once.
      if (!/Unique constraint|P2002|duplicate key/i.test(String((error as Error).message ?? error)))
        throw error;
      collisions++;
      continue;
    }
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`subscribers: ${thousands(people.length)} of ${thousands(RECIPIENTS)}`);
    }
  }
  return { people, collisions };
}

async function ledger(db: Database['prisma'], broadcastId: number): Promise<Record<string, number>> {
  const rows = await db.$queryRaw<{ status: string; n: bigint }[]>`
    SELECT status::text AS status, count(*) AS n FROM "BroadcastDelivery"
    WHERE "broadcastId" = ${broadcastId} GROUP BY status`;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

async function xactCommits(): Promise<number> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>(
      'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1',
      [names.dbName],
    );
    return Number(r.rows[0]?.n ?? NaN);
  } finally {
    await c.end();
  }
}

// ---- The bare baseline (paid scenario) ------------------------------------------------------------------------

interface BareResult {
  ok: number;
  failed: Map<string, number>;
  wallMs: number;
  summary: FakeSummary;
  cpu: { bench: number; fake: number; seconds: number; machine: number };
}

async function bareBaseline(chats: string[], params: Record<string, unknown>): Promise<BareResult> {
  const fake = await startFake(null, 1);
  try {
    const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.ready.apiRoot });
    await api.check();
    const failed = new Map<string, number>();
    let next = 0;
    let ok = 0;
    const cpu0 = process.cpuUsage();
    const fake0 = procCpuMs(fake.pid) ?? 0;
    const m0 = machineBusyMs();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < chats.length; i = next++) {
          try {
            await api.callApi('sendMessage', { ...params, chat_id: chats[i] });
            ok++;
          } catch (error) {
            const code = String((error as { code?: unknown }).code ?? 'error');
            failed.set(code, (failed.get(code) ?? 0) + 1);
          }
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const cpu1 = process.cpuUsage(cpu0);
    const cpu = {
      bench: (cpu1.user + cpu1.system) / 1000,
      fake: (procCpuMs(fake.pid) ?? 0) - fake0,
      machine: machineBusyMs() - m0,
      seconds: wallMs / 1000,
    };
    await sleep(300);
    const summary = await fake.call<FakeSummary>('summary', { bucketMs: 1000 });
    return { ok, failed, wallMs, summary, cpu };
  } finally {
    await fake.stop(5000);
    fakes.delete(fake);
  }
}

async function startFake(globalPerSecond: number | null, perChat: number | null) {
  const fake = await startChild<BroadcastFakeReady>(path.join(here, 'lib', 'broadcast-fake-server.ts'), {
    BENCH_BOT_TOKEN: BOT_TOKEN,
    BENCH_MARKER: MARKER,
    BENCH_GLOBAL_PER_SECOND: String(globalPerSecond),
    BENCH_PER_CHAT_PER_SECOND: String(perChat),
  });
  fakes.add(fake);
  return fake;
}

// ---- Main -------------------------------------------------------------------------------------------------------

interface Sample {
  /** Seconds since the broadcast was created. */
  t: number;
  pid: number;
  rssMiB: number;
  cpu: CpuMark;
}

async function main(): Promise<void> {
  log(
    `scenario ${SCENARIO}: ${thousands(RECIPIENTS)} recipients at ${RATE}/s; database ${names.dbName}, ` +
      `Redis prefix ${names.redisPrefix}; bench pid ${process.pid}`,
  );
  const idleBusy = await waitForIdle(WAIT_IDLE_SECONDS, log);
  const started = new Date();
  const loadBefore = os.loadavg();
  const m = machine(ADMIN_URL, REDIS_URL);
  const workers: WorkerProcess[] = [];

  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${names.dbName}`);
  } finally {
    await admin.end();
  }
  database = await openDatabase({
    databaseUrl: databaseUrl(ADMIN_URL, names.dbName),
    dataDir: '',
    poolSize: 4,
  });
  await database.migrate();
  const db = database.prisma;

  const setupT0 = performance.now();
  const process_ = await createProcess(db, { title: 'Presupuestos participativos' });
  const { people, collisions } = await seedSubscribers(db, process_);
  const staff = await createStaffMember(db, { role: 'staff', name: 'Marta' });
  const setupSeconds = (performance.now() - setupT0) / 1000;
  log(
    `${thousands(people.length)} subscribers in ${setupSeconds.toFixed(1)} s (${collisions} batch collisions)`,
  );
  await db.$executeRawUnsafe('ANALYZE');

  redis = await connectRedis({ url: REDIS_URL });
  queues = createQueues({ redis, prefix: names.redisPrefix });
  const fake = await startFake(RATE, 1);
  fakeApiRoot = fake.ready.apiRoot;
  log(`fake Bot API pid ${fake.pid} at ${fakeApiRoot}: ${RATE}/s overall, 1/s per chat`);

  // ---- Sending -------------------------------------------------------------------------------------------
  const first = startWorkerProcess('1');
  workers.push(first);
  const readyAt = await workerReady(first, fake, 0);
  log(`worker ready in ${((readyAt - first.spawnedAt) / 1000).toFixed(1)} s`);

  const samples: Sample[] = [];
  const cpuMark = (): CpuMark => {
    const svc = serviceCpu(names.dbName);
    const own = process.cpuUsage();
    return {
      at: performance.now(),
      machine: machineBusyMs(),
      workers: workers.reduce((a, w) => a + (w.lastCpu ?? 0), 0),
      fake: procCpuMs(fake.pid) ?? 0,
      bench: (own.user + own.system) / 1000,
      ...svc,
    };
  };
  // A worker's CPU time is read while it lives; a killed one keeps its last reading.
  const readWorkerCpu = () => {
    for (const w of workers) {
      const v = procCpuMs(w.pid);
      if (v !== undefined) w.lastCpu = v;
    }
  };
  readWorkerCpu();
  const xact0 = await xactCommits();
  const cpu0 = cpuMark();

  const createdAt = epochNow();
  const created = await createBroadcast(
    {
      db,
      now: () => new Date(),
      logger: createLogger('silent'),
      queues: {
        moderateCase: async () => undefined,
        notify: async () => undefined,
        // --freeze bench: the job is enqueued once the bench has frozen the ledger (below).
        startBroadcast: (id, at) =>
          FREEZE === 'worker' ? queues!.startBroadcast(id, at) : Promise.resolve(),
      },
    },
    {
      staffMemberId: staff.id,
      processId: process_.id,
      texts: { es: TEXT },
      progressChatId: PROGRESS_CHAT ? staff.telegramUserId : undefined,
    },
  );
  if (!created.ok) fail(`createBroadcast refused: ${created.reason}`);
  const broadcastId = created.ok ? created.broadcast.id : 0;
  let freezeMs = NaN;
  if (FREEZE === 'bench') {
    // The product's startBroadcast, unchanged, with one difference: Prisma's interactive transaction may last
    // 10 minutes instead of its default 5 s (which the INSERT … SELECT of a large audience exceeds).
    const t0 = performance.now();
    const longTx = {
      $transaction: (fn: (tx: unknown) => Promise<unknown>) =>
        db.$transaction(fn as never, { maxWait: 60_000, timeout: 600_000 }),
    } as unknown as Db;
    const started = await startBroadcast({ db: longTx, now: () => new Date() }, { broadcastId });
    freezeMs = performance.now() - t0;
    if (!started.ok) fail(`startBroadcast: ${started.reason}`);
    log(`ledger frozen by the bench in ${fmtDuration(freezeMs)}; enqueueing the job`);
    await queues.startBroadcast(broadcastId);
  }
  log(`broadcast #${broadcastId} created; sending`);

  const sampler = setInterval(() => {
    readWorkerCpu();
    const live = workers.at(-1)!;
    const rss = procRssKiB(live.pid);
    if (rss !== undefined)
      samples.push({ t: (epochNow() - createdAt) / 1000, pid: live.pid, rssMiB: rss / 1024, cpu: cpuMark() });
  }, RSS_EVERY_S * 1000);

  let killedAt = 0;
  let atKill = 0;
  let second: WorkerProcess | undefined;
  let secondReadyAt = 0;
  let doneAt: number;
  let lastProgress = performance.now();
  let lastProgressCount = 0;
  try {
    for (;;) {
      const live = workers.at(-1)!;
      if (live.child.exitCode !== null || live.child.signalCode !== null)
        fail(`the worker exited before the broadcast was done:\n${live.output().slice(-4000)}`);
      if (epochNow() - createdAt > MAX_MS) fail(`not done after ${fmtDuration(MAX_MS)}`);
      const count = await fake.call<FakeCount>('count');
      if (SCENARIO === 'crash' && killedAt === 0 && count.broadcast >= RECIPIENTS * KILL_AT) {
        readWorkerCpu();
        first.expectedExit = true;
        first.child.kill('SIGKILL');
        killedAt = epochNow();
        await first.exited;
        atKill = (await fake.call<FakeCount>('count')).broadcast;
        log(`worker 1 killed (SIGKILL) at ${thousands(atKill)} messages (${count.broadcast} when decided)`);
        second = startWorkerProcess('2');
        workers.push(second);
        secondReadyAt = await workerReady(second, fake, count.getMe);
        log(`worker 2 ready ${((secondReadyAt - killedAt) / 1000).toFixed(1)} s after the kill`);
        continue;
      }
      const b = await db.broadcast.findUniqueOrThrow({
        where: { id: broadcastId },
        select: { status: true },
      });
      if (b.status === 'done' || b.status === 'cancelled') {
        doneAt = epochNow();
        if (b.status === 'cancelled') fail('the broadcast was cancelled');
        break;
      }
      if (performance.now() - lastProgress >= PROGRESS_EVERY_S * 1000) {
        const dt = (performance.now() - lastProgress) / 1000;
        lastProgress = performance.now();
        const l = await ledger(db, broadcastId);
        const elapsed = (epochNow() - createdAt) / 1000;
        const recent = (count.broadcast - lastProgressCount) / dt;
        lastProgressCount = count.broadcast;
        const overall =
          count.broadcast > 1 ? (count.broadcast - 1) / ((count.lastAt - count.firstAt) / 1000) : 0;
        const left = RECIPIENTS - count.broadcast;
        const s = samples.at(-1);
        log(
          `${fmtDuration(elapsed * 1000)}: ${thousands(count.broadcast)} of ${thousands(RECIPIENTS)} sent ` +
            `(${rate1(recent)}/s last ${dt.toFixed(0)} s, ${rate1(overall)}/s overall), ${count.rateLimited} × 429; ` +
            `ledger ${Object.entries(l)
              .map(([k, v]) => `${k} ${thousands(v)}`)
              .join(', ')}; worker RSS ${s ? s.rssMiB.toFixed(0) : '?'} MiB; ` +
            `ETA ${recent > 0 ? fmtDuration((left / recent) * 1000) : '?'}`,
        );
      }
      await sleep(SCENARIO === 'crash' && killedAt === 0 ? 10 : 250);
    }
    readWorkerCpu();
    const cpu1 = cpuMark();
    const xact1 = await xactCommits();
    log(`ledger done after ${fmtDuration(doneAt - createdAt)}`);
    // The staff member's final summary goes out after `done`; give it time, then stop the worker as SIGTERM does.
    await sleep(PROGRESS_CHAT ? 2500 : 500);
    clearInterval(sampler);
    const last = workers.at(-1)!;
    await stopWorker(last, 'SIGTERM');
    const workerExit = last.child.exitCode ?? last.child.signalCode;

    const summary = await fake.call<FakeSummary>('summary', {
      bucketMs: SCENARIO === 'throttled' ? 60_000 : 1000,
    });
    const chats = new Set((await fake.call<number[]>('chats')).map(String));
    const missing = people.filter((p) => !chats.has(p.externalId)).length;
    const l = await ledger(db, broadcastId);
    const firstSendAfterKill = killedAt ? await fake.call<number>('firstAfter', killedAt) : 0;
    const sample = await fake.call<Record<string, unknown>>('sample');
    const progressSends = await fake.call<FakeCount>('count');
    const bFinal = await db.broadcast.findUniqueOrThrow({
      where: { id: broadcastId },
      select: { startedAt: true, finishedAt: true, recipients: true },
    });
    await fake.stop(5000);
    fakes.delete(fake);

    let baseline: BareResult | undefined;
    if (SCENARIO === 'paid') {
      log(
        `baseline: a bare loop, ${CONCURRENCY} at a time, the same ${thousands(people.length)} sendMessage calls`,
      );
      baseline = await bareBaseline(
        people.map((p) => p.externalId),
        sample,
      );
      log(`baseline: ${thousands(baseline.ok)} sent in ${fmtDuration(baseline.wallMs)}`);
    }

    let profile: string | undefined;
    if (PROFILE) {
      const file = readdirSync(OUT)
        .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${last.pid}.`))
        .map((f) => path.join(OUT, f))[0];
      if (file) {
        profile = `Profile: \`${path.relative(ROOT, file)}\` (worker ${last.pid}, whole life).\n\n${profileMarkdown(
          summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 15),
        )}`;
      } else profile = 'No .cpuprofile written by the worker (did it exit cleanly?).';
    }

    const md = report({
      m,
      started,
      loadBefore,
      idleBusy,
      setupSeconds,
      collisions,
      readyMs: readyAt - first.spawnedAt,
      createdAt,
      doneAt,
      summary,
      ledger: l,
      missing,
      recipients: people.length,
      freezeMs,
      samples,
      cpu0,
      cpu1,
      xact: xact1 - xact0,
      killedAt,
      atKill,
      second,
      secondReadyAt,
      firstSendAfterKill,
      baseline,
      workers,
      workerExit,
      progressSends: progressSends.sends - progressSends.broadcast,
      ledgerRecipients: bFinal.recipients,
      ledgerSpan:
        bFinal.startedAt && bFinal.finishedAt
          ? bFinal.finishedAt.getTime() - bFinal.startedAt.getTime()
          : NaN,
    });
    console.log(md.block);
    if (profile) console.log(`\n${profile}\n`);
    writeFileSync(
      path.join(OUT, `broadcast-${SCENARIO}-${names.redisPrefix}.json`),
      JSON.stringify({ samples, summary }),
    );
    if (RECORD) {
      ensureSection();
      record(SECTION, md.block);
      if (RECIPIENTS >= FULL_SIZE) updateLatest(md.latestKey, md.latestRow);
      log(`recorded in ${path.relative(process.cwd(), RESULTS)}`);
    }
    if (!md.verified) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
  }
}

// ---- Report ---------------------------------------------------------------------------------------------------

interface ReportInput {
  m: ReturnType<typeof machine>;
  started: Date;
  loadBefore: number[];
  idleBusy: number;
  setupSeconds: number;
  collisions: number;
  readyMs: number;
  createdAt: number;
  doneAt: number;
  summary: FakeSummary;
  ledger: Record<string, number>;
  missing: number;
  recipients: number;
  freezeMs: number;
  samples: Sample[];
  cpu0: CpuMark;
  cpu1: CpuMark;
  xact: number;
  killedAt: number;
  atKill: number;
  second?: WorkerProcess;
  secondReadyAt: number;
  firstSendAfterKill: number;
  baseline?: BareResult;
  workers: WorkerProcess[];
  workerExit: number | string | null;
  progressSends: number;
  ledgerRecipients: number;
  ledgerSpan: number;
}

function cpuText(a: CpuMark, b: CpuMark, messages: number) {
  const seconds = (b.at - a.at) / 1000;
  const parts: [string, number][] = [
    [SCENARIO === 'crash' ? 'plaza worker (both)' : 'plaza worker', b.workers - a.workers],
    ['PostgreSQL (this database)', b.pgOurs - a.pgOurs],
    ['Redis', b.redis - a.redis],
    ['fake Bot API', b.fake - a.fake],
    ['bench process', b.bench - a.bench],
  ];
  const ours = parts.reduce((s, [, v]) => s + v, 0);
  const machineMs = b.machine - a.machine;
  const pgOther = b.pgOther - a.pgOther;
  const others = Math.max(0, machineMs - ours);
  const cores = (v: number) => (v / 1000 / seconds).toFixed(2);
  const text =
    parts.map(([k, v]) => `${k} ${cores(v)} cores (${(v / messages).toFixed(2)} ms/message)`).join('; ') +
    `; machine busy ${cores(machineMs)} of ${os.availableParallelism()} cores, of which other processes ≈ ${cores(others)} ` +
    `(other PostgreSQL databases ${cores(pgOther)})`;
  return {
    text,
    othersCores: others / 1000 / seconds,
    workerMsPerMessage: (b.workers - a.workers) / messages,
  };
}

function report(r: ReportInput) {
  const s = r.summary;
  const n = s.broadcast;
  const spanMs = s.lastAt - s.firstAt;
  const achieved = n > 1 ? (n - 1) / (spanMs / 1000) : 0;
  const totalMs = r.doneAt - r.createdAt;
  const rss = r.samples.map((x) => x.rssMiB);
  const cpu = cpuText(r.cpu0, r.cpu1, n);
  // "Others" per interval between samples: is the machine shared while it sends?
  const othersSeries: number[] = [];
  for (let i = 1; i < r.samples.length; i++) {
    const a = r.samples[i - 1]!.cpu;
    const b = r.samples[i]!.cpu;
    const ours =
      b.workers -
      a.workers +
      (b.pgOurs - a.pgOurs) +
      (b.redis - a.redis) +
      (b.fake - a.fake) +
      (b.bench - a.bench);
    if (r.samples[i]!.pid !== r.samples[i - 1]!.pid) continue; // a worker died in between: its CPU is unknown
    othersSeries.push(Math.max(0, (b.machine - a.machine - ours) / (b.at - a.at)));
  }
  const contended = cpu.othersCores > 0.15;
  const sentRows = r.ledger.sent ?? 0;
  const allSent = sentRows === r.recipients && Object.keys(r.ledger).every((k) => k === 'sent');
  const duplicates = s.duplicates;
  const everyone = r.missing === 0;
  const usedOfLimit = (s.sends / ((RATE * spanMs) / 1000)) * 100;
  const firstSendMs = s.firstAt - r.createdAt;

  const compactSeries = (values: number[], every: number) => {
    if (values.length <= 40) return values.map((v) => v.toFixed(0)).join(' ');
    const out: string[] = [];
    for (let i = 0; i < values.length; i += every)
      out.push(Math.max(...values.slice(i, i + every)).toFixed(0));
    return out.join(' ');
  };
  const perMinute = Math.max(1, Math.round(60 / RSS_EVERY_S));
  const rssSeries =
    rss.length <= 40
      ? `every ${RSS_EVERY_S} s: ${compactSeries(rss, 1)} MiB`
      : `per minute (largest of that minute's ${perMinute} samples): ${compactSeries(rss, perMinute)} MiB`;
  const othersPerMinute: number[] = [];
  for (let i = 0; i < othersSeries.length; i += perMinute) {
    const chunk = othersSeries.slice(i, i + perMinute);
    othersPerMinute.push(chunk.reduce((a, b) => a + b, 0) / chunk.length);
  }

  const head = [
    `- Command: \`npm run bench:broadcast -- ${process.argv.slice(2).join(' ')}\``,
    `- Machine: nproc ${r.m.nproc}, ${r.m.cpu.split(' ').slice(0, 2).join(' ')}; Node ${r.m.node}; PostgreSQL ${r.m.postgres}, Redis ${r.m.redis} (both local)`,
    `- Memory (\`free -g\`): ${r.m.free.split('\n')[1]?.replace(/\s+/g, ' ') ?? 'n/a'}`,
    `- Code the worker ran: ${[...new Set(r.workers.map((w) => w.code))].join('; ')}${PLAZA_ROOT === ROOT ? '' : `; **the worker ran from ${PLAZA_ROOT}** (a modified tree, see the notes)`}`,
    `- Before the run: load average ${r.loadBefore.map((v) => v.toFixed(2)).join(', ')}; ${r.idleBusy.toFixed(2)} cores busy over the last 3 s`,
    `- Setup (not measured): ${thousands(r.recipients)} Telegram subscribers of one process in ${r.setupSeconds.toFixed(1)} s (createSubscribers, 1,000 at a time${r.collisions ? `; ${r.collisions} batch(es) made again after a chat id collision` : ''}); \`plaza worker\` (NODE_ENV=production, LOG_LEVEL=warn, TELEGRAM_MESSAGES_PER_SECOND=${RATE}${SCENARIO === 'crash' ? ', QUEUE_STALLED_INTERVAL_MS=2000, TELEGRAM_OUTBOX_LEASE_MS=2000, BROADCAST_STALE_MS=3000' : ''}) ready ${fmtDuration(r.readyMs)} after spawn; broadcast created with createBroadcast${PROGRESS_CHAT ? ", progress in the staff member's Telegram chat (as /difundir)" : ''}.`,
    FREEZE === 'bench'
      ? `- **Ledger frozen by the bench**, not by the worker's job: createBroadcast was called without enqueueing the job, the bench called the product's startBroadcast (unchanged SQL) with Prisma's interactive-transaction timeout raised from its default 5 s to 10 min — it took ${fmtDuration(r.freezeMs)} for ${thousands(r.ledgerRecipients)} rows — and then enqueued the job, which found the broadcast \`sending\`. (At this size the worker's own startBroadcast exceeds the 5 s timeout and fails on every attempt; see this section's notes.) Total time below includes the freeze.`
      : "- Ledger frozen by the worker's job (startBroadcast inside the BullMQ job), as in production.",
    `- Fake Bot API (own process): ${RATE} successful sends/s overall and 1/s per chat in any rolling second, 429 beyond; no added latency.`,
  ];
  const verification = [
    `- Verification: ledger ${Object.entries(r.ledger)
      .map(([k, v]) => `${k} ${thousands(v)}`)
      .join(
        ', ',
      )} of ${thousands(r.ledgerRecipients)} frozen recipients (every row sent: ${allSent ? 'yes' : '**no**'}); fake: ${thousands(n)} broadcast messages to ${thousands(s.distinctChats)} distinct chats (duplicates ${duplicates}); every subscriber reached: ${everyone ? 'yes' : `**no, ${r.missing} missing**`}; most messages to one chat in a rolling second ${s.maxPerChatInSecond}; ${s.otherSends} other sends (the staff member's progress message and its edits); calls: ${Object.entries(
      s.byMethod,
    )
      .map(([k, v]) => `${k} ${thousands(v)}`)
      .join(', ')}.`,
    `- 429s: ${s.rateLimited}${refusedText(s)}.`,
    `- Worker log (warn and above): ${countLines(r.workers)}; the last worker stopped with SIGTERM → ${r.workerExit}.`,
  ];
  const rssLine = `- Worker RSS (VmRSS of the worker process every ${RSS_EVERY_S} s, ${rss.length} samples): min ${Math.min(...rss).toFixed(0)}, median ${median(rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)} MiB; ${rssSeries}.`;
  const cpuLine = `- CPU from the broadcast's creation to \`done\` (${fmtDuration(r.cpu1.at - r.cpu0.at)}): ${cpu.text}. PostgreSQL transactions committed in the bench database: ${thousands(r.xact)} (${(r.xact / n).toFixed(2)} per message; includes the bench's own polling, ~4/s).`;
  const contentionLine = contended
    ? `- **Contended:** other processes used ≈ ${cpu.othersCores.toFixed(2)} cores on average while it sent${othersPerMinute.length > 1 ? ` (per minute: ${othersPerMinute.map((v) => v.toFixed(1)).join(' ')})` : ''}; ${SCENARIO === 'throttled' ? 'at 30/s the worker needs a small fraction of a core, so this matters little for the rate, but it is recorded.' : 'the figures understate an idle machine.'}`
    : `- Not contended: other processes used ≈ ${cpu.othersCores.toFixed(2)} cores on average while it sent.`;

  let lines: string[];
  let latestRow: string;
  let verified = allSent && everyone;
  const when = `${r.started.toISOString().slice(11, 16)}, ${r.m.commit.split(' ')[0]}`;
  if (SCENARIO === 'throttled') {
    const okRate = achieved >= TARGETS.throttledRate;
    const okBusiest = s.busiestSecond <= TARGETS.busiest;
    const ok429 = s.rateLimited === 0;
    verified &&= duplicates === 0;
    lines = [
      `#### ${r.started.toISOString()} — throttled: ${thousands(r.recipients)} Telegram recipients at ${RATE}/s, one \`plaza worker\``,
      '',
      ...head,
      '',
      '| Figure | value | target | |',
      '|---|---:|---:|---|',
      `| **Achieved rate**: the fake's successful broadcast sends, (n − 1) ÷ (last − first) | **${achieved.toFixed(2)}/s** | ≥ ${TARGETS.throttledRate}/s | ${okRate ? 'met' : '**not met**'} |`,
      `| Busiest rolling second, all successful sends (broadcast + progress edits) | ${s.busiestSecond} (fake's own count ${s.fakeBusiestSecond}; broadcast only ${s.busiestSecondBroadcast}) | ≤ ${TARGETS.busiest} | ${okBusiest ? 'met' : '**not met**'} |`,
      `| 429 answers | ${s.rateLimited}${refusedText(s)} | 0 | ${ok429 ? 'met' : '**not met**'} |`,
      `| Total time: createBroadcast → ledger \`done\` | ${fmtDuration(totalMs)} | ≈ ${fmtDuration((r.recipients / RATE) * 1000)} at exactly ${RATE}/s | |`,
      `| First → last broadcast send | ${fmtDuration(spanMs)} | | |`,
      `| createBroadcast → first send | ${fmtDuration(firstSendMs)} | | |`,
      `| Worker RSS min / median / max | ${Math.min(...rss).toFixed(0)} / ${median(rss).toFixed(0)} / ${Math.max(...rss).toFixed(0)} MiB | | |`,
      '',
      `- **Ratio** against the baseline, the configured limit (${RATE}/s): achieved ÷ allowed = **${(achieved / RATE).toFixed(4)}**. Of the limit's capacity over the sending span (${RATE}/s × ${fmtDuration(spanMs)}), ${usedOfLimit.toFixed(2)}% was used (all ${thousands(s.sends)} successful sends, the ${s.otherSends} progress messages and edits included).`,
      `- Broadcast sends per minute from the first: ${s.series.join(' ')}.`,
      rssLine,
      cpuLine,
      contentionLine,
      ...verification,
    ];
    latestRow = `| Broadcast, throttled: ${thousands(r.recipients)} Telegram recipients at ${RATE}/s, one \`plaza worker\` (${when}${contended ? ', contended' : ''}) | ${achieved.toFixed(2)}/s achieved, busiest second ${s.busiestSecond}, ${s.rateLimited} × 429, ${fmtDuration(totalMs)}; worker RSS ${Math.min(...rss).toFixed(0)}/${median(rss).toFixed(0)}/${Math.max(...rss).toFixed(0)} MiB (min/median/max) | the configured limit, ${RATE}/s | achieved ÷ allowed = ${(achieved / RATE).toFixed(3)} (${usedOfLimit.toFixed(1)}% of the limit used) | ≥ ${TARGETS.throttledRate}/s: ${okRate ? 'met' : 'not met'}; ≤ ${TARGETS.busiest} in any second: ${okBusiest ? 'met' : 'not met'}; 0 × 429: ${ok429 ? 'met' : 'not met'} |`;
  } else if (SCENARIO === 'paid') {
    const b = r.baseline!;
    const bn = b.summary.broadcast;
    const bSpan = b.summary.lastAt - b.summary.firstAt;
    const bRate = bn > 1 ? (bn - 1) / (bSpan / 1000) : 0;
    const okRate = achieved >= TARGETS.paidRate;
    verified &&= duplicates === 0 && b.ok === r.recipients;
    const bCores = (v: number) => (v / 1000 / b.cpu.seconds).toFixed(2);
    lines = [
      `#### ${r.started.toISOString()} — paid: ${thousands(r.recipients)} Telegram recipients at TELEGRAM_MESSAGES_PER_SECOND=1000, one \`plaza worker\``,
      '',
      ...head,
      '',
      '| Sender | messages | deliveries/s (fake: first → last) | first → last | wall time | 429s |',
      '|---|---:|---:|---:|---:|---:|',
      `| **Plaza**: \`plaza worker\`, ledger + outbox | ${thousands(n)} | **${rate1(achieved)}** | ${fmtDuration(spanMs)} | ${fmtDuration(totalMs)} (createBroadcast → \`done\`) | ${s.rateLimited} |`,
      `| Baseline: bare loop, telegraf \`callApi('sendMessage')\`, ${CONCURRENCY} at a time, no ledger/outbox (fresh fake, no global limit) | ${thousands(bn)} | ${rate1(bRate)} | ${fmtDuration(bSpan)} | ${fmtDuration(b.wallMs)} | ${b.summary.rateLimited} |`,
      '',
      `- **Ratio**: Plaza ÷ bare loop = **${(achieved / bRate).toFixed(3)}**; target ≥ ${TARGETS.paidRate}/s: ${okRate ? 'met' : '**not met**'} (${rate1(achieved)}/s).`,
      `- Plaza: createBroadcast → first send ${fmtDuration(firstSendMs)}; busiest rolling second ${s.busiestSecond} (limit ${RATE}); ledger startedAt → finishedAt ${fmtDuration(r.ledgerSpan)}; sends per second from the first: ${s.series.join(' ')}.`,
      fullSecondsLine(s.series, RATE),
      `- Baseline sends per second: ${b.summary.series.join(' ')}; failures: ${b.failed.size === 0 ? 0 : [...b.failed].map(([k, v]) => `${v}× ${k}`).join(', ')}; CPU: bench process (the loop) ${bCores(b.cpu.bench)} cores (${(b.cpu.bench / bn).toFixed(3)} ms/message), fake ${bCores(b.cpu.fake)} cores (${(b.cpu.fake / bn).toFixed(3)} ms/message), machine ${bCores(b.cpu.machine)}.`,
      rssLine,
      cpuLine,
      contentionLine,
      ...verification,
    ];
    latestRow = `| Broadcast, paid mode: ${thousands(r.recipients)} Telegram recipients at TELEGRAM_MESSAGES_PER_SECOND=1000, one \`plaza worker\` (${when}${contended ? ', contended' : ''}) | ${rate1(achieved)} deliveries/s with the ledger (all rows sent: ${allSent ? 'yes' : 'no'}), ${s.rateLimited} × 429; worker ${cpu.workerMsPerMessage.toFixed(2)} ms CPU/message | bare loop, ${CONCURRENCY} at a time, same calls: ${rate1(bRate)}/s | Plaza / bare = ${(achieved / bRate).toFixed(2)} | ≥ 1,000/s: ${okRate ? 'met' : 'not met'} |`;
  } else {
    const okDup = duplicates <= OUTBOX_CONCURRENCY;
    verified &&= okDup;
    const killToFirst = r.firstSendAfterKill ? r.firstSendAfterKill - r.killedAt : NaN;
    lines = [
      `#### ${r.started.toISOString()} — crash: ${thousands(r.recipients)} Telegram recipients at ${RATE}/s, the worker killed (SIGKILL) at ${Math.round(KILL_AT * 100)} %`,
      '',
      ...head,
      '',
      '| Figure | value | target | |',
      '|---|---:|---:|---|',
      `| Every recipient delivered | **${everyone && allSent ? 'yes' : 'no'}** (${thousands(s.distinctChats)} of ${thousands(r.recipients)} chats; ledger sent ${thousands(sentRows)}) | yes | ${everyone && allSent ? 'met' : '**not met**'} |`,
      `| Duplicates (messages beyond one per chat) | **${duplicates}** | ≤ ${OUTBOX_CONCURRENCY} (the outbox's concurrency) | ${okDup ? 'met' : '**not met**'} |`,
      `| Kill → first send of the new worker | **${fmtDuration(killToFirst)}** | | |`,
      `| Total time: createBroadcast → ledger \`done\` | ${fmtDuration(totalMs)} | | |`,
      '',
      `- Timeline from createBroadcast: first send ${fmtDuration(firstSendMs)}; kill at ${fmtDuration(r.killedAt - r.createdAt)} with ${thousands(r.atKill)} messages received by the fake; new worker spawned at once, its token check and BullMQ workers ready ${fmtDuration(r.secondReadyAt - r.killedAt)} after the kill; its first send ${fmtDuration(killToFirst)} after the kill; last send at ${fmtDuration(s.lastAt - r.createdAt)}; ledger \`done\` at ${fmtDuration(totalMs)}.`,
      `- Rate: ${rate1(achieved)}/s first → last send including the outage; busiest rolling second ${s.busiestSecond} (limit ${RATE}); 429s ${s.rateLimited}; sends per second from the first: ${s.series.join(' ')}.`,
      rssLine.replace('the worker process', 'the live worker process'),
      cpuLine,
      contentionLine,
      ...verification,
    ];
    latestRow = `| Broadcast, crash: ${thousands(r.recipients)} Telegram recipients at ${RATE}/s, \`plaza worker\` killed (SIGKILL) at ${Math.round(KILL_AT * 100)} % and replaced (${when}${contended ? ', contended' : ''}) | every recipient delivered: ${everyone && allSent ? 'yes' : 'no'}; ${duplicates} duplicates; kill → first send of the new worker ${fmtDuration(killToFirst)}; total ${fmtDuration(totalMs)} | — | — | duplicates ≤ ${OUTBOX_CONCURRENCY}: ${okDup ? 'met' : 'not met'}; everyone reached: ${everyone && allSent ? 'met' : 'not met'} |`;
  }
  return {
    block: `${lines.join('\n')}\n`,
    latestKey: `| Broadcast, ${SCENARIO === 'paid' ? 'paid mode' : SCENARIO}:`,
    latestRow,
    verified,
  };
}

function refusedText(s: FakeSummary): string {
  if (s.refused.length === 0) return '';
  const shown = s.refused
    .slice(0, 5)
    .map(
      (x) =>
        `${x.method} ${x.broadcast ? 'broadcast message' : "to the staff member's chat"} at +${(x.afterFirstMs / 1000).toFixed(1)} s${x.sinceChatSendMs === null ? '' : `, ${x.sinceChatSendMs.toFixed(0)} ms after the previous message to that chat`}`,
    )
    .join('; ');
  return ` (${shown}${s.refused.length > 5 ? '; …' : ''}; times from the first broadcast send, which ended at +${((s.lastAt - s.firstAt) / 1000).toFixed(1)} s)`;
}

function countLines(workers: WorkerProcess[]): string {
  const parts = workers.map((w) => {
    let text = '';
    try {
      text = readFileSync(w.logFile, 'utf8');
    } catch {
      /* none */
    }
    const lines = text.split('\n').filter((x) => x.trim() !== '');
    const msgs = new Map<string, number>();
    for (const line of lines) {
      let key = line.slice(0, 80);
      try {
        const j = JSON.parse(line) as { msg?: string; level?: number };
        key = `${j.level ?? '?'} ${j.msg ?? '?'}`;
      } catch {
        /* not JSON */
      }
      msgs.set(key, (msgs.get(key) ?? 0) + 1);
    }
    const top = [...msgs].map(([k, v]) => `${v}× "${k}"`).join(', ');
    return `worker ${path.basename(w.logFile).split('-').at(-1)?.replace('.log', '')}: ${lines.length} lines${top ? ` (${top})` : ''}`;
  });
  return parts.join('; ');
}

// ---- RESULTS.md ---------------------------------------------------------------------------------------------------

function ensureSection(): void {
  const text = readFileSync(RESULTS, 'utf8');
  if (text.includes(`\n${SECTION}`)) return;
  const intro = `${SECTION}

What it measures: one broadcast (createBroadcast, as /difundir creates it) to N Telegram subscribers, sent by a
real \`plaza worker\` child process (\`node bin/plaza.mjs worker\`, NODE_ENV=production, LOG_LEVEL=warn) through
the ledger and the rate-limited Redis outbox to the fake Bot API (tests/fakes/telegram-bot-api.ts, in a process
of its own, enforcing the overall and per-chat flood limits with 429s). Figures come from the fake's successful
sends (its clock), checked against the ledger (every row \`sent\`) and the subscriber list (every chat reached).

\`\`\`sh
npm run bench:broadcast -- --scenario throttled --recipients 100000 --rate 30   # ~56 min; try --recipients 3000 first
npm run bench:broadcast -- --scenario paid --recipients 20000                   # + bare-loop baseline in the same run
npm run bench:broadcast -- --scenario crash --recipients 20000                  # kill -9 at 50 %, new worker
npm run bench:broadcast -- --scenario paid --cpu-prof                           # profile the worker (not recorded)
npm run bench:broadcast -- --scenario throttled --recipients 100000 --freeze bench   # the bench freezes the ledger
npm run bench:broadcast -- --scenario paid --plaza-root /tmp/copy --no-record     # the worker from another tree
\`\`\`

- **throttled**: TELEGRAM_MESSAGES_PER_SECOND=30, fake at 30/s overall and 1/s per chat. Targets: achieved rate
  ≥ 29.5/s, no rolling second above 30, no 429. Baseline: the limit itself (achieved ÷ allowed). The worker's
  RSS is sampled from /proc every 10 s. Progress is printed every minute.
- **paid**: TELEGRAM_MESSAGES_PER_SECOND=1000, fake at 1000/s overall and 1/s per chat. Target ≥ 1,000
  deliveries/s. Baseline in the same run: a bare loop of the same sendMessage calls (same chats and params, the
  same telegraf client), 100 at a time (the outbox's concurrency), to a fresh fake without a global limit.
- **crash**: as paid (rate configurable), the worker killed with SIGKILL when the fake has half the messages,
  a new worker started at once (stalled check, outbox lease 2 s, stale rows 3 s). Targets: every recipient
  delivered; duplicates ≤ 100 (the outbox's concurrency: only messages in flight at the kill may go twice).

Each run creates its own database and Redis prefix and removes both at the end, also on failure or Ctrl-C.

### Runs
`;
  writeFileSync(RESULTS, `${text.trimEnd()}\n\n${intro}`);
}

/** Replaces the scenario's row in the "Latest figures" table at the top (or adds it at the table's end). */
function updateLatest(key: string, row: string): void {
  const text = readFileSync(RESULTS, 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('## Latest figures'));
  if (start < 0) return;
  let end = start + 1;
  while (end < lines.length && !lines[end]!.startsWith('| ')) end++;
  while (end < lines.length && lines[end]!.startsWith('| ')) end++;
  const existing = lines.findIndex((l, i) => i > start && i < end && l.startsWith(key));
  if (existing >= 0) lines[existing] = row;
  else lines.splice(end, 0, row);
  writeFileSync(RESULTS, lines.join('\n'));
}

main()
  .catch((error: unknown) => {
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    process.exit(process.exitCode ?? 0);
  });

/**
 * The whole seconds of a send (the last, partial one left out) against the limit: when every one is within
 * 1 % of it, the limit — not Plaza — is what bounds the rate, and (n − 1) ÷ (last − first) can only fall a
 * little short of it (n messages at exactly the limit span n ÷ limit seconds).
 */
function fullSecondsLine(series: number[], limit: number): string {
  const full = series.slice(0, -1);
  if (full.length === 0) return '- Whole seconds: none (shorter than a second).';
  const sorted = [...full].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const atLimit = sorted[0]! >= 0.99 * limit;
  return `- Whole seconds (${full.length}, the last partial one left out): min ${sorted[0]}, median ${median}, max ${sorted.at(-1)} of the limit ${limit}${atLimit ? ' — every one at the limit: the configured rate (1,000/s is the most TELEGRAM_MESSAGES_PER_SECOND allows) is what bounds it, not the sender' : ''}.`;
}
