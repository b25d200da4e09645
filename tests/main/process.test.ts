// Plaza as an operator runs it: a real `plaza all` process on the embedded database, stopped with SIGTERM
// while a turn is in flight; and the demo's local Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalRedis } from '../../src/redis/local-redis.ts';
import { connectRedis } from '../../src/redis/client.ts';
import { deleteKeys, REDIS_URL } from '../support/plaza.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('the plaza process', () => {
  it('serves on the embedded database, finishes the turn in flight on SIGTERM, exits 0 and frees the database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'plaza-proc-'));
    dirs.push(dataDir);
    const port = await freePort();
    const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
    const child = spawn(process.execPath, ['bin/plaza.mjs', 'all'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PLAZA_DATA_DIR: dataDir,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 45_000;
    while (!output.includes('Plaza listening')) {
      if (Date.now() > deadline) throw new Error(`did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const { token, conversationId } = (await (
      await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST' })
    ).json()) as {
      token: string;
      conversationId: string;
    };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: auth });
    const inFlight = fetch(`${base}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', text: 'hola', from: { id: 'x' } }),
    });
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await exited).toBe(0);
    expect(output).toMatch(/shutting down: finishing turns in flight/);
    expect(output).not.toMatch(/hola/); // no message text in the logs
    expect(existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);
    const redis = await connectRedis({ url: REDIS_URL });
    await deleteKeys({ redis }, `${prefix}:*`);
    await redis.quit();
  }, 60_000);

  it('the demo starts a redis-server when none answers, and leaves a running one alone', async () => {
    expect(await ensureLocalRedis(REDIS_URL, tmpdir())).toBeUndefined();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'plaza-redis-'));
    dirs.push(dataDir);
    const url = `redis://127.0.0.1:${await freePort()}`;
    const child = await ensureLocalRedis(url, dataDir);
    expect(child).toBeDefined();
    children.push(child!);
    const redis = await connectRedis({ url });
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
    child!.kill();
  });
});
