// Prisma CLI configuration. The CLI would download a native schema engine that this network cannot reach;
// prisma/schema-engine.mjs stands in for it (Prisma's wasm schema engine over a JS driver adapter), so
// `prisma generate`, `migrate dev`, `migrate deploy` and `migrate diff` work offline, on PostgreSQL and PGlite.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(
  new URL('./prisma/schema-engine.mjs', import.meta.url),
);

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    // `pglite:<dir>` is understood by prisma/schema-engine.mjs only (the CLI's migrate/db commands).
    url: process.env.DATABASE_URL ?? `pglite:${process.env.PLAZA_DATA_DIR ?? './data'}/pglite`,
  },
});
