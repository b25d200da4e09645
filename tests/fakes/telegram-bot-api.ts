// A fake Telegram Bot API: a real HTTP server on 127.0.0.1 (port 0) that telegraf reaches through its
// `apiRoot` option — `new Telegraf(token, { telegram: { apiRoot, webhookReply: false } })` or
// `new Telegram(token, { apiRoot })`. Nothing here imports telegraf; the contract is the HTTP one.
//
// Contract
// - URL `${apiRoot}/bot${token}/${method}` (method names case-insensitive, like Telegram). Bodies: JSON,
//   multipart/form-data (telegraf's shape whenever a file is attached), urlencoded, or the query string.
// - Answers `{ ok: true, result }` with HTTP 200, or `{ ok: false, error_code, description, parameters? }` with
//   HTTP status = error_code. A wrong token → 401 `Unauthorized`; an unknown method → 404
//   `Not Found: method not found`. Other paths → 404 `Not Found`.
// - Methods: getMe, sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery,
//   sendDocument, sendPhoto, sendChatAction, setWebhook, deleteWebhook, getWebhookInfo, getUpdates,
//   setMyCommands, deleteMyCommands.
// - Text (sendMessage, editMessageText, captions): with parse_mode 'HTML' the markup is parsed like Telegram
//   (parseTelegramHtml below); the Message returned carries the plain text and `entities`, like Telegram's.
//   Leading/trailing whitespace is trimmed; empty → 400 `Bad Request: message text is empty`; more than 4096
//   UTF-16 code units (captions: 1024) → 400 `Bad Request: message is too long` (`message caption is too
//   long`). Counting UTF-16 units is at least as strict as Telegram, whichever unit it counts in.
// - HTML: allowed tags b strong i em u ins s strike del a[href] code pre span[class=tg-spoiler] tg-spoiler
//   blockquote[expandable]; every `<` starts an allowed tag, tags are balanced, a bare `>` is text. STRICTER
//   THAN TELEGRAM: `&` must start `&lt; &gt; &amp; &quot;` or a numeric reference, with its `;` (Telegram keeps
//   an unknown `&foo;` as literal text). Failures → 400 `Bad Request: can't parse entities: <reason>`, with
//   Telegram's reasons where known (`Unsupported start tag "x" at byte offset N`, `Unmatched end tag …`,
//   `Can't find end tag corresponding to start tag "b"`, …), counted in `parseErrors`.
// - reply_markup.inline_keyboard: an array of arrays of buttons; each button has non-empty text and exactly
//   one action; callback_data 1–64 UTF-8 bytes → else 400 `Bad Request: BUTTON_DATA_INVALID`; url http(s)/tg
//   → else `BUTTON_URL_INVALID`. Only inline keyboards are echoed back in the Message (like Telegram).
// - editMessageText / editMessageReplyMarkup: `message to edit not found`, `message can't be edited` (a user's
//   message), `message is not modified: …` (same text, entities and markup) — all 400, like Telegram.
// - Knobs: failNext(method, spec, times) answers the next `times` calls of `method` with that error (a 429
//   gets `parameters.retry_after`, default 1) or, with `{ drop: true }`, destroys the socket (telegraf then
//   throws a FetchError). forbid(chatId) → 403 `Forbidden: bot was blocked by the user` for every method aimed
//   at that chat. latencyMs delays every answer.
// - Flood control (unless null): at most `globalPerSecond` (default 30) successful sends overall and
//   `perChatPerSecond` (default 1) per chat in any rolling 1-second window; beyond → 429 `Too Many Requests:
//   retry after 1` with `parameters.retry_after: 1`. Sends = sendMessage, editMessageText,
//   editMessageReplyMarkup, sendDocument, sendPhoto. Refused calls do not use up the window.
// - Order of checks: token → method → failNext → chat (`chat not found`, forbid) → validation → flood → ok.
// - getUpdates serves the updates queued by pushUpdate/pushText/pushCallback: `offset` confirms (drops)
//   older ones, a negative offset keeps only the last |offset|, `limit` 1–100, `timeout` long-polls up to that
//   many seconds. While a webhook is set → 409 Conflict (like Telegram); a second concurrent getUpdates ends
//   the first with 409 `Conflict: terminated by other getUpdates request…`.
// - setWebhook records url, secret_token (validated: 1–256 of A-Z a-z 0-9 _ -), allowed_updates; accepts http
//   URLs (Telegram demands https on 443/80/88/8443 — a fake for loopback tests cannot). deliverWebhook(update)
//   POSTs an update to that URL with `X-Telegram-Bot-Api-Secret-Token`, like Telegram.
// - `calls` records every call in processing order, refused ones included; reset() clears calls, counters,
//   the flood window, failNext/forbid and queued updates, but keeps chats (message ids keep increasing) and
//   the webhook. Descriptions marked "approx." below are not verified against Telegram.
import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatId = number | string;

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export interface FakeCall {
  method: string;
  /** As received: JSON values as sent; multipart fields are strings (reply_markup & co. parsed back from
   * JSON), files are UploadedFile. */
  params: Record<string, unknown>;
  /** Epoch milliseconds (monotonic clock) when the fake processed the call. */
  at: number;
  response: {
    ok: boolean;
    error_code?: number;
    description?: string;
    parameters?: ResponseParameters;
    result?: unknown;
  };
}

export interface UploadedFile {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
}

export type FailSpec =
  { error_code: number; description?: string; retry_after?: number } | { drop: true; error_code?: undefined };

export interface BotUser {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
}

export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
}

export interface Chat {
  id: number;
  type: 'private' | 'supergroup';
  first_name?: string;
  title?: string;
}

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface Message {
  message_id: number;
  from?: User | BotUser;
  chat: Chat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  document?: {
    file_id: string;
    file_unique_id: string;
    file_name?: string;
    mime_type?: string;
    file_size?: number;
  };
  photo?: { file_id: string; file_unique_id: string; width: number; height: number; file_size?: number }[];
  reply_markup?: { inline_keyboard: unknown[][] };
}

export interface CallbackQuery {
  id: string;
  from: User;
  message?: Message;
  chat_instance: string;
  data?: string;
}

export interface Update {
  update_id: number;
  message?: Message;
  callback_query?: CallbackQuery;
  [kind: string]: unknown;
}

export interface WebhookConfig {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections?: number;
}

export interface FakeBotApiOptions {
  token?: string;
  /** Successful sends allowed overall per rolling second; null disables. Default 30. */
  globalPerSecond?: number | null;
  /** Successful sends allowed per chat per rolling second; null disables. Default 1. */
  perChatPerSecond?: number | null;
  /** Delay before every answer, in ms. Default 0. */
  latencyMs?: number;
  botUsername?: string;
}

export interface FakeUserOptions {
  firstName?: string;
  username?: string;
  languageCode?: string;
}

export interface FakeBotApi {
  readonly apiRoot: string;
  readonly token: string;
  readonly bot: BotUser;
  readonly calls: FakeCall[];
  /** 400s for unparsable HTML. */
  readonly parseErrors: number;
  /** 429 answers, enforced or injected. */
  readonly rateLimited: number;
  /** Mutable at any time. */
  limits: { globalPerSecond: number | null; perChatPerSecond: number | null };
  latencyMs: number;
  readonly webhook: WebhookConfig | null;
  /** Calls of one method (any outcome). */
  callsOf(method: string): FakeCall[];
  /** Successful sendMessage calls, optionally for one chat. */
  sent(chatId?: ChatId): FakeCall[];
  /** Plain texts (after HTML parsing) of the successful sendMessage calls. */
  texts(chatId?: ChatId): string[];
  /** The message as the fake holds it now (after edits). */
  message(chatId: ChatId, messageId: number): Message | undefined;
  failNext(method: string, spec: FailSpec, times?: number): void;
  forbid(chatId: ChatId): void;
  unforbid(chatId: ChatId): void;
  /** Queue an update for getUpdates; assigns update_id when missing. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update;
  /** Queue a private text message from user `chatId` (bot_command entity when it starts with '/'). */
  pushText(chatId: number, text: string, from?: FakeUserOptions): Update;
  /** Queue a button press on message `messageId` (when the fake knows it, the update carries it). */
  pushCallback(chatId: number, data: string, opts?: { messageId?: number; from?: FakeUserOptions }): Update;
  /** POST an update to the webhook set by setWebhook, with the secret header, like Telegram. */
  deliverWebhook(update: Update): Promise<{ status: number; body: string }>;
  /** Max successful sends in any 1-second window. */
  busiestSecond(): number;
  /** Max successful sends to a single chat in any 1-second window. */
  maxPerChatInSecond(): number;
  reset(): void;
  close(): Promise<void>;
}

const METHODS = [
  'getMe',
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'deleteMessage',
  'answerCallbackQuery',
  'sendDocument',
  'sendPhoto',
  'sendChatAction',
  'setWebhook',
  'deleteWebhook',
  'getWebhookInfo',
  'getUpdates',
  'setMyCommands',
  'deleteMyCommands',
] as const;
type Method = (typeof METHODS)[number];
const METHOD_BY_LOWER = new Map<string, Method>(METHODS.map((m) => [m.toLowerCase(), m]));
// telegraf JSON-encodes these fields inside multipart bodies (FORM_DATA_JSON_FIELDS in its client).
const JSON_FIELDS = ['reply_markup', 'entities', 'caption_entities', 'allowed_updates', 'commands'];
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);
const TEXT_MAX = 4096;
const CAPTION_MAX = 1024;

const now = (): number => performance.timeOrigin + performance.now();
const unixNow = (): number => Math.floor(Date.now() / 1000);

class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

const badRequest = (reason: string): ApiError => new ApiError(400, `Bad Request: ${reason}`);

// ---------------------------------------------------------------------------------------------------------
// HTML, the way Telegram parses parse_mode 'HTML' (modelled on tdlib's parse_html).

export class EntityParseError extends Error {}

const TAG_ENTITY: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  blockquote: 'blockquote',
};

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

interface OpenTag {
  name: string;
  start: number;
  attrs: Map<string, string>;
  language?: string;
}

/** Parses Telegram HTML into plain text and entities (offsets in UTF-16 units), or throws EntityParseError. */
export function parseTelegramHtml(html: string): { text: string; entities: MessageEntity[] } {
  const byteOffset = (i: number): number => Buffer.byteLength(html.slice(0, i), 'utf8');
  const fail = (reason: string): never => {
    throw new EntityParseError(reason);
  };
  const decodeEntity = (i: number): { char: string; length: number } => {
    const m = /^&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));/.exec(html.slice(i, i + 12));
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
    if (m) {
      if (m[3] !== undefined) return { char: named[m[3]] ?? '', length: m[0].length };
      const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? '', 16);
      if (code > 0 && code < 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
        return { char: String.fromCodePoint(code), length: m[0].length };
      }
    }
    const shown = /^&[#\w]*;?/.exec(html.slice(i, i + 16))?.[0] ?? '&';
    return fail(
      `Unsupported HTML entity "${shown}" at byte offset ${byteOffset(i)}: write "&" as &amp; (the fake is ` +
        'stricter here than Telegram)',
    );
  };

  let text = '';
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  const n = html.length;
  let i = 0;
  while (i < n) {
    const c = html[i];
    if (c === '&') {
      const { char, length } = decodeEntity(i);
      text += char;
      i += length;
      continue;
    }
    if (c !== '<') {
      text += c;
      i += 1;
      continue;
    }
    const begin = i;
    i += 1;
    if (html[i] === '/') {
      i += 1;
      const nameStart = i;
      while (i < n && !isSpace(html[i]) && html[i] !== '>') i += 1;
      const name = html.slice(nameStart, i).toLowerCase();
      while (i < n && isSpace(html[i])) i += 1;
      if (html[i] !== '>') fail(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
      i += 1;
      const open = stack.pop();
      if (open === undefined) return fail(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
      if (name !== '' && name !== open.name) {
        fail(
          `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      const length = text.length - open.start;
      const parent = stack[stack.length - 1];
      const codeClass = open.attrs.get('class') ?? '';
      if (open.name === 'code' && parent?.name === 'pre' && codeClass.startsWith('language-')) {
        parent.language = codeClass.slice('language-'.length);
        continue;
      }
      if (length === 0) continue;
      const entity: MessageEntity = { type: TAG_ENTITY[open.name] ?? open.name, offset: open.start, length };
      if (open.name === 'a') entity.url = open.attrs.get('href') ?? text.slice(open.start);
      if (open.name === 'pre' && open.language) entity.language = open.language;
      if (open.name === 'blockquote' && open.attrs.has('expandable')) entity.type = 'expandable_blockquote';
      entities.push(entity);
      continue;
    }
    const nameStart = i;
    while (i < n && !isSpace(html[i]) && html[i] !== '>') i += 1;
    if (i >= n) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
    const name = html.slice(nameStart, i).toLowerCase();
    if (!(name in TAG_ENTITY)) fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(begin)}`);
    const attrs = new Map<string, string>();
    for (;;) {
      while (i < n && isSpace(html[i])) i += 1;
      if (i >= n) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      if (html[i] === '>') break;
      const attrStart = i;
      while (i < n && !isSpace(html[i]) && html[i] !== '=' && html[i] !== '>') i += 1;
      const attrName = html.slice(attrStart, i).toLowerCase();
      while (i < n && isSpace(html[i])) i += 1;
      if (html[i] !== '=') {
        if (name === 'blockquote' && attrName === 'expandable') {
          attrs.set(attrName, '');
          continue;
        }
        fail(
          `Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ` +
            `${byteOffset(begin)}`,
        );
      }
      i += 1;
      while (i < n && isSpace(html[i])) i += 1;
      if (i >= n) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      let value = '';
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        i += 1;
        while (i < n && html[i] !== quote) {
          if (html[i] === '&') {
            const { char, length } = decodeEntity(i);
            value += char;
            i += length;
          } else {
            value += html[i];
            i += 1;
          }
        }
        if (i >= n) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
        i += 1;
      } else {
        const tokenStart = i;
        while (i < n && /[A-Za-z0-9.-]/.test(html[i] ?? '')) i += 1;
        value = html.slice(tokenStart, i).toLowerCase();
        if (!isSpace(html[i]) && html[i] !== '>') {
          fail(`Unexpected end of name token at byte offset ${byteOffset(tokenStart)}`);
        }
      }
      attrs.set(attrName, value);
    }
    i += 1;
    if (name === 'span' && attrs.get('class') !== 'tg-spoiler') {
      fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
    }
    stack.push({ name, start: text.length, attrs });
  }
  const unclosed = stack.pop();
  if (unclosed !== undefined) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

/** Telegram trims surrounding whitespace; entities move with the text and are clipped to it. */
function trimFormatted(text: string, entities: MessageEntity[]): { text: string; entities: MessageEntity[] } {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const out: MessageEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(trimmed.length, e.offset + e.length - lead);
    if (end > start) out.push({ ...e, offset: start, length: end - start });
  }
  return { text: trimmed, entities: out };
}

// ---------------------------------------------------------------------------------------------------------

interface StoredMessage {
  message: Message;
  byBot: boolean;
}

interface Waiter {
  wake: () => void;
  conflict: () => void;
}

type Outcome = { result: unknown; description?: string };

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function intParam(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number.parseInt(v, 10);
  return undefined;
}

function fileId(): string {
  return `BQAC${randomBytes(24).toString('base64url')}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.startsWith('application/json')) {
    const parsed = asRecord(JSON.parse(body.toString('utf8')) as unknown);
    if (parsed === undefined) throw badRequest('JSON object expected'); // approx.
    Object.assign(params, parsed);
  } else if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: Uint8Array.from(body),
    }).formData();
    const entries: [string, FormDataEntryValue][] = [];
    form.forEach((value, key) => entries.push([key, value]));
    for (const [key, value] of entries) {
      if (typeof value === 'string') {
        params[key] = value;
      } else {
        const content = Buffer.from(await value.arrayBuffer());
        const file: UploadedFile = {
          filename: value.name,
          contentType: value.type,
          size: content.length,
          content,
        };
        params[key] = file;
      }
    }
    delete params.method; // telegraf repeats the method as a form field
    for (const key of JSON_FIELDS) {
      const raw = params[key];
      if (typeof raw !== 'string') continue;
      try {
        params[key] = JSON.parse(raw) as unknown;
      } catch {
        throw badRequest(`can't parse ${key} JSON object`); // approx.
      }
    }
  }
  return params;
}

function isUploadedFile(v: unknown): v is UploadedFile {
  const r = asRecord(v);
  return r !== undefined && Buffer.isBuffer(r.content) && typeof r.filename === 'string';
}

function validateInlineKeyboard(markup: unknown): Message['reply_markup'] | undefined {
  const rm = asRecord(markup);
  if (rm === undefined) {
    if (markup === undefined || markup === null) return undefined;
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  if (!('inline_keyboard' in rm)) return undefined; // reply keyboards & co. are accepted, not echoed
  const rows = rm.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const row of rows as unknown[][]) {
    for (const raw of row) {
      const button = asRecord(raw);
      if (button === undefined)
        throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
      if (typeof button.text !== 'string' || button.text.trim() === '') {
        throw badRequest('BUTTON_TEXT_EMPTY'); // approx.
      }
      const actions = [
        'url',
        'callback_data',
        'web_app',
        'login_url',
        'switch_inline_query',
        'switch_inline_query_current_chat',
        'switch_inline_query_chosen_chat',
        'copy_text',
        'callback_game',
        'pay',
      ].filter((k) => button[k] !== undefined);
      if (actions.length === 0) throw badRequest('text buttons are unallowed in the inline keyboard');
      if (actions.length > 1)
        throw badRequest(
          "can't parse inline keyboard button: exactly one of the optional fields must be used",
        );
      if (button.callback_data !== undefined) {
        const data = button.callback_data;
        const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
        if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
      }
      if (button.url !== undefined) {
        const protocol = URL.canParse(String(button.url)) ? new URL(String(button.url)).protocol : '';
        if (!['http:', 'https:', 'tg:'].includes(protocol)) throw badRequest('BUTTON_URL_INVALID');
      }
    }
  }
  return { inline_keyboard: rows as unknown[][] };
}

export async function startFakeBotApi(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const token = opts.token ?? `7000000001:AA${randomBytes(33).toString('base64url').slice(0, 33)}`;
  const botId = intParam(token.split(':')[0]) ?? 7000000001;
  const bot: BotUser = {
    id: botId,
    is_bot: true,
    first_name: 'Plaza (test)',
    username: opts.botUsername ?? 'plaza_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
  const limits = {
    globalPerSecond: opts.globalPerSecond === undefined ? 30 : opts.globalPerSecond,
    perChatPerSecond: opts.perChatPerSecond === undefined ? 1 : opts.perChatPerSecond,
  };

  const calls: FakeCall[] = [];
  let parseErrors = 0;
  let rateLimited = 0;
  // Successful sends (time, chat): the flood window and busiestSecond() both read it.
  let sendLog: { at: number; chat: number }[] = [];
  let failures = new Map<string, { spec: FailSpec; left: number }[]>();
  let forbidden = new Set<number>();
  let queue: Update[] = [];
  let lastUpdateId = 100_000;
  let webhook: WebhookConfig | null = null;
  let poller: Waiter | null = null;
  const waiters = new Set<Waiter>();
  const nextMessageId = new Map<number, number>();
  const messages = new Map<string, StoredMessage>();
  let closed = false;

  const chatOf = (id: number): Chat =>
    id > 0
      ? { id, type: 'private', first_name: `User ${id}` }
      : { id, type: 'supergroup', title: `Group ${id}` };
  const allocMessageId = (chat: number): number => {
    const id = (nextMessageId.get(chat) ?? 0) + 1;
    nextMessageId.set(chat, id);
    return id;
  };
  const key = (chat: number, messageId: number): string => `${chat}:${messageId}`;
  const userOf = (id: number, o: FakeUserOptions = {}): User => ({
    id,
    is_bot: false,
    first_name: o.firstName ?? 'Tester',
    ...(o.username === undefined ? {} : { username: o.username }),
    language_code: o.languageCode ?? 'es',
  });
  const normChat = (v: ChatId): number => {
    const id = intParam(v);
    if (id === undefined) throw new Error(`not a numeric chat id: ${String(v)}`);
    return id;
  };

  // -- parameter helpers (throw Telegram-shaped errors) --
  const requireChat = (params: Record<string, unknown>): number => {
    const raw = params.chat_id;
    if (raw === undefined || raw === '') throw badRequest('chat_id is empty');
    const id = intParam(raw);
    if (id === undefined || id === 0) throw badRequest('chat not found');
    if (forbidden.has(id)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    return id;
  };
  const formatted = (
    raw: unknown,
    parseMode: unknown,
    entities: unknown,
    max: number,
    what: 'text' | 'caption',
  ): { text: string; entities: MessageEntity[] } => {
    if (raw === undefined || raw === null) {
      if (what === 'caption') return { text: '', entities: [] };
      throw badRequest('message text is empty');
    }
    const source = typeof raw === 'string' ? raw : String(raw as number);
    let parsed: { text: string; entities: MessageEntity[] };
    if (parseMode === undefined || parseMode === null || parseMode === '') {
      parsed = { text: source, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
    } else if (String(parseMode).toLowerCase() === 'html') {
      try {
        parsed = parseTelegramHtml(source);
      } catch (err) {
        if (!(err instanceof EntityParseError)) throw err;
        parseErrors += 1;
        throw badRequest(`can't parse entities: ${err.message}`);
      }
    } else if (['markdown', 'markdownv2'].includes(String(parseMode).toLowerCase())) {
      parsed = { text: source, entities: [] }; // not modelled: passed through unparsed
    } else {
      throw badRequest('unsupported parse_mode');
    }
    const out = trimFormatted(parsed.text, parsed.entities);
    if (out.text.length === 0 && what === 'text') throw badRequest('message text is empty');
    if (out.text.length > max) {
      throw badRequest(what === 'text' ? 'message is too long' : 'message caption is too long');
    }
    return out;
  };
  const checkFlood = (chat: number, at: number): void => {
    const inWindow = sendLog.filter((s) => s.at > at - 1000);
    const perChat = inWindow.filter((s) => s.chat === chat);
    const tooMany =
      (limits.globalPerSecond !== null && inWindow.length >= limits.globalPerSecond) ||
      (limits.perChatPerSecond !== null && perChat.length >= limits.perChatPerSecond);
    if (tooMany) {
      const oldest = Math.min(...(perChat.length > 0 ? perChat : inWindow).map((s) => s.at));
      const retryAfter = Math.max(1, Math.ceil((oldest + 1000 - at) / 1000));
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
  };
  const stored = (chat: number, messageId: unknown, verb: 'edit' | 'delete'): StoredMessage => {
    const id = intParam(messageId);
    const found = id === undefined ? undefined : messages.get(key(chat, id));
    if (found === undefined) throw badRequest(`message to ${verb} not found`);
    if (!found.byBot && verb === 'edit') throw badRequest("message can't be edited");
    return found;
  };
  const notModified = (): ApiError =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a ' +
        'current content and reply markup of the message',
    );

  const sendFile = (
    params: Record<string, unknown>,
    field: 'document' | 'photo',
    chat: number,
  ): (() => Message) => {
    const value = params[field];
    if (value === undefined || value === '') throw badRequest(`there is no ${field} in the request`);
    if (isUploadedFile(value) && value.size === 0) throw badRequest('file must be non-empty');
    const caption = formatted(
      params.caption,
      params.parse_mode,
      params.caption_entities,
      CAPTION_MAX,
      'caption',
    );
    const markup = validateInlineKeyboard(params.reply_markup);
    return () => {
      const message: Message = {
        message_id: allocMessageId(chat),
        from: bot,
        chat: chatOf(chat),
        date: unixNow(),
      };
      const size = isUploadedFile(value) ? value.size : 1024;
      if (field === 'document') {
        message.document = {
          file_id: typeof value === 'string' ? value : fileId(),
          file_unique_id: randomBytes(8).toString('hex'),
          file_name: isUploadedFile(value) ? value.filename : 'file',
          mime_type: isUploadedFile(value)
            ? value.contentType || 'application/octet-stream'
            : 'application/octet-stream',
          file_size: size,
        };
      } else {
        message.photo = [
          {
            file_id: fileId(),
            file_unique_id: randomBytes(8).toString('hex'),
            width: 90,
            height: 90,
            file_size: Math.min(size, 2048),
          },
          {
            file_id: fileId(),
            file_unique_id: randomBytes(8).toString('hex'),
            width: 800,
            height: 800,
            file_size: size,
          },
        ];
      }
      if (caption.text !== '') message.caption = caption.text;
      if (caption.entities.length > 0) message.caption_entities = caption.entities;
      if (markup) message.reply_markup = markup;
      messages.set(key(chat, message.message_id), { message, byBot: true });
      return message;
    };
  };

  // Each handler validates, then returns either the outcome or (for sends) a commit function that runs only
  // after the flood check, so refused calls never use up the window nor a message id.
  type Handler = (
    params: Record<string, unknown>,
    ctx: { res: ServerResponse },
  ) => Outcome | { chat: number; commit: () => unknown } | Promise<Outcome>;

  const handlers: Record<Method, Handler> = {
    getMe: () => ({ result: bot }),
    sendMessage: (params) => {
      const chat = requireChat(params);
      const { text, entities } = formatted(params.text, params.parse_mode, params.entities, TEXT_MAX, 'text');
      const markup = validateInlineKeyboard(params.reply_markup);
      return {
        chat,
        commit: () => {
          const message: Message = {
            message_id: allocMessageId(chat),
            from: bot,
            chat: chatOf(chat),
            date: unixNow(),
            text,
          };
          if (entities.length > 0) message.entities = entities;
          if (markup) message.reply_markup = markup;
          messages.set(key(chat, message.message_id), { message, byBot: true });
          return message;
        },
      };
    },
    editMessageText: (params) => {
      if (params.inline_message_id !== undefined) {
        formatted(params.text, params.parse_mode, params.entities, TEXT_MAX, 'text');
        validateInlineKeyboard(params.reply_markup);
        return { result: true };
      }
      const chat = requireChat(params);
      const { text, entities } = formatted(params.text, params.parse_mode, params.entities, TEXT_MAX, 'text');
      const markup = validateInlineKeyboard(params.reply_markup);
      const current = stored(chat, params.message_id, 'edit');
      if (current.message.text === undefined) throw badRequest('there is no text in the message to edit');
      const same =
        current.message.text === text &&
        JSON.stringify(current.message.entities ?? []) === JSON.stringify(entities) &&
        JSON.stringify(current.message.reply_markup) === JSON.stringify(markup);
      if (same) throw notModified();
      return {
        chat,
        commit: () => {
          const message: Message = { ...current.message, text, edit_date: unixNow() };
          delete message.entities;
          delete message.reply_markup;
          if (entities.length > 0) message.entities = entities;
          if (markup) message.reply_markup = markup;
          current.message = message;
          return message;
        },
      };
    },
    editMessageReplyMarkup: (params) => {
      if (params.inline_message_id !== undefined) {
        validateInlineKeyboard(params.reply_markup);
        return { result: true };
      }
      const chat = requireChat(params);
      const markup = validateInlineKeyboard(params.reply_markup);
      const current = stored(chat, params.message_id, 'edit');
      if (JSON.stringify(current.message.reply_markup) === JSON.stringify(markup)) throw notModified();
      return {
        chat,
        commit: () => {
          const message: Message = { ...current.message, edit_date: unixNow() };
          delete message.reply_markup;
          if (markup) message.reply_markup = markup;
          current.message = message;
          return message;
        },
      };
    },
    deleteMessage: (params) => {
      const chat = requireChat(params);
      const current = stored(chat, params.message_id, 'delete');
      messages.delete(key(chat, current.message.message_id));
      return { result: true };
    },
    answerCallbackQuery: (params) => {
      if (typeof params.callback_query_id !== 'string' || params.callback_query_id === '') {
        throw badRequest('query is too old and response timeout expired or query ID is invalid');
      }
      if (typeof params.text === 'string' && params.text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
      return { result: true };
    },
    sendDocument: (params) => {
      const chat = requireChat(params);
      return { chat, commit: sendFile(params, 'document', chat) };
    },
    sendPhoto: (params) => {
      const chat = requireChat(params);
      return { chat, commit: sendFile(params, 'photo', chat) };
    },
    sendChatAction: (params) => {
      requireChat(params);
      if (!CHAT_ACTIONS.has(String(params.action))) throw badRequest('wrong parameter action in request');
      return { result: true };
    },
    setWebhook: (params) => {
      const url = typeof params.url === 'string' ? params.url : '';
      if (url === '') {
        webhook = null;
        return { result: true, description: 'Webhook was deleted' };
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw badRequest('bad webhook: Failed to resolve host: Name or service not known'); // approx.
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      }
      const secret = params.secret_token;
      if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
        throw badRequest('secret token contains unallowed characters');
      }
      const allowed = params.allowed_updates;
      webhook = {
        url,
        ...(typeof secret === 'string' ? { secret_token: secret } : {}),
        ...(Array.isArray(allowed) ? { allowed_updates: allowed.map(String) } : {}),
        ...(intParam(params.max_connections) === undefined
          ? {}
          : { max_connections: intParam(params.max_connections) }),
      };
      if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') queue = [];
      return { result: true, description: 'Webhook was set' };
    },
    deleteWebhook: (params) => {
      const had = webhook !== null;
      webhook = null;
      if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') queue = [];
      return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
    },
    getWebhookInfo: () => ({
      result: {
        url: webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: queue.length,
        ...(webhook?.max_connections === undefined ? {} : { max_connections: webhook.max_connections }),
        ...(webhook?.allowed_updates === undefined ? {} : { allowed_updates: webhook.allowed_updates }),
      },
    }),
    getUpdates: async (params, { res }) => {
      if (webhook !== null) {
        throw new ApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      const offset = intParam(params.offset) ?? 0;
      const limit = Math.min(100, Math.max(1, intParam(params.limit) ?? 100));
      const timeout = Math.max(0, intParam(params.timeout) ?? 0);
      if (offset > 0) queue = queue.filter((u) => u.update_id >= offset);
      else if (offset < 0) queue = queue.slice(offset);
      const pick = (): Update[] => queue.slice(0, limit);
      if (pick().length > 0 || timeout === 0 || closed) return { result: pick() };
      poller?.conflict();
      const outcome = await new Promise<'wake' | 'conflict'>((resolve) => {
        const timer = setTimeout(() => done('wake'), timeout * 1000);
        const waiter: Waiter = { wake: () => done('wake'), conflict: () => done('conflict') };
        const onClose = (): void => done('wake');
        function done(how: 'wake' | 'conflict'): void {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (poller === waiter) poller = null;
          res.off('close', onClose);
          resolve(how);
        }
        waiters.add(waiter);
        poller = waiter;
        res.on('close', onClose);
      });
      if (outcome === 'conflict') {
        throw new ApiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        );
      }
      return { result: pick() };
    },
    setMyCommands: (params) => {
      const commands = params.commands;
      if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required'); // approx.
      for (const c of commands) {
        const r = asRecord(c);
        const ok =
          r !== undefined &&
          typeof r.command === 'string' &&
          /^[a-z0-9_]{1,32}$/.test(r.command) &&
          typeof r.description === 'string' &&
          r.description.length >= 1 &&
          r.description.length <= 256;
        if (!ok) throw badRequest('BOT_COMMAND_INVALID');
      }
      return { result: true };
    },
    deleteMyCommands: () => ({ result: true }),
  };

  const respond = async (
    res: ServerResponse,
    record: FakeCall | undefined,
    status: number,
    body: Record<string, unknown>,
  ): Promise<void> => {
    if (record) {
      const { ok, error_code, description, parameters, result } = body as FakeCall['response'];
      record.response = {
        ok,
        ...(error_code === undefined ? {} : { error_code }),
        ...(description === undefined ? {} : { description }),
        ...(parameters === undefined ? {} : { parameters }),
        ...(result === undefined ? {} : { result }),
      };
      if (error_code === 429) rateLimited += 1;
    }
    if (api.latencyMs > 0) await new Promise((r) => setTimeout(r, api.latencyMs));
    if (res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, STATUS_CODES[status] ?? 'Unknown', {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  };
  const errorBody = (e: ApiError): Record<string, unknown> => ({
    ok: false,
    error_code: e.errorCode,
    description: e.description,
    ...(e.parameters === undefined ? {} : { parameters: e.parameters }),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z_]+)\/?$/.exec(url.pathname);
    if (!match) {
      await readBody(req);
      await respond(res, undefined, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const [, urlToken = '', rawMethod = ''] = match;
    const method: string = METHOD_BY_LOWER.get(rawMethod.toLowerCase()) ?? rawMethod;
    let params: Record<string, unknown> = {};
    let parseFailure: ApiError | undefined;
    try {
      params = await readParams(req, url);
    } catch (err) {
      parseFailure = err instanceof ApiError ? err : badRequest("can't parse request body"); // approx.
    }
    const at = now();
    const record: FakeCall = { method, params, at, response: { ok: false } };
    calls.push(record);
    try {
      if (urlToken !== token) throw new ApiError(401, 'Unauthorized');
      const known = METHOD_BY_LOWER.get(rawMethod.toLowerCase());
      if (known === undefined) throw new ApiError(404, 'Not Found: method not found');
      if (parseFailure) throw parseFailure;
      const pending = failures.get(known);
      const failure = pending?.[0];
      if (pending && failure) {
        failure.left -= 1;
        if (failure.left <= 0) pending.shift();
        const spec = failure.spec;
        if ('drop' in spec) {
          record.response = { ok: false, description: 'connection dropped by failNext' };
          if (api.latencyMs > 0) await new Promise((r) => setTimeout(r, api.latencyMs));
          req.socket.destroy();
          return;
        }
        const code = spec.error_code;
        const retryAfter = spec.retry_after;
        throw new ApiError(
          code,
          spec.description ?? defaultDescription(code, retryAfter ?? 1),
          code === 429 ? { retry_after: retryAfter ?? 1 } : undefined,
        );
      }
      const outcome = await handlers[known](params, { res });
      if ('commit' in outcome) {
        const t = now();
        checkFlood(outcome.chat, t);
        const result = outcome.commit();
        record.at = t;
        sendLog.push({ at: t, chat: outcome.chat });
        await respond(res, record, 200, { ok: true, result });
        return;
      }
      await respond(res, record, 200, {
        ok: true,
        result: outcome.result,
        ...(outcome.description === undefined ? {} : { description: outcome.description }),
      });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      await respond(res, record, err.errorCode, errorBody(err));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ ok: false, error_code: 500, description: `Fake Bot API bug: ${String(err)}` }),
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const successfulSends = (): { at: number; chat: number }[] => sendLog;
  const maxInWindow = (times: number[]): number => {
    const sorted = [...times].sort((a, b) => a - b);
    let best = 0;
    let j = 0;
    for (let i = 0; i < sorted.length; i += 1) {
      while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= 1000) j += 1;
      best = Math.max(best, i - j + 1);
    }
    return best;
  };
  const wakeAll = (): void => {
    for (const w of [...waiters]) w.wake();
  };
  const sentMessages = (chatId?: ChatId): FakeCall[] => {
    const chat = chatId === undefined ? undefined : normChat(chatId);
    return calls.filter(
      (c) =>
        c.method === 'sendMessage' &&
        c.response.ok &&
        (chat === undefined || intParam(c.params.chat_id) === chat),
    );
  };

  const api: FakeBotApi = {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    bot,
    calls,
    get parseErrors() {
      return parseErrors;
    },
    get rateLimited() {
      return rateLimited;
    },
    limits,
    latencyMs: opts.latencyMs ?? 0,
    get webhook() {
      return webhook;
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    sent: sentMessages,
    texts: (chatId) => sentMessages(chatId).map((c) => (c.response.result as Message).text ?? ''),
    message: (chatId, messageId) => messages.get(key(normChat(chatId), messageId))?.message,
    failNext(method, spec, times = 1) {
      const canonical = METHOD_BY_LOWER.get(method.toLowerCase()) ?? method;
      const list = failures.get(canonical) ?? [];
      list.push({ spec, left: times });
      failures.set(canonical, list);
    },
    forbid: (chatId) => void forbidden.add(normChat(chatId)),
    unforbid: (chatId) => void forbidden.delete(normChat(chatId)),
    pushUpdate(update) {
      const id = update.update_id ?? lastUpdateId + 1;
      lastUpdateId = Math.max(lastUpdateId, id);
      const full = { ...update, update_id: id } as Update;
      queue.push(full);
      queue.sort((a, b) => a.update_id - b.update_id);
      wakeAll();
      return full;
    },
    pushText(chatId, text, from) {
      const message: Message = {
        message_id: allocMessageId(chatId),
        from: userOf(chatId, from),
        chat: chatOf(chatId),
        date: unixNow(),
        text,
      };
      const command = /^\/\S+/.exec(text);
      if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
      messages.set(key(chatId, message.message_id), { message, byBot: false });
      return api.pushUpdate({ message });
    },
    pushCallback(chatId, data, o = {}) {
      const held = o.messageId === undefined ? undefined : messages.get(key(chatId, o.messageId))?.message;
      const message: Message | undefined =
        held ??
        (o.messageId === undefined
          ? undefined
          : { message_id: o.messageId, from: bot, chat: chatOf(chatId), date: unixNow(), text: '' });
      const query: CallbackQuery = {
        id: randomBytes(8).readBigUInt64BE().toString(),
        from: userOf(chatId, o.from),
        chat_instance: `${chatId}`,
        data,
        ...(message === undefined ? {} : { message }),
      };
      return api.pushUpdate({ callback_query: query });
    },
    async deliverWebhook(update) {
      if (webhook === null) throw new Error('deliverWebhook: no webhook set (call setWebhook first)');
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(webhook.secret_token === undefined
            ? {}
            : { 'x-telegram-bot-api-secret-token': webhook.secret_token }),
        },
        body: JSON.stringify(update),
      });
      return { status: res.status, body: await res.text() };
    },
    busiestSecond: () => maxInWindow(successfulSends().map((s) => s.at)),
    maxPerChatInSecond() {
      const byChat = new Map<number, number[]>();
      for (const s of successfulSends()) byChat.set(s.chat, [...(byChat.get(s.chat) ?? []), s.at]);
      return Math.max(0, ...[...byChat.values()].map(maxInWindow));
    },
    reset() {
      calls.length = 0;
      parseErrors = 0;
      rateLimited = 0;
      sendLog = [];
      failures = new Map();
      forbidden = new Set();
      queue = [];
    },
    async close() {
      closed = true;
      wakeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return api;
}

function defaultDescription(code: number, retryAfter: number): string {
  switch (code) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict';
    case 429:
      return `Too Many Requests: retry after ${retryAfter}`;
    default:
      return STATUS_CODES[code] ?? 'Error';
  }
}
