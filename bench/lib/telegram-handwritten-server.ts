// Child process: the hand-written telegraf bot (telegram-handwritten-bot.ts) on node:http, on the database the
// Plaza child prepared (BENCH_DB_NAME) and Redis keys under BENCH_REDIS_PREFIX, sending to the fake Bot API.
// Its own Prisma client on @prisma/adapter-pg with the same pool size as Plaza's (10) and its own node-redis
// client. Announces `{ type: 'ready', port }`. Commands: `participants` (creates consenting participants
// with Telegram accounts for the given chats), `resources`, `supports`, `errors`, `profile-start`,
// `profile-stop`, `close`. Several may run at once (`--handwritten-processes N`), each on its own port with its
// own Prisma pool and Redis client; the parent sends `participants` to one of them only.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import { createClient } from 'redis';
import { countedResources } from './counters.ts';
import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { serveIpc } from './child.ts';
import { PhaseProfiler } from './profiler.ts';
import { databaseUrl } from './plaza-state.ts';
import { createTelegramParticipants, telegramSupports } from './telegram-db.ts';
import { createHandwrittenBot } from './telegram-handwritten-bot.ts';

export interface HandwrittenReady {
  type: 'ready';
  port: number;
}

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

async function main(): Promise<void> {
  const db = new PrismaClient({
    adapter: new PrismaPg({
      connectionString: databaseUrl(env('BENCH_PG_ADMIN_URL'), env('BENCH_DB_NAME')),
      max: 10,
    }),
  });
  const redis = createClient({ url: env('BENCH_REDIS_URL') });
  await redis.connect();
  const { bot, webhook, errors } = createHandwrittenBot({
    token: env('BENCH_BOT_TOKEN'),
    apiRoot: env('BENCH_API_ROOT'),
    secret: env('BENCH_WEBHOOK_SECRET'),
    db,
    redis,
    prefix: env('BENCH_REDIS_PREFIX'),
  });
  // As bot.launch() would: learn who the bot is once, before the first update.
  bot.botInfo = await bot.telegram.getMe();
  const server = createServer((req, res) => {
    void webhook(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const profiler = new PhaseProfiler();
  serveIpc(
    {
      participants: (chats) => createTelegramParticipants(db, chats as number[]),
      resources: () => countedResources(),
      supports: (chats) => telegramSupports(db, chats as number[]),
      errors: () => errors(),
      'profile-start': () => profiler.start(),
      'profile-stop': async (file) => {
        await profiler.stop(String(file));
        return file;
      },
    },
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.$disconnect();
      await redis.quit().catch(() => undefined);
    },
  );
  const ready: HandwrittenReady = { type: 'ready', port };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
});
