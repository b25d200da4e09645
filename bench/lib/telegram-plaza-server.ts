// Child process: a whole Plaza with its Telegram channel in webhook mode, wired as `plaza serve` wires it
// (createRuntime + createTelegram + createHttpApp, the outbox — and with BENCH_WEBHOOK_ACK=queued the
// inbox's consumers — started in the same process), on a fresh PostgreSQL database of its own and a random
// Redis prefix, sending to the fake Bot API at BENCH_API_ROOT. It creates one process in its voting phase
// with BENCH_PROPOSALS published proposals (with BENCH_REUSE_PROCESS=<id>: the database and that process
// exist already, from an earlier Plaza child of the same run — the first of a group of several processes, or
// the previous acknowledgement mode's — and this child creates and seeds nothing), then announces
// `{ type: 'ready', port, processId, proposalIds, databaseUrl }`. Commands: `resources`, `supports`,
// `pending`, `profile-start`, `profile-stop`, `close`. The database is left in place when it closes (the
// hand-written bot and the other acknowledgement mode's Plaza run on it too, at the same time); dropping it
// and the Redis keys is the parent's job (cleanupPlazaState).
// Several children may run at once on the same database and Redis prefix (`--plaza-processes N`), each with
// its own HTTP port, outbox (and inbox consumers), as several `plaza serve` would: createRuntime applies
// pending migrations under PostgreSQL's advisory lock as `plaza serve` does, so the first child migrates and
// the others, started once it is ready, find nothing to apply.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { countedResources } from './counters.ts';
import { telegramSupports } from './telegram-db.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createHttpApp, createTelegram } from '../../src/main.ts';
import { createRuntime } from '../../src/runtime.ts';
import { seedPrivacyNotice } from '../../prisma/seed.ts';
import { createProcess, createProposals } from '../../tests/support/fixtures.ts';
import { serveIpc } from './child.ts';
import { PhaseProfiler } from './profiler.ts';
import { databaseUrl } from './plaza-state.ts';

export interface TelegramPlazaReady {
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

async function main(): Promise<void> {
  const reuse = process.env.BENCH_REUSE_PROCESS ? Number(process.env.BENCH_REUSE_PROCESS) : undefined;
  if (reuse === undefined) {
    const admin = new pg.Client({ connectionString: env('BENCH_PG_ADMIN_URL') });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${env('BENCH_DB_NAME')}`);
    } finally {
      await admin.end();
    }
  }
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(env('BENCH_PG_ADMIN_URL'), env('BENCH_DB_NAME')),
    REDIS_URL: env('BENCH_REDIS_URL'),
    REDIS_PREFIX: env('BENCH_REDIS_PREFIX'),
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    FLOOD_MAX_MESSAGES: '1000000',
    DIRECTLINE_SECRET: randomBytes(32).toString('hex'),
    TELEGRAM_BOT_TOKEN: env('BENCH_BOT_TOKEN'),
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: env('BENCH_WEBHOOK_SECRET'),
    TELEGRAM_API_ROOT: env('BENCH_API_ROOT'),
    TELEGRAM_CHAT_INTERVAL_MS: '0',
    TELEGRAM_MESSAGES_PER_SECOND: '1000',
    TELEGRAM_WEBHOOK_ACK: process.env.BENCH_WEBHOOK_ACK ?? 'processed',
    ...(process.env.BENCH_TURN_CONCURRENCY ? { TURN_CONCURRENCY: process.env.BENCH_TURN_CONCURRENCY } : {}),
    ...(process.env.BENCH_INBOX_CONCURRENCY
      ? { TELEGRAM_INBOX_CONCURRENCY: process.env.BENCH_INBOX_CONCURRENCY }
      : {}),
  });
  const runtime = await createRuntime(config, createLogger('silent'));
  const db = runtime.database.prisma;
  const proposals = Number(env('BENCH_PROPOSALS'));
  let processId: number;
  let proposalIds: number[];
  if (reuse === undefined) {
    await seedPrivacyNotice(db, { controller: 'Administración (bench)', contact: 'dpd@bench.invalid' });
    const votingProcess = await createProcess(db, {
      phase: 'voting',
      supportsPerParticipant: proposals,
      title: 'Votación (bench)',
    });
    processId = votingProcess.id;
    proposalIds = await createProposals(db, votingProcess, proposals);
  } else {
    processId = reuse;
    proposalIds = (
      await db.proposal.findMany({ where: { processId }, select: { id: true }, orderBy: { id: 'asc' } })
    ).map((p) => p.id);
  }

  // As `plaza serve` does in webhook mode: check the token (getMe), start the outbox, mount the webhook.
  const telegram = createTelegram(runtime);
  if (!telegram) throw new Error('Telegram channel not configured');
  await telegram.api.check();
  telegram.channel.outbox.start();
  telegram.inbox?.start({ concurrency: config.TELEGRAM_INBOX_CONCURRENCY });
  const server: Server = createHttpApp(runtime, telegram).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;

  const profiler = new PhaseProfiler();
  let closing: Promise<void> | undefined;
  serveIpc(
    {
      resources: () => countedResources(),
      supports: (chats) => telegramSupports(db, chats as number[]),
      /** Chats with updates still in the inbox or messages in the outbox (0 once all is delivered). */
      pending: async () =>
        (await runtime.redis.zCard(`${config.REDIS_PREFIX}:tg:due`)) +
        ((await telegram.inbox?.backlog()) ?? 0),
      'profile-start': () => profiler.start(),
      'profile-stop': async (file) => {
        await profiler.stop(String(file));
        return file;
      },
    },
    () =>
      (closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await telegram.inbox?.stop();
        await runtime.engine.drain();
        await telegram.channel.outbox.stop();
        await runtime.close();
      })()),
  );
  const ready: TelegramPlazaReady = { type: 'ready', port, processId, proposalIds };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
