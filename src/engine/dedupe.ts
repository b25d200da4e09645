// Inbound activity ids already processed. Checked and recorded inside the conversation's turn lock, after
// the turn succeeded: a repeat waits for the first, then finds it recorded; a turn that failed is not
// recorded, so the channel's retry runs it again.
import type { Redis } from '../redis/client.ts';

export class SeenActivities {
  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix: string; ttlSeconds?: number },
  ) {}

  private key(channelId: string, activityId: string): string {
    return `${this.opts.prefix}:seen:${channelId}:${activityId}`;
  }

  async has(channelId: string, activityId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(channelId, activityId))) === 1;
  }

  async record(channelId: string, activityId: string): Promise<void> {
    await this.redis.set(this.key(channelId, activityId), '1', {
      expiration: { type: 'EX', value: this.opts.ttlSeconds ?? 24 * 3600 },
    });
  }
}
