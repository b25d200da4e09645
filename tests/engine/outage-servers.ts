// Stores that a test can take down and bring back without touching the shared PostgreSQL and Redis: a
// redis-server of its own, and a TCP hop in front of PostgreSQL that the test cuts (connections reset, new
// ones refused: what a crashed or unreachable server looks like to Plaza) and restores.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP port nothing listens on (taken from the OS, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A redis-server of the test's own on a free port; `stop({ save: true })` keeps its data for `start()`. */
export class OwnRedis {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'plaza-outage-redis-'));
  constructor(readonly port: number) {}

  static async create(): Promise<OwnRedis> {
    const own = new OwnRedis(await freePort());
    await own.start();
    return own;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    execFileSync('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', this.dir, '--dbfilename', 'dump.rdb', '--pidfile', path.join(this.dir, 'redis.pid'),
      '--daemonize', 'yes',
    ]); // prettier-ignore
    for (let i = 0; i < 250; i++) {
      try {
        if (this.cli('PING').trim() === 'PONG') return;
      } catch {
        /* not up yet */
      }
      await sleep(20);
    }
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  cli(...args: string[]): string {
    return execFileSync('redis-cli', ['-p', String(this.port), ...args], { stdio: 'pipe' }).toString();
  }

  /** Shuts the server down (saving its data first when asked, as a restart with persistence would). */
  stop(opts: { save?: boolean } = {}): void {
    try {
      this.cli('SHUTDOWN', opts.save ? 'SAVE' : 'NOSAVE');
    } catch {
      /* already down (redis-cli also fails when the server closes the connection on shutdown) */
    }
  }

  remove(): void {
    this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A TCP hop to `target` (host:port) on a port of its own, which the test cuts and restores. */
export class TcpHop {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async create(target: { host: string; port: number }): Promise<TcpHop> {
    const hop = new TcpHop(await freePort(), target);
    await hop.restore();
    return hop;
  }

  /** `url` with its host and port replaced by the hop's. */
  through(url: string): string {
    const u = new URL(url);
    u.host = `127.0.0.1:${this.port}`;
    return u.toString();
  }

  /** Resets every connection through the hop and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise((resolve) => server.close(resolve)) : undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    await closed;
  }

  async restore(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }
}
