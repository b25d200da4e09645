// Once per test run: a template database with every migration applied and the privacy notice seeded.
// Each test file clones it into a database of its own (tests/support/database.ts) and drops it after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.ts';
import { seedPrivacyNotice } from '../../prisma/seed.ts';

export const ADMIN_URL =
  process.env.PLAZA_TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  const name = `plaza_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const db = await openDatabase({ databaseUrl: databaseUrl(name), dataDir: '' });
  await db.migrate();
  await seedPrivacyNotice(db.prisma, { controller: 'Administración de prueba', contact: 'dpd@test.invalid' });
  await db.close();
  project.provide('templateDatabase', name);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}
