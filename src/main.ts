// `plaza <command>`: the one place that wires channels in.
//   serve   HTTP: web chat (Direct Line + page), health           worker  queue workers
//   all     serve + worker in one process                         demo    local Redis if needed, seed, all
//   chat    talk to the engine from this terminal                 migrate apply database migrations
//   seed    create the demo process (idempotent)
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createRuntime, databaseOptions, type Runtime } from './runtime.ts';
import { createApp } from './http/app.ts';
import { createDirectLineRouter } from '../channels/webchat/directline-router.ts';
import { createWebChatPageRouter } from '../channels/webchat/webchat-page.ts';
import { runConsoleChat } from '../channels/console/console-chat.ts';
import { createBotApi, type BotApi } from '../channels/telegram/bot-api.ts';
import { startPolling, ALLOWED_UPDATES, type Polling } from '../channels/telegram/polling.ts';
import { createTelegramChannel, type TelegramChannel } from '../channels/telegram/telegram-channel.ts';
import { TELEGRAM_CHANNEL_ID } from '../channels/telegram/update-to-activity.ts';
import { createTelegramWebhookRouter } from '../channels/telegram/webhook-router.ts';
import { TelegramInbox } from '../channels/telegram/inbox.ts';
import { publishCommandMenu } from '../channels/telegram/command-menu.ts';
import { commandMenu } from './engine/command-menu.ts';
import { markNoticeUndelivered } from './domain/mark-notice-undelivered.ts';
import { markAccountReachable } from './domain/mark-account-reachable.ts';
import { markAccountUnreachable } from './domain/mark-account-unreachable.ts';
import type { Router } from 'express';
import { requeueOpenCases } from './domain/requeue-open-cases.ts';
import { requeueBroadcasts } from './domain/requeue-broadcasts.ts';
import { keepBroadcastForWebChat } from './domain/keep-broadcast-for-web-chat.ts';
import { blockBroadcastRecipient } from './domain/block-broadcast-recipient.ts';
import { WantedCheckBatcher } from './queues/broadcasts/wanted-check-batcher.ts';
import { OutcomeBatcher } from './queues/broadcasts/outcome-batcher.ts';
import { ProposalIndexes } from './domain/prescreen-case.ts';
import { startWorkers, type Workers } from './queues/workers.ts';
import { ensureLocalRedis } from './redis/local-redis.ts';
import { openDatabase, type DatabaseOptions } from './db/client.ts';
import { describeLockWait, describeMigrationsAhead } from './db/migrate.ts';
import { connectRedis } from './redis/client.ts';
import { createQueues } from './queues/queues.ts';
import { seedDemo } from '../prisma/seed.ts';
import { createAdminRouter } from './admin/admin-router.ts';
import { startEventReminderSweep } from './queues/events/reminder-sweep.ts';
import { startRetentionSweep } from './queues/retention/retention-sweep.ts';
import { createRedisParticipantTraces } from './redis/participant-traces.ts';
import { runModeratorsCommand } from './admin/staff-cli.ts';
import { runTokensCommand } from './admin/tokens-cli.ts';
import { DEFAULT_LOCALE, type DomainDeps } from './domain/deps.ts';
import { getPrivacyNotice } from './domain/get-privacy-notice.ts';

const USAGE = `Usage: plaza <command>

  demo     start everything for a first look: Redis (started if none answers), embedded
           database, demo process, web chat on http://localhost:$PORT (default 3000)
  serve    the HTTP server (web chat, Direct Line, health); needs DATABASE_URL (else: all)
  worker   the queue workers
  all      serve and worker in one process
  chat     chat with Plaza in this terminal
  migrate  apply database migrations
  seed     create the demo process (safe to repeat)
  queues   how many jobs each queue holds (waiting, active, delayed, completed, failed)
  moderators add|list|remove|token|revoke
           manage moderators and their admin API tokens (plaza moderators help)
  tokens create|list|revoke
           admin API tokens, for a new staff member or an existing one (plaza tokens help)
  telegram set-webhook | delete-webhook | info
           point Telegram at TELEGRAM_WEBHOOK_URL/telegram/webhook (with the secret), stop it, or show it`;

const TELEGRAM_SUBCOMMANDS = ['set-webhook', 'delete-webhook', 'info'];

async function telegramCommand(sub: string | undefined, config: Config): Promise<number> {
  // The arguments and settings first: a typo or a missing variable is answered as such (2), even when the Bot
  // API cannot be reached.
  if (sub === undefined || !TELEGRAM_SUBCOMMANDS.includes(sub)) {
    console.error('Usage: plaza telegram set-webhook | delete-webhook | info');
    return 2;
  }
  if (!config.TELEGRAM_BOT_TOKEN) {
    console.error('plaza telegram: set TELEGRAM_BOT_TOKEN first (create a bot with @BotFather).');
    return 2;
  }
  if (sub === 'set-webhook' && (!config.TELEGRAM_WEBHOOK_URL || !config.TELEGRAM_WEBHOOK_SECRET)) {
    console.error(
      'plaza telegram set-webhook: set TELEGRAM_WEBHOOK_URL (public https://…) and TELEGRAM_WEBHOOK_SECRET.',
    );
    return 2;
  }
  const api = createBotApi({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT });
  const me = await api.check();
  switch (sub) {
    case 'set-webhook': {
      const url = new URL('telegram/webhook', config.TELEGRAM_WEBHOOK_URL!.replace(/\/?$/, '/')).toString();
      // Set all the same (the command may run from another machine than the server), but a Plaza started
      // with this configuration would delete the webhook again to poll.
      if (config.TELEGRAM_MODE !== 'webhook') {
        console.error(
          `plaza telegram set-webhook: warning: TELEGRAM_MODE is ${config.TELEGRAM_MODE} here; a Plaza started ` +
            'with this configuration removes the webhook to poll. Run the server with TELEGRAM_MODE=webhook.',
        );
      }
      await api.callApi('setWebhook', {
        url,
        secret_token: config.TELEGRAM_WEBHOOK_SECRET,
        allowed_updates: ALLOWED_UPDATES,
        max_connections: 40,
      });
      console.log(`Telegram will send @${me.username}'s updates to ${url}`);
      return 0;
    }
    case 'delete-webhook':
      await api.callApi('deleteWebhook', {});
      console.log(`Webhook of @${me.username} removed (use polling, or set it again).`);
      return 0;
    default: {
      const info = (await api.callApi('getWebhookInfo', {})) as Record<string, unknown>;
      console.log(JSON.stringify({ bot: me.username, ...info }, null, 2));
      return 0;
    }
  }
}

/**
 * Polling mode: getUpdates is refused while a webhook is set, so it is removed — said at warn with the URL
 * it pointed to (the URL is not secret; Telegram never returns the secret token), since a process started
 * with a production token takes that installation's updates from then on.
 */
export async function removeWebhookForPolling(api: Pick<BotApi, 'callApi'>, logger: Logger): Promise<void> {
  const info = (await api.callApi('getWebhookInfo', {})) as { url?: unknown };
  const url = typeof info.url === 'string' ? info.url : '';
  if (url === '') return;
  await api.callApi('deleteWebhook', {});
  logger.warn(
    { webhookUrl: url },
    `telegram webhook removed to poll for updates (TELEGRAM_MODE=polling): Telegram was sending this bot's ` +
      `updates to ${url}, which gets none from now on. If that is the production server, stop this process ` +
      'and run `plaza telegram set-webhook` there.',
  );
}

/**
 * Without a privacy notice nobody can consent, so nobody can register: the chat says it cannot show the
 * notice and nothing else would tell the operator.
 */
export async function warnWithoutPrivacyNotice(domain: DomainDeps, logger: Logger): Promise<void> {
  if (await getPrivacyNotice(domain, { locale: DEFAULT_LOCALE })) return;
  logger.warn(
    'no privacy notice published: nobody can register until one is. Publish it with ' +
      'POST /admin/privacy-notices (an admin token: `plaza tokens create --role admin`), or run `plaza seed` ' +
      'for a trial (it also creates the demo process).',
  );
}

export interface TelegramWiring {
  api: BotApi;
  channel: TelegramChannel;
  /**
   * Webhook mode: the Redis inbox, started where the webhook is served. With TELEGRAM_WEBHOOK_ACK=queued the
   * webhook queues updates in it; with `processed` its consumers only drain what a queued run left behind.
   */
  inbox?: TelegramInbox;
}

/** The Telegram channel, when a token is configured. */
export function createTelegram(runtime: Runtime): TelegramWiring | undefined {
  const { config } = runtime;
  if (!config.TELEGRAM_BOT_TOKEN) return undefined;
  const checked = createBotApi({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT });
  // Who the bot is, for telling in groups what is addressed to it: its id is the token's number, its
  // username comes with getMe (every process checks the token at start).
  const bot: { id?: number; username?: string } = {
    id: Number(/^(\d+):/.exec(config.TELEGRAM_BOT_TOKEN)?.[1]) || undefined,
  };
  const api: BotApi = {
    ...checked,
    async check() {
      const me = await checked.check();
      bot.id = me.id;
      bot.username = me.username;
      return me;
    },
  };
  const outcomes = new OutcomeBatcher(runtime.domain, runtime.logger);
  const wanted = new WantedCheckBatcher(runtime.domain);
  const channel = createTelegramChannel({
    engine: runtime.engine,
    redis: runtime.redis,
    prefix: config.REDIS_PREFIX,
    callApi: api.callApi,
    logger: runtime.logger,
    secret: config.TELEGRAM_BOT_TOKEN,
    perSecond: config.TELEGRAM_MESSAGES_PER_SECOND,
    chatIntervalMs: config.TELEGRAM_CHAT_INTERVAL_MS,
    groupMessagesPerMinute: config.TELEGRAM_GROUP_MESSAGES_PER_MINUTE,
    leaseMs: config.TELEGRAM_OUTBOX_LEASE_MS,
    concurrency: config.TELEGRAM_OUTBOX_CONCURRENCY,
    moderatorsChatId: config.TELEGRAM_MODERATORS_CHAT_ID,
    bot,
    onReachability: async (userId, reachable) => {
      const who = { channel: TELEGRAM_CHANNEL_ID, externalId: userId };
      if (reachable) await markAccountReachable(runtime.domain, who);
      else {
        await markAccountUnreachable(runtime.domain, who);
        await blockBroadcastRecipient(runtime.domain, who);
      }
    },
    // Broadcast deliveries (`bc:<id>`): the ledger learns each outcome, and a message whose person
    // unsubscribed (or whose broadcast was cancelled) after it was queued is not sent.
    onRecord: async (record, outcome) => {
      const id = BigInt(record.slice(3));
      if ('sent' in outcome) outcomes.sentOne(id);
      else await outcomes.failed(id, outcome.failed);
    },
    shouldSend: async (record) => !record.startsWith('bc:') || wanted.isWanted(BigInt(record.slice(3))),
    // A notice that did not go out (the person blocked the bot) waits for their next message.
    onNoticeUnsent: async (noticeId) => {
      await markNoticeUndelivered(runtime.domain, { noticeId, via: TELEGRAM_CHANNEL_ID });
    },
  });
  // Whatever TELEGRAM_WEBHOOK_ACK says: after a switch from queued to processed, updates already acknowledged
  // are still in the inbox and must be handled, not left to expire.
  const inbox =
    config.TELEGRAM_MODE === 'webhook'
      ? new TelegramInbox({
          redis: runtime.redis,
          prefix: config.REDIS_PREFIX,
          channel,
          logger: runtime.logger,
        })
      : undefined;
  return { api, channel, inbox };
}

export function createHttpApp(runtime: Runtime, telegram?: TelegramWiring) {
  const { config, logger, redis, database, engine } = runtime;
  const telegramRoutes: [string, Router][] =
    telegram && config.TELEGRAM_MODE === 'webhook' && config.TELEGRAM_WEBHOOK_SECRET
      ? [
          [
            '/telegram',
            createTelegramWebhookRouter({
              channel: telegram.channel,
              secret: config.TELEGRAM_WEBHOOK_SECRET,
              logger,
              // Only the acknowledgement depends on the mode; the inbox's consumers run in both.
              inbox: config.TELEGRAM_WEBHOOK_ACK === 'queued' ? telegram.inbox : undefined,
            }),
          ],
        ]
      : [];
  return createApp({
    logger,
    trustProxy: config.TRUST_PROXY,
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
      ...telegramRoutes,
      [
        '/admin',
        createAdminRouter({
          domain: runtime.domain,
          logger,
          queues: [runtime.queues.moderation, runtime.queues.notifications, runtime.queues.broadcasts],
          redis,
          redisPrefix: config.REDIS_PREFIX,
        }),
      ],
      ['/', createWebChatPageRouter()],
    ],
  });
}

export async function listen(runtime: Runtime, telegram?: TelegramWiring): Promise<Server> {
  const app = createHttpApp(runtime, telegram);
  const { PORT, HOST } = runtime.config;
  return new Promise((resolve, reject) => {
    const server = app.listen(PORT, HOST, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

/**
 * The queue workers: first every open case without its pre-screen or card, and every decision whose
 * notifications never finished, is enqueued again (requeue-open-cases), then the workers start.
 */
export async function startWorker(
  runtime: Runtime,
  telegram?: TelegramWiring,
  opts: { stalledIntervalMs?: number; broadcastStaleMs?: number } = {},
): Promise<Workers> {
  const { domain, engine, config, logger } = runtime;
  const room = telegram?.channel.room;
  const requeued = await requeueOpenCases(domain, { announce: room !== undefined });
  const broadcasts = await requeueBroadcasts(domain);
  const channel = telegram?.channel;
  // A broadcast's message is the same for every recipient in a language: rendered once a second at most
  // (a cancellation shows through at once anyway: the outbox asks the ledger right before each send).
  const rendered = new Map<string, { at: number; message: ReturnType<typeof engine.render.broadcast> }>();
  const renderBroadcast = (broadcastId: number, locale: string) => {
    const key = `${broadcastId}:${locale}`;
    const hit = rendered.get(key);
    if (hit && Date.now() - hit.at < 1000) return hit.message;
    if (rendered.size > 100) rendered.clear();
    const message = engine.render.broadcast(broadcastId, locale);
    rendered.set(key, { at: Date.now(), message });
    message.catch(() => rendered.delete(key));
    return message;
  };
  const workers = startWorkers({
    redis: runtime.redis,
    prefix: config.REDIS_PREFIX,
    logger,
    stalledIntervalMs: opts.stalledIntervalMs ?? config.QUEUE_STALLED_INTERVAL_MS,
    moderation: { domain, indexes: new ProposalIndexes(), room, moderatorsLocale: config.MODERATORS_LOCALE },
    notifications: {
      domain,
      room,
      moderatorsLocale: config.MODERATORS_LOCALE,
      quietHours: config.QUIET_HOURS,
      senders: channel ? { [TELEGRAM_CHANNEL_ID]: (id, chatId) => channel.deliverNotice(id, chatId) } : {},
    },
    broadcasts: {
      domain,
      perSecond: config.TELEGRAM_MESSAGES_PER_SECOND,
      staleMs: opts.broadcastStaleMs ?? config.BROADCAST_STALE_MS,
      quietHours: config.QUIET_HOURS,
      senders: {
        webchat: async (d) => {
          await keepBroadcastForWebChat(domain, {
            broadcastId: d.broadcastId,
            participantId: d.participantId,
          });
          return 'waiting';
        },
        ...(channel
          ? {
              [TELEGRAM_CHANNEL_ID]: async (d, sendOpts) => {
                const message = await renderBroadcast(d.broadcastId, d.locale);
                // Cancelled meanwhile: the row is settled by the cancellation; nothing to send.
                if (!message || !d.externalId) return 'in-flight';
                return channel.sendBroadcast(d.id, d.externalId, message, sendOpts);
              },
            }
          : {}),
      },
      progress: channel
        ? (id, chatId, progress, final) =>
            channel.showProgress(id, chatId, engine.render.broadcastProgress(progress, final), final)
        : undefined,
    },
  });
  // A lost broadcast job (Redis flushed) is found again within a minute, with no manual step.
  const sweep = setInterval(() => {
    requeueBroadcasts(domain).catch((e) => logger.warn({ err: e }, 'broadcast sweep failed'));
  }, 60_000);
  sweep.unref();
  // Workshops and events: the day-before reminders (safe on several workers at once).
  const reminders = startEventReminderSweep(domain, logger);
  // Retention: the inactive are warned, then erased with their Redis traces (safe on several workers).
  const retention = startRetentionSweep(domain, logger, {
    days: config.RETENTION_DAYS,
    warnDays: config.RETENTION_WARN_DAYS,
    intervalMs: config.RETENTION_SWEEP_EVERY_MINUTES * 60_000,
    traces: createRedisParticipantTraces(runtime.redis, { prefix: config.REDIS_PREFIX }),
  });
  logger.info({ requeued, broadcasts, moderatorsRoom: room !== undefined }, 'workers ready');
  return {
    async close() {
      clearInterval(sweep);
      reminders.stop();
      await retention.stop();
      await workers.close();
    },
  };
}

/**
 * The demo keeps its web chat signing secret in the data directory, so a restart does not turn every open
 * chat into a stranger (a production start sets DIRECTLINE_SECRET).
 */
function demoSecret(dataDir: string): string {
  const file = path.resolve(dataDir, 'directline-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** One step of a shutdown, named for the line that tells what did not finish. */
export type ShutdownStep = [what: string, run: () => Promise<unknown>];

/** How long a shutdown may take before the process exits anyway. */
export const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Runs a shutdown's steps in order, then exits. Every step runs, even after one failed (the last ones release
 * the database and Redis).
 *
 * Exit code 0: every step ended — also when one ended without waiting for a store that is down (the queue
 * workers with Redis unreachable), which that step says at warn: nothing is lost, the jobs it held are taken
 * over once Redis is back, as after a crash. Exit code 1: a step failed, or the steps had not ended after
 * `timeoutMs` (15 s): one error line says which step was still running (and, through `why`, what may hold it
 * up, e.g. "Redis is unreachable"). What that step held — a job, a Telegram message on its way — is taken over
 * after its lock or lease, as after a crash; the 1 tells the supervisor the stop was not clean.
 */
export async function runShutdown(
  logger: Logger,
  signal: string,
  steps: ShutdownStep[],
  opts: { timeoutMs?: number; exit?: (code: number) => void; why?: () => string | undefined } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? SHUTDOWN_TIMEOUT_MS;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  logger.info({ signal }, 'shutting down: finishing turns in flight');
  let current: string | undefined;
  // Not unref'd: a step waiting on nothing that keeps the process alive still gets its line.
  const force = setTimeout(() => {
    const why = opts.why?.();
    logger.error(
      { signal, step: current, timeoutSeconds: timeoutMs / 1000 },
      `shutdown did not finish within ${timeoutMs / 1000} s: still ${current ?? 'starting'}` +
        `${why ? ` (${why})` : ''}; exiting with code 1`,
    );
    exit(1);
  }, timeoutMs);
  let failed = false;
  for (const [what, run] of steps) {
    current = what;
    try {
      await run();
    } catch (error) {
      failed = true;
      logger.error({ err: error, step: what }, `shutdown: ${what} failed`);
    }
  }
  clearTimeout(force);
  exit(failed ? 1 : 0);
}

function onShutdown(logger: Logger, runtime: Runtime, steps: ShutdownStep[]): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    void runShutdown(logger, signal, steps, {
      why: () => (runtime.redis.isReady ? undefined : 'Redis is unreachable'),
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

async function serve(runtime: Runtime, withWorker: boolean): Promise<void> {
  await warnWithoutPrivacyNotice(runtime.domain, runtime.logger);
  const telegram = createTelegram(runtime);
  const workers = withWorker ? await startWorker(runtime, telegram) : undefined;
  let polling: Polling | undefined;
  if (telegram) {
    const me = await telegram.api.check();
    // The «/» menu of commands, in Spanish and English: best effort, while the rest starts.
    void publishCommandMenu({ callApi: telegram.api.callApi, menu: commandMenu, logger: runtime.logger });
    telegram.channel.outbox.start();
    // The inbox's consumers run where its webhook is served (`plaza worker` serves none), in either
    // TELEGRAM_WEBHOOK_ACK mode: with `processed` they drain what an earlier queued run left.
    telegram.inbox?.start({ concurrency: runtime.config.TELEGRAM_INBOX_CONCURRENCY });
    if (runtime.config.TELEGRAM_MODE === 'polling') {
      await removeWebhookForPolling(telegram.api, runtime.logger);
      polling = startPolling({
        callApi: telegram.api.callApi,
        channel: telegram.channel,
        logger: runtime.logger,
      });
    }
    runtime.logger.info({ bot: me.username, mode: runtime.config.TELEGRAM_MODE }, 'telegram channel ready');
  }
  const server = await listen(runtime, telegram);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : runtime.config.PORT;
  runtime.logger.info(
    { port, database: runtime.database.kind },
    `Plaza listening: http://localhost:${port}/`,
  );
  // Only where web chat is served: a worker or the terminal chat signs no tokens.
  if (!runtime.config.DIRECTLINE_SECRET)
    runtime.logger.warn('DIRECTLINE_SECRET not set: web chat tokens will not survive a restart');
  onShutdown(runtime.logger, runtime, [
    ['stopping Telegram polling', async () => polling?.stop()],
    [
      'closing the HTTP server',
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    ],
    // The updates being handled finish; the rest stay queued in Redis for the next start.
    ['stopping the Telegram inbox', async () => telegram?.inbox?.stop()],
    ['finishing turns in flight', () => runtime.engine.drain()],
    ['closing the queue workers', async () => workers?.close()],
    ['stopping the Telegram outbox', async () => telegram?.channel.outbox.stop()],
    ['closing the database and Redis', () => runtime.close()],
  ]);
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
  // The database commands (migrate, seed, moderators, tokens) migrate first: a wait for another process's
  // migration is said on the terminal, as their other lines are.
  const databaseCommandOptions: DatabaseOptions = {
    ...databaseOptions(config),
    onMigrationLockWait: (wait) => console.error(`plaza ${command}: ${describeLockWait(wait)}`),
    onMigrationsAhead: (names) => console.error(`plaza ${command}: ${describeMigrationsAhead(names)}`),
  };
  try {
    switch (command) {
      case 'demo': {
        await ensureLocalRedis(config.REDIS_URL, config.PLAZA_DATA_DIR);
        const runtime = await createRuntime(
          { ...config, DIRECTLINE_SECRET: config.DIRECTLINE_SECRET ?? demoSecret(config.PLAZA_DATA_DIR) },
          logger,
        );
        await seedDemo(runtime.database.prisma, {
          controller: config.PRIVACY_CONTROLLER,
          contact: config.PRIVACY_CONTACT,
        });
        await serve(runtime, true);
        return -1;
      }
      case 'serve':
      case 'all': {
        if (command === 'serve' && !config.DATABASE_URL) {
          // The embedded database takes one process (a pid lock): no `plaza worker` could ever run beside
          // this one, so nothing would be pre-screened, carded or announced.
          console.error(
            'plaza serve: the embedded database (DATABASE_URL unset) runs in one process, with the queue ' +
              'workers: run `plaza all`, or set DATABASE_URL to a PostgreSQL database to run `plaza serve` ' +
              'and `plaza worker` apart.',
          );
          return 2;
        }
        const runtime = await createRuntime(config, logger);
        await serve(runtime, command === 'all');
        return -1;
      }
      case 'worker': {
        const runtime = await createRuntime(config, logger);
        const telegram = createTelegram(runtime);
        if (telegram) {
          await telegram.api.check();
          // Delivery loops may run in any number of processes: the worker's cards and notices go out even
          // while no `serve` process runs.
          telegram.channel.outbox.start();
        }
        const workers = await startWorker(runtime, telegram);
        onShutdown(logger, runtime, [
          ['closing the queue workers', () => workers.close()],
          ['stopping the Telegram outbox', async () => telegram?.channel.outbox.stop()],
          ['closing the database and Redis', () => runtime.close()],
        ]);
        return -1;
      }
      case 'chat': {
        await withRuntime({ ...config, LOG_LEVEL: 'warn' }, createLogger('warn'), (runtime) =>
          runConsoleChat({ engine: runtime.engine, input: process.stdin, output: process.stdout }),
        );
        return 0;
      }
      case 'migrate': {
        const db = await openDatabase(databaseCommandOptions);
        try {
          const applied = await db.migrate();
          console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
        } finally {
          await db.close();
        }
        return 0;
      }
      case 'seed': {
        const db = await openDatabase(databaseCommandOptions);
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
      case 'telegram':
        return await telegramCommand(argv[1], config);
      case 'moderators':
      case 'tokens': {
        // Database only: registering people and tokens needs no Redis.
        const db = await openDatabase(databaseCommandOptions);
        try {
          await db.migrate();
          const noQueue = () => Promise.reject(new Error(`plaza ${command} enqueues nothing`));
          const domain: DomainDeps = {
            db: db.prisma,
            queues: { moderateCase: noQueue, notify: noQueue, startBroadcast: noQueue },
            now: () => new Date(),
            logger,
          };
          const run = command === 'tokens' ? runTokensCommand : runModeratorsCommand;
          return await run(argv.slice(1), domain, {
            log: (line) => console.log(line),
            error: (line) => console.error(line),
          });
        } finally {
          await db.close();
        }
      }
      case 'queues': {
        const redis = await connectRedis({ url: config.REDIS_URL });
        const queues = createQueues({ redis, prefix: config.REDIS_PREFIX, logger });
        try {
          for (const queue of [queues.moderation, queues.notifications, queues.broadcasts]) {
            const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
            console.log(
              `${queue.name}: ${Object.entries(counts)
                .map(([k, v]) => `${v} ${k}`)
                .join(', ')}`,
            );
          }
        } finally {
          await queues.close();
          await redis.quit();
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
