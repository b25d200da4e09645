// `plaza <command>`: the one place that wires channels in.
//   serve   HTTP: web chat (Direct Line + page), health           worker  queue workers
//   all     serve + worker in one process                         demo    local Redis if needed, seed, all
//   chat    talk to the engine from this terminal                 migrate apply database migrations
//   seed    create the demo process (idempotent)
import type { Server } from 'node:http';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import { createApp } from './http/app.ts';
import { createDirectLineRouter } from '../channels/webchat/directline-router.ts';
import { createWebChatPageRouter } from '../channels/webchat/webchat-page.ts';
import { runConsoleChat } from '../channels/console/console-chat.ts';
import { requeuePendingModeration } from './domain/requeue-pending-moderation.ts';
import { ensureLocalRedis } from './redis/local-redis.ts';
import { openDatabase } from './db/client.ts';
import { seedDemo } from '../prisma/seed.ts';

const USAGE = `Usage: plaza <command>

  demo     start everything for a first look: Redis (started if none answers), embedded
           database, demo process, web chat on http://localhost:$PORT (default 3000)
  serve    the HTTP server (web chat, Direct Line, health)
  worker   the queue workers
  all      serve and worker in one process
  chat     chat with Plaza in this terminal
  migrate  apply database migrations
  seed     create the demo process (safe to repeat)`;

export function createHttpApp(runtime: Runtime) {
  const { config, logger, redis, database, engine } = runtime;
  return createApp({
    logger,
    readiness: {
      postgres: () => database.prisma.$queryRaw`SELECT 1`,
      redis: () => redis.ping(),
    },
    routes: [
      [
        '/v3/directline',
        createDirectLineRouter({
          engine,
          redis,
          logger,
          secret: runtime.directLineSecret,
          keyPrefix: config.REDIS_PREFIX,
          tokensPerMinute: config.WEBCHAT_TOKENS_PER_MINUTE,
          allowedOrigins: config.WEBCHAT_ALLOWED_ORIGINS,
        }),
      ],
      ['/', createWebChatPageRouter()],
    ],
  });
}

export async function listen(runtime: Runtime): Promise<Server> {
  const app = createHttpApp(runtime);
  const { PORT, HOST } = runtime.config;
  return new Promise((resolve, reject) => {
    const server = app.listen(PORT, HOST, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/** Worker duties available so far: make sure every pending proposal has its moderation job. */
export async function startWorker(runtime: Runtime): Promise<void> {
  const { enqueued } = await requeuePendingModeration(runtime.domain);
  runtime.logger.info({ enqueued }, 'worker ready: pending moderation jobs checked');
}

function onShutdown(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing turns in flight');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function serve(runtime: Runtime, withWorker: boolean): Promise<void> {
  if (withWorker) await startWorker(runtime);
  const server = await listen(runtime);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : runtime.config.PORT;
  runtime.logger.info(
    { port, database: runtime.database.kind },
    `Plaza listening: http://localhost:${port}/`,
  );
  onShutdown(runtime.logger, async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await runtime.close();
  });
}

async function withRuntime(config: Config, logger: Logger, fn: (r: Runtime) => Promise<void>): Promise<void> {
  const runtime = await createRuntime(config, logger);
  try {
    await fn(runtime);
  } finally {
    await runtime.close();
  }
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = argv[0] ?? 'help';
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  try {
    switch (command) {
      case 'demo': {
        await ensureLocalRedis(config.REDIS_URL, config.PLAZA_DATA_DIR);
        const runtime = await createRuntime(config, logger);
        await seedDemo(runtime.database.prisma, {
          controller: config.PRIVACY_CONTROLLER,
          contact: config.PRIVACY_CONTACT,
        });
        await serve(runtime, true);
        return -1;
      }
      case 'serve':
      case 'all': {
        const runtime = await createRuntime(config, logger);
        await serve(runtime, command === 'all');
        return -1;
      }
      case 'worker': {
        const runtime = await createRuntime(config, logger);
        await startWorker(runtime);
        onShutdown(logger, () => runtime.close());
        return -1;
      }
      case 'chat': {
        await withRuntime({ ...config, LOG_LEVEL: 'warn' }, createLogger('warn'), (runtime) =>
          runConsoleChat({ engine: runtime.engine, input: process.stdin, output: process.stdout }),
        );
        return 0;
      }
      case 'migrate': {
        const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.PLAZA_DATA_DIR });
        try {
          const applied = await db.migrate();
          console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'seed': {
        const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.PLAZA_DATA_DIR });
        try {
          await db.migrate();
          const id = await seedDemo(db.prisma, {
            controller: config.PRIVACY_CONTROLLER,
            contact: config.PRIVACY_CONTACT,
          });
          console.log(`Demo process ready (id ${id}).`);
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    // Start-up failures end in one clear line (the cause's name and message), not a stack trace.
    const e = error as Error;
    console.error(`plaza ${command}: ${e.message ?? String(error)}`);
    logger.debug({ err: error }, 'start-up failure');
    return 1;
  }
}
