// A whole Plaza runtime for one test file: its own database (cloned template), its own Redis prefix, the
// real engine and queues. `cleanup()` removes every key and the database.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const REDIS_URL = process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestPlaza extends Runtime {
  testDb: TestDatabase;
  cleanup(): Promise<void>;
}

/** `logger`: the runtime's logger (default: silent), e.g. one writing to a buffer to inspect the log. */
export async function createTestPlaza(
  env: Record<string, string> = {},
  opts: { logger?: Logger } = {},
): Promise<TestPlaza> {
  const testDb = await createTestDatabase();
  const prefix = `plazatest-${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    DATABASE_URL: testDb.url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    FLOOD_MAX_MESSAGES: '1000',
    // Tests run at any hour: notifications are not held for the night unless a test asks.
    QUIET_HOURS: '',
    DIRECTLINE_SECRET: randomBytes(32).toString('hex'),
    ...env,
  });
  await testDb.close();
  const runtime = await createRuntime(config, opts.logger ?? createLogger('silent'));
  return {
    ...runtime,
    testDb,
    async cleanup() {
      await runtime.queues.moderation.obliterate({ force: true }).catch(() => undefined);
      await runtime.queues.notifications.obliterate({ force: true }).catch(() => undefined);
      await runtime.queues.broadcasts.obliterate({ force: true }).catch(() => undefined);
      await deleteKeys(runtime, `${prefix}:*`);
      await runtime.close();
      await testDb.drop();
    },
  };
}

export async function deleteKeys(runtime: Pick<Runtime, 'redis'>, pattern: string): Promise<void> {
  for await (const keys of runtime.redis.scanIterator({ MATCH: pattern, COUNT: 500 })) {
    if (keys.length > 0) await runtime.redis.del(keys);
  }
}

/** The `moderation` job of a proposal's open case (undefined when there is none). */
export async function caseJobOf(plaza: Pick<Runtime, 'database' | 'queues'>, proposalId: number) {
  const open = await plaza.database.prisma.moderationCase.findFirst({
    where: { proposalId, decidedAt: null },
  });
  return open ? plaza.queues.moderation.getJob(`case-${open.id}`) : undefined;
}
