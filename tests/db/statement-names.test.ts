// The prepared-statement names given to the PostgreSQL adapter: stable per text, distinct across texts,
// bounded; and queries through them work on a real PostgreSQL, repeated and in transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createStatementNamer } from '../../src/db/statement-names.ts';
import { isInfrastructureError } from '../../src/engine/errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const q = (sql: string, args: unknown[] = []) => ({ sql, args });

describe('createStatementNamer', () => {
  it('gives one text one name, always, and two texts two names', () => {
    const name = createStatementNamer();
    const a = name(q('SELECT 1'));
    expect(a).toMatch(/^plaza_[A-Za-z0-9_-]+$/);
    expect(name(q('SELECT 1'))).toBe(a);
    expect(name(q('SELECT 2'))).not.toBe(a);
    // Another process (another namer) names the same text the same way.
    expect(createStatementNamer()(q('SELECT 1'))).toBe(a);
  });

  it('leaves unnamed the texts past the cap and those with many parameters', () => {
    const name = createStatementNamer({ max: 2, maxParameters: 3 });
    expect(name(q('SELECT $1, $2, $3, $4', [1, 2, 3, 4]))).toBe('');
    const a = name(q('SELECT 1'));
    const b = name(q('SELECT 2'));
    expect(name(q('SELECT 3'))).toBe('');
    // Texts named before the cap keep their names.
    expect(name(q('SELECT 1'))).toBe(a);
    expect(name(q('SELECT 2'))).toBe(b);
  });

  it('leaves unnamed the texts whose shape grows with a list: IN lists of 3 or more, several VALUES rows', () => {
    const name = createStatementNamer();
    expect(name(q('SELECT 1 WHERE x IN ($1,$2)', [1, 2]))).not.toBe('');
    expect(name(q('SELECT 1 WHERE x IN ($1, $2, $3)', [1, 2, 3]))).toBe('');
    expect(name(q('INSERT INTO t (a, b, c, d) VALUES ($1,$2,$3,$4)', [1, 2, 3, 4]))).not.toBe('');
    expect(name(q('INSERT INTO t (a) VALUES ($1), ($2)', [1, 2]))).toBe('');
  });
});

describe('named prepared statements on PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('runs the same query many times over the pool, with new values each time', async () => {
    // 20 connections in the test pool: 60 concurrent calls reuse each connection's prepared statement.
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => db.prisma.$queryRaw<{ n: number }[]>`SELECT ${i}::int + 1 AS n`),
    );
    expect(results.map((r) => r[0]!.n)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const [row] = await db.prisma.$queryRaw<{ named: bigint }[]>`
      SELECT count(*) AS named FROM pg_prepared_statements WHERE name LIKE 'plaza\\_%'`;
    // This connection holds the statement above (and the count itself) by name.
    expect(Number(row!.named)).toBeGreaterThanOrEqual(1);
  });

  it('keeps transactions and Prisma queries working, rolled back on error', async () => {
    const slug = `p-${Date.now()}`;
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.process.create({
          data: { slug, title: { es: 'x' }, description: { es: 'x' }, supportsPerParticipant: 1 },
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.prisma.process.count({ where: { slug } })).toBe(0);
    await db.prisma.process.create({
      data: { slug, title: { es: 'x' }, description: { es: 'x' }, supportsPerParticipant: 1 },
    });
    expect(await db.prisma.process.count({ where: { slug } })).toBe(1);
  });

  it('a kept plan broken by another process changing a column type fails as "retry later", and heals', async () => {
    await db.prisma.$executeRawUnsafe('CREATE TABLE plaza_probe (x integer)');
    await db.prisma.$executeRawUnsafe('INSERT INTO plaza_probe VALUES (1)');
    // Every connection of the pool prepares the statement.
    await Promise.all(Array.from({ length: 40 }, () => db.prisma.$queryRaw`SELECT x FROM plaza_probe`));
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    await other.query('ALTER TABLE plaza_probe ALTER COLUMN x TYPE text');
    await other.end();
    let failed = 0;
    for (let i = 0; i < 40; i++) {
      try {
        await db.prisma.$queryRaw`SELECT x FROM plaza_probe`;
      } catch (error) {
        failed++;
        expect(isInfrastructureError(error)).toBe(true);
      }
    }
    // Each failing connection is dropped by the pool: the same query then works on fresh ones.
    expect(failed).toBeGreaterThan(0);
    const rows = await db.prisma.$queryRaw<{ x: string }[]>`SELECT x FROM plaza_probe`;
    expect(rows).toEqual([{ x: '1' }]);
  });
});
