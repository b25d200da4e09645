// Redis going away and coming back, as a `plaza all` process lives it: the shared client, the BullMQ queues
// and workers, the Telegram delivery loop and the inbox's consumers, all on a Redis server of this test's own
// (the shared one is never stopped). While it is down the log says so once — JSON lines through the logger,
// no console dumps, no line per retry — and once when it is back; then everything works again by itself.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TelegramInbox } from '../../channels/telegram/inbox.ts';
import { TelegramOutbox } from '../../channels/telegram/outbox.ts';
import { createLogger } from '../../src/logger.ts';
import { createQueues, type Queues } from '../../src/queues/queues.ts';
import { startWorkers, type Workers } from '../../src/queues/workers.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'plaza-redis-outage-'));
let port = 0;

function startRedis(): void {
  execFileSync('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--dir',
    dir,
    '--pidfile',
    path.join(dir, 'redis.pid'),
  ]);
}

function stopRedis(): void {
  try {
    execFileSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'], { stdio: 'ignore' });
  } catch {
    // already down
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: p } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return p;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  port = await freePort();
  startRedis();
  await until('the test Redis', async () => {
    const probe = await connectRedis({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 500 });
    await probe.quit();
    return true;
  });
});

afterAll(() => {
  stopRedis();
  rmSync(dir, { recursive: true, force: true });
});

describe('a Redis outage', () => {
  it('is logged once when it starts and once when it ends, and everything resumes by itself', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const consoleError = vi.spyOn(console, 'error');
    const consoleWarn = vi.spyOn(console, 'warn');
    const stderr = vi.spyOn(process.stderr, 'write');
    const redis: Redis = await connectRedis({ url: `redis://127.0.0.1:${port}`, logger });
    const prefix = 'outage';
    let queues: Queues | undefined;
    let workers: Workers | undefined;
    const sent: string[] = [];
    const handled: number[] = [];
    let down = false;
    const outbox = new TelegramOutbox({
      redis,
      prefix,
      logger: logger.child({ module: 'telegram' }),
      perSecond: 100,
      chatIntervalMs: 0,
      callApi: async (_method, params) => {
        sent.push(String(params.text));
        return { message_id: sent.length };
      },
    });
    const inbox = new TelegramInbox({
      redis,
      prefix,
      logger,
      channel: {
        handleUpdate: async (update) => {
          handled.push(update.update_id);
        },
      },
    });
    try {
      queues = createQueues({ redis, prefix, logger });
      workers = startWorkers({
        redis,
        prefix,
        logger,
        // No job reaches a handler here: a malformed job fails before it.
        moderation: {} as never,
        notifications: {} as never,
        broadcasts: {} as never,
        stalledIntervalMs: 5000,
      });
      outbox.start();
      inbox.start({ concurrency: 8 });
      await queues.moderation.waitUntilReady();
      await sleep(500);
      expect(lines).toEqual([]);

      const ticks = vi.spyOn(outbox, 'tick');
      stopRedis();
      down = true;
      await sleep(4000);
      const during = lines.splice(0);
      // The delivery loop backs off (0.5 s, 1 s, 2 s…) instead of retrying every half second.
      expect(ticks.mock.calls.length).toBeLessThanOrEqual(5);
      ticks.mockRestore();
      // One line per thing that noticed, none repeated: the client's, the delivery loop's, the consumers'.
      const messages = during.map((l) => String(l.msg));
      expect(messages.filter((m) => m.startsWith('Redis unreachable'))).toHaveLength(1);
      expect(new Set(messages).size, messages.join('\n')).toBe(messages.length);
      expect(during.length, messages.join('\n')).toBeLessThanOrEqual(4);
      expect(messages.filter((m) => /worker error|queue error/.test(m))).toEqual([]);
      const told = during.find((l) => String(l.msg).startsWith('Redis unreachable'))!;
      expect(told).toMatchObject({ level: 50, module: 'redis' });
      expect(told.err).toBeTypeOf('object');

      startRedis();
      down = false;
      await until('Redis to be back', () =>
        lines.some((l) => /^Redis back after \d+ s$/.test(String(l.msg))),
      );
      // Everything works again without a restart: the delivery loop, the inbox, the queues and workers.
      await outbox.enqueue('u1', '42', [{ method: 'sendMessage', params: { chat_id: 42, text: 'hola' } }]);
      await until('the message to go out', () => sent.includes('hola'));
      await inbox.accept({ update_id: 7001, message: { chat: { id: 42 } } } as never);
      await until('the inbox to handle the update', () => handled.includes(7001));
      const job = await queues.moderation.add('case', { caseId: 'not a number' } as never);
      await until('a worker to take the job', async () => (await job.getState()) === 'failed');
      await sleep(500);
      const after = lines.splice(0);
      const afterMessages = after.map((l) => String(l.msg));
      // Back (info), each loop's end of its outage (info), and the malformed job (warn).
      expect(afterMessages.filter((m) => m.startsWith('Redis back'))).toHaveLength(1);
      expect(after.filter((l) => Number(l.level) >= 50)).toEqual([]);
      expect(afterMessages.filter((m) => m !== 'job failed' && !/ after \d+ s$/.test(m))).toEqual([]);
      expect(afterMessages.length).toBeLessThanOrEqual(4);
      // Nothing went around the logger (BullMQ prints errors to the console when nobody listens).
      expect(consoleError).not.toHaveBeenCalled();
      expect(consoleWarn).not.toHaveBeenCalled();
      expect(stderr.mock.calls.map(([chunk]) => String(chunk)).filter(Boolean)).toEqual([]);
    } finally {
      // A failed expectation mid-outage: closing needs Redis.
      if (down) startRedis();
      consoleError.mockRestore();
      consoleWarn.mockRestore();
      stderr.mockRestore();
      await inbox.stop();
      await outbox.stop();
      await workers?.close();
      await queues?.close();
      // quit() waits for a reconnection that may not have happened yet.
      await Promise.race([redis.quit().catch(() => undefined), sleep(2000)]);
      if (redis.isOpen) redis.destroy();
    }
  }, 60_000);
});
