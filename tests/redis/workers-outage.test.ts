// The queue workers while Redis is down: they wait for it, calmly. BullMQ does not take node-redis's "client
// is offline" for a lost connection, so workers on a client that refuses commands while offline asked for the
// next job again at once, for ever — the whole CPU, and an event loop that never turned (no signal handled,
// no timer, no HTTP answer) until Redis came back. Run in a child process: a starved event loop would starve
// the test's own timers too.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnRedis } from '../engine/outage-servers.ts';

let own: OwnRedis;
beforeAll(async () => {
  own = await OwnRedis.create();
});
afterAll(() => own?.remove());

const source = (file: string) => fileURLToPath(new URL(`../../src/${file}`, import.meta.url));

/** Starts the workers, says so, then reports how late 100 ms timers fire over 2 s, and the CPU it used. */
const CHILD = `
const { connectRedis } = await import(${JSON.stringify(source('redis/client.ts'))});
const { startWorkers } = await import(${JSON.stringify(source('queues/workers.ts'))});
const { createLogger } = await import(${JSON.stringify(source('logger.ts'))});
const logger = createLogger('silent');
const redis = await connectRedis({ url: process.env.OWN_REDIS_URL, logger });
startWorkers({ redis, prefix: 'plazatest-spin', logger, moderation: {}, notifications: {}, broadcasts: {} });
console.log('started');
await new Promise((r) => process.stdin.once('data', r));
const cpu = process.cpuUsage();
let worstLagMs = 0;
for (let i = 0; i < 20; i++) {
  const t = Date.now();
  await new Promise((r) => setTimeout(r, 100));
  worstLagMs = Math.max(worstLagMs, Date.now() - t - 100);
}
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ worstLagMs, cpuMs: Math.round((used.user + used.system) / 1000) }));
process.exit(0);
`;

describe('queue workers during a Redis outage', () => {
  it('keep the event loop turning and the CPU idle, even when Redis goes away as they start', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await own.start();
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
        env: { ...process.env, OWN_REDIS_URL: own.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      const deadline = Date.now() + 20_000;
      while (!output.includes('started')) {
        if (Date.now() > deadline) throw new Error(`the child did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      // At once: the workers are still setting up their connections (when the endless loop showed most).
      own.stop();
      await new Promise((r) => setTimeout(r, 300));
      child.stdin!.write('go\n');
      const finished = await Promise.race([
        exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 15_000)),
      ]);
      if (!finished) child.kill('SIGKILL');
      expect(finished, `the child's event loop did not turn for 15 s:\n${output}`).toBe(true);
      const report = JSON.parse(output.trim().split('\n').at(-1)!) as { worstLagMs: number; cpuMs: number };
      expect(report.worstLagMs).toBeLessThan(500);
      // 2 s of waiting: a spinning loop would use all of it.
      expect(report.cpuMs).toBeLessThan(1000);
    }
  }, 90_000);
});
