// Inbound activity ids already processed, with the replies that turn produced. Checked and recorded inside
// the conversation's turn lock, after the turn succeeded: a repeat waits for the first, then gets the same
// replies back without running again (so a channel that lost them on the way out can deliver them); a turn
// that failed is not recorded, so the channel's retry runs it.
import type { Redis } from '../redis/client.ts';
import type { OutboundActivity } from './types.ts';

export class SeenActivities {
  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix: string; ttlSeconds?: number },
  ) {}

  private key(channelId: string, activityId: string): string {
    return `${this.opts.prefix}:seen:${channelId}:${activityId}`;
  }

  /** The replies of an activity already processed, or undefined if it was not. */
  async get(channelId: string, activityId: string): Promise<OutboundActivity[] | undefined> {
    const value = await this.redis.get(this.key(channelId, activityId));
    return value === null ? undefined : (JSON.parse(value) as OutboundActivity[]);
  }

  async record(channelId: string, activityId: string, replies: OutboundActivity[]): Promise<void> {
    await this.redis.set(this.key(channelId, activityId), JSON.stringify(replies), {
      expiration: { type: 'EX', value: this.opts.ttlSeconds ?? 24 * 3600 },
    });
  }
}
