// Names and cleanup of the state a bench run creates: one PostgreSQL database and one Redis key prefix.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectRedis } from '../../src/redis/client.ts';

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function benchNames(): { dbName: string; redisPrefix: string } {
  const suffix = randomBytes(5).toString('hex');
  return { dbName: `plaza_bench_${suffix}`, redisPrefix: `plazabench-${suffix}` };
}

/** Drops the database and deletes every key under the prefix; safe to repeat. Returns the keys deleted. */
export async function cleanupPlazaState(opts: {
  adminUrl: string;
  dbName: string;
  redisUrl: string;
  redisPrefix: string;
}): Promise<number> {
  const admin = new pg.Client({ connectionString: opts.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${opts.dbName} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const redis = await connectRedis({ url: opts.redisUrl });
  let deleted = 0;
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${opts.redisPrefix}:*`, COUNT: 1000 })) {
      if (keys.length > 0) deleted += await redis.del(keys);
    }
  } finally {
    await redis.quit();
  }
  return deleted;
}
