// PostgreSQL work has time limits: a server that accepts and never answers fails a start (and a query) after
// the connect timeout, with one clear line; a statement held up by a locked table, or running too long, is
// cancelled by the server (lock_timeout, statement_timeout: connection parameters of the application's pool,
// named prepared statements and transactions included) — but never the migrations. An outage of the server
// is logged once when it starts and once when it ends.
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatabaseUnavailableError, openDatabase, type Database } from '../../src/db/client.ts';
import { LIFT_STATEMENT_TIMEOUT } from '../../src/db/long-work.ts';
import { createLogger } from '../../src/logger.ts';
import { runCli } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let testDb: TestDatabase;
const opened: Database[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  for (const db of opened) await db.close().catch(() => undefined);
  await testDb?.drop();
});

async function open(opts: Parameters<typeof openDatabase>[0]): Promise<Database> {
  const db = await openDatabase(opts);
  opened.push(db);
  return db;
}

/** A server that accepts connections and never answers (a frozen postmaster). */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgresql://plaza:s3cret-pw@127.0.0.1:${port}/plaza`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** How a Prisma error carries the driver's SQLSTATE (P2010 raw query, P2039 model query alike). */
const sqlState = (error: unknown): unknown =>
  (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta
    ?.driverAdapterError?.cause?.originalCode;

async function elapsed<T>(fn: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  try {
    await fn();
    return { ms: Date.now() - started, error: undefined };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

describe('connect timeout', () => {
  it('fails the migrations connection, and a query, when the server accepts and never answers', async () => {
    const silent = await silentServer();
    try {
      const db = await open({ databaseUrl: silent.url, dataDir: '', connectTimeoutMs: 800 });
      const migrating = await elapsed(() => db.migrate());
      expect(migrating.error).toBeInstanceOf(DatabaseUnavailableError);
      expect(String((migrating.error as Error).message)).toBe(
        'Cannot connect to PostgreSQL at postgresql://plaza:***@127.0.0.1:' +
          `${new URL(silent.url).port}/plaza: no answer within 800 ms`,
      );
      expect(migrating.ms).toBeLessThan(3000);
      const querying = await elapsed(() => db.prisma.$queryRaw`SELECT 1`);
      expect(querying.error).toBeInstanceOf(Error);
      expect(querying.ms).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
  });

  it('stops `plaza migrate` and `plaza serve` with one line instead of waiting forever', async () => {
    const silent = await silentServer();
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    try {
      const env = {
        DATABASE_URL: silent.url,
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        LOG_LEVEL: 'silent',
        REDIS_URL: process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      };
      const migrate = await elapsed(async () => expect(await runCli(['migrate'], env)).toBe(1));
      const serve = await elapsed(async () => expect(await runCli(['serve'], env)).toBe(1));
      expect(migrate.error).toBeUndefined();
      expect(serve.error).toBeUndefined();
      expect(migrate.ms + serve.ms).toBeLessThan(6000);
    } finally {
      spy.mockRestore();
      await silent.close();
    }
    const where = `postgresql://plaza:***@127.0.0.1:${new URL(silent.url).port}/plaza`;
    expect(lines).toEqual([
      `plaza migrate: Cannot connect to PostgreSQL at ${where}: no answer within 1 s`,
      `plaza serve: Cannot connect to PostgreSQL at ${where}: no answer within 1 s`,
    ]);
  });

  it('bounds the wait for a free connection when the pool is busy', async () => {
    const db = await open({ databaseUrl: testDb.url, dataDir: '', poolSize: 1, connectTimeoutMs: 1000 });
    const busy = db.prisma.$queryRaw`SELECT pg_sleep(4)`.then(
      () => undefined,
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    const waiting = await elapsed(() => db.prisma.participant.findFirst());
    expect(String((waiting.error as Error | undefined)?.message)).toMatch(
      /timeout exceeded when trying to connect/,
    );
    expect(waiting.ms).toBeLessThan(3000);
    await busy;
  });
});

describe('statement and lock timeouts', () => {
  it('cancels a statement waiting for a locked table (55P03) or running too long (57014)', async () => {
    const db = await open({
      databaseUrl: testDb.url,
      dataDir: '',
      statementTimeoutMs: 1500,
      lockTimeoutMs: 700,
    });
    const locker = new pg.Client({ connectionString: testDb.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "Participant" IN ACCESS EXCLUSIVE MODE');
      // Twice each: the second run reuses the named prepared statement of the first.
      for (let i = 0; i < 2; i++) {
        const model = await elapsed(() => db.prisma.participant.findFirst());
        expect(sqlState(model.error)).toBe('55P03');
        expect(model.ms).toBeLessThan(4000);
        const raw = await elapsed(() => db.prisma.$queryRaw`SELECT count(*) FROM "Participant"`);
        expect(sqlState(raw.error)).toBe('55P03');
        const inTransaction = await elapsed(() =>
          db.prisma.$transaction(async (tx) => tx.participant.count(), { timeout: 10_000 }),
        );
        expect(sqlState(inTransaction.error)).toBe('55P03');
      }
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const slow = await elapsed(() => db.prisma.$queryRaw`SELECT pg_sleep(5)`);
    expect(sqlState(slow.error)).toBe('57014');
    expect(slow.ms).toBeGreaterThanOrEqual(1400);
    expect(slow.ms).toBeLessThan(4000);
    // The connections are fine afterwards, and carry the limits.
    const [settings] = await db.prisma.$queryRaw<{ statement: string; lock: string }[]>`
      SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock`;
    expect(settings).toEqual({ statement: '1500ms', lock: '700ms' });
  });

  it('lets known long work run past the statement timeout, in its own transaction only', async () => {
    const db = await open({ databaseUrl: testDb.url, dataDir: '', statementTimeoutMs: 1000 });
    // Twice: the second run reuses the named prepared statements of the first.
    for (let i = 0; i < 2; i++) {
      const long = await elapsed(() =>
        db.prisma.$transaction(
          async (tx) => {
            await tx.$executeRaw(LIFT_STATEMENT_TIMEOUT);
            await tx.$queryRaw`SELECT pg_sleep(1.3)::text`;
          },
          { timeout: 10_000 },
        ),
      );
      expect(long.error).toBeUndefined();
      const batch = await elapsed(() =>
        db.prisma.$transaction([
          db.prisma.$executeRaw(LIFT_STATEMENT_TIMEOUT),
          db.prisma.$queryRaw`SELECT pg_sleep(1.3)::text`,
        ]),
      );
      expect(batch.error).toBeUndefined();
    }
    // Lifted for that transaction only: the pool's connections still carry the limit.
    const after = await elapsed(() => db.prisma.$queryRaw`SELECT pg_sleep(1.3)::text`);
    expect(sqlState(after.error)).toBe('57014');
  });

  it('sets neither with 0 (the server decides), nor on the migrations connection', async () => {
    const none = await open({
      databaseUrl: testDb.url,
      dataDir: '',
      statementTimeoutMs: 0,
      lockTimeoutMs: 0,
    });
    const [settings] = await none.prisma.$queryRaw<{ statement: string; lock: string }[]>`
      SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock`;
    expect(settings).toEqual({ statement: '0', lock: '0' });
    // Another process holds the migrations' lock for 2 s: with the application's limits (0.3 s) the
    // migrations would be cancelled; they wait, then run.
    const db = await open({
      databaseUrl: testDb.url,
      dataDir: '',
      statementTimeoutMs: 300,
      lockTimeoutMs: 300,
    });
    const holder = new pg.Client({ connectionString: testDb.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock(72707001)');
    const release = new Promise<void>((resolve) =>
      setTimeout(() => {
        void holder
          .query('SELECT pg_advisory_unlock(72707001)')
          .then(() => holder.end())
          .then(resolve);
      }, 2000),
    );
    const migrating = await elapsed(() => db.migrate());
    await release;
    expect(migrating.error).toBeUndefined();
    expect(migrating.ms).toBeGreaterThanOrEqual(1900);
  });
});

/** A TCP proxy to the test's PostgreSQL that can be cut (connections dropped, new ones refused) and restored. */
async function cuttableProxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server!.address() as { port: number }).port;
  };
  await listen();
  const url = new URL(target);
  url.port = String(port);
  return {
    url: url.toString(),
    async cut() {
      const closing = new Promise((resolve) => server!.close(resolve));
      for (const s of sockets) s.destroy();
      await closing;
    },
    restore: listen,
  };
}

describe('a PostgreSQL outage', () => {
  it('is logged once when connections cannot open, and once when they can again', async () => {
    const proxy = await cuttableProxy(new URL(testDb.url));
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const db = await open({ databaseUrl: proxy.url, dataDir: '', connectTimeoutMs: 1000, logger });
    await db.prisma.$queryRaw`SELECT 1`;
    expect(lines).toEqual([]);
    await proxy.cut();
    for (let i = 0; i < 10; i++) await expect(db.prisma.$queryRaw`SELECT 1`).rejects.toBeDefined();
    const down = lines.filter((l) => l.msg === 'PostgreSQL unreachable');
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ level: 50, module: 'database', err: { code: 'ECONNREFUSED' } });
    // At most one more line: the idle connection the cut closed.
    expect(lines.length).toBeLessThanOrEqual(2);
    await proxy.restore();
    await db.prisma.$queryRaw`SELECT 1`;
    await db.prisma.$queryRaw`SELECT 1`;
    const back = lines.filter((l) => /^PostgreSQL back after \d+ s$/.test(String(l.msg)));
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ level: 30, failures: expect.any(Number) });
    expect(lines.length).toBeLessThanOrEqual(3);
    await proxy.cut();
  });
});
