// Benchmark (not a test): Telegram webhook updates per second, each a whole "support a proposal" turn whose
// reply reaches a fake Bot API, with 200 chats at once; the acknowledgement latency at a fixed 300 updates/s;
// and, in the same run, a minimal hand-written telegraf bot doing the same turn (Redis session, same database)
// and a bare node:http server answering 200 `{}` (the ceiling).
//
//   npm run bench:telegram -- [--chats 200] [--turns 4000] [--rounds 4] [--warmup 2] [--rate 300]
//                             [--duration 15] [--ceiling-requests 40000] [--systems plaza,handwritten,ceiling]
//                             [--ack processed|queued] [--cpu-prof] [--no-record] [--wait-idle 300]
//                             [--plaza-processes 1] [--handwritten-processes 1]
//
//   --turns N      measured support turns per system in the closed-loop phase (each after its open turn: 2N
//                  updates)
//   --rounds N     the closed loop as N rounds per system of --turns/N pairs each, the systems interleaved
//                  (default 4; see "Interleaved rounds" below)
//   --ack MODE     Plaza's TELEGRAM_WEBHOOK_ACK: `processed` (200 once the turn ran and its replies are
//                  queued) or `queued` (200 once the update is in the Redis inbox; the turn runs afterwards in
//                  the same process's inbox consumers). Not given: Plaza runs in both modes, one after the
//                  other, each with chats of its own ("Plaza" and "Plaza, queued ack" in the tables).
//   --inbox-concurrency N  TELEGRAM_INBOX_CONCURRENCY for the queued mode (default: the config's, 16)
//   --plaza-processes N        run Plaza as N server processes (default 1), as an operator runs several
//   --handwritten-processes N  `plaza serve` behind a reverse proxy; likewise the hand-written bot. See below.
//   --cpu-prof     profile the Plaza server (and the hand-written bot) during the closed-loop phase: each from
//                  just before its first round until its last round's replies have all arrived, so one profile
//                  also spans the other systems' rounds in between, when it is idle (the summary's busy time is
//                  what counts; the idle system's outbox polling shows in it, a little); implies --no-record;
//                  profiles go to bench/out/*.cpuprofile and are summarised in the output. With several
//                  processes, only the first process of each system is profiled (the report says so)
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
// Interleaved rounds. This VM's speed drifts by tens of percent over minutes (other tenants), so systems
// measured one after the other mostly compare their luck. Every system under test — Plaza in each
// acknowledgement mode that is run, and the hand-written bot — is therefore started, set up and warmed up
// first (in that order, each checked as below), and they all stay up until every one has been verified. The
// closed loop then runs as --rounds rounds per system, each of --turns/N pairs (split as evenly as possible;
// every system gets the same number in the same round), the first, third… rounds running the systems in their
// order (Plaza, Plaza queued ack, hand-written bot) and the second, fourth… in the reverse order: for two
// systems A and B and 4 rounds, A B B A A B B A, so that a linear drift weighs on both alike. Each round is a
// phase of its own: its replies awaited and checked, CPU and counters read before and after it. A system's
// closed-loop figures add its rounds up (updates ÷ the sum of its rounds' times, from first POST to last
// acknowledgement or to last reply; percentiles over all its samples); the "Closed loop by round" table gives
// each round. Plaza's round k and the hand-written bot's round k are next to each other in time (with two
// systems they are the pairs (1,2), (3,4)… of the sequence; with both Plaza modes, the other mode's round may
// lie between them), so their ratio compares the two on nearly the same machine: "at least as fast as the
// hand-written bot" is judged on the median of these paired ratios (the mean of the middle two for an even
// count), the ratio of the aggregates and the paired ratios' range given next to it. Then the open loop,
// system after system in the same order (all still up), then the verification of each; then the systems stop
// and the ceiling runs. `--rounds 1` runs each closed loop in one piece, as the bench did before the rounds
// (only now every system is set up first, and the open loops follow all the closed loops). While one system
// is measured the others are up but idle (Plaza's outbox still polls Redis): their CPU is reported apart
// ("the other systems under test, idle"), not counted as other processes'. Plaza in each acknowledgement mode
// has a Redis prefix of its own (the queued mode's is the run's prefix with `-queued` appended): on a shared
// prefix one mode's outbox and inbox consumers would take the other's work. The fake Bot API counts calls per
// chat, so each system's Bot API calls are its own chats'.
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
//                         the round's pairs have been sent (`--turns` in all, over `--rounds` rounds);
//                         updates/s over that phase (acknowledged, and to the last reply).
//   open loop             `--rate` updates/s for `--duration` s, each to a chat that is not busy (when all
//                         are, it waits for the first free one: counted apart, not in the ack latency).
//   after each phase      (each closed-loop round, and the open loop) wait until the fake has received one
//                         sendMessage per acknowledged update (the drain time is how long after the last
//                         acknowledgement the last reply arrived), pair the k-th message of each chat with its
//                         k-th update, check it is the right answer, and take the end-to-end latency (webhook
//                         POST → the fake processes the sendMessage).
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
import { cpuByProcess, diffCpuByProcess, machineBusyMs } from './lib/proc-cpu.ts';
import { machine, record, RESULTS, waitForIdle } from './lib/run-record.ts';
import { profileMarkdown, summarizeProfile, type CpuProfile } from './lib/profiler.ts';
import { mib, ms, rate, summarize, type LatencySummary } from './lib/stats.ts';
import type { CeilingReady } from './lib/telegram-ceiling-server.ts';
import { addCounts, countsPer } from './lib/counters.ts';
import type { FakeReady, SentMessage } from './lib/telegram-fake-server.ts';
import type { HandwrittenReady } from './lib/telegram-handwritten-server.ts';
import {
  checkReplies,
  closedLoop,
  Driver,
  mergeReplyChecks,
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
    rounds: { type: 'string', default: '4' },
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
const ROUNDS = processCount('rounds', argv.rounds);
if (!(ROUNDS <= TURNS)) throw new Error('--rounds must not exceed --turns');
/** Closed-loop pairs in round k (from 0): --turns split as evenly as possible over the rounds. */
const pairsInRound = (k: number) => Math.floor(((k + 1) * TURNS) / ROUNDS) - Math.floor((k * TURNS) / ROUNDS);
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

/**
 * The server groups of the systems under test that are up. While one is measured the others are idle, and
 * their CPU is reported apart ("the other systems under test, idle") rather than as other processes'.
 */
const running = new Set<Server>();

/**
 * PostgreSQL's and Redis's CPU by process: backends come and go while the systems stay up (an idle system's
 * connection pool may close its connections during another system's round), and a backend that exits must
 * not take the CPU it used before a phase out of that phase's figures (the pools keep their connections
 * while busy, so what an exiting backend used during the phase matters little).
 */
const serviceCpu = () => cpuByProcess(['postgres', 'redis-server']);
const serviceCpuDiff = diffCpuByProcess;

interface Usage {
  /** Summed over the system's server processes (each one's own figures in `processes`). */
  server: GroupResources;
  fake: ResourceSnapshot;
  clientCpuMs: number;
  /** PostgreSQL's and Redis's processes (serviceCpu). */
  others: Map<number, { name: string; ms: number }>;
  /** CPU ms of the other systems under test that are up, summed over their processes; and how many. */
  idleSystemsMs: number;
  idleSystems: number;
  machineMs: number;
  at: number;
}

async function usage(server: Server, fake: ChildServer<unknown>): Promise<Usage> {
  const cpu = process.cpuUsage();
  const idle = [...running].filter((g) => g !== server);
  const [serverNow, fakeNow, idleNow] = await Promise.all([
    server.resources(),
    fake.call<ResourceSnapshot>('resources'),
    Promise.all(idle.map((g) => g.resources())),
  ]);
  return {
    server: serverNow,
    fake: fakeNow,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    others: serviceCpu(),
    idleSystemsMs: idleNow.reduce((a, r) => a + r.cpuMs, 0),
    idleSystems: idle.length,
    machineMs: machineBusyMs(),
    at: performance.now(),
  };
}

/** A measured stretch of time: the usage just before it and just after it. */
interface Span {
  before: Usage;
  after: Usage;
}

/**
 * Who used the CPU during the spans (added up: a system's closed-loop rounds, or one phase), in cores and ms
 * per update; "other processes" is what is left over. The server's share is summed over all its processes
 * (each one's share follows in brackets when several).
 */
function cpuUse(serverName: string, spans: Span[], updates: number) {
  const sum = (f: (s: Span) => number) => spans.reduce((a, s) => a + f(s), 0);
  const seconds = sum((s) => (s.after.at - s.before.at) / 1000);
  const perProcess = (spans[0]?.after.server.processes ?? []).map((_, i) =>
    sum((s) => (s.after.server.processes[i]?.cpuMs ?? 0) - (s.before.server.processes[i]?.cpuMs ?? 0)),
  );
  const others = new Map<string, number>();
  for (const s of spans)
    for (const [k, v] of serviceCpuDiff(s.before.others, s.after.others))
      others.set(k, (others.get(k) ?? 0) + v);
  const idleSystems = Math.max(0, ...spans.map((s) => s.after.idleSystems));
  const serverMs = sum((s) => s.after.server.cpuMs - s.before.server.cpuMs);
  const parts: [string, number][] = [
    [serverName, serverMs],
    ['fake Bot API (node)', sum((s) => s.after.fake.cpuMs - s.before.fake.cpuMs)],
    ['load generator (node)', sum((s) => s.after.clientCpuMs - s.before.clientCpuMs)],
    ...(idleSystems > 0
      ? [
          [
            `the other ${idleSystems === 1 ? 'system' : `${idleSystems} systems`} under test, idle (node)`,
            sum((s) => s.after.idleSystemsMs - s.before.idleSystemsMs),
          ] as [string, number],
        ]
      : []),
    ...[...others.entries()],
  ];
  const ours = parts.reduce((a, [, v]) => a + v, 0);
  const machineMs = sum((s) => s.after.machineMs - s.before.machineMs);
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
  return {
    text,
    foreignCores,
    seconds,
    /** CPU ms per update: the server (all its processes), PostgreSQL's and Redis's processes. */
    perUpdate: {
      server: serverMs / updates,
      postgres: (others.get('postgres') ?? NaN) / updates,
      redis: (others.get('redis-server') ?? NaN) / updates,
    },
  };
}

type Counts = Record<string, number>;

/** What the server's processes counted during the spans (after − before, added up). */
function countsOver(spans: Span[], pick: (r: GroupResources) => Counts | undefined): Counts {
  let total: Counts = {};
  for (const { before, after } of spans) {
    const from = pick(before.server) ?? {};
    total = addCounts(
      total,
      Object.fromEntries(Object.entries(pick(after.server) ?? {}).map(([k, v]) => [k, v - (from[k] ?? 0)])),
    );
  }
  return total;
}

// ---- The systems under test: Plaza (in each acknowledgement mode) and the hand-written bot ------------------

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
  span: Span;
}

/** One closed-loop round of one system. */
interface Round extends PhaseOutcome<LoadResult> {
  /** Its place in the sequence of every system's rounds, from 1. */
  position: number;
  /** The system's round, from 0. */
  round: number;
}

/** A system's closed loop: its rounds, and their sums. */
interface ClosedLoop {
  rounds: Round[];
  samples: Sample[];
  /** Sums over the rounds: first POST → last acknowledgement, and → last reply. */
  seconds: number;
  replySeconds: number;
  /** The longest of the rounds' drains. */
  drainMs: number;
  missing: number;
  /** The rounds' checks added up (each round is also judged on its own: see `verified`). */
  replies: ReplyCheck;
  cpu: ReturnType<typeof cpuUse>;
  spans: Span[];
}

function closedOf(serverName: string, rounds: Round[]): ClosedLoop {
  const samples = rounds.flatMap((r) => r.load.samples);
  const spans = rounds.map((r) => r.span);
  return {
    rounds,
    samples,
    seconds: rounds.reduce((a, r) => a + r.load.seconds, 0),
    replySeconds: rounds.reduce((a, r) => a + r.replySeconds, 0),
    drainMs: Math.max(0, ...rounds.map((r) => r.drainMs)),
    missing: rounds.reduce((a, r) => a + r.missing, 0),
    replies: mergeReplyChecks(rounds.map((r) => r.replies)),
    cpu: cpuUse(serverName, spans, samples.length),
    spans,
  };
}

interface SystemResult {
  label: string;
  /** Plaza's acknowledgement mode; undefined for the hand-written bot. */
  ack?: AckMode;
  /** Server processes the system ran as. */
  processes: number;
  setup: string;
  closed: ClosedLoop;
  fixed: PhaseOutcome<OpenLoopResult>;
  supportRows: number;
  supportedReplies: number;
  supportUpdates: number;
  chatsRowMismatch: number;
  /** Bot API calls to the system's chats, over the whole run. */
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
): Promise<PhaseOutcome<R>> {
  const mark = await fake.call<number>('mark');
  const before = await usage(server, fake);
  const loadStart = epochNow();
  const load = await run();
  const loadEnd = epochNow();
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
    cpu: cpuUse(serverName, [{ before, after }], load.samples.length),
    span: { before, after },
  };
}

/** A system under test, up, set up and warmed up; its phases are added as they run. */
interface System {
  label: string;
  ack?: AckMode;
  server: Server;
  serverName: string;
  profileName: string;
  /** The server counts handler errors itself (telegraf answers 200 even when the handler threw). */
  countsErrors: boolean;
  chatIds: number[];
  clients: WebhookClient[];
  driver: Driver;
  chats: ChatState[];
  setup: string;
  warm: LoadResult;
  warmReplies: ReplyCheck;
  ready: GroupResources;
  afterSetup: GroupResources;
  rounds: Round[];
  fixed?: PhaseOutcome<OpenLoopResult>;
  profile?: string;
}

/** Sets the system up (its chats, `setup`) and warms it up, every reply checked. */
async function prepareSystem(opts: {
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
  countsErrors?: boolean;
}): Promise<System> {
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
  return {
    label: opts.label,
    ack: opts.ack,
    server,
    serverName: opts.serverName,
    profileName: opts.profileName,
    countsErrors: opts.countsErrors ?? false,
    chatIds: opts.chatIds,
    clients,
    driver,
    chats,
    setup,
    warm,
    warmReplies,
    ready,
    afterSetup: await server.resources(),
    rounds: [],
  };
}

/** The closed loop's sequence: round k (from 0) runs the systems in order when k is even, reversed when odd. */
function roundOrder(systems: number, rounds: number): { round: number; system: number }[] {
  const order: { round: number; system: number }[] = [];
  for (let round = 0; round < rounds; round++)
    for (let i = 0; i < systems; i++) order.push({ round, system: round % 2 === 0 ? i : systems - 1 - i });
  return order;
}

/**
 * One closed-loop round of a system, its replies awaited and checked. With --cpu-prof the system's (first)
 * server is profiled from just before its first round until its last round's replies have all arrived.
 */
async function closedRound(
  s: System,
  fake: ChildServer<FakeReady>,
  position: number,
  round: number,
): Promise<void> {
  if (PROFILE && round === 0) await s.server.first.call('profile-start');
  const phase = await runPhase(s.server, fake, s.serverName, () =>
    closedLoop(s.driver, s.chats, { pairs: pairsInRound(round) }),
  );
  s.rounds.push({ ...phase, position, round });
  log(
    `#${position} ${s.label}, closed loop round ${round + 1} of ${ROUNDS}: ${phase.load.samples.length} updates in ${phase.load.seconds.toFixed(1)} s (${rate(phase.load.samples.length / phase.load.seconds)}/s), replies drained ${phase.drainMs.toFixed(0)} ms later`,
  );
  if (!PROFILE || round !== ROUNDS - 1) return;
  const file = path.join(
    OUT,
    `telegram-${s.profileName}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
  );
  await s.server.first.call('profile-stop', file);
  const which =
    s.server.size > 1
      ? ` (the first of the ${s.server.size} server processes only, which served ${s.chats.filter((c) => c.server === 0).length} of the ${s.chats.length} chats)`
      : '';
  s.profile = `Profile${which}: \`${path.relative(process.cwd(), file)}\`\n\n${profileMarkdown(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 15))}`;
}

/** The fixed-rate phase of a system. */
async function openPhase(s: System, fake: ChildServer<FakeReady>): Promise<void> {
  s.fixed = await runPhase(s.server, fake, s.serverName, () => openLoop(s.driver, s.chats, RATE, DURATION));
  log(
    `${s.label}: open loop ${s.fixed.load.samples.length} updates in ${s.fixed.load.seconds.toFixed(1)} s, ack p99 ${ms(summarize(s.fixed.load.samples.map((x) => x.ms)).p99)}`,
  );
}

/** Every update acknowledged, and answered once, rightly, in time. */
const phaseOk = (p: PhaseOutcome<LoadResult>) =>
  p.missing === 0 &&
  p.replies.chatsMismatched === 0 &&
  p.replies.wrongReplies === 0 &&
  p.replies.expected === p.replies.received &&
  p.load.samples.every(ok);

/** Once every phase has run: the database against the replies, and the system's figures. */
async function verifySystem(s: System, fake: ChildServer<FakeReady>): Promise<SystemResult> {
  const { server } = s;
  const fixed = s.fixed ?? fail(`${s.label}: no fixed-rate phase`);
  const closed = closedOf(s.serverName, s.rounds);
  // Supports in the database = support updates answered "¡Apoyo registrado!" (warm-up included). One
  // process asks: they all share the database.
  const rows = await server.first.call<{ total: number; byChat: Record<string, number> }>(
    'supports',
    s.chatIds,
  );
  const supported = new Map<number, number>();
  for (const check of [s.warmReplies, closed.replies, fixed.replies])
    for (const [chat, n] of check.supportedByChat) supported.set(chat, (supported.get(chat) ?? 0) + n);
  const supportedReplies = [...supported.values()].reduce((a, n) => a + n, 0);
  const supportUpdates = [s.warm.samples, closed.samples, fixed.load.samples]
    .flat()
    .filter((x) => x.kind === 'support').length;
  const chatsRowMismatch = s.chatIds.filter(
    (c) => (rows.byChat[String(c)] ?? 0) !== (supported.get(c) ?? 0),
  ).length;
  const end = await server.resources();
  // The system's chats are its own: their calls are its calls (setup and warm-up included).
  const fakeCalls = await fake.call<Record<string, number>>('counts', { chats: s.chatIds });
  const errors = s.countsErrors
    ? (await server.each<number>('errors')).reduce((a, n) => a + n, 0)
    : undefined;
  // Every round on its own, and the fixed-rate phase.
  const phasesOk = [...closed.rounds, fixed].every(phaseOk);
  return {
    label: s.label,
    ack: s.ack,
    processes: server.size,
    setup: s.setup,
    closed,
    fixed,
    supportRows: rows.total,
    supportedReplies,
    supportUpdates,
    chatsRowMismatch,
    fakeCalls,
    rss: {
      ready: s.ready.rss,
      afterSetup: s.afterSetup.rss,
      end: end.rss,
      max: end.maxRss,
      endEach: end.processes.map((p) => p.rss),
      maxEach: end.processes.map((p) => p.maxRss),
    },
    profile: s.profile,
    errors,
    verified:
      closed.rounds.length === ROUNDS &&
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
  // Plaza in the queued mode has a Redis prefix of its own: on a shared one, each mode's outbox and inbox
  // consumers would take the other's work while both are up.
  const redisPrefixOf = (ack: AckMode) =>
    ack === 'queued' ? `${names.redisPrefix}-queued` : names.redisPrefix;
  const states = [names.redisPrefix, `${names.redisPrefix}-queued`].map((redisPrefix) => ({
    adminUrl: ADMIN_URL,
    dbName: names.dbName,
    redisUrl: REDIS_URL,
    redisPrefix,
  }));
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
  let chatless: Record<string, number> | undefined;
  const plazaChats = Array.from({ length: CHATS }, (_, i) => 700_000_001 + i);
  const handChats = Array.from({ length: CHATS }, (_, i) => 710_000_001 + i);
  try {
    // Every system under test is started, set up and warmed up, then all stay up through the closed-loop
    // rounds, the open loops and the verification.
    const systems: System[] = [];
    const groups: { label: string; group: Server }[] = [];
    try {
      // ---- Plaza, in each acknowledgement mode, as --plaza-processes processes (the very first child
      // creates the database the others and the hand-written bot use, migrates and seeds it; every later
      // child — the rest of the group, started once it is ready, and the next mode's — reuses it). Without
      // plaza in --systems, one child only prepares the database for the hand-written bot, and stops. ----
      let processId: number | undefined;
      for (const [m, ack] of ACKS.entries()) {
        if (m > 0 && !SYSTEMS.has('plaza')) break;
        const n = SYSTEMS.has('plaza') ? PLAZA_PROCESSES : 1;
        const label = SYSTEMS.has('plaza') ? plazaLabel(ack) : 'Plaza (one process, to prepare the database)';
        log(
          `starting ${label} (database ${names.dbName}, Redis prefix ${redisPrefixOf(ack)}, ${PROPOSALS} proposals)`,
        );
        const plaza = await startGroup<TelegramPlazaReady>(n, (i, first) => {
          const reuse = first?.processId ?? processId;
          return startChild<TelegramPlazaReady>(path.join(here, 'lib/telegram-plaza-server.ts'), {
            ...withApi,
            BENCH_REDIS_PREFIX: redisPrefixOf(ack),
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
        if (!SYSTEMS.has('plaza')) {
          await plaza.stop().catch((e: unknown) => log(`stopping ${label}: ${String(e)}`));
          break;
        }
        groups.push({ label, group: plaza });
        running.add(plaza);
        // Each mode gets chats of its own: the earlier mode's chats have opened proposals already.
        const chatIds = plazaChats.map((id) => id + m * 5_000_000);
        systems.push(
          await prepareSystem({
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
      }
      const ids = proposalIds ?? [];

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
        groups.push({ label: `the ${HAND_SHORT}`, group: hand });
        running.add(hand);
        systems.push(
          await prepareSystem({
            label: HAND_LABEL,
            server: hand,
            fake,
            path: '/hook',
            chatIds: handChats,
            proposalIds: ids,
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
      }

      // ---- Closed loop: the systems' rounds interleaved (A B B A A B B A…) ----
      const chatlessBefore = await fake.call<Record<string, number>>('counts', { chatless: true });
      const order = roundOrder(systems.length, ROUNDS);
      if (systems.length > 0)
        log(
          `closed loop: ${ROUNDS} round(s) per system, in the order ${order.map(({ system }) => systems[system]!.label).join(' → ')}`,
        );
      for (const [i, { round, system }] of order.entries())
        await closedRound(systems[system]!, fake, i + 1, round);

      // ---- Open loop: one system after the other, all still up ----
      for (const s of systems) await openPhase(s, fake);

      // ---- Verification ----
      for (const s of systems) {
        results.push(await verifySystem(s, fake));
        if (s.ack !== undefined) {
          // Every process answers for the same Redis (the queues are shared): all must say 0.
          const pending = (await s.server.each<number>('pending')).reduce((a, x) => a + x, 0);
          if (pending !== 0) fail(`${s.label}: ${pending} chats with updates or messages still queued`);
        }
      }
      const chatlessAfter = await fake.call<Record<string, number>>('counts', { chatless: true });
      chatless = Object.fromEntries(
        Object.entries(chatlessAfter)
          .map(([k, v]) => [k, v - (chatlessBefore[k] ?? 0)] as const)
          .filter(([, v]) => v > 0),
      );
    } finally {
      for (const s of systems) for (const c of s.clients) c.close();
      for (const { label, group } of groups.reverse()) {
        running.delete(group);
        await group.stop().catch((e: unknown) => log(`stopping ${label}: ${String(e)}`));
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
          cpu: cpuUse('ceiling server (node)', [{ before, after }], r.latencies.length),
        };
        client.close();
      } finally {
        await bare.stop();
      }
    }
  } finally {
    await fake.stop().catch((e: unknown) => log(`stopping the fake: ${String(e)}`));
    for (const state of states) {
      const deleted = await cleanupPlazaState(state).catch((e: unknown) => {
        log(`CLEANUP FAILED (drop ${names.dbName}, keys ${state.redisPrefix}:*): ${String(e)}`);
        return -1;
      });
      if (deleted >= 0)
        log(
          `cleaned up: ${state === states[0] ? `database ${names.dbName} dropped, ` : ''}${deleted} Redis keys ${state.redisPrefix}:* deleted`,
        );
    }
  }

  // ---- Report ----
  const md = report({ results, ceiling, chatless: chatless ?? {}, started, loadBefore, idleBusy });
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
  /** Bot API calls without a chat during the measured phases (all systems). */
  chatless: Record<string, number>;
  started: Date;
  loadBefore: number[];
  idleBusy: number;
}): string {
  const { results, ceiling } = opts;
  const m = machine(ADMIN_URL, REDIS_URL);
  // Throughput: with the queued ack counted to the last reply (acknowledgements say only that Redis holds the
  // update); otherwise as acknowledged, as in the earlier results. For a system's whole closed loop (its
  // rounds' updates ÷ the sum of their times) or one round.
  const queued = (r: SystemResult) => r.ack === 'queued';
  const phaseRate = (r: SystemResult, p: { samples: number; seconds: number; replySeconds: number }) =>
    p.samples / (queued(r) ? p.replySeconds : p.seconds);
  const closedRate = (r: SystemResult) => phaseRate(r, { ...r.closed, samples: r.closed.samples.length });
  const roundRate = (r: SystemResult, round: Round) =>
    phaseRate(r, {
      samples: round.load.samples.length,
      seconds: round.load.seconds,
      replySeconds: round.replySeconds,
    });
  const plazas = results.filter((r) => r.ack !== undefined);
  const hand = results.find((r) => r.ack === undefined);
  // Plaza's round k against the hand-written bot's round k: adjacent in time (ABBA), nearly the same machine.
  const paired = (plaza: SystemResult, other: SystemResult) => {
    const ratios = plaza.closed.rounds.map((round, k) => {
      const theirs = other.closed.rounds[k]!;
      return {
        ratio: roundRate(plaza, round) / roundRate(other, theirs),
        positions: [round.position, theirs.position].sort((a, b) => a - b),
      };
    });
    const sorted = ratios.map((x) => x.ratio).sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return {
      ratios,
      median: sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2,
      min: sorted[0]!,
      max: sorted.at(-1)!,
      aggregate: closedRate(plaza) / closedRate(other),
    };
  };
  const row = (name: string, perSecond: string, toReply: string, s: LatencySummary, errors: string) =>
    `| ${name} | ${perSecond} | ${toReply} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${errors} |`;
  const lines: string[] = [
    `#### ${opts.started.toISOString()} — ${CHATS} chats, ${TURNS} support turns closed-loop${ROUNDS > 1 ? ` in ${ROUNDS} interleaved rounds` : ''}, ${RATE} updates/s for ${DURATION} s${PROFILE ? ' (PROFILED: figures depressed)' : ''}`,
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
    `Closed loop: ${CHATS} chats, each sending its next update as soon as the previous one is acknowledged; ${TURNS} open+support pairs per system${ROUNDS > 1 ? ` in ${ROUNDS} rounds (≈ ${Math.round(TURNS / ROUNDS)} pairs each), every system up throughout and the rounds interleaved: odd rounds run the systems in order, even rounds in reverse (A B B A A B B A…; see "Closed loop by round"). A system's rates are its rounds' updates ÷ the sum of their times; its percentiles are over all its rounds' samples` : ' in one round per system, every system up throughout'}.`,
    '',
    'The first rate counts acknowledgements; the second, updates ÷ (first POST → last reply at the fake), is the throughput when an acknowledgement does not wait for the turn (queued ack).',
    '',
    `| Webhook updates (concurrency ${CHATS}) | per second (acknowledged) | per second (to the last reply) | p50 ack | p90 ack | p99 ack | max ack | non-2xx / errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const all = r.closed.samples;
    const sec = r.closed.seconds;
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
  // Each round on its own, in the order they ran.
  const rounds = results
    .flatMap((r) => r.closed.rounds.map((round) => ({ r, round })))
    .sort((a, b) => a.round.position - b.round.position);
  const perUpdate = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
  lines.push(
    '',
    `Closed loop by round, in the order they ran: ${ROUNDS === 1 ? 'one round' : `${ROUNDS} rounds`} per system of ${ROUNDS === 1 ? TURNS : `≈ ${Math.round(TURNS / ROUNDS)}`} pairs, each awaited to its last reply and checked before the next. CPU in ms per update of the round (the server summed over its processes); other processes: cores used by processes outside the bench (≥ 0.15: contended).`,
    '',
    '| Closed loop by round | system | updates | per second (acknowledged) | per second (to the last reply) | server CPU, ms/update | PostgreSQL CPU, ms/update | Redis CPU, ms/update | other processes, cores |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rounds.map(({ r, round }) => {
      const n = round.load.samples.length;
      const c = round.cpu;
      return `| #${round.position} (round ${round.round + 1}) | ${r.label} | ${n} | ${rate(n / round.load.seconds)} | ${rate(n / round.replySeconds)} | ${perUpdate(c.perUpdate.server)} | ${perUpdate(c.perUpdate.postgres)} | ${perUpdate(c.perUpdate.redis)} | ${c.foreignCores.toFixed(2)} |`;
    }),
  );
  if (hand)
    for (const plaza of plazas) {
      const p = paired(plaza, hand);
      lines.push(
        '',
        `- Paired rounds, ${plaza.label} / ${HAND_SHORT} (closed-loop updates/s${queued(plaza) ? ", Plaza's to the last reply" : ''}; each system's round k, adjacent in time): ${p.ratios.map((x, k) => `round ${k + 1} (#${x.positions.join(', #')}) ${x.ratio.toFixed(2)}`).join('; ')}. Median **${p.median.toFixed(2)}** (min–max ${p.min.toFixed(2)}–${p.max.toFixed(2)}); ratio of the aggregates ${p.aggregate.toFixed(2)}.`,
      );
    }
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
    `Replies: webhook POST issued → the fake Bot API processes the matching sendMessage (end to end); drain = last reply − last acknowledgement${ROUNDS > 1 ? " (closed loop: its rounds' replies together, drain the longest of its rounds')" : ''}.`,
    '',
    '| Replies | phase | messages / acknowledged updates | p50 end to end | p99 end to end | max | drain |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  for (const r of results)
    for (const [phase, p] of [
      [ROUNDS > 1 ? `closed loop (${ROUNDS} rounds)` : 'closed loop', r.closed],
      [`${RATE}/s`, r.fixed],
    ] as const) {
      const e = summarize(p.replies.endToEnd);
      lines.push(
        `| ${r.label} | ${phase} | ${p.replies.received} / ${p.replies.expected} | ${ms(e.p50)} | ${ms(e.p99)} | ${ms(e.max)} | ${p.drainMs.toFixed(0)} ms |`,
      );
    }

  // Ratios and targets: "at least as fast as the hand-written bot" judged on the median of the paired rounds.
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
    const p = hand ? paired(plaza, hand) : undefined;
    const pairedText = p
      ? `median of the ${p.ratios.length} paired round${p.ratios.length === 1 ? '' : 's'} **${p.median.toFixed(2)}** (min–max ${p.min.toFixed(2)}–${p.max.toFixed(2)}), ratio of the aggregates ${p.aggregate.toFixed(2)}`
      : '';
    const ratios = [
      ...(p ? [`${name} / ${HAND_SHORT} (updates/s, closed loop): ${pairedText}`] : []),
      ...(ceilingRate ? [`${name} / ceiling = ${((pr / ceilingRate) * 100).toFixed(1)}%`] : []),
      ...(hand && ceilingRate && plaza === plazas[0]
        ? [`${HAND_SHORT} / ceiling = ${((closedRate(hand) / ceilingRate) * 100).toFixed(1)}%`]
        : []),
    ];
    lines.push(
      ...(ratios.length > 0 ? [`- Ratios: ${ratios.join('; ')}.`] : []),
      `- Targets, ${name}${queued(plaza) ? ' (rates to the last reply)' : ''}: ≥ ${TARGET_RATE} updates/s — ${rate(pr)}/s: **${pr >= TARGET_RATE ? 'met' : `NOT met (${((pr / TARGET_RATE) * 100).toFixed(0)}% of the target)`}**; at least as fast as the ${HAND_SHORT}, judged on the median of the paired rounds' ratios — ${hand && p ? `${p.median.toFixed(2)}: **${p.median >= 1 ? 'met' : 'NOT met'}** (paired ratios ${p.min.toFixed(2)}–${p.max.toFixed(2)}; aggregates ${rate(pr)} vs ${rate(closedRate(hand))}/s, ratio ${p.aggregate.toFixed(2)})` : 'not measured'}; p99 ack ≤ ${TARGET_P99_MS} ms at ${RATE}/s — p99 ${ms(p99)}${achieved < RATE * 0.95 ? `, and it kept up with only ${rate(achieved)}/s` : ''}${answered < RATE * 0.95 ? `, and its turns kept up with only ${rate(answered)}/s` : ''}: **${p99 <= TARGET_P99_MS && keptUp ? 'met' : 'NOT met'}**.`,
    );
  }
  for (const r of results) {
    const n = r.closed.samples.length;
    const pgq = countsPer(
      {},
      countsOver(r.closed.spans, (g) => g.pgQueries),
      n,
    );
    const redis = countsPer(
      {},
      countsOver(r.closed.spans, (g) => g.redisCommands),
      n,
    );
    lines.push(
      `- ${r.label}, per update in the closed loop (deliveries included${r.processes > 1 ? `; counted in each of the ${r.processes} processes and added up` : ''}): ${pgq.total.toFixed(1)} PostgreSQL queries (${pgq.text}); ${redis.total.toFixed(1)} Redis commands (${redis.text}); Bot API calls to its chats seen by the fake over the whole run: ${Object.entries(
        r.fakeCalls,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
    );
  }
  if (results.length > 0)
    lines.push(
      `- Bot API calls without a chat during the closed and fixed-rate phases (all systems): ${
        Object.keys(opts.chatless).length === 0
          ? 'none'
          : Object.entries(opts.chatless)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')
      }.`,
    );
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
      `- CPU, ${r.label}, closed loop ${ROUNDS > 1 ? `(its ${ROUNDS} rounds added up) ` : ''}until the last reply (${r.closed.cpu.seconds.toFixed(1)} s; per update = per webhook POST): ${r.closed.cpu.text}.`,
      `- CPU, ${r.label}, ${RATE}/s until the last reply (${r.fixed.cpu.seconds.toFixed(1)} s): ${r.fixed.cpu.text}.`,
    );
    // Each round on its own: a busy neighbour during one round skews that round's pair.
    const busy = r.closed.rounds.filter((x) => x.cpu.foreignCores > 0.15);
    if (busy.length > 0)
      contended.push(
        `${r.label}'s closed loop (${ROUNDS > 1 ? `round${busy.length > 1 ? 's' : ''} ${busy.map((x) => `#${x.position}`).join(', ')}: ` : ''}≈ ${busy.map((x) => x.cpu.foreignCores.toFixed(2)).join(', ')} cores)`,
      );
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
      : `- Not contended: other processes used < 0.15 cores during every measured phase${ROUNDS > 1 ? ' (and every closed-loop round)' : ''}.`,
  );
  for (const r of results) {
    const failedRounds = r.closed.rounds.filter((x) => !phaseOk(x));
    const phases = [
      [
        ROUNDS > 1 ? `closed loop (${ROUNDS} rounds, each checked on its own; added up here)` : 'closed loop',
        r.closed,
      ],
      [`${RATE}/s`, r.fixed],
    ] as const;
    lines.push(
      `- Verification, ${r.label}: ${r.verified ? 'passed' : '**FAILED**'} — Support rows ${r.supportRows}, support updates answered "¡Apoyo registrado!" ${r.supportedReplies}, support updates sent ${r.supportUpdates} (warm-up included); chats whose rows differ from their registered supports: ${r.chatsRowMismatch}; ${phases
        .map(
          ([name, p]) =>
            `${name}: ${p.replies.received} sendMessage for ${p.replies.expected} acknowledged updates, chats with a missing or extra reply ${p.replies.chatsMismatched}, wrong replies ${p.replies.wrongReplies}${p.missing > 0 ? `, ${p.missing} still missing after 120 s` : ''}`,
        )
        .join(
          '; ',
        )}${failedRounds.length > 0 ? `; closed-loop rounds failing their own check: ${failedRounds.map((x) => `#${x.position}`).join(', ')}` : ''}${r.errors !== undefined ? `; handler errors ${r.errors}` : ''}.`,
    );
  }
  for (const r of results)
    if (r.profile)
      lines.push(
        '',
        `##### Profile: ${r.label}, closed loop${ROUNDS > 1 ? ` (from its first round to its last, the other systems' rounds in between included, idle)` : ''}${r.processes > 1 ? ', first process only' : ''}`,
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
