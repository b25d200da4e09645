// Child process: the tests' fake Telegram Bot API (tests/fakes/telegram-bot-api.ts) with its flood limits off,
// in a process of its own so its work does not share an event loop with the load generator or a server.
// It keeps every successful sendMessage as { chat, at, kind, text } (`at`: when the fake processed it, epoch
// ms, the clock of `epochNow`), counts every call by method and outcome — in all, per chat (the call's
// `chat_id`) and apart for calls without one — and empties the fake's own call log every 100 ms (the fake
// scans its send log on each send to apply flood limits, so an ever-growing log would slow it down as the run
// goes on). Several systems under test may send to it at once (each with chats of its own): `counts` with
// `chats` tells their calls apart. Commands: `mark`, `since`, `wait`, `counts`, `resources`, `close`.
import { startFakeBotApi } from '../../tests/fakes/telegram-bot-api.ts';
import { resourceSnapshot, serveIpc } from './child.ts';
import { replyKind, type ReplyKind } from './telegram-updates.ts';

export interface FakeReady {
  type: 'ready';
  apiRoot: string;
}

export interface SentMessage {
  chat: number;
  at: number;
  kind: ReplyKind;
  text?: string;
}

const token = process.env.BENCH_BOT_TOKEN;
if (!token) throw new Error('BENCH_BOT_TOKEN is required');

const fake = await startFakeBotApi({ token, globalPerSecond: null, perChatPerSecond: null });
const sent: { chat: number; at: number; kind: ReplyKind; text: string }[] = [];
const byMethod = new Map<string, number>();
/** The same counts per chat, and for calls with no `chat_id`. */
const byChat = new Map<number, Map<string, number>>();
const withoutChat = new Map<string, number>();
const count = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

function harvest(): void {
  if (fake.calls.length === 0) return;
  for (const c of fake.calls) {
    const outcome = c.response.ok ? 'ok' : String(c.response.error_code ?? 'dropped');
    const key = `${c.method} ${outcome}`;
    count(byMethod, key);
    const chat = c.params.chat_id === undefined ? NaN : Number(c.params.chat_id);
    if (Number.isNaN(chat)) count(withoutChat, key);
    else {
      const counts = byChat.get(chat) ?? new Map<string, number>();
      byChat.set(chat, counts);
      count(counts, key);
    }
    if (c.method === 'sendMessage' && c.response.ok) {
      const text = String((c.response.result as { text?: string } | undefined)?.text ?? '');
      sent.push({
        chat: Number(c.params.chat_id),
        at: c.at,
        kind: replyKind(text),
        text,
      });
    }
  }
  // Every call recorded so far has its response (the fake records it before any await of I/O), so none is lost.
  fake.reset();
}
const timer = setInterval(harvest, 100);

serveIpc(
  {
    /** The current end of the log: messages after it belong to what comes next. */
    mark: () => {
      harvest();
      return sent.length;
    },
    /** Messages from `from` on (texts only when asked). */
    since: (args) => {
      harvest();
      const { from, texts } = args as { from: number; texts?: boolean };
      return sent.slice(from).map((m): SentMessage => (texts ? m : { chat: m.chat, at: m.at, kind: m.kind }));
    },
    /** Waits until at least `n` messages arrived after `from` (or `timeoutMs` passed); returns the count. */
    wait: async (args) => {
      const { from, n, timeoutMs } = args as { from: number; n: number; timeoutMs: number };
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        harvest();
        const count = sent.length - from;
        if (count >= n || Date.now() > deadline) return { count, lastAt: sent.at(-1)?.at ?? 0 };
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    /** Calls by method and outcome: all of them; or (`chats`) those to these chats; or (`chatless`) those
     * without a chat. */
    counts: (args) => {
      harvest();
      const { chats, chatless } = (args ?? {}) as { chats?: number[]; chatless?: boolean };
      if (chatless) return Object.fromEntries(withoutChat);
      if (!chats) return Object.fromEntries(byMethod);
      const sum = new Map<string, number>();
      for (const chat of chats)
        for (const [k, v] of byChat.get(chat) ?? []) sum.set(k, (sum.get(k) ?? 0) + v);
      return Object.fromEntries(sum);
    },
    resources: () => resourceSnapshot(),
  },
  async () => {
    clearInterval(timer);
    await fake.close();
  },
);
const ready: FakeReady = { type: 'ready', apiRoot: fake.apiRoot };
process.send?.(ready);
