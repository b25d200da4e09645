// Child process for bench/broadcast.ts: the tests' fake Telegram Bot API (tests/fakes/telegram-bot-api.ts) with
// the flood limits given in BENCH_GLOBAL_PER_SECOND / BENCH_PER_CHAT_PER_SECOND ("null" turns one off), in a
// process of its own so its work does not share an event loop with the bench or the sender under test.
//
// Every 100 ms it moves the fake's call log into compact records (time, chat, method, outcome, whether the text
// carries BENCH_MARKER) and empties the log. It never calls the fake's reset(): that would also empty the
// fake's flood window, and the window must stay exact (a send refused for flooding is what the throttled
// scenario counts). The fake's own send log (time and chat of each successful send, used by its flood check)
// therefore grows with the run: ~100,000 small entries at most.
//
// Commands: `count` (broadcast sends so far, 429s, last send time), `firstAfter` (first broadcast send after a
// time), `sample` (the params of the first broadcast sendMessage), `summary` (everything the report needs),
// `chats` (the chats that got the broadcast), `calls` (sendMessage/getMe calls seen), `resources`, `close`.
import { startFakeBotApi } from '../../tests/fakes/telegram-bot-api.ts';
import { resourceSnapshot, serveIpc } from './child.ts';

export interface BroadcastFakeReady {
  type: 'ready';
  apiRoot: string;
}

export interface FakeCount {
  /** Successful sendMessage calls whose text carries the marker. */
  broadcast: number;
  /** Successful sends of any kind (sendMessage, editMessageText, …): what Telegram's limit counts. */
  sends: number;
  rateLimited: number;
  getMe: number;
  firstAt: number;
  lastAt: number;
}

export interface FakeSummary extends FakeCount {
  distinctChats: number;
  /** Broadcast messages beyond the first per chat. */
  duplicates: number;
  /** Most successful sends (all kinds) in any rolling second, computed here and by the fake itself. */
  busiestSecond: number;
  fakeBusiestSecond: number;
  busiestSecondBroadcast: number;
  /** Most successful sends to one chat in a rolling second. */
  maxPerChatInSecond: number;
  /** Successful non-broadcast sends (the staff member's progress message and its edits). */
  otherSends: number;
  byMethod: Record<string, number>;
  /** Each 429: when (ms after the first broadcast send), the method, and whether it was a broadcast message. */
  refused: { afterFirstMs: number; method: string; broadcast: boolean; sinceChatSendMs: number | null }[];
  /** Broadcast sends per `bucketMs` from the first one. */
  series: number[];
  bucketMs: number;
}

const token = process.env.BENCH_BOT_TOKEN;
const marker = process.env.BENCH_MARKER;
if (!token || !marker) throw new Error('BENCH_BOT_TOKEN and BENCH_MARKER are required');
const limit = (name: string, fallback: number | null): number | null => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  return v === 'null' ? null : Number(v);
};

const fake = await startFakeBotApi({
  token,
  globalPerSecond: limit('BENCH_GLOBAL_PER_SECOND', 30),
  perChatPerSecond: limit('BENCH_PER_CHAT_PER_SECOND', 1),
});

const SEND_METHODS = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'sendDocument',
  'sendPhoto',
]);

// Successful sends of any kind, in processing order (the fake's clock: epoch ms).
const sendAt: number[] = [];
const sendChat: number[] = [];
const sendIsBroadcast: boolean[] = [];
const broadcastAt: number[] = [];
const perChat = new Map<number, number>();
const byMethod = new Map<string, number>();
let getMe = 0;
let rateLimited = 0;
let sample: Record<string, unknown> | undefined;
const refusedCalls: { at: number; method: string; broadcast: boolean; sinceChatSendMs: number | null }[] = [];
/** The last successful send to each chat (to tell how soon after it a refused call came). */
const lastSendTo = new Map<number, number>();

function harvest(): void {
  if (fake.calls.length === 0) return;
  // Every call in the log has its answer recorded already (the fake records it before any I/O await).
  const calls = fake.calls.splice(0);
  for (const c of calls) {
    const outcome = c.response.ok ? 'ok' : String(c.response.error_code ?? 'dropped');
    const key = `${c.method} ${outcome}`;
    byMethod.set(key, (byMethod.get(key) ?? 0) + 1);
    if (c.method === 'getMe') getMe++;
    if (c.response.error_code === 429) {
      rateLimited++;
      const text = typeof c.params.text === 'string' ? c.params.text : '';
      const last = lastSendTo.get(Number(c.params.chat_id));
      refusedCalls.push({
        at: c.at,
        method: c.method,
        broadcast: text.includes(marker!),
        sinceChatSendMs: last === undefined ? null : c.at - last,
      });
    }
    if (!c.response.ok || !SEND_METHODS.has(c.method)) continue;
    const chat = Number(c.params.chat_id);
    const text = String((c.response.result as { text?: string } | undefined)?.text ?? '');
    const isBroadcast = c.method === 'sendMessage' && text.includes(marker!);
    sendAt.push(c.at);
    sendChat.push(chat);
    lastSendTo.set(chat, c.at);
    sendIsBroadcast.push(isBroadcast);
    if (isBroadcast) {
      broadcastAt.push(c.at);
      perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      sample ??= c.params;
    }
  }
}
const timer = setInterval(harvest, 100);

function maxInWindow(times: number[]): number {
  const sorted = Float64Array.from(times).sort();
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function count(): FakeCount {
  harvest();
  return {
    broadcast: broadcastAt.length,
    sends: sendAt.length,
    rateLimited,
    getMe,
    firstAt: broadcastAt[0] ?? 0,
    lastAt: broadcastAt.at(-1) ?? 0,
  };
}

serveIpc(
  {
    count: () => count(),
    /** The first broadcast send processed after `at` (epoch ms), or 0. */
    firstAfter: (args) => {
      harvest();
      const at = Number(args);
      return broadcastAt.find((t) => t > at) ?? 0;
    },
    /** Broadcast sends processed after `at`. */
    countAfter: (args) => {
      harvest();
      const at = Number(args);
      return broadcastAt.filter((t) => t > at).length;
    },
    sample: () => {
      harvest();
      return sample;
    },
    chats: () => {
      harvest();
      return [...perChat.keys()];
    },
    summary: (args) => {
      const bucketMs = Number((args as { bucketMs?: number } | undefined)?.bucketMs ?? 60_000);
      const base = count();
      const first = base.firstAt;
      const series: number[] = [];
      for (const t of broadcastAt) {
        const i = Math.floor((t - first) / bucketMs);
        while (series.length <= i) series.push(0);
        series[i]!++;
      }
      // Per chat: the most sends within any rolling second (only chats with more than one send can exceed 1).
      const timesByChat = new Map<number, number[]>();
      sendChat.forEach((chat, i) => {
        const list = timesByChat.get(chat);
        if (list) list.push(sendAt[i]!);
        else timesByChat.set(chat, [sendAt[i]!]);
      });
      let maxPerChatInSecond = 0;
      for (const times of timesByChat.values())
        maxPerChatInSecond = Math.max(maxPerChatInSecond, times.length === 1 ? 1 : maxInWindow(times));
      const summary: FakeSummary = {
        ...base,
        distinctChats: perChat.size,
        duplicates: broadcastAt.length - perChat.size,
        busiestSecond: maxInWindow(sendAt),
        fakeBusiestSecond: fake.busiestSecond(),
        busiestSecondBroadcast: maxInWindow(broadcastAt),
        maxPerChatInSecond,
        otherSends: sendIsBroadcast.filter((b) => !b).length,
        byMethod: Object.fromEntries(byMethod),
        refused: refusedCalls.map((x) => ({
          afterFirstMs: x.at - first,
          method: x.method,
          broadcast: x.broadcast,
          sinceChatSendMs: x.sinceChatSendMs,
        })),
        series,
        bucketMs,
      };
      return summary;
    },
    resources: () => resourceSnapshot(),
  },
  async () => {
    clearInterval(timer);
    await fake.close();
  },
);
const ready: BroadcastFakeReady = { type: 'ready', apiRoot: fake.apiRoot };
process.send?.(ready);
