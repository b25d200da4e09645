// Stopping Plaza while Redis is down: `plaza worker` and `plaza all` do not wait on the Redis that is gone
// (BullMQ's close, node-redis's QUIT would wait forever), say so, and exit 0 at once; a shutdown that does
// hang is cut after 15 s with one line naming the step it was at. Real processes, a redis-server of the
// test's own (the shared one is never stopped), a PostgreSQL database of the test's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { runShutdown } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort, OwnRedis } from '../engine/outage-servers.ts';

let testDb: TestDatabase;
let own: OwnRedis;
const children: ChildProcess[] = [];
beforeAll(async () => {
  testDb = await createTestDatabase();
  own = await OwnRedis.create();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  own?.remove();
  await testDb?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(command: string, ready: string) {
  const child = spawn(process.execPath, ['bin/plaza.mjs', command], {
    env: {
      ...process.env,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATABASE_URL: testDb.url,
      REDIS_URL: own.url,
      REDIS_PREFIX: `plazatest-${randomBytes(4).toString('hex')}`,
      DIRECTLINE_SECRET: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 45_000;
  while (!output.includes(ready)) {
    if (Date.now() > deadline) throw new Error(`plaza ${command} did not start:\n${output}`);
    await sleep(50);
  }
  return { child, exited, output: () => output };
}

describe('SIGTERM while Redis is down', () => {
  it('`plaza worker` and `plaza all` exit 0 within seconds, saying what they did not wait for', async () => {
    const [worker, all] = await Promise.all([
      start('worker', 'workers ready'),
      start('all', 'Plaza listening'),
    ]);
    own.stop();
    for (const p of [worker, all]) {
      const deadline = Date.now() + 10_000;
      while (!p.output().includes('Redis unreachable')) {
        if (Date.now() > deadline) throw new Error(`the outage was not noticed:\n${p.output()}`);
        await sleep(50);
      }
    }
    const started = Date.now();
    worker.child.kill('SIGTERM');
    all.child.kill('SIGTERM');
    // Before: 15 s, then exit code 1 without a word (or never, with an event loop starved by the workers).
    const within = (exited: Promise<number | null>) =>
      Promise.race([exited, sleep(20_000).then(() => 'still running' as const)]);
    const codes = await Promise.all([within(worker.exited), within(all.exited)]);
    const seconds = (Date.now() - started) / 1000;
    expect(codes).toEqual([0, 0]);
    expect(seconds).toBeLessThan(8);
    for (const p of [worker, all]) {
      const lines = p
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
      const from = lines.findIndex((l) => l.msg === 'shutting down: finishing turns in flight');
      expect(from).toBeGreaterThanOrEqual(0);
      expect(lines.slice(from).map((l) => l.msg)).toContain(
        'closing the queue workers without waiting for their jobs: Redis is unreachable (jobs in hand run again once it is back)',
      );
    }
    // Only the process that serves web chat says its tokens will not survive a restart.
    expect(all.output()).toMatch(/DIRECTLINE_SECRET not set/);
    expect(worker.output()).not.toMatch(/DIRECTLINE_SECRET/);
    await own.start();
  }, 90_000);
});

describe('runShutdown', () => {
  function capture() {
    const lines: { level: number; msg: string; step?: string }[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    return { lines, logger };
  }

  it('runs every step in order and exits 0', async () => {
    const { lines, logger } = capture();
    const ran: string[] = [];
    const exit = vi.fn();
    await runShutdown(
      logger,
      'SIGTERM',
      [
        ['a', async () => void ran.push('a')],
        ['b', async () => void ran.push('b')],
      ],
      { exit },
    );
    expect(ran).toEqual(['a', 'b']);
    expect(exit.mock.calls).toEqual([[0]]);
    expect(lines.map((l) => l.msg)).toEqual(['shutting down: finishing turns in flight']);
  });

  it('goes on after a step that fails, and exits 1', async () => {
    const { lines, logger } = capture();
    const exit = vi.fn();
    let last = false;
    await runShutdown(
      logger,
      'SIGTERM',
      [
        ['closing the queue workers', () => Promise.reject(new Error('boom'))],
        ['closing the database and Redis', async () => void (last = true)],
      ],
      { exit },
    );
    expect(last).toBe(true);
    expect(exit.mock.calls).toEqual([[1]]);
    expect(lines[1]).toMatchObject({
      level: 50,
      step: 'closing the queue workers',
      msg: 'shutdown: closing the queue workers failed',
    });
  });

  it('cut short after the time limit, logs one line naming the step it was at, and exits 1', async () => {
    const { lines, logger } = capture();
    const exited = new Promise<number>((resolve) => {
      void runShutdown(
        logger,
        'SIGTERM',
        [
          ['finishing turns in flight', async () => undefined],
          ['closing the queue workers', () => new Promise(() => undefined)],
        ],
        { timeoutMs: 200, exit: resolve, why: () => 'Redis is unreachable' },
      );
    });
    expect(await exited).toBe(1);
    expect(lines.at(-1)).toMatchObject({
      level: 50,
      step: 'closing the queue workers',
      msg: 'shutdown did not finish within 0.2 s: still closing the queue workers (Redis is unreachable); exiting with code 1',
    });
  });
});
