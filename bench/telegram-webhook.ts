// Benchmark (not a test): Telegram webhook updates per second, each a whole "support a proposal" turn whose
// reply reaches a fake Bot API, with 200 chats at once; the acknowledgement latency at a fixed 300 updates/s;
// and, in the same run, a minimal hand-written telegraf bot doing the same turn (Redis session, same database)
// and a bare node:http server answering 200 `{}` (the ceiling).
//
//   npm run bench:telegram -- [--chats 200] [--turns 4000] [--warmup 2] [--rate 300] [--duration 15]
//                             [--ceiling-requests 40000] [--systems plaza,handwritten,ceiling]
//                             [--ack processed|queued] [--cpu-prof] [--no-record] [--wait-idle 300]
//                             [--plaza-processes 1] [--handwritten-processes 1]
//
//   --turns N      measured support turns in the closed-loop phase (each after its open turn: 2N updates)
//   --ack MODE     Plaza's TELEGRAM_WEBHOOK_ACK: `processed` (200 once the turn ran and its replies are
//                  queued) or `queued` (200 once the update is in the Redis inbox; the turn runs afterwards in
//                  the same process's inbox consumers). Not given: Plaza runs in both modes, one after the
//                  other, each with chats of its own ("Plaza" and "Plaza, queued ack" in the tables).
//   --inbox-concurrency N  TELEGRAM_INBOX_CONCURRENCY for the queued mode (default: the config's, 16)
//   --plaza-processes N        run Plaza as N server processes (default 1), as an operator runs several
//   --handwritten-processes N  `plaza serve` behind a reverse proxy; likewise the hand-written bot. See below.
//   --cpu-prof     profile the Plaza server (and the hand-written bot) during the closed-loop phase; implies
//                  --no-record; profiles go to bench/out/*.cpuprofile and are summarised in the output. With
//                  several processes, only the first process of each system is profiled (the report says so)
//   --wait-idle S  wait up to S seconds for the machine to be idle before starting (0: don't wait)
//
// Processes: the load generator is this process; Plaza, the hand-written bot, the ceiling and the fake Bot
// API (tests/fakes/telegram-bot-api.ts, flood limits off) each run in a child process of their own (forked
// with tsx's loader). Plaza runs as `plaza serve` in webhook mode: its outbox delivers replies from the same
// process, after the webhook has been acknowledged (Plaza acknowledges once the turn is processed and its
// replies are durably queued in Redis — or, queued ack, once the update itself is in Redis). The hand-written
// bot replies inside the webhook call.
//
// Several server processes (--plaza-processes / --handwritten-processes N > 1): the system runs as N child
// processes, each on a port of its own, on the same database and Redis prefix — for Plaza each one wired as
// `plaza serve` with its own outbox (and, queued ack, its own inbox consumers; the queues in Redis are shared,
// so any process's outbox or consumers may take any chat's work). What must happen once happens in the first
// child — creating the database, migrating it, seeding the voting process and its proposals (Plaza), creating
// the participants (hand-written bot: one `participants` call) — and the other children are started only
// once it is ready, reusing what it made (their createRuntime finds every migration applied). The load
// generator keeps one keep-alive client per process and sends chat i (in chat order) always to process
// i mod N, as a sticky reverse proxy would; a chat's updates still go one at a time. The report names the
// system with its process count ("Plaza (2 processes)"); the server's CPU ("Plaza servers (node, N
// processes, summed)") is the sum over its processes, each one's share following; RSS is summed over the
// processes (the peak as the sum of each one's own peak), with each process's figure next to it; the
// PostgreSQL queries and Redis commands per update add up every process's counters. Verification queries
// the database from one process. Without plaza in --systems, one Plaza child still prepares the database.
//
// With the queued ack an acknowledgement no longer means the turn ran, so acknowledgements per second say
// nothing about throughput: every phase also reports updates ÷ (first POST → last reply at the fake), the
// "to the last reply" rate (the throughput target is judged on it for the queued mode), and the fixed-rate
// table gives the end-to-end latency (POST → reply at the fake) next to the acknowledgement's.
//
// For Plaza and the hand-written bot alike:
//   setup (not measured)  Plaza: each chat consents through the webhook (hola → Español → Sí → Sí, acepto,
//                         typed, each answer checked). Hand-written bot: participants created in the database
//                         (it has no onboarding). Then `--warmup` open+support pairs per chat, replies checked.
//   closed loop           every chat sends open, support, open, support… as fast as it is acknowledged, until
//                         `--turns` pairs have been sent; updates/s over that phase (acknowledged, and to the
//                         last reply).
//   open loop             `--rate` updates/s for `--duration` s, each to a chat that is not busy (when all
//                         are, it waits for the first free one: counted apart, not in the ack latency).
//   after each phase      wait until the fake has received one sendMessage per acknowledged update (the drain
//                         time is how long after the last acknowledgement the last reply arrived), pair the
//                         k-th message of each chat with its k-th update, check it is the right answer, and
//                         take the end-to-end latency (webhook POST → the fake processes the sendMessage).
//   finally               Support rows of these chats = support updates answered "¡Apoyo registrado!".
// The ceiling gets `--ceiling-requests` POSTs of the same update bodies, 200 at a time.
// Results are printed as Markdown and added at the end of this bench's section of bench/RESULTS.md (unless
// --no-record).
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild, type ChildServer, type ResourceSnapshot } from './lib/child.ts';
import { ServerGroup, startGroup, withProcesses, type GroupResources } from './lib/telegram-servers.ts';
import { benchNames, cleanupPlazaState } from './lib/plaza-state.ts';
import { cpuByCommand, diffCpu, machineBusyMs } from './lib/proc-cpu.ts';
import { machine, record, RESULTS, waitForIdle } from './lib/run-record.ts';
import { profileMarkdown, summarizeProfile, type CpuProfile } from './lib/profiler.ts';
import { mib, ms, rate, summarize, type LatencySummary } from './lib/stats.ts';
import type { CeilingReady } from './lib/telegram-ceiling-server.ts';
import { countsPer } from './lib/counters.ts';
import type { FakeReady, SentMessage } from './lib/telegram-fake-server.ts';
import type { HandwrittenReady } from './lib/telegram-handwritten-server.ts';
import {
  checkReplies,
  closedLoop,
  Driver,
  ok,
  openLoop,
  type ChatState,
  type LoadResult,
  type OpenLoopResult,
  type ReplyCheck,
  type Sample,
} from './lib/telegram-load.ts';
import type { TelegramPlazaReady } from './lib/telegram-plaza-server.ts';
import { epochNow, textUpdate, WebhookClient } from './lib/telegram-updates.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'out');

const { values: argv } = parseArgs({
  options: {
    chats: { type: 'string', default: '200' },
    turns: { type: 'string', default: '4000' },
    warmup: { type: 'string', default: '2' },
    rate: { type: 'string', default: '300' },
    duration: { type: 'string', default: '15' },
    'ceiling-requests': { type: 'string', default: '40000' },
    systems: { type: 'string', default: 'plaza,handwritten,ceiling' },
    ack: { type: 'string' },
    'inbox-concurrency': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '300' },
    'plaza-processes': { type: 'string', default: '1' },
    'handwritten-processes': { type: 'string', default: '1' },
  },
});
const CHATS = Number(argv.chats);
const TURNS = Number(argv.turns);
const WARMUP = Number(argv.warmup);
const RATE = Number(argv.rate);
const DURATION = Number(argv.duration);
const CEILING_REQUESTS = Number(argv['ceiling-requests']);
const SYSTEMS = new Set((argv.systems ?? '').split(','));
const processCount = (option: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${option} must be a positive integer`);
  return n;
};
const PLAZA_PROCESSES = processCount('plaza-processes', argv['plaza-processes']);
const HANDWRITTEN_PROCESSES = processCount('handwritten-processes', argv['handwritten-processes']);
type AckMode = 'processed' | 'queued';
const ACKS: AckMode[] =
  argv.ack === undefined
    ? ['processed', 'queued']
    : argv.ack === 'processed' || argv.ack === 'queued'
      ? [argv.ack]
      : (() => {
          throw new Error('--ack must be processed or queued');
        })();
const plazaLabel = (ack: AckMode) =>
  withProcesses(ack === 'processed' ? 'Plaza' : 'Plaza, queued ack', PLAZA_PROCESSES);
const HAND_LABEL = withProcesses('Hand-written telegraf bot', HANDWRITTEN_PROCESSES);
const HAND_SHORT = withProcesses('hand-written bot', HANDWRITTEN_PROCESSES);
/** "Plaza server (node)", or "Plaza servers (node, 2 processes, summed)". */
const serverCpuName = (name: string, n: number) =>
  n === 1 ? `${name} server (node)` : `${name} servers (node, ${n} processes, summed)`;
const PROFILE = argv['cpu-prof'] === true;
const RECORD = argv['no-record'] !== true && !PROFILE;
const WAIT_IDLE_SECONDS = Number(argv['wait-idle']);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BOT_TOKEN = '123456789:BENCH-token_abcdefghijklmnopqrstuvwx';
const WEBHOOK_SECRET = `bench-secret-${Math.random().toString(36).slice(2)}`;
// A chat opens a different proposal every pair: enough for the busiest chat (closed loops are not even).
const PAIRS_PER_CHAT = WARMUP + TURNS / CHATS + (RATE * DURATION) / 2 / CHATS;
const PROPOSALS = Math.max(300, Math.ceil(PAIRS_PER_CHAT * 4));
const TARGET_RATE = 1500;
const TARGET_P99_MS = 50;

const log = (line: string) => console.error(`[bench] ${line}`);
const fail = (message: string): never => {
  throw new Error(message);
};
const errorsText = (errors: Map<string, number>) =>
  errors.size === 0 ? '0' : [...errors.entries()].map(([k, v]) => `${v}× ${k}`).join(', ');

function errorsOf(samples: Sample[]): Map<string, number> {
  const errors = new Map<string, number>();
  for (const s of samples.filter((x) => !ok(x))) {
    const key = s.status === 0 ? (s.error ?? 'network') : String(s.status);
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  return errors;
}

// ---- CPU and memory ----------------------------------------------------------------------------------------

interface Usage {
  /** Summed over the system's server processes (each one's own figures in `processes`). */
  server: GroupResources;
  fake: ResourceSnapshot;
  clientCpuMs: number;
  others: Map<string, number>;
  machineMs: number;
  at: number;
}

async function usage(server: Server, fake: ChildServer<unknown>): Promise<Usage> {
  const cpu = process.cpuUsage();
  return {
    server: await server.resources(),
    fake: await fake.call<ResourceSnapshot>('resources'),
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    others: cpuByCommand(['postgres', 'redis-server']),
    machineMs: machineBusyMs(),
    at: performance.now(),
  };
}

/**
 * Who used the CPU between two snapshots, in cores and ms per update; "other processes" is what is left over.
 * The server's share is summed over all its processes (each one's share follows in brackets when several).
 */
function cpuUse(serverName: string, before: Usage, after: Usage, updates: number) {
  const seconds = (after.at - before.at) / 1000;
  const perProcess = after.server.processes.map((p, i) => p.cpuMs - (before.server.processes[i]?.cpuMs ?? 0));
  const parts: [string, number][] = [
    [serverName, after.server.cpuMs - before.server.cpuMs],
    ['fake Bot API (node)', after.fake.cpuMs - before.fake.cpuMs],
    ['load generator (node)', after.clientCpuMs - before.clientCpuMs],
    ...[...diffCpu(before.others, after.others).entries()].map(
      ([k, v]) => [k, Math.max(0, v)] as [string, number],
    ),
  ];
  const ours = parts.reduce((a, [, v]) => a + v, 0);
  const machineMs = after.machineMs - before.machineMs;
  const foreignCores = Math.max(0, (machineMs - ours) / 1000 / seconds);
  const cores = (v: number) => (v / 1000 / seconds).toFixed(2);
  const perText =
    perProcess.length > 1 ? `; per process ${perProcess.map((v) => cores(v)).join(' + ')} cores` : '';
  const text =
    parts
      .map(
        ([k, v], i) =>
          `${k} ${cores(v)} cores (${(v / updates).toFixed(2)} ms/update${i === 0 ? perText : ''})`,
      )
      .join('; ') +
    `; machine busy ${cores(machineMs)} of ${os.availableParallelism()} cores, of which other processes ≈ ${foreignCores.toFixed(2)}`;
  return { text, foreignCores, seconds };
}

// ---- One system under test: Plaza or the hand-written bot ---------------------------------------------------

interface PhaseOutcome<R extends LoadResult> {
  load: R;
  replies: ReplyCheck;
  /** ms from the last acknowledgement until the last reply reached the fake (0: all arrived before). */
  drainMs: number;
  /** Seconds from the phase's first POST until its last reply reached the fake. */
  replySeconds: number;
  /** Replies still missing when waiting gave up. */
  missing: number;
  cpu: ReturnType<typeof cpuUse>;
  before: Usage;
  after: Usage;
}

interface SystemResult {
  label: string;
  /** Plaza's acknowledgement mode; undefined for the hand-written bot. */
  ack?: AckMode;
  /** Server processes the system ran as. */
  processes: number;
  setup: string;
  closed: PhaseOutcome<LoadResult>;
  fixed: PhaseOutcome<OpenLoopResult>;
  supportRows: number;
  supportedReplies: number;
  supportUpdates: number;
  chatsRowMismatch: number;
  fakeCalls: Record<string, number>;
  /** Summed over the processes (`max`: the sum of each one's peak); `endEach`/`maxEach` per process. */
  rss: { ready: number; afterSetup: number; end: number; max: number; endEach: number[]; maxEach: number[] };
  profile?: string;
  errors?: number;
  verified: boolean;
}

type Server = ServerGroup<{ port: number }>;

async function runPhase<R extends LoadResult>(
  server: Server,
  fake: ChildServer<FakeReady>,
  serverName: string,
  run: () => Promise<R>,
  hooks: { afterLoad?: () => Promise<void> } = {},
): Promise<PhaseOutcome<R>> {
  const mark = await fake.call<number>('mark');
  const before = await usage(server, fake);
  const loadStart = epochNow();
  const load = await run();
  const loadEnd = epochNow();
  await hooks.afterLoad?.();
  const expected = load.samples.filter(ok).length;
  const waited = await fake.call<{ count: number; lastAt: number }>('wait', {
    from: mark,
    n: expected,
    timeoutMs: 120_000,
  });
  const after = await usage(server, fake);
  const messages = await fake.call<SentMessage[]>('since', { from: mark });
  const replies = checkReplies(load.samples, messages);
  return {
    load,
    replies,
    drainMs: Math.max(0, waited.lastAt - loadEnd),
    replySeconds: Math.max(waited.lastAt, loadEnd) / 1000 - loadStart / 1000,
    missing: Math.max(0, expected - waited.count),
    cpu: cpuUse(serverName, before, after, load.samples.length),
    before,
    after,
  };
}

async function runSystem(opts: {
  label: string;
  ack?: AckMode;
  server: Server;
  fake: ChildServer<FakeReady>;
  path: string;
  chatIds: number[];
  proposalIds: number[];
  setup: (driver: Driver, chats: ChatState[]) => Promise<string>;
  profileName: string;
  serverName: string;
  /** The server counts handler errors itself (telegraf answers 200 even when the handler threw). */
  countsErrors?: boolean;
}): Promise<SystemResult> {
  const { server, fake } = opts;
  const ready = await server.resources();
  // One keep-alive client per server process; chat i always goes to process i mod N (a sticky proxy).
  const clients = server.children.map(
    (c) => new WebhookClient('127.0.0.1', c.ready.port, opts.path, WEBHOOK_SECRET, 256),
  );
  const driver = new Driver(clients, opts.proposalIds);
  const chats: ChatState[] = opts.chatIds.map((id, i) => ({
    id,
    server: i % server.size,
    offset: (i * 7) % opts.proposalIds.length,
    opened: 0,
    next: 'open',
  }));
  const callsBefore = await fake.call<Record<string, number>>('counts');
  const setup = await opts.setup(driver, chats);

  // Warm-up, checked: every update answered, and rightly.
  const warmMark = await fake.call<number>('mark');
  const warm = await closedLoop(driver, chats, { perChat: WARMUP });
  if (warm.samples.some((s) => !ok(s))) fail(`warm-up errors: ${errorsText(errorsOf(warm.samples))}`);
  await fake.call('wait', { from: warmMark, n: warm.samples.length, timeoutMs: 60_000 });
  const warmReplies = checkReplies(
    warm.samples,
    await fake.call<SentMessage[]>('since', { from: warmMark, texts: true }),
  );
  if (warmReplies.chatsMismatched + warmReplies.wrongReplies > 0)
    fail(
      `warm-up: ${warmReplies.chatsMismatched} chats with missing/extra replies, ${warmReplies.wrongReplies} wrong replies: ${warmReplies.samplesOfWrong.join(' | ')}`,
    );
  log(
    `${opts.label}: warm-up ${warm.samples.length} updates, all answered (${rate(warm.samples.length / warm.seconds)}/s)`,
  );
  const afterSetup = await server.resources();

  // Closed loop. With several processes, only the first is profiled.
  let profile: string | undefined;
  if (PROFILE) await server.first.call('profile-start');
  const closed = await runPhase(
    server,
    fake,
    opts.serverName,
    () => closedLoop(driver, chats, { pairs: TURNS }),
    {
      afterLoad: async () => {
        if (!PROFILE) return;
        const file = path.join(
          OUT,
          `telegram-${opts.profileName}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
        );
        await server.first.call('profile-stop', file);
        const which =
          server.size > 1
            ? ` (the first of the ${server.size} server processes only, which served ${chats.filter((c) => c.server === 0).length} of the ${chats.length} chats)`
            : '';
        profile = `Profile${which}: \`${path.relative(process.cwd(), file)}\`\n\n${profileMarkdown(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 15))}`;
      },
    },
  );
  log(
    `${opts.label}: closed loop ${closed.load.samples.length} updates in ${closed.load.seconds.toFixed(1)} s (${rate(closed.load.samples.length / closed.load.seconds)}/s), replies drained ${closed.drainMs.toFixed(0)} ms later`,
  );

  // Fixed rate.
  const fixed = await runPhase(server, fake, opts.serverName, () => openLoop(driver, chats, RATE, DURATION));
  log(
    `${opts.label}: open loop ${fixed.load.samples.length} updates in ${fixed.load.seconds.toFixed(1)} s, ack p99 ${ms(summarize(fixed.load.samples.map((s) => s.ms)).p99)}`,
  );

  // Supports in the database = support updates answered "¡Apoyo registrado!" (warm-up included). One
  // process asks: they all share the database.
  const rows = await server.first.call<{ total: number; byChat: Record<string, number> }>(
    'supports',
    opts.chatIds,
  );
  const supported = new Map<number, number>();
  for (const check of [warmReplies, closed.replies, fixed.replies])
    for (const [chat, n] of check.supportedByChat) supported.set(chat, (supported.get(chat) ?? 0) + n);
  const supportedReplies = [...supported.values()].reduce((a, n) => a + n, 0);
  const supportUpdates = [warm, closed.load, fixed.load]
    .flatMap((l) => l.samples)
    .filter((s) => s.kind === 'support').length;
  const chatsRowMismatch = opts.chatIds.filter(
    (c) => (rows.byChat[String(c)] ?? 0) !== (supported.get(c) ?? 0),
  ).length;
  const end = await server.resources();
  const callsAfter = await fake.call<Record<string, number>>('counts');
  const fakeCalls = Object.fromEntries(
    Object.entries(callsAfter)
      .map(([k, v]) => [k, v - (callsBefore[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );
  const errors = opts.countsErrors
    ? (await server.each<number>('errors')).reduce((a, n) => a + n, 0)
    : undefined;
  for (const c of clients) c.close();
  const phasesOk = [closed, fixed].every(
    (p) =>
      p.missing === 0 &&
      p.replies.chatsMismatched === 0 &&
      p.replies.wrongReplies === 0 &&
      p.replies.expected === p.replies.received &&
      p.load.samples.every(ok),
  );
  return {
    label: opts.label,
    ack: opts.ack,
    processes: server.size,
    setup,
    closed,
    fixed,
    supportRows: rows.total,
    supportedReplies,
    supportUpdates,
    chatsRowMismatch,
    fakeCalls,
    rss: {
      ready: ready.rss,
      afterSetup: afterSetup.rss,
      end: end.rss,
      max: end.maxRss,
      endEach: end.processes.map((p) => p.rss),
      maxEach: end.processes.map((p) => p.maxRss),
    },
    profile,
    errors,
    verified:
      phasesOk &&
      rows.total === supportedReplies &&
      supportedReplies === supportUpdates &&
      chatsRowMismatch === 0 &&
      (errors ?? 0) === 0,
  };
}

/** Plaza's onboarding through the webhook, every chat at once, each step's answer checked. */
async function consent(fake: ChildServer<FakeReady>, driver: Driver, chats: ChatState[]): Promise<void> {
  const steps: [string, RegExp][] = [
    ['hola', /idioma/],
    ['Español', /14 años/],
    ['Sí', /¿Aceptas/],
    ['Sí, acepto', /¡Gracias!/],
  ];
  for (const [text, expected] of steps) {
    const mark = await fake.call<number>('mark');
    const answers = await Promise.all(chats.map((c) => driver.clientOf(c).post(textUpdate(c.id, text))));
    const bad = answers.filter((a) => a.status !== 200);
    if (bad.length > 0)
      fail(`consent "${text}": ${bad.length} updates answered ${bad[0]!.status} ${bad[0]!.error ?? ''}`);
    await fake.call('wait', { from: mark, n: chats.length, timeoutMs: 60_000 });
    const messages = await fake.call<SentMessage[]>('since', { from: mark, texts: true });
    for (const c of chats) {
      const mine = messages.filter((m) => m.chat === c.id);
      if (mine.length !== 1 || !expected.test(mine[0]!.text ?? ''))
        fail(
          `consent "${text}" in chat ${c.id}: expected one reply matching ${expected}, got ${JSON.stringify(mine.map((m) => m.text))}`,
        );
    }
  }
}

// ---- The ceiling ---------------------------------------------------------------------------------------------

async function ceilingLoad(client: WebhookClient, total: number, concurrency: number, chatIds: number[]) {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (issued < total) {
        issued += 1;
        const r = await client.post(textUpdate(chatIds[w % chatIds.length]!, 'Apoyar'));
        latencies.push(r.ms);
        if (r.status !== 200) {
          const key = r.status === 0 ? (r.error ?? 'network') : String(r.status);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

// ---- Main ------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const names = benchNames();
  const state = {
    adminUrl: ADMIN_URL,
    dbName: names.dbName,
    redisUrl: REDIS_URL,
    redisPrefix: names.redisPrefix,
  };
  const idleBusy = await waitForIdle(WAIT_IDLE_SECONDS, log);
  const started = new Date();
  const loadBefore = os.loadavg();
  const childEnv = {
    NODE_ENV: 'production',
    BENCH_PG_ADMIN_URL: ADMIN_URL,
    BENCH_DB_NAME: names.dbName,
    BENCH_REDIS_URL: REDIS_URL,
    BENCH_REDIS_PREFIX: names.redisPrefix,
    BENCH_BOT_TOKEN: BOT_TOKEN,
    BENCH_WEBHOOK_SECRET: WEBHOOK_SECRET,
    BENCH_PROPOSALS: String(PROPOSALS),
  };
  log(`starting the fake Bot API`);
  const fake = await startChild<FakeReady>(path.join(here, 'lib/telegram-fake-server.ts'), childEnv);
  const withApi = { ...childEnv, BENCH_API_ROOT: fake.ready.apiRoot };
  const results: SystemResult[] = [];
  let proposalIds: number[] | undefined;
  let ceiling:
    | {
        latencies: number[];
        errors: Map<string, number>;
        seconds: number;
        rss: ResourceSnapshot;
        cpu: ReturnType<typeof cpuUse>;
      }
    | undefined;
  const plazaChats = Array.from({ length: CHATS }, (_, i) => 700_000_001 + i);
  const handChats = Array.from({ length: CHATS }, (_, i) => 710_000_001 + i);
  try {
    // ---- Plaza, in each acknowledgement mode, as --plaza-processes processes (the very first child creates
    // the database the others and the hand-written bot use, migrates and seeds it; every later child — the
    // rest of the group, started once it is ready, and the next mode's — reuses it). Without plaza in
    // --systems, one child only prepares the database for the hand-written bot. ----
    let processId: number | undefined;
    for (const [m, ack] of ACKS.entries()) {
      if (m > 0 && !SYSTEMS.has('plaza')) break;
      const n = SYSTEMS.has('plaza') ? PLAZA_PROCESSES : 1;
      const label = SYSTEMS.has('plaza') ? plazaLabel(ack) : 'Plaza (one process, to prepare the database)';
      log(
        `starting ${label} (database ${names.dbName}, Redis prefix ${names.redisPrefix}, ${PROPOSALS} proposals)`,
      );
      const plaza = await startGroup<TelegramPlazaReady>(n, (i, first) => {
        const reuse = first?.processId ?? processId;
        return startChild<TelegramPlazaReady>(path.join(here, 'lib/telegram-plaza-server.ts'), {
          ...withApi,
          BENCH_WEBHOOK_ACK: ack,
          ...(argv['inbox-concurrency'] ? { BENCH_INBOX_CONCURRENCY: argv['inbox-concurrency'] } : {}),
          ...(reuse !== undefined ? { BENCH_REUSE_PROCESS: String(reuse) } : {}),
        }).then((child) => {
          if (n > 1)
            log(`${label}: process ${i + 1} of ${n} ready (pid ${child.pid}, port ${child.ready.port})`);
          return child;
        });
      });
      processId = plaza.first.ready.processId;
      proposalIds = plaza.first.ready.proposalIds;
      try {
        if (SYSTEMS.has('plaza')) {
          // Each mode gets chats of its own: the earlier mode's chats have opened proposals already.
          const chatIds = plazaChats.map((id) => id + m * 5_000_000);
          results.push(
            await runSystem({
              label,
              ack,
              server: plaza,
              fake,
              path: '/telegram/webhook',
              chatIds,
              proposalIds,
              profileName: ack === 'processed' ? 'plaza' : 'plaza-queued',
              serverName: serverCpuName('Plaza', plaza.size),
              setup: async (driver, chats) => {
                const t0 = performance.now();
                await consent(fake, driver, chats);
                const s = (performance.now() - t0) / 1000;
                log(`${label}: ${chats.length} chats consented through the webhook in ${s.toFixed(1)} s`);
                return `${chats.length} chats consented through the webhook (hola → Español → Sí → Sí, acepto; 4 updates each, every answer checked) in ${s.toFixed(1)} s`;
              },
            }),
          );
          // Every process answers for the same Redis (the queues are shared): all must say 0.
          const pending = (await plaza.each<number>('pending')).reduce((a, x) => a + x, 0);
          if (pending !== 0) fail(`${label}: ${pending} chats with updates or messages still queued`);
        }
      } finally {
        await plaza.stop().catch((e: unknown) => log(`stopping ${label}: ${String(e)}`));
      }
    }
    proposalIds ??= [];

    // ---- The hand-written bot ----
    if (SYSTEMS.has('handwritten')) {
      log(`starting the ${HAND_SHORT}`);
      const hand = await startGroup<HandwrittenReady>(HANDWRITTEN_PROCESSES, (i) =>
        startChild<HandwrittenReady>(path.join(here, 'lib/telegram-handwritten-server.ts'), withApi).then(
          (child) => {
            if (HANDWRITTEN_PROCESSES > 1)
              log(
                `${HAND_SHORT}: process ${i + 1} of ${HANDWRITTEN_PROCESSES} ready (pid ${child.pid}, port ${child.ready.port})`,
              );
            return child;
          },
        ),
      );
      try {
        results.push(
          await runSystem({
            label: HAND_LABEL,
            server: hand,
            fake,
            path: '/hook',
            chatIds: handChats,
            proposalIds,
            profileName: 'handwritten',
            serverName: serverCpuName('bot', hand.size),
            countsErrors: true,
            setup: async () => {
              const t0 = performance.now();
              // Once, from one process: they all share the database.
              await hand.first.call('participants', handChats);
              return `${handChats.length} consenting participants with Telegram accounts created in the database in ${((performance.now() - t0) / 1000).toFixed(1)} s (no onboarding turns)`;
            },
          }),
        );
      } finally {
        await hand.stop().catch((e: unknown) => log(`stopping the ${HAND_SHORT}: ${String(e)}`));
      }
    }

    // ---- The ceiling ----
    if (SYSTEMS.has('ceiling')) {
      log('starting the bare node:http ceiling');
      const bare = new ServerGroup([
        await startChild<CeilingReady>(path.join(here, 'lib/telegram-ceiling-server.ts'), childEnv),
      ]);
      try {
        const client = new WebhookClient(
          '127.0.0.1',
          bare.first.ready.port,
          '/telegram/webhook',
          WEBHOOK_SECRET,
          256,
        );
        await ceilingLoad(client, Math.min(5000, CEILING_REQUESTS), CHATS, plazaChats); // warm-up
        const before = await usage(bare, fake);
        const r = await ceilingLoad(client, CEILING_REQUESTS, CHATS, plazaChats);
        const after = await usage(bare, fake);
        ceiling = {
          ...r,
          rss: after.server,
          cpu: cpuUse('ceiling server (node)', before, after, r.latencies.length),
        };
        client.close();
      } finally {
        await bare.stop();
      }
    }
  } finally {
    await fake.stop().catch((e: unknown) => log(`stopping the fake: ${String(e)}`));
    const deleted = await cleanupPlazaState(state).catch((e: unknown) => {
      log(`CLEANUP FAILED (drop ${names.dbName}, keys ${names.redisPrefix}:*): ${String(e)}`);
      return -1;
    });
    if (deleted >= 0) log(`cleaned up: database ${names.dbName} dropped, ${deleted} Redis keys deleted`);
  }

  // ---- Report ----
  const md = report({ results, ceiling, started, loadBefore, idleBusy });
  console.log(md);
  if (RECORD) {
    record('## bench/telegram-webhook.ts', md);
    log(`recorded in ${path.relative(process.cwd(), RESULTS)}`);
  }
  if (results.some((r) => !r.verified) || (ceiling && ceiling.errors.size > 0)) process.exitCode = 1;
}

/** The "Code:" line's account of the processes: how many each system under test ran as, and how. */
function processesText(results: SystemResult[], ceiling: boolean): string {
  const systems = [
    ...(results.some((r) => r.ack !== undefined) ? [['Plaza', PLAZA_PROCESSES] as const] : []),
    ...(results.some((r) => r.ack === undefined)
      ? [['the hand-written bot', HANDWRITTEN_PROCESSES] as const]
      : []),
    ...(ceiling ? [['the ceiling', 1] as const] : []),
  ];
  if (systems.every(([, n]) => n === 1)) return 'each server in one process';
  return `${systems.map(([name, n]) => `${name} in ${n === 1 ? 'one process' : `${n} processes`}`).join(', ')} (several processes of one system: same database and Redis prefix, a port each, chat i sent to process i mod N as a sticky reverse proxy would)`;
}

function report(opts: {
  results: SystemResult[];
  ceiling?: {
    latencies: number[];
    errors: Map<string, number>;
    seconds: number;
    rss: ResourceSnapshot;
    cpu: ReturnType<typeof cpuUse>;
  };
  started: Date;
  loadBefore: number[];
  idleBusy: number;
}): string {
  const { results, ceiling } = opts;
  const m = machine(ADMIN_URL, REDIS_URL);
  const row = (name: string, perSecond: string, toReply: string, s: LatencySummary, errors: string) =>
    `| ${name} | ${perSecond} | ${toReply} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${errors} |`;
  const lines: string[] = [
    `#### ${opts.started.toISOString()} — ${CHATS} chats, ${TURNS} support turns closed-loop, ${RATE} updates/s for ${DURATION} s${PROFILE ? ' (PROFILED: figures depressed)' : ''}`,
    '',
    `- Command: \`npm run bench:telegram -- ${process.argv.slice(2).join(' ')}\``.replace(/ -- `$/, '`'),
    `- Machine: nproc ${m.nproc}, ${m.cpu}; Node ${m.node}; PostgreSQL ${m.postgres}, Redis ${m.redis} (both local)`,
    `- Memory (\`free -g\`): ${m.free.split('\n')[1]?.replace(/\s+/g, ' ') ?? 'n/a'}`,
    `- Code: ${m.commit}; ${processesText(results, ceiling !== undefined)}; the fake Bot API in a child process of its own`,
    `- Before the run: load average ${opts.loadBefore.map((l) => l.toFixed(2)).join(', ')}; ${opts.idleBusy.toFixed(2)} cores busy over the last 3 s`,
    ...results.map(
      (r) =>
        `- Setup, ${r.label} (not measured): ${r.setup}; warm-up ${WARMUP} open+support pairs per chat, every reply checked`,
    ),
    '',
    `Closed loop: ${CHATS} chats, each sending its next update as soon as the previous one is acknowledged.`,
    '',
    'The first rate counts acknowledgements; the second, updates ÷ (first POST → last reply at the fake), is the throughput when an acknowledgement does not wait for the turn (queued ack).',
    '',
    `| Webhook updates (concurrency ${CHATS}) | per second (acknowledged) | per second (to the last reply) | p50 ack | p90 ack | p99 ack | max ack | non-2xx / errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const all = r.closed.load.samples;
    const sec = r.closed.load.seconds;
    const toReply = r.closed.replySeconds;
    const support = all.filter((s) => s.kind === 'support');
    const open = all.filter((s) => s.kind === 'open');
    lines.push(
      row(
        `**${r.label}: all updates**`,
        `**${rate(all.length / sec)}** updates/s`,
        `**${rate(all.length / toReply)}** updates/s`,
        summarize(all.map((s) => s.ms)),
        errorsText(errorsOf(all)),
      ),
      row(
        `${r.label}: support turn ("Apoyar")`,
        `${rate(support.length / sec)} turns/s`,
        `${rate(support.length / toReply)} turns/s`,
        summarize(support.map((s) => s.ms)),
        errorsText(errorsOf(support)),
      ),
      row(
        `${r.label}: open turn ("/start proposal_N")`,
        `${rate(open.length / sec)}`,
        `${rate(open.length / toReply)}`,
        summarize(open.map((s) => s.ms)),
        errorsText(errorsOf(open)),
      ),
    );
  }
  if (ceiling)
    lines.push(
      row(
        'Ceiling: bare node:http 200 `{}`',
        `${rate(ceiling.latencies.length / ceiling.seconds)} req/s`,
        '—',
        summarize(ceiling.latencies),
        errorsText(ceiling.errors),
      ),
    );
  lines.push(
    '',
    `Open loop: ${RATE} updates/s offered for ${DURATION} s, each to a chat not waiting for an acknowledgement. With the queued ack, the acknowledgement says only that Redis holds the update: the end-to-end columns (POST → reply at the fake) say when the turn's answer arrived.`,
    '',
    '| Fixed rate | offered → achieved | p50 ack | p90 ack | p99 ack | max ack | p50 / p99 end to end | sent after due: p99 / max | found every chat busy (their wait p99) | non-2xx / errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
  );
  for (const r of results) {
    const f = r.fixed.load;
    const s = summarize(f.samples.map((x) => x.ms));
    const late = summarize(f.samples.map((x) => x.lateMs ?? 0));
    const starvedWait = summarize(f.samples.filter((x) => x.starved).map((x) => x.lateMs ?? 0));
    const e2e = summarize(r.fixed.replies.endToEnd);
    lines.push(
      `| ${r.label} | ${RATE} → ${rate(f.samples.length / f.seconds)}/s | ${ms(s.p50)} | ${ms(s.p90)} | **${ms(s.p99)}** | ${ms(s.max)} | ${ms(e2e.p50)} / ${ms(e2e.p99)} | ${ms(late.p99)} / ${ms(late.max)} | ${f.starved} of ${f.samples.length + f.unsent}${f.starved > 0 ? ` (${ms(starvedWait.p99)})` : ''}${f.unsent > 0 ? `, ${f.unsent} never sent` : ''} | ${errorsText(errorsOf(f.samples))} |`,
    );
  }
  lines.push(
    '',
    'Replies: webhook POST issued → the fake Bot API processes the matching sendMessage (end to end); drain = last reply − last acknowledgement.',
    '',
    '| Replies | phase | messages / acknowledged updates | p50 end to end | p99 end to end | max | drain |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  for (const r of results)
    for (const [phase, p] of [
      ['closed loop', r.closed],
      [`${RATE}/s`, r.fixed],
    ] as const) {
      const e = summarize(p.replies.endToEnd);
      lines.push(
        `| ${r.label} | ${phase} | ${p.replies.received} / ${p.replies.expected} | ${ms(e.p50)} | ${ms(e.p99)} | ${ms(e.max)} | ${p.drainMs.toFixed(0)} ms |`,
      );
    }

  // Ratios and targets. With the queued ack, throughput is counted to the last reply (acknowledgements say
  // only that Redis holds the update); otherwise as acknowledged, as in the earlier results.
  const queued = (r: SystemResult) => r.ack === 'queued';
  const closedRate = (r: SystemResult) =>
    r.closed.load.samples.length / (queued(r) ? r.closed.replySeconds : r.closed.load.seconds);
  const plazas = results.filter((r) => r.ack !== undefined);
  const hand = results.find((r) => r.ack === undefined);
  const ceilingRate = ceiling ? ceiling.latencies.length / ceiling.seconds : undefined;
  lines.push('');
  for (const plaza of plazas) {
    const name = plaza.label;
    const pr = closedRate(plaza);
    const p99 = summarize(plaza.fixed.load.samples.map((s) => s.ms)).p99;
    const achieved = plaza.fixed.load.samples.length / plaza.fixed.load.seconds;
    // Queued: the turns must keep up too, not only the acknowledgements.
    const answered = queued(plaza) ? plaza.fixed.load.samples.length / plaza.fixed.replySeconds : achieved;
    const keptUp = achieved >= RATE * 0.95 && answered >= RATE * 0.95;
    const ratios = [
      ...(hand
        ? [`${name} / ${HAND_SHORT} = ${(pr / closedRate(hand)).toFixed(2)} (updates/s, closed loop)`]
        : []),
      ...(ceilingRate ? [`${name} / ceiling = ${((pr / ceilingRate) * 100).toFixed(1)}%`] : []),
      ...(hand && ceilingRate && plaza === plazas[0]
        ? [`${HAND_SHORT} / ceiling = ${((closedRate(hand) / ceilingRate) * 100).toFixed(1)}%`]
        : []),
    ];
    lines.push(
      ...(ratios.length > 0 ? [`- Ratios: ${ratios.join('; ')}.`] : []),
      `- Targets, ${name}${queued(plaza) ? ' (rates to the last reply)' : ''}: ≥ ${TARGET_RATE} updates/s — ${rate(pr)}/s: **${pr >= TARGET_RATE ? 'met' : `NOT met (${((pr / TARGET_RATE) * 100).toFixed(0)}% of the target)`}**; at least as fast as the ${HAND_SHORT} — ${hand ? `**${pr >= closedRate(hand) ? 'met' : 'NOT met'}** (${rate(pr)} vs ${rate(closedRate(hand))}/s)` : 'not measured'}; p99 ack ≤ ${TARGET_P99_MS} ms at ${RATE}/s — p99 ${ms(p99)}${achieved < RATE * 0.95 ? `, and it kept up with only ${rate(achieved)}/s` : ''}${answered < RATE * 0.95 ? `, and its turns kept up with only ${rate(answered)}/s` : ''}: **${p99 <= TARGET_P99_MS && keptUp ? 'met' : 'NOT met'}**.`,
    );
  }
  for (const r of results) {
    const n = r.closed.load.samples.length;
    const pgq = countsPer(r.closed.before.server.pgQueries, r.closed.after.server.pgQueries, n);
    const redis = countsPer(r.closed.before.server.redisCommands, r.closed.after.server.redisCommands, n);
    lines.push(
      `- ${r.label}, per update in the closed loop (deliveries included${r.processes > 1 ? `; counted in each of the ${r.processes} processes and added up` : ''}): ${pgq.total.toFixed(1)} PostgreSQL queries (${pgq.text}); ${redis.total.toFixed(1)} Redis commands (${redis.text}); Bot API calls seen by the fake over the whole run: ${Object.entries(
        r.fakeCalls,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
    );
  }
  for (const r of results)
    lines.push(
      r.processes === 1
        ? `- ${r.label} RSS: ${mib(r.rss.ready)} ready and idle, ${mib(r.rss.afterSetup)} after setup, ${mib(r.rss.end)} at the end, ${mib(r.rss.max)} peak.`
        : `- ${r.label} RSS, summed over the ${r.processes} processes: ${mib(r.rss.ready)} ready and idle, ${mib(r.rss.afterSetup)} after setup, ${mib(r.rss.end)} at the end (per process ${r.rss.endEach.map(mib).join(', ')}), ${mib(r.rss.max)} sum of each process's peak (${r.rss.maxEach.map(mib).join(', ')}).`,
    );
  if (ceiling) lines.push(`- Ceiling RSS: ${mib(ceiling.rss.rss)} (peak ${mib(ceiling.rss.maxRss)}).`);
  const contended: string[] = [];
  for (const r of results) {
    lines.push(
      `- CPU, ${r.label}, closed loop until the last reply (${r.closed.cpu.seconds.toFixed(1)} s; per update = per webhook POST): ${r.closed.cpu.text}.`,
      `- CPU, ${r.label}, ${RATE}/s until the last reply (${r.fixed.cpu.seconds.toFixed(1)} s): ${r.fixed.cpu.text}.`,
    );
    if (r.closed.cpu.foreignCores > 0.15)
      contended.push(`${r.label}'s closed loop (≈ ${r.closed.cpu.foreignCores.toFixed(2)} cores)`);
    if (r.fixed.cpu.foreignCores > 0.15)
      contended.push(`${r.label}'s fixed-rate phase (≈ ${r.fixed.cpu.foreignCores.toFixed(2)} cores)`);
  }
  if (ceiling) {
    lines.push(`- CPU, ceiling (${ceiling.cpu.seconds.toFixed(1)} s): ${ceiling.cpu.text}.`);
    if (ceiling.cpu.foreignCores > 0.15)
      contended.push(`the ceiling (≈ ${ceiling.cpu.foreignCores.toFixed(2)} cores)`);
  }
  lines.push(
    contended.length > 0
      ? `- **Contended:** other processes on the machine used CPU during ${contended.join(', ')}; those figures understate an idle machine.`
      : '- Not contended: other processes used < 0.15 cores during every measured phase.',
  );
  for (const r of results) {
    const phases = [
      ['closed loop', r.closed],
      [`${RATE}/s`, r.fixed],
    ] as const;
    lines.push(
      `- Verification, ${r.label}: ${r.verified ? 'passed' : '**FAILED**'} — Support rows ${r.supportRows}, support updates answered "¡Apoyo registrado!" ${r.supportedReplies}, support updates sent ${r.supportUpdates} (warm-up included); chats whose rows differ from their registered supports: ${r.chatsRowMismatch}; ${phases
        .map(
          ([name, p]) =>
            `${name}: ${p.replies.received} sendMessage for ${p.replies.expected} acknowledged updates, chats with a missing or extra reply ${p.replies.chatsMismatched}, wrong replies ${p.replies.wrongReplies}${p.missing > 0 ? `, ${p.missing} still missing after 120 s` : ''}`,
        )
        .join('; ')}${r.errors !== undefined ? `; handler errors ${r.errors}` : ''}.`,
    );
  }
  for (const r of results)
    if (r.profile)
      lines.push(
        '',
        `##### Profile: ${r.label}, closed loop${r.processes > 1 ? ', first process only' : ''}`,
        '',
        r.profile,
      );
  lines.push('');
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
