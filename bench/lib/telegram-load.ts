// The load shapes of the Telegram webhook bench, and the check of what the fake Bot API received.
// A chat alternates "/start proposal_<id>" (open: a proposal it has not opened before) and "Apoyar" (the
// support turn). A chat's updates are sequential — Telegram sends the next one only once the previous was
// acknowledged — so the concurrency is at most the number of chats. When the system under test runs as several
// server processes, each chat is bound to one of them (`ChatState.server`), as a sticky reverse proxy would.
//   closedLoop: every chat sends pair after pair, as fast as the server acknowledges, until `supportTurns`
//               pairs have been sent in all.
//   openLoop:   updates are due at a fixed rate whether or not the server keeps up; each goes to a chat that
//               is not waiting for an acknowledgement (the one idle longest). When every chat is busy, a due
//               update waits for the first chat to become free; that wait is reported apart from the ack latency.
import { performance } from 'node:perf_hooks';
import type { SentMessage } from './telegram-fake-server.ts';
import { textUpdate, type WebhookClient } from './telegram-updates.ts';

export interface ChatState {
  id: number;
  /** Index of the server (the Driver's client) every update of this chat goes to. */
  server: number;
  /** The k-th proposal this chat opens is proposalIds[(offset + k) % P]. */
  offset: number;
  opened: number;
  next: 'open' | 'support';
}

export interface Sample {
  chat: number;
  kind: 'open' | 'support';
  sentAt: number;
  ms: number;
  status: number;
  error?: string;
  /** Open loop: ms between the update's due time and its POST (timer lateness, or waiting for a free chat). */
  lateMs?: number;
  /** Open loop: at its due time every chat was busy, so it waited for one. */
  starved?: boolean;
}

export const ok = (s: Sample) => s.status >= 200 && s.status < 300;

export class Driver {
  constructor(
    /** One per server process; a chat's updates go to `clients[chat.server]`. */
    readonly clients: WebhookClient[],
    readonly proposalIds: number[],
  ) {}

  clientOf(chat: Pick<ChatState, 'server'>): WebhookClient {
    const client = this.clients[chat.server];
    if (!client) throw new Error(`no client for server ${chat.server}`);
    return client;
  }

  /** False once the chat has opened every proposal and its last one has been supported. */
  canSend(chat: ChatState): boolean {
    return chat.next === 'support' || chat.opened < this.proposalIds.length;
  }

  async step(chat: ChatState): Promise<Sample> {
    const kind = chat.next;
    let text = 'Apoyar';
    if (kind === 'open') {
      text = `/start proposal_${this.proposalIds[(chat.offset + chat.opened) % this.proposalIds.length]}`;
      chat.opened += 1;
    }
    chat.next = kind === 'open' ? 'support' : 'open';
    const r = await this.clientOf(chat).post(textUpdate(chat.id, text));
    return { chat: chat.id, kind, sentAt: r.sentAt, ms: r.ms, status: r.status, error: r.error };
  }
}

export interface LoadResult {
  samples: Sample[];
  seconds: number;
}

/** Every chat sends pairs back to back until `pairs` pairs have been sent in all (or `perChat` each). */
export async function closedLoop(
  driver: Driver,
  chats: ChatState[],
  opts: { pairs?: number; perChat?: number },
): Promise<LoadResult> {
  const samples: Sample[] = [];
  let tickets = opts.pairs ?? Infinity;
  const started = performance.now();
  await Promise.all(
    chats.map(async (chat) => {
      for (let k = 0; k < (opts.perChat ?? Infinity) && tickets > 0; k++) {
        if (chat.next === 'open' && !driver.canSend(chat)) return;
        tickets -= 1;
        samples.push(await driver.step(chat));
        samples.push(await driver.step(chat));
      }
    }),
  );
  return { samples, seconds: (performance.now() - started) / 1000 };
}

export interface OpenLoopResult extends LoadResult {
  /** Updates that found no free chat at their due time. */
  starved: number;
  /** Due updates never sent because no chat had anything left to send. */
  unsent: number;
}

/** `rate` updates per second for `seconds`, each to a chat that is not busy. */
export function openLoop(
  driver: Driver,
  chats: ChatState[],
  rate: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const samples: Sample[] = [];
  const free: ChatState[] = chats.filter((c) => driver.canSend(c));
  const backlog: { due: number; starved: boolean }[] = [];
  let scheduled = 0;
  let inflight = 0;
  let starved = 0;
  let unsent = 0;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (scheduled < total || inflight > 0) return;
      if (backlog.length > 0 && free.length === 0) {
        unsent += backlog.length;
        backlog.length = 0;
      }
      if (backlog.length === 0)
        resolve({ samples, seconds: (performance.now() - t0) / 1000, starved, unsent });
    };
    const dispatch = () => {
      while (backlog.length > 0 && free.length > 0) {
        const { due, starved: waitedForChat } = backlog.shift()!;
        const chat = free.shift()!;
        const late = performance.now() - due;
        if (waitedForChat) starved += 1;
        inflight += 1;
        void driver.step(chat).then((s) => {
          s.lateMs = late;
          s.starved = waitedForChat;
          samples.push(s);
          inflight -= 1;
          if (driver.canSend(chat)) free.push(chat);
          dispatch();
          finishIfDone();
        });
      }
      // Whatever is still due now found every chat busy.
      for (const b of backlog) b.starved = true;
    };
    const tick = () => {
      const now = performance.now();
      while (scheduled < total && t0 + scheduled * interval <= now) {
        backlog.push({ due: t0 + scheduled * interval, starved: false });
        scheduled += 1;
      }
      dispatch();
      if (scheduled < total) setTimeout(tick, Math.max(0, t0 + scheduled * interval - performance.now()));
      else finishIfDone();
    };
    tick();
  });
}

export interface ReplyCheck {
  /** Acknowledged (2xx) updates, each of which should have produced exactly one sendMessage. */
  expected: number;
  received: number;
  /** Chats whose number of messages differs from their number of acknowledged updates. */
  chatsMismatched: number;
  /** Messages (in chats whose counts match) that are not the answer their update calls for. */
  wrongReplies: number;
  /** Webhook POST issued → the fake processed the matching sendMessage, ms. */
  endToEnd: number[];
  /** Support updates answered "¡Apoyo registrado!", per chat. */
  supportedByChat: Map<number, number>;
  /** A few unexpected reply texts, when the fake was asked for texts. */
  samplesOfWrong: string[];
}

/**
 * Pairs each chat's acknowledged updates with the messages the fake received for it, in order (a chat's
 * updates are sequential and its replies are delivered in order, so the k-th message answers the k-th update).
 */
export function checkReplies(samples: Sample[], messages: SentMessage[]): ReplyCheck {
  const group = <T>(items: T[], chatOf: (item: T) => number) => {
    const map = new Map<number, T[]>();
    for (const item of items) {
      const list = map.get(chatOf(item));
      if (list) list.push(item);
      else map.set(chatOf(item), [item]);
    }
    return map;
  };
  const updates = group(samples.filter(ok), (s) => s.chat);
  const replies = group(messages, (m) => m.chat);
  const check: ReplyCheck = {
    expected: samples.filter(ok).length,
    received: messages.length,
    chatsMismatched: 0,
    wrongReplies: 0,
    endToEnd: [],
    supportedByChat: new Map(),
    samplesOfWrong: [],
  };
  for (const chat of new Set([...updates.keys(), ...replies.keys()])) {
    const u = (updates.get(chat) ?? []).sort((a, b) => a.sentAt - b.sentAt);
    const r = (replies.get(chat) ?? []).sort((a, b) => a.at - b.at);
    if (u.length !== r.length) {
      check.chatsMismatched += 1;
      continue;
    }
    u.forEach((s, i) => {
      const m = r[i]!;
      check.endToEnd.push(m.at - s.sentAt);
      if (m.kind !== s.kind) {
        check.wrongReplies += 1;
        if (check.samplesOfWrong.length < 3 && m.text) check.samplesOfWrong.push(m.text.slice(0, 200));
      } else if (s.kind === 'support') {
        check.supportedByChat.set(chat, (check.supportedByChat.get(chat) ?? 0) + 1);
      }
    });
  }
  return check;
}

/** The checks of several phases as one (a system's closed-loop rounds): counts added, lists joined. */
export function mergeReplyChecks(checks: ReplyCheck[]): ReplyCheck {
  const merged: ReplyCheck = {
    expected: 0,
    received: 0,
    chatsMismatched: 0,
    wrongReplies: 0,
    endToEnd: [],
    supportedByChat: new Map(),
    samplesOfWrong: [],
  };
  for (const c of checks) {
    merged.expected += c.expected;
    merged.received += c.received;
    merged.chatsMismatched += c.chatsMismatched;
    merged.wrongReplies += c.wrongReplies;
    for (const v of c.endToEnd) merged.endToEnd.push(v);
    for (const [chat, n] of c.supportedByChat)
      merged.supportedByChat.set(chat, (merged.supportedByChat.get(chat) ?? 0) + n);
    merged.samplesOfWrong.push(...c.samplesOfWrong.slice(0, Math.max(0, 3 - merged.samplesOfWrong.length)));
  }
  return merged;
}
