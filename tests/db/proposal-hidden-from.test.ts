// prisma/migrations/20261127110000_proposal_hidden_from: proposals get `hiddenFrom`, and those hidden before
// it take the status their latest `moderation.hide` audit row says they had. Run as the migration runner runs
// it (src/db/migrate.ts), on PostgreSQL and on PGlite: the migrations before it, rows in the old shape, then it.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, listMigrations, MIGRATIONS_DIR, type SqlRunner } from '../../src/db/migrate.ts';
import { ADMIN_URL, databaseUrl } from '../support/global-setup.ts';

const MIGRATION = '20261127110000_proposal_hidden_from';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A folder holding only the migrations before this one, or (`through`) up to it: not those after it. */
function migrationsBefore(through = false): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'plaza-migrations-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const m of listMigrations().filter((m) => m.name < MIGRATION || (through && m.name === MIGRATION)))
    cpSync(path.join(MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
  return dir;
}

async function postgres(): Promise<SqlRunner> {
  const name = `plaza_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  cleanups.push(async () => {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  return {
    query: async (sql, params) => (await client.query(sql, params)).rows,
    exec: async (sql) => {
      await client.query(sql);
    },
  };
}

async function pglite(): Promise<SqlRunner> {
  const db = new PGlite();
  await db.waitReady;
  cleanups.push(() => db.close());
  return {
    query: async (sql, params) => (await db.query(sql, params)).rows as never,
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
}

describe(`migration ${MIGRATION}`, () => {
  for (const [kind, open] of [
    ['PostgreSQL', postgres],
    ['PGlite', pglite],
  ] as const)
    it(`on ${kind}: hidden proposals get the status their latest hide audited; nothing else does`, async () => {
      const db = await open();
      const before = listMigrations().filter((m) => m.name < MIGRATION);
      expect(await applyMigrations(db, migrationsBefore())).toEqual(before.map((m) => m.name));

      await db.exec(`
        INSERT INTO "Process" (id, slug, title, description) VALUES (1, 'p', '{}', '{}');
        INSERT INTO "Category" (id, "processId", key, label, position) VALUES (1, 1, 'c', '{}', 1);
        INSERT INTO "Proposal" (id, "processId", "categoryId", title, body, locale, status) VALUES
          (1, 1, 1, 't', 'b', 'es', 'hidden'),     -- hidden twice: published, then (restored, answered) selected
          (2, 1, 1, 't', 'b', 'es', 'hidden'),     -- hidden from not_selected
          (3, 1, 1, 't', 'b', 'es', 'hidden'),     -- no hide audited for it
          (4, 1, 1, 't', 'b', 'es', 'hidden'),     -- its hide row has no usable status
          (5, 1, 1, 't', 'b', 'es', 'selected'),   -- hidden once, restored since
          (6, 1, 1, 't', 'b', 'es', 'hidden');     -- only a comment with its id was hidden from selected
        INSERT INTO "AuditLog" (actor, action, "targetType", "targetId", before, after) VALUES
          ('system', 'moderation.hide', 'proposal', '1', '{"status": "published"}', '{"status": "hidden", "reports": 3}'),
          ('staff:x', 'moderation.approve', 'proposal', '1', '{"status": "hidden"}', '{"status": "published"}'),
          ('system', 'moderation.hide', 'proposal', '1', '{"status": "selected"}', '{"status": "hidden", "reports": 3}'),
          ('system', 'moderation.hide', 'proposal', '2', '{"status": "not_selected"}', '{"status": "hidden", "reports": 3}'),
          ('staff:x', 'proposal.answer', 'proposal', '3', '{"status": "published"}', '{"status": "selected"}'),
          ('system', 'moderation.hide', 'proposal', '4', '"odd"', NULL),
          ('system', 'moderation.hide', 'proposal', '5', '{"status": "selected"}', '{"status": "hidden", "reports": 3}'),
          ('staff:x', 'moderation.approve', 'proposal', '5', '{"status": "hidden"}', '{"status": "published"}'),
          ('system', 'moderation.hide', 'comment', '6', '{"status": "selected"}', '{"status": "hidden", "reports": 3}');
      `);

      expect(await applyMigrations(db, migrationsBefore(true))).toEqual([MIGRATION]);
      const rows = await db.query<{ id: number; status: string; hiddenFrom: string | null }>(
        'SELECT id, status::text AS status, "hiddenFrom"::text AS "hiddenFrom" FROM "Proposal" ORDER BY id',
      );
      expect(rows).toEqual([
        { id: 1, status: 'hidden', hiddenFrom: 'selected' },
        { id: 2, status: 'hidden', hiddenFrom: 'not_selected' },
        { id: 3, status: 'hidden', hiddenFrom: null },
        { id: 4, status: 'hidden', hiddenFrom: null },
        { id: 5, status: 'selected', hiddenFrom: null },
        { id: 6, status: 'hidden', hiddenFrom: null },
      ]);
    }, 120_000); // PGlite runs every migration in wasm
});
