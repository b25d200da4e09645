// prisma/migrations/20261127100000_findings_without_text_copies: the findings stored before it lose the
// `redacted` copies of the screened text, and nothing else changes. Its script is run again here on rows
// written in the old shape (the test database already has every migration applied), as the migration
// runner runs it (src/db/migrate.ts: one simple-protocol query).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { Prisma } from '../../src/generated/prisma/client.ts';
import { createCase, createProcess } from '../support/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const SCRIPT = readFileSync(
  path.join(MIGRATIONS_DIR, '20261127100000_findings_without_text_copies', 'migration.sql'),
  'utf8',
);

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb?.drop());

async function runScript(): Promise<void> {
  const client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  try {
    await client.query(SCRIPT);
  } finally {
    await client.end();
  }
}

const TEXT = 'Llamadme al 612 345 678 o escribid a ana@example.com';

describe('migration 20261127100000_findings_without_text_copies', () => {
  it('removes `redacted` from every stored finding and leaves everything else as it was', async () => {
    const db = testDb.prisma;
    const process = await createProcess(db, { phase: 'proposals' });
    const withFindings = async (findings: unknown) => {
      const { caseId } = await createCase(db, process, { body: TEXT });
      await db.moderationCase.update({ where: { id: caseId }, data: { findings: findings as never } });
      return caseId;
    };
    const phone = { kind: 'personal-data', what: 'phone', start: 12, end: 23 };
    const email = { kind: 'personal-data', what: 'email', start: 37, end: 52 };
    const others = [
      { kind: 'insult', word: 'idiota', start: 0, end: 6 },
      { kind: 'shouting' },
      { kind: 'near-duplicate', matches: [{ id: 7, score: 0.812 }] },
    ];
    const old = await withFindings([
      { ...phone, redacted: 'Llamadme al [teléfono] o escribid a ana@example.com' },
      ...others,
      { ...email, redacted: 'Llamadme al 612 345 678 o escribid a [correo]' },
    ]);
    const untouched = {
      current: await withFindings([phone, ...others, email]),
      empty: await withFindings([]),
      jsonNull: await withFindings(Prisma.JsonNull),
      notScreened: (await createCase(db, process, { body: TEXT })).caseId,
      // Not a pre-screen's shape, but not this migration's to judge: a non-object element stays.
      oddElement: await withFindings(['redacted', 3, [{ redacted: 'x' }]]),
    };
    const before = await db.moderationCase.findMany({ where: { id: { in: Object.values(untouched) } } });
    const types = await db.$queryRaw<{ id: number; type: string | null }[]>`
      SELECT id, jsonb_typeof(findings) AS type FROM "ModerationCase" WHERE "processId" = ${process.id}`;
    expect(new Map(types.map((r) => [r.id, r.type]))).toEqual(
      new Map([
        [old, 'array'],
        [untouched.current, 'array'],
        [untouched.empty, 'array'],
        [untouched.jsonNull, 'null'],
        [untouched.notScreened, null],
        [untouched.oddElement, 'array'],
      ]),
    );

    await runScript();
    const after = await db.moderationCase.findUniqueOrThrow({ where: { id: old } });
    expect(after.findings).toEqual([phone, ...others, email]);
    expect(JSON.stringify(after.findings)).not.toMatch(/612 345 678|ana@example\.com/);
    expect(await db.moderationCase.findMany({ where: { id: { in: Object.values(untouched) } } })).toEqual(
      before,
    );

    // Again: nothing left to change.
    const once = await db.moderationCase.findMany({
      where: { processId: process.id },
      orderBy: { id: 'asc' },
    });
    await runScript();
    expect(
      await db.moderationCase.findMany({ where: { processId: process.id }, orderBy: { id: 'asc' } }),
    ).toEqual(once);
  });
});
