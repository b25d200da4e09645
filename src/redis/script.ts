// A Lua script run by its SHA (EVALSHA), so its source crosses the network once per Redis, not every call;
// after a Redis restart (NOSCRIPT) it is sent again.
import { createHash } from 'node:crypto';
import type { Redis } from './client.ts';

export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await redis.evalSha(this.sha, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, { keys, arguments: args });
    }
  }
}
