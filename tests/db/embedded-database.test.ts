// The embedded default (no DATABASE_URL): PGlite under the data directory, the same migrations, one process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { EmbeddedDatabaseInUseError } from '../../src/db/embedded-lock.ts';
import { listMigrations } from '../../src/db/migrate.ts';
import { seedDemo, DEMO_PROCESS_SLUG } from '../../prisma/seed.ts';
import { listProcesses } from '../../src/domain/list-processes.ts';

const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'plaza-pglite-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('applies every migration once, seeds the demo, keeps data across restarts and refuses a second process', async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir });
    expect(db.kind).toBe('pglite');
    expect(await db.migrate()).toEqual(listMigrations().map((m) => m.name));
    expect(await db.migrate()).toEqual([]);
    await seedDemo(db.prisma, { controller: 'C', contact: 'c@example.org' });
    await seedDemo(db.prisma, { controller: 'C', contact: 'c@example.org' });
    expect(await db.prisma.process.count({ where: { slug: DEMO_PROCESS_SLUG } })).toBe(1);
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(EmbeddedDatabaseInUseError);
    await db.close();

    const reopened = await openDatabase({ dataDir });
    const processes = await listProcesses({ db: reopened.prisma, now: () => new Date() }, { locale: 'es' });
    expect(processes).toMatchObject([
      { slug: DEMO_PROCESS_SLUG, title: '¿Cómo quieres que te atendamos?', phase: 'voting' },
    ]);
    expect(await reopened.prisma.proposal.count({ where: { status: 'published' } })).toBe(6);
    await reopened.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    await first.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dataDir, 'pglite.lock'), '999999999');
    const second = await openDatabase({ dataDir });
    await second.close();
  });

  // The offline stand-in for Prisma's engine (prisma/schema-engine.mjs) must keep working with the pinned
  // Prisma: an upgrade that breaks it fails here, not on a developer's machine.
  it("agrees with Prisma's own CLI: migrate deploy runs, and schema and migrations do not drift", async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir });
    await db.migrate();
    await db.close();
    const env = { ...process.env, DATABASE_URL: `pglite:${path.join(dataDir, 'pglite')}` };
    const deploy = await run('npx', ['prisma', 'migrate', 'deploy'], { env });
    expect(deploy.stdout).toMatch(/No pending migrations to apply/);
    const fresh = { ...process.env, DATABASE_URL: `pglite:${path.join(tempDir(), 'pglite')}` };
    const diff = await run(
      'npx',
      [
        'prisma',
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/migrations',
        '--to-schema',
        'prisma/schema.prisma',
        '--exit-code',
      ],
      { env: fresh },
    );
    expect(diff.stdout).toMatch(/No difference detected/);
  }, 60_000);
});
