// isInfrastructureError on the errors the drivers really throw when a store is down — never on hand-made
// lookalikes: node-redis against a Redis of this file's own that is shut down (and a closed client), Prisma
// (through Plaza's own openDatabase: adapter-pg, named statements) against a dead port, a database refusing
// connections and a connection cut under a query, and botbuilder's DialogContextError wrapping them. Errors
// that are the turn's own fault (a constraint, a syntax error, a wrong Redis type) must stay "not
// infrastructure": they are apologised for, not retried for ever.
import net from 'node:net';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, type TurnContext } from 'botbuilder';
import { DialogContextError, DialogSet, WaterfallDialog } from 'botbuilder-dialogs';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { CollectingAdapter } from '../../src/engine/adapter.ts';
import { isInfrastructureError } from '../../src/engine/errors.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { RedisScript } from '../../src/redis/script.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { ADMIN_URL } from '../support/global-setup.ts';
import { freePort, OwnRedis, TcpHop } from './outage-servers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const deadPort = freePort;

/** What the promise rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('Redis down: node-redis errors (offline queue disabled, as src/redis/client.ts connects)', () => {
  let own: OwnRedis;
  let redis: Redis;
  beforeAll(async () => {
    own = await OwnRedis.create();
  });
  afterAll(() => {
    redis?.destroy();
    own?.remove();
  });

  it('no Redis at the address: RedisUnavailableError', async () => {
    const error = await rejection(connectRedis({ url: `redis://127.0.0.1:${await deadPort()}` }));
    expect(isInfrastructureError(error)).toBe(true);
  });

  /** Redis up again, and the client reconnected (it does so by itself). */
  async function up(): Promise<void> {
    if ((await redis.ping().catch(() => 'down')) === 'PONG') return;
    await own.start().catch(() => undefined);
    for (let i = 0; (await redis.ping().catch(() => 'down')) !== 'PONG'; i++) {
      if (i > 100) throw new Error('no reconnection');
      await sleep(50);
    }
  }

  it('a command in flight when Redis goes away, and commands while it is away', async () => {
    redis = await connectRedis({ url: own.url });
    await redis.set('k', '1');
    try {
      // Not ours to answer: a blocking pop still waiting when the server shuts down.
      const inFlight = rejection(redis.blPop('plaza-errors-nothing', 5));
      await sleep(50);
      own.stop();
      const closed = await inFlight;
      expect((closed as Error).message).toBe('Socket closed unexpectedly');
      expect((closed as Error).name).toBe('Error'); // node-redis does not set it: a lookup by name misses it
      expect(isInfrastructureError(closed)).toBe(true);

      await sleep(50);
      const offline = await rejection(redis.get('k'));
      expect((offline as Error).message).toBe('The client is offline');
      expect(isInfrastructureError(offline)).toBe(true);
      // The turn gate, the inbox and the outbox run their scripts through RedisScript (EVALSHA).
      const script = await rejection(new RedisScript('return 1').run(redis, [], []));
      expect(isInfrastructureError(script)).toBe(true);
    } finally {
      await up();
    }
  });

  it('a closed client', async () => {
    const client = await connectRedis({ url: own.url });
    client.destroy();
    const error = await rejection(client.get('k'));
    expect(isInfrastructureError(error)).toBe(true);
  });

  it('Redis up but refusing: READONLY (a replica during a failover), OOM (maxmemory, noeviction)', async () => {
    await redis.sendCommand(['REPLICAOF', '127.0.0.1', String(await deadPort())]);
    try {
      const readonly = await rejection(redis.set('k', '2'));
      expect((readonly as Error).message).toMatch(/^READONLY/);
      expect(isInfrastructureError(readonly)).toBe(true);
    } finally {
      await redis.sendCommand(['REPLICAOF', 'NO', 'ONE']);
    }
    await redis.configSet({ 'maxmemory-policy': 'noeviction', maxmemory: '1' });
    try {
      const oom = await rejection(redis.set('big', 'x'.repeat(1000)));
      expect((oom as Error).message).toMatch(/^OOM/);
      expect(isInfrastructureError(oom)).toBe(true);
    } finally {
      await redis.configSet({ maxmemory: '0' });
    }
  });

  it('not infrastructure: a reply that is the command’s own fault (WRONGTYPE, a script error)', async () => {
    await redis.set('a-string', 'x');
    const wrongType = await rejection(redis.lPush('a-string', 'y'));
    expect((wrongType as Error).message).toMatch(/^WRONGTYPE/);
    expect(isInfrastructureError(wrongType)).toBe(false);
    const scriptError = await rejection(new RedisScript("return redis.call('nope')").run(redis, [], []));
    expect(isInfrastructureError(scriptError)).toBe(false);
  });
});

describe('PostgreSQL down: Prisma errors, through Plaza’s openDatabase (adapter-pg)', () => {
  let dead: Database;
  beforeAll(async () => {
    dead = await openDatabase({
      databaseUrl: `postgresql://postgres@127.0.0.1:${await deadPort()}/plaza`,
      dataDir: '',
    });
  });
  afterAll(() => dead?.close());

  it('nothing listening: a model call (P1001) and raw SQL (P2010, DatabaseNotReachable)', async () => {
    const model = await rejection(dead.prisma.participant.findFirst());
    expect(model).toMatchObject({ code: 'P1001' });
    expect(isInfrastructureError(model)).toBe(true);

    const raw = await rejection(dead.prisma.$queryRaw`SELECT 1`);
    expect(raw).toMatchObject({
      code: 'P2010',
      meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable' } } },
    });
    expect(isInfrastructureError(raw)).toBe(true);
  });

  it('nothing listening: the hot path’s own raw query (find-participant) and a transaction', async () => {
    const hot = await rejection(
      findParticipant({ db: dead.prisma, now: () => new Date() }, { channel: 'telegram', externalId: '1' }),
    );
    expect(hot).toMatchObject({ code: 'P2010' });
    expect(isInfrastructureError(hot)).toBe(true);
    const tx = await rejection(dead.prisma.$transaction(async (db) => db.$queryRaw`SELECT 1`));
    expect(isInfrastructureError(tx)).toBe(true);
  });

  it('a server that accepts and never answers, and a pool with no free connection (connect timeouts)', async () => {
    const silent = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const mute = new PrismaClient({
      adapter: new PrismaPg({
        connectionString: `postgresql://postgres@127.0.0.1:${port}/plaza`,
        connectionTimeoutMillis: 200,
      }),
    });
    try {
      expect(isInfrastructureError(await rejection(mute.$queryRaw`SELECT 1`))).toBe(true);
      expect(isInfrastructureError(await rejection(mute.participant.findFirst()))).toBe(true);
    } finally {
      await mute.$disconnect();
      silent.close();
    }

    const one = new PrismaClient({
      adapter: new PrismaPg({ connectionString: ADMIN_URL, max: 1, connectionTimeoutMillis: 200 }),
    });
    try {
      const busy = one.$transaction(async (tx) => tx.$executeRaw`SELECT pg_sleep(0.6)`);
      await sleep(100);
      const waited = await rejection(one.$queryRaw`SELECT 1`);
      expect((waited as Error).message).toMatch(/timeout exceeded when trying to connect/);
      expect(isInfrastructureError(waited)).toBe(true);
      await busy;
    } finally {
      await one.$disconnect();
    }
  });

  describe('a database of its own on the shared server', () => {
    let db: TestDatabase;
    let admin: pg.Client;
    let name: string;
    beforeAll(async () => {
      db = await createTestDatabase();
      name = new URL(db.url).pathname.slice(1);
      admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin?.end();
      await db?.drop();
    });
    const terminate = () =>
      admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);

    it('the server terminating the connection under a query (57P01)', async () => {
      const raw = rejection(db.prisma.$queryRaw`SELECT pg_sleep(5)`);
      await sleep(300);
      await terminate();
      const error = await raw;
      expect(error).toMatchObject({ code: 'P2010' });
      expect(isInfrastructureError(error)).toBe(true);
    });

    it('the database refusing new connections (FATAL 55000): raw SQL and a model call', async () => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      try {
        await terminate();
        await sleep(100);
        const raw = await rejection(db.prisma.$queryRaw`SELECT 1`);
        expect(isInfrastructureError(raw)).toBe(true);
        const model = await rejection(db.prisma.participant.findFirst());
        expect(isInfrastructureError(model)).toBe(true);
      } finally {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      }
      await db.prisma.$queryRaw`SELECT 1`;
    });

    it('the connection cut under a query (ConnectionClosed), then nothing listening', async () => {
      // A TCP hop between Plaza and PostgreSQL that the test cuts: what a crash or a network failure looks like.
      const url = new URL(db.url);
      const hop = await TcpHop.create({ host: url.hostname, port: Number(url.port || 5432) });
      const cut = await openDatabase({ databaseUrl: hop.through(db.url), dataDir: '' });
      try {
        await cut.prisma.$queryRaw`SELECT 1`;
        const raw = rejection(cut.prisma.$queryRaw`SELECT pg_sleep(5)`);
        await sleep(300);
        await hop.cut();
        const closed = await raw;
        expect(closed).toMatchObject({
          meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } },
        });
        expect(isInfrastructureError(closed)).toBe(true);
        const refused = await rejection(cut.prisma.$queryRaw`SELECT 1`);
        expect(isInfrastructureError(refused)).toBe(true);
      } finally {
        await hop.cut();
        await cut.close();
      }
    });

    it('a statement or a lock wait outlasting its timeout (57014, 55P03)', async () => {
      const statement = await rejection(
        db.prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SET LOCAL statement_timeout = 50`;
          await tx.$executeRaw`SELECT pg_sleep(2)`;
        }),
      );
      expect(statement).toMatchObject({
        meta: { driverAdapterError: { cause: { code: '57014' } } },
      });
      expect(isInfrastructureError(statement)).toBe(true);

      const holder = db.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`LOCK TABLE "PrivacyNotice"`;
        await tx.$executeRaw`SELECT pg_sleep(0.5)`;
      });
      await sleep(100);
      const lock = await rejection(
        db.prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SET LOCAL lock_timeout = 50`;
          await tx.$queryRaw`SELECT id FROM "PrivacyNotice" LIMIT 1`;
        }),
      );
      await holder;
      expect(lock).toMatchObject({ meta: { driverAdapterError: { cause: { code: '55P03' } } } });
      expect(isInfrastructureError(lock)).toBe(true);
    });

    it('not infrastructure: a unique violation, a syntax error, a division by zero', async () => {
      const unique = await rejection(
        db.prisma.$executeRaw`INSERT INTO "PrivacyNotice" SELECT * FROM "PrivacyNotice" LIMIT 1`,
      );
      expect(unique).toMatchObject({
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation' } } },
      });
      expect(isInfrastructureError(unique)).toBe(false);
      const notice = await db.prisma.privacyNotice.findFirstOrThrow();
      const { id: _id, ...copy } = notice as typeof notice & { id: unknown };
      const uniqueModel = await rejection(db.prisma.privacyNotice.create({ data: copy as never }));
      expect(isInfrastructureError(uniqueModel)).toBe(false);
      expect(isInfrastructureError(await rejection(db.prisma.$queryRawUnsafe('SELEC 1')))).toBe(false);
      expect(isInfrastructureError(await rejection(db.prisma.$queryRaw`SELECT 1 / 0`))).toBe(false);
    });
  });
});

describe('a store failing inside a dialog step: botbuilder’s DialogContextError keeps it in `.error`', () => {
  /** Runs a one-step waterfall whose step does `step`; resolves with what beginDialog threw. */
  async function failInDialog(step: () => Promise<unknown>): Promise<unknown> {
    const dialogs = new DialogSet(new ConversationState(new MemoryStorage()).createProperty('dialog'));
    dialogs.add(
      new WaterfallDialog('failing', [
        async (s) => {
          await step();
          return s.endDialog();
        },
      ]),
    );
    let thrown: unknown;
    await new CollectingAdapter().processActivity(
      {
        type: 'message',
        id: 'a-1',
        text: 'hola',
        channelId: 'test',
        conversation: { id: 'c-1' },
        from: { id: 'u-1' },
        recipient: { id: 'plaza' },
      } as never,
      async (ctx: TurnContext) => {
        const dc = await dialogs.createContext(ctx);
        thrown = await rejection(dc.beginDialog('failing'));
      },
    );
    expect(thrown).toBeInstanceOf(DialogContextError);
    return thrown;
  }

  it('raw SQL with PostgreSQL down', async () => {
    const dead = await openDatabase({
      databaseUrl: `postgresql://postgres@127.0.0.1:${await deadPort()}/plaza`,
      dataDir: '',
    });
    try {
      const wrapped = await failInDialog(() => dead.prisma.$queryRaw`SELECT 1`);
      expect(isInfrastructureError(wrapped)).toBe(true);
    } finally {
      await dead.close();
    }
  });

  it('a Redis command with Redis down', async () => {
    const own = await OwnRedis.create();
    const redis = await connectRedis({ url: own.url });
    try {
      own.stop();
      await sleep(50);
      const wrapped = await failInDialog(() => redis.get('k'));
      expect(isInfrastructureError(wrapped)).toBe(true);
    } finally {
      redis.destroy();
      own.remove();
    }
  });

  it('not infrastructure: a bug in the step', async () => {
    const bug = await failInDialog(async () => (undefined as unknown as { x: number }).x);
    expect(isInfrastructureError(bug)).toBe(false);
  });
});
