// The core every process needs — database, Redis, queue producers, domain dependencies and the engine —
// built from Config. Channels and HTTP are wired on top of it in main.ts.
import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import { openDatabase, type Database, type DatabaseOptions } from './db/client.ts';
import type { DomainDeps } from './domain/deps.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import type { Logger } from './logger.ts';
import { createQueues, type Queues } from './queues/queues.ts';
import { closeRedis, connectRedis, type Redis } from './redis/client.ts';

export interface Runtime {
  config: Config;
  logger: Logger;
  database: Database;
  redis: Redis;
  queues: Queues;
  domain: DomainDeps;
  engine: Engine;
  /** Secret that signs Direct Line tokens (configured, or random for this process). */
  directLineSecret: string;
  close(): Promise<void>;
}

/** How the configuration opens the database (the server and every database-only command alike). */
export function databaseOptions(config: Config): DatabaseOptions {
  return {
    databaseUrl: config.DATABASE_URL,
    dataDir: config.PLAZA_DATA_DIR,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS,
  };
}

export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const redis = await connectRedis({ url: config.REDIS_URL, logger });
  let database: Database;
  try {
    database = await openDatabase({ ...databaseOptions(config), logger });
    const applied = await database.migrate();
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } catch (error) {
    await closeRedis(redis);
    throw error;
  }
  const queues = createQueues({ redis, prefix: config.REDIS_PREFIX, logger });
  const domain: DomainDeps = {
    db: database.prisma,
    queues: {
      moderateCase: (id) => queues.moderateCase(id),
      notify: (job) => queues.notify(job),
      startBroadcast: (id, at) => queues.startBroadcast(id, at),
    },
    now: () => new Date(),
    logger,
  };
  const engine = createEngine({
    redis,
    domain,
    logger,
    prefix: config.REDIS_PREFIX,
    flood: { max: config.FLOOD_MAX_MESSAGES, windowSeconds: config.FLOOD_WINDOW_SECONDS },
    stateTtlSeconds: config.DIALOG_STATE_TTL_SECONDS,
    moderatorsLocale: config.MODERATORS_LOCALE,
    turnConcurrency: config.TURN_CONCURRENCY,
  });
  // Unset: random for this process (`plaza serve` / `all` warn about it: only they serve web chat).
  const directLineSecret = config.DIRECTLINE_SECRET ?? randomBytes(32).toString('base64url');
  return {
    config,
    logger,
    database,
    redis,
    queues,
    domain,
    engine,
    directLineSecret,
    async close() {
      await engine.drain();
      await queues.close();
      await database.close();
      // Not QUIT: it would wait forever for a Redis that is down (a shutdown during an outage).
      await closeRedis(redis);
    },
  };
}
