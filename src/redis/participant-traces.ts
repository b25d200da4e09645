// Erasure outside PostgreSQL (the ParticipantTraces port of erase-participant): deletes what Redis keeps of an
// erased person's conversations. Key layouts, as their writers build them (prefix `p`):
//   every channel   p:state:<channel>/conversations/<conversation>/  conversation state (turn-state.ts;
//                                                                    botbuilder ConversationState's layout)
//                   p:lock:<channel>:<conversation>                  turn lock
//                   p:seen:<channel>:<activity id>                   a processed turn's replies (their
//                                                                    `conversation.id` / `recipient.id` tell whose)
//                   p:flood:<channel>:<user>:<window>                flood counters
//   telegram        private chat id = user id = the account's external id;
//                   p:tg:kb:<chat>, p:tg:out:<chat>, p:tg:nb:<chat>, p:tg:att:<chat>, member <chat> of p:tg:due;
//                   the inbox's queued updates p:tg:inbox:<chat> (raw updates), p:tg:inbox-lease:<chat>,
//                   p:tg:inbox-att:<chat> (its member of p:tg:inbox-ready is left: removing it apart from the
//                   list could race a new update's ACCEPT; the next CLAIM drops a chat whose list is gone);
//                   in the moderators' group a member's conversation is `<group>:<user>`
//   webchat         p:dl:conv:{<conversation>} (hash whose `user` is the external id), …:acts, …:once:<activity>;
//                   the activity ids of a conversation start with `<conversation>|`; the hash of the
//                   conversation the erasure was asked in (`conversationId`) is kept, its stream is not
//   console         conversation id = user id
// (engine/turn-state.ts, engine/turn-gate.ts, channels/telegram/{buttons,outbox,inbox}.ts,
// channels/webchat/conversation-store.ts; tests/redis/participant-traces.test.ts writes through them and
// fails if a layout changes.) Keys are found with SCAN … MATCH, never KEYS. Repeating `forget` is harmless.
import type { ChannelAccountRef, ParticipantTraces } from '../domain/erase-participant.ts';
import type { Redis } from './client.ts';

/** Escapes Redis glob characters, so an id is matched literally. */
const glob = (s: string) => s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

interface Activity {
  conversation?: { id?: unknown };
  recipient?: { id?: unknown };
  from?: { id?: unknown };
}

export function createRedisParticipantTraces(
  redis: Redis,
  opts: { prefix: string; scanCount?: number },
): ParticipantTraces {
  const p = opts.prefix;
  const COUNT = opts.scanCount ?? 1000;

  async function scan(pattern: string): Promise<string[]> {
    const found: string[] = [];
    for await (const keys of redis.scanIterator({ MATCH: pattern, COUNT }))
      found.push(...(keys as unknown as string[]));
    return found;
  }

  /** The Direct Line conversations bound to these web chat users. */
  async function webchatConversations(users: Set<string>): Promise<string[]> {
    const shape = new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:dl:conv:\\{([^}]*)\\}$`);
    const candidates = (await scan(`${glob(p)}:dl:conv:{*}`))
      .map((k) => shape.exec(k)?.[1])
      .filter((id): id is string => id !== undefined);
    const owners = await Promise.all(candidates.map((id) => redis.hGet(`${p}:dl:conv:{${id}}`, 'user')));
    return candidates.filter((_, i) => {
      const owner = owners[i];
      return typeof owner === 'string' && users.has(owner);
    });
  }

  /** Turn records of a channel whose replies went to these conversations or users. */
  async function seenRecords(channel: string, conversations: Set<string>, users: Set<string>) {
    const keys = await scan(`${glob(p)}:seen:${glob(channel)}:*`);
    const theirs: string[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const batch = keys.slice(i, i + 500);
      const values = await redis.mGet(batch);
      values.forEach((value, j) => {
        if (typeof value !== 'string') return;
        let activities: unknown;
        try {
          activities = JSON.parse(value);
        } catch {
          return;
        }
        if (!Array.isArray(activities)) return;
        const mentions = (activities as Activity[]).some(
          (a) =>
            conversations.has(String(a.conversation?.id)) ||
            users.has(String(a.recipient?.id)) ||
            users.has(String(a.from?.id)),
        );
        if (mentions) theirs.push(batch[j]!);
      });
    }
    return theirs;
  }

  return {
    async forget(accounts: readonly ChannelAccountRef[]): Promise<void> {
      const byChannel = new Map<string, Set<string>>();
      const known = new Map<string, Set<string>>();
      for (const a of accounts) {
        const users = byChannel.get(a.channel) ?? new Set<string>();
        users.add(a.externalId);
        byChannel.set(a.channel, users);
        if (a.conversationId) known.set(a.channel, (known.get(a.channel) ?? new Set()).add(a.conversationId));
      }
      for (const [channel, users] of byChannel) {
        const conversations = new Set(channel === 'webchat' ? await webchatConversations(users) : [...users]);
        for (const c of known.get(channel) ?? []) conversations.add(c);
        const doomed: string[] = [];
        for (const conversation of conversations) {
          const state = `${p}:state:${channel}/conversations/${conversation}`;
          doomed.push(state, `${state}/`, `${p}:lock:${channel}:${conversation}`);
          if (channel === 'telegram') {
            for (const k of ['kb', 'out', 'nb', 'att', 'inbox', 'inbox-lease', 'inbox-att'])
              doomed.push(`${p}:tg:${k}:${conversation}`);
          }
          if (channel === 'webchat') {
            const base = `${p}:dl:conv:{${conversation}}`;
            doomed.push(`${base}:acts`, ...(await scan(`${glob(base)}:once:*`)));
            // The conversation the erasure was asked in keeps its shell (the browser's user id, the
            // watermark): the turn's goodbye is appended to it after this, and the page keeps polling it.
            // Its transcript goes all the same. Any other conversation of the person goes whole.
            if (!known.get(channel)?.has(conversation)) doomed.push(base);
          }
        }
        for (const user of users) {
          doomed.push(...(await scan(`${glob(p)}:flood:${glob(channel)}:${glob(user)}:*`)));
          if (channel === 'telegram') {
            const room = await scan(`${glob(p)}:state:telegram/conversations/*:${glob(user)}*`);
            doomed.push(...room.filter((k) => k.endsWith(`:${user}`) || k.endsWith(`:${user}/`)));
          }
        }
        doomed.push(...(await seenRecords(channel, conversations, users)));
        for (let i = 0; i < doomed.length; i += 500) await redis.del(doomed.slice(i, i + 500));
        if (channel === 'telegram' && conversations.size > 0) {
          await redis.zRem(`${p}:tg:due`, [...conversations]);
        }
      }
    },
  };
}
