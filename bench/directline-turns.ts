// Benchmark (not a test): Direct Line turns per second for a whole "support a proposal" turn, with N
// concurrent web chat conversations over real HTTP against a real Plaza (PostgreSQL + Redis), and the same
// load against a bare express handler in the same run as the ceiling.
//
//   npm run bench:directline -- [--conversations 200] [--turns 4000] [--warmup 2] [--baseline-requests 20000]
//                               [--cpu-prof] [--no-record] [--wait-idle 300] [--workers 1]
//                               [--server-node-options "..."]
//
//   --cpu-prof             profile the Plaza server during the measured phase (implies --no-record)
//   --wait-idle S          wait up to S seconds for the machine to be idle before starting (0: don't wait)
//   --server-node-options  extra Node flags for the Plaza server child, e.g. --server-node-options=--max-semi-space-size=32
//   --workers N            serve Plaza from N processes (node:cluster, one shared port); default 1, as `plaza serve`
//
// Shape: both servers run in a child process of their own (this process only generates load). Each
// conversation is set up through the Direct Line endpoints (tokens/generate → conversations → join event →
// consent) — not measured. Then each conversation repeats a pair of turns, each a POST of one activity:
// "/start proposal_<id>" (opens a proposal it has not supported yet; timed, reported as "open") and
// "Apoyar" (the measured turn: supports it, answers "¡Apoyo registrado!" and shows the proposal again).
// The POST returns once the turn is over and its replies are in the stream. A conversation's turns are
// sequential (as a person's are), so the concurrency is the number of conversations.
// Afterwards: Support rows in the database must equal the successful support turns, per conversation, and
// each conversation's stream must hold one "¡Apoyo registrado!" per successful support turn.
//
// Results are printed as Markdown and appended to bench/RESULTS.md (unless --no-record). With --cpu-prof
// the server is profiled during the measured phase only (bench/out/*.cpuprofile) and a summary is printed.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { BaselineReady } from './lib/baseline-server.ts';
import { startChild, type ChildServer, type ResourceSnapshot } from './lib/child.ts';
import { HttpClient, type Answer } from './lib/http-client.ts';
import type { PlazaReady, ServerResources } from './lib/plaza-server.ts';
import { benchNames, cleanupPlazaState } from './lib/plaza-state.ts';
import { cpuByCommand, diffCpu, machineBusyMs } from './lib/proc-cpu.ts';
import { countsPer } from './lib/counters.ts';
import { machine, record, RESULTS, waitForIdle } from './lib/run-record.ts';
import { profileMarkdown, summarizeProfile, type CpuProfile } from './lib/profiler.ts';
import { mib, ms, rate, summarize, type LatencySummary } from './lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'out');

const { values: argv } = parseArgs({
  options: {
    conversations: { type: 'string', default: '200' },
    turns: { type: 'string', default: '4000' },
    warmup: { type: 'string', default: '2' },
    'baseline-requests': { type: 'string', default: '20000' },
    'cpu-prof': { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '300' },
    workers: { type: 'string', default: '1' },
    /** Extra Node options for the Plaza server child only, e.g. "--max-semi-space-size=32". */
    'server-node-options': { type: 'string', default: '' },
  },
});
const CONVERSATIONS = Number(argv.conversations);
const TURNS = Number(argv.turns);
const WARMUP = Number(argv.warmup);
const BASELINE_REQUESTS = Number(argv['baseline-requests']);
const PROFILE = argv['cpu-prof'] === true;
const RECORD = argv['no-record'] !== true && !PROFILE;
const WAIT_IDLE_SECONDS = Number(argv['wait-idle']);
const WORKERS = Number(argv.workers);
const SERVER_NODE_OPTIONS = (argv['server-node-options'] ?? '').split(/\s+/).filter(Boolean);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Each conversation supports a different proposal every turn: enough proposals for the busiest one.
const PROPOSALS = Math.max(300, Math.ceil(((WARMUP * CONVERSATIONS + TURNS) / CONVERSATIONS) * 4));

const SUPPORTED = /¡Apoyo registrado!/;

interface Session {
  conversationId: string;
  token: string;
  userId: string;
  seq: number;
  /** Proposals this conversation has opened so far (its k-th support goes to proposal (offset + k) % P). */
  opened: number;
  offset: number;
  /** Support turns that answered 2xx after an open that answered 2xx. */
  supported: number;
  measuredSupported: number;
  watermark: string;
}

interface PhaseResult {
  seconds: number;
  open: number[];
  support: number[];
  errors: Map<string, number>;
}

function fail(message: string): never {
  throw new Error(message);
}

const countError = (errors: Map<string, number>, key: string) => errors.set(key, (errors.get(key) ?? 0) + 1);

/** Runs `fn(i)` for i in [0, n) with at most `limit` at a time. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, limit) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

class DirectLine {
  constructor(readonly http: HttpClient) {}

  json<T>(answer: Answer, what: string, expected = [200, 201]): T {
    if (!expected.includes(answer.status)) fail(`${what}: ${answer.status} ${answer.text.slice(0, 200)}`);
    return JSON.parse(answer.text) as T;
  }

  async start(index: number): Promise<Session> {
    const generated = this.json<{ conversationId: string; token: string; userId: string }>(
      await this.http.request('POST', '/v3/directline/tokens/generate'),
      'tokens/generate',
      [200],
    );
    this.json(
      await this.http.request('POST', '/v3/directline/conversations', { token: generated.token }),
      'conversations',
      [201],
    );
    return {
      ...generated,
      seq: 0,
      opened: 0,
      offset: (index * 7) % PROPOSALS,
      supported: 0,
      measuredSupported: 0,
      watermark: '',
    };
  }

  post(s: Session, activity: Record<string, unknown>): Promise<Answer> {
    s.seq += 1;
    return this.http.request('POST', `/v3/directline/conversations/${s.conversationId}/activities`, {
      token: s.token,
      json: {
        locale: 'es-ES',
        from: { id: s.userId },
        channelData: { clientActivityID: `${s.conversationId}-${s.seq}` },
        ...activity,
      },
    });
  }

  say(s: Session, text: string): Promise<Answer> {
    return this.post(s, { type: 'message', text });
  }

  /** Every activity after `watermark`, page by page; moves the session's watermark to the end. */
  async readFrom(s: Session, watermark: string): Promise<{ text?: string; from?: { role?: string } }[]> {
    const all: { text?: string; from?: { role?: string } }[] = [];
    let mark = watermark;
    for (;;) {
      const page = this.json<{
        activities: { text?: string; from?: { role?: string } }[];
        watermark: string;
      }>(
        await this.http.request(
          'GET',
          `/v3/directline/conversations/${s.conversationId}/activities?watermark=${mark}`,
          {
            token: s.token,
          },
        ),
        'activities',
        [200],
      );
      all.push(...page.activities);
      if (page.activities.length === 0 || page.watermark === mark) break;
      mark = page.watermark;
    }
    s.watermark = mark;
    return all;
  }
}

/** Consent, exactly as Web Chat would send it: join, language, age, consent. Checked, not timed. */
async function onboard(dl: DirectLine, s: Session): Promise<void> {
  const steps: [Record<string, unknown>, RegExp][] = [
    [{ type: 'event', name: 'webchat/join' }, /Soy Plaza/],
    [{ type: 'message', text: 'Español' }, /¿Tienes 14 años o más\?/],
    [{ type: 'message', text: 'Sí' }, /¿Aceptas que tratemos tus datos/],
    [{ type: 'message', text: 'Sí, acepto' }, /¡Gracias!/],
  ];
  for (const [activity, expected] of steps) {
    dl.json(await dl.post(s, activity), 'consent step', [200]);
    const text = (await dl.readFrom(s, s.watermark)).map((a) => a.text ?? '').join('\n');
    if (!expected.test(text)) fail(`consent step ${JSON.stringify(activity)}: got ${text.slice(0, 300)}`);
  }
}

/** One open + support pair; returns false when the conversation has no unsupported proposal left. */
async function supportPair(
  dl: DirectLine,
  s: Session,
  proposalIds: number[],
  into: PhaseResult,
  measured: boolean,
): Promise<boolean> {
  if (s.opened >= proposalIds.length) return false;
  const proposalId = proposalIds[(s.offset + s.opened) % proposalIds.length]!;
  s.opened += 1;
  let opened = false;
  try {
    const a = await dl.say(s, `/start proposal_${proposalId}`);
    into.open.push(a.ms);
    opened = a.status >= 200 && a.status < 300;
    if (!opened) countError(into.errors, `open ${a.status}`);
  } catch (error) {
    countError(into.errors, `open ${(error as NodeJS.ErrnoException).code ?? 'network'}`);
  }
  try {
    const b = await dl.say(s, 'Apoyar');
    into.support.push(b.ms);
    if (b.status >= 200 && b.status < 300) {
      if (opened) {
        s.supported += 1;
        if (measured) s.measuredSupported += 1;
      }
    } else countError(into.errors, `support ${b.status}`);
  } catch (error) {
    countError(into.errors, `support ${(error as NodeJS.ErrnoException).code ?? 'network'}`);
  }
  return true;
}

interface LoadResult {
  seconds: number;
  latencies: number[];
  errors: Map<string, number>;
}

/** The ceiling: `total` POSTs of the same activity body as a support turn, `concurrency` at a time. */
async function loadBaseline(
  http: HttpClient,
  token: string,
  total: number,
  concurrency: number,
): Promise<LoadResult> {
  const result: LoadResult = { seconds: 0, latencies: [], errors: new Map() };
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      while (issued < total) {
        const i = issued++;
        try {
          const a = await http.request('POST', `/v3/directline/conversations/c${w}/activities`, {
            token,
            json: {
              type: 'message',
              text: 'Apoyar',
              locale: 'es-ES',
              from: { id: 'dl_0000000000000000' },
              channelData: { clientActivityID: `bench-${i}` },
            },
          });
          result.latencies.push(a.ms);
          if (a.status < 200 || a.status >= 300) countError(result.errors, String(a.status));
        } catch (error) {
          countError(result.errors, (error as NodeJS.ErrnoException).code ?? 'network');
        }
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

interface Usage {
  server: ResourceSnapshot & Partial<ServerResources>;
  clientCpuMs: number;
  others: Map<string, number>;
  machineMs: number;
  at: number;
}

async function usage(child: ChildServer<unknown>): Promise<Usage> {
  const cpu = process.cpuUsage();
  return {
    server: await child.call<ResourceSnapshot>('resources'),
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    others: cpuByCommand(['postgres', 'redis-server']),
    machineMs: machineBusyMs(),
    at: performance.now(),
  };
}

/** Who used the CPU between two snapshots, in cores; "other processes" is the machine's busy time left over. */
function cpuUse(before: Usage, after: Usage, turns: number): { text: string; foreignCores: number } {
  const seconds = (after.at - before.at) / 1000;
  const others = diffCpu(before.others, after.others);
  const parts: [string, number][] = [
    [
      WORKERS > 1 && before.server.processes ? `server (${WORKERS} node workers)` : 'server (node)',
      after.server.cpuMs - before.server.cpuMs,
    ],
    ['load generator (node)', after.clientCpuMs - before.clientCpuMs],
    ...[...others.entries()].map(([k, v]) => [k, Math.max(0, v)] as [string, number]),
  ];
  const ours = parts.reduce((a, [, v]) => a + v, 0);
  const machineMs = after.machineMs - before.machineMs;
  const foreignCores = Math.max(0, (machineMs - ours) / 1000 / seconds);
  const cores = (v: number) => (v / 1000 / seconds).toFixed(2);
  const text =
    parts.map(([k, v]) => `${k} ${cores(v)} cores (${(v / turns).toFixed(2)} ms/turn)`).join('; ') +
    `; machine busy ${cores(machineMs)} of ${os.availableParallelism()} cores, of which other processes ≈ ${foreignCores.toFixed(2)}`;
  return { text, foreignCores };
}

const errorsText = (errors: Map<string, number>) =>
  errors.size === 0 ? '0' : [...errors.entries()].map(([k, v]) => `${v}× ${k}`).join(', ');

async function main(): Promise<void> {
  const names = benchNames();
  const state = {
    adminUrl: ADMIN_URL,
    dbName: names.dbName,
    redisUrl: REDIS_URL,
    redisPrefix: names.redisPrefix,
  };
  const log = (line: string) => console.error(`[bench] ${line}`);
  mkdirSync(OUT, { recursive: true });
  let plaza: ChildServer<PlazaReady> | undefined;
  let token: string;
  const idleBusy = await waitForIdle(WAIT_IDLE_SECONDS, log);
  const started = new Date();
  const loadBefore = os.loadavg();
  const m = machine(ADMIN_URL, REDIS_URL); // before the server starts: the code it loads is the code recorded

  // ---- Plaza -------------------------------------------------------------------------------------------
  let plazaResult: PhaseResult;
  let plazaUsage: { before: Usage; after: Usage };
  let setupSeconds: number;
  let verification: string[];
  let verified: boolean;
  let profileText: string | undefined;
  let serverRss: {
    atStart: number;
    afterSetup: number;
    end: number;
    max: number;
    heapAfterSetup: number;
    heapEnd: number;
  };
  try {
    log(
      `starting Plaza (database ${names.dbName}, Redis prefix ${names.redisPrefix}, ${PROPOSALS} proposals)`,
    );
    plaza = await startChild<PlazaReady>(
      path.join(here, 'lib/plaza-server.ts'),
      {
        NODE_ENV: 'production',
        BENCH_PG_ADMIN_URL: ADMIN_URL,
        BENCH_DB_NAME: names.dbName,
        BENCH_REDIS_URL: REDIS_URL,
        BENCH_REDIS_PREFIX: names.redisPrefix,
        BENCH_PROPOSALS: String(PROPOSALS),
        BENCH_WORKERS: String(WORKERS),
      },
      { execArgv: SERVER_NODE_OPTIONS },
    );
    const { port, proposalIds } = plaza.ready;
    const atStart = await plaza.call<ResourceSnapshot>('resources');
    const http = new HttpClient('127.0.0.1', port, 256);
    const dl = new DirectLine(http);

    const setupStart = performance.now();
    const sessions: Session[] = [];
    await pool(CONVERSATIONS, CONVERSATIONS, async (i) => {
      const s = await dl.start(i);
      await onboard(dl, s);
      sessions.push(s);
    });
    token = sessions[0]!.token;
    setupSeconds = (performance.now() - setupStart) / 1000;
    log(`${sessions.length} conversations started and consented in ${setupSeconds.toFixed(1)} s`);

    // Warm-up: WARMUP pairs per conversation, then check each stream says the supports were registered.
    const warm: PhaseResult = { seconds: 0, open: [], support: [], errors: new Map() };
    await Promise.all(
      sessions.map(async (s) => {
        for (let k = 0; k < WARMUP; k++) await supportPair(dl, s, proposalIds, warm, false);
      }),
    );
    if (warm.errors.size > 0) fail(`warm-up errors: ${errorsText(warm.errors)}`);
    await pool(sessions.length, 50, async (i) => {
      const s = sessions[i]!;
      const texts = (await dl.readFrom(s, s.watermark))
        .filter((a) => a.from?.role === 'bot')
        .map((a) => a.text ?? '');
      const n = texts.filter((t) => SUPPORTED.test(t)).length;
      if (n !== WARMUP) fail(`warm-up: expected ${WARMUP} "¡Apoyo registrado!" in a stream, saw ${n}`);
    });
    log(`warm-up: ${warm.support.length} support turns, all registered`);
    const afterSetup = await plaza.call<ResourceSnapshot>('resources');

    // Measured phase: tickets up to TURNS support turns, every conversation busy until they run out.
    if (PROFILE) await plaza.call('profile-start');
    const before = await usage(plaza);
    const result: PhaseResult = { seconds: 0, open: [], support: [], errors: new Map() };
    let tickets = TURNS;
    const t0 = performance.now();
    let lastReport = t0;
    await Promise.all(
      sessions.map(async (s) => {
        while (tickets > 0) {
          tickets -= 1;
          if (!(await supportPair(dl, s, proposalIds, result, true))) {
            tickets += 1;
            return;
          }
          const now = performance.now();
          if (now - lastReport > 5000) {
            lastReport = now;
            log(
              `… ${result.support.length} support turns, ${rate(result.support.length / ((now - t0) / 1000))}/s`,
            );
          }
        }
      }),
    );
    result.seconds = (performance.now() - t0) / 1000;
    const after = await usage(plaza);
    if (PROFILE) {
      const file = path.join(
        OUT,
        `directline-server-${started.toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
      );
      await plaza.call('profile-stop', file);
      profileText = profileMarkdown(
        summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 12),
      );
      profileText = `Profile: \`${path.relative(process.cwd(), file)}\`\n\n${profileText}`;
    }
    plazaResult = result;
    plazaUsage = { before, after };
    log(`measured: ${result.support.length} support turns in ${result.seconds.toFixed(1)} s`);

    // Verification: rows in the database and replies in every stream.
    const rows = await plaza.call<{ total: number; byUser: Record<string, number> }>('supports');
    const expectedTotal = sessions.reduce((a, s) => a + s.supported, 0);
    const mismatched = sessions.filter((s) => (rows.byUser[s.userId] ?? 0) !== s.supported).length;
    let streamMismatch = 0;
    await pool(sessions.length, 50, async (i) => {
      const s = sessions[i]!;
      const texts = (await dl.readFrom(s, s.watermark))
        .filter((a) => a.from?.role === 'bot')
        .map((a) => a.text ?? '');
      if (texts.filter((t) => SUPPORTED.test(t)).length !== s.measuredSupported) streamMismatch += 1;
    });
    verified = rows.total === expectedTotal && mismatched === 0 && streamMismatch === 0;
    verification = [
      `Support rows ${rows.total}, successful support turns ${expectedTotal} (warm-up included): ${rows.total === expectedTotal ? 'equal' : 'DIFFERENT'}`,
      `conversations whose row count differs from their successful turns: ${mismatched}`,
      `conversations whose stream lacks a "¡Apoyo registrado!" for a measured turn: ${streamMismatch}`,
    ];
    const end = await plaza.call<ResourceSnapshot>('resources');
    serverRss = {
      atStart: atStart.rss,
      afterSetup: afterSetup.rss,
      end: end.rss,
      max: end.maxRss,
      heapAfterSetup: afterSetup.heapUsed,
      heapEnd: end.heapUsed,
    };
    http.close();
  } finally {
    await plaza?.stop().catch((e: unknown) => log(`stopping Plaza: ${String(e)}`));
    const deleted = await cleanupPlazaState(state).catch((e: unknown) => {
      log(`CLEANUP FAILED (drop ${names.dbName}, keys ${names.redisPrefix}:*): ${String(e)}`);
      return -1;
    });
    if (deleted >= 0) log(`cleaned up: database ${names.dbName} dropped, ${deleted} Redis keys deleted`);
  }

  // ---- Ceiling -----------------------------------------------------------------------------------------
  log(`starting the bare express ceiling`);
  const baseline = await startChild<BaselineReady>(path.join(here, 'lib/baseline-server.ts'), {
    NODE_ENV: 'production',
  });
  let ceiling: LoadResult;
  let ceilingUsage: { before: Usage; after: Usage };
  let ceilingRss: ResourceSnapshot;
  try {
    const http = new HttpClient('127.0.0.1', baseline.ready.port, 256);
    await loadBaseline(http, token, Math.min(5000, BASELINE_REQUESTS), CONVERSATIONS); // warm-up
    const before = await usage(baseline);
    ceiling = await loadBaseline(http, token, BASELINE_REQUESTS, CONVERSATIONS);
    const after = await usage(baseline);
    ceilingUsage = { before, after };
    ceilingRss = after.server;
    http.close();
  } finally {
    await baseline.stop();
  }

  // ---- Report ------------------------------------------------------------------------------------------
  const supportS = summarize(plazaResult.support);
  const openS = summarize(plazaResult.open);
  const ceilingS = summarize(ceiling.latencies);
  const supportRate = plazaResult.support.length / plazaResult.seconds;
  const postRate = (plazaResult.support.length + plazaResult.open.length) / plazaResult.seconds;
  const ceilingRate = ceiling.latencies.length / ceiling.seconds;
  const plazaCpu = cpuUse(
    plazaUsage.before,
    plazaUsage.after,
    plazaResult.support.length + plazaResult.open.length,
  );
  const ceilingCpu = cpuUse(ceilingUsage.before, ceilingUsage.after, ceiling.latencies.length);
  const contendedPhases = [
    ...(plazaCpu.foreignCores > 0.15
      ? [`Plaza's measured phase (≈ ${plazaCpu.foreignCores.toFixed(2)} cores)`]
      : []),
    ...(ceilingCpu.foreignCores > 0.15
      ? [`the ceiling (≈ ${ceilingCpu.foreignCores.toFixed(2)} cores)`]
      : []),
  ];
  const plazaTurns = plazaResult.support.length + plazaResult.open.length;
  const pgPerTurn = countsPer(
    plazaUsage.before.server.pgQueries,
    plazaUsage.after.server.pgQueries,
    plazaTurns,
  );
  const redisPerTurn = countsPer(
    plazaUsage.before.server.redisCommands,
    plazaUsage.after.server.redisCommands,
    plazaTurns,
  );
  const row = (name: string, r: string, s: LatencySummary, errors: string) =>
    `| ${name} | ${r} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ${errors} |`;
  const md = [
    `#### ${started.toISOString()} — ${CONVERSATIONS} conversations, ${plazaResult.support.length} measured support turns${PROFILE ? ' (PROFILED: figures depressed)' : ''}`,
    '',
    `- Command: \`npm run bench:directline -- ${process.argv.slice(2).join(' ')}\``.replace(/ -- `$/, '`'),
    `- Machine: nproc ${m.nproc}, ${m.cpu}; Node ${m.node}; PostgreSQL ${m.postgres}, Redis ${m.redis} (both local)`,
    `- Memory (\`free -g\`): ${m.free.split('\n')[1]?.replace(/\s+/g, ' ') ?? 'n/a'}`,
    `- Code: ${m.commit}${WORKERS > 1 ? `; Plaza served by ${WORKERS} cluster workers` : '; Plaza served by one process'}${SERVER_NODE_OPTIONS.length ? `; server child started with \`${SERVER_NODE_OPTIONS.join(' ')}\`` : ''}`,
    `- Before the run: load average ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; ${idleBusy.toFixed(2)} cores busy over the last 3 s`,
    `- Setup (not measured): ${CONVERSATIONS} conversations started + consented over HTTP in ${setupSeconds.toFixed(1)} s; warm-up ${WARMUP} support turns each`,
    '',
    '| Load (concurrency ' + CONVERSATIONS + ') | per second | p50 | p90 | p99 | max | non-2xx / errors |',
    '|---|---:|---:|---:|---:|---:|---|',
    row(
      '**Support turn** ("Apoyar" POST)',
      `**${rate(supportRate)}** turns/s`,
      supportS,
      errorsText(new Map([...plazaResult.errors].filter(([k]) => k.startsWith('support')))),
    ),
    row(
      'Open turn ("/start proposal_N" POST, between supports)',
      rate(openS.count / plazaResult.seconds),
      openS,
      errorsText(new Map([...plazaResult.errors].filter(([k]) => k.startsWith('open')))),
    ),
    `| All Direct Line turns (both kinds) | ${rate(postRate)} POST/s | | | | | |`,
    row(
      'Ceiling: bare express `POST` → `{ id }`',
      `${rate(ceilingRate)} req/s`,
      ceilingS,
      errorsText(ceiling.errors),
    ),
    '',
    `- Ratio: the ceiling answers ${(ceilingRate / postRate).toFixed(1)}× as many POSTs per second as Plaza's turns (Plaza turns = ${((postRate / ceilingRate) * 100).toFixed(1)}% of the ceiling); support turns alone ${((supportRate / ceilingRate) * 100).toFixed(2)}% (one in two turns is a support).`,
    `- Per Plaza turn (either kind), sent by the server: ${pgPerTurn.total.toFixed(1)} PostgreSQL queries (${pgPerTurn.text}); ${redisPerTurn.total.toFixed(1)} Redis commands (${redisPerTurn.text}).`,
    `- Server RSS (Plaza child${WORKERS > 1 ? `: sum of its ${WORKERS} workers` : ''}): ${mib(serverRss.atStart)} ready and idle, ${mib(serverRss.afterSetup)} after setup, ${mib(serverRss.end)} at the end, ${mib(serverRss.max)} peak (V8 heap used ${mib(serverRss.heapAfterSetup)} → ${mib(serverRss.heapEnd)}); ceiling child ${mib(ceilingRss.rss)} (peak ${mib(ceilingRss.maxRss)}).`,
    `- CPU during Plaza's measured phase (${plazaResult.seconds.toFixed(1)} s; per turn = per POST of either kind): ${plazaCpu.text}.`,
    `- CPU during the ceiling (${ceiling.seconds.toFixed(1)} s): ${ceilingCpu.text}.`,
    contendedPhases.length > 0
      ? `- **Contended:** other processes on the machine used CPU during ${contendedPhases.join(' and ')}; those figures understate an idle machine.`
      : '- Not contended: other processes used < 0.15 cores during both measured phases.',
    `- Verification: ${verification.join('; ')}.`,
    ...(profileText ? ['', profileText] : []),
    '',
  ].join('\n');
  console.log(md);
  if (RECORD) {
    record('## bench/directline-turns.ts', md);
    log(`recorded in ${path.relative(process.cwd(), RESULTS)}`);
  }
  if (plazaResult.errors.size + ceiling.errors.size > 0 || !verified) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
