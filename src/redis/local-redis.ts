// For the demo only: when nothing answers at a local REDIS_URL, start a `redis-server` found on PATH, with
// no persistence, its files under the data directory. It stops with the process that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { connectRedis, redactUrl, RedisUnavailableError } from './client.ts';

/** Its message is printed as is at start-up: the URL in it has its password hidden. */
export class NoRedisError extends Error {
  constructor(url: string) {
    super(
      `Redis does not answer at ${redactUrl(url)} and no redis-server was found to start. Install it ` +
        '(Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) and start it, ' +
        'or set REDIS_URL to a Redis you can reach.',
    );
    this.name = 'NoRedisError';
  }
}

/**
 * Whether a Redis answers at the URL. One that answers and refuses (a wrong or missing password, a database
 * index it lacks) is not "nothing listens": its error, which says why, is thrown as is — starting another
 * redis-server could not help, its port is taken.
 */
async function answers(url: string): Promise<boolean> {
  try {
    const client = await connectRedis({ url, connectTimeoutMs: 1000 });
    await client.quit();
    return true;
  } catch (error) {
    if (error instanceof RedisUnavailableError && error.kind === 'unreachable') return false;
    throw error;
  }
}

/** Resolves with the child process it started, or undefined when a Redis already answered. */
export async function ensureLocalRedis(url: string, dataDir: string): Promise<ChildProcess | undefined> {
  if (await answers(url)) return undefined;
  const { hostname, port } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) throw new NoRedisError(url);
  const dir = path.resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--port', port || '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
  if (!started) throw new NoRedisError(url);
  process.once('exit', () => child.kill());
  try {
    for (let i = 0; i < 50; i++) {
      if (await answers(url)) return child;
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    // It answered and refused (REDIS_URL names a password or database the new server does not have).
    child.kill();
    throw error;
  }
  child.kill();
  throw new NoRedisError(url);
}
