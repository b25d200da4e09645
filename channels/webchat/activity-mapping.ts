// Direct Line activities ⇄ engine activities. Pure functions, no I/O.
//
// Contract:
// - `parseClientActivity` validates what a client posted and keeps only what the engine may see: type, text,
//   value, name, locale and the client's own activity id (Web Chat sends `channelData.clientActivityID`; the
//   `clientActivityId` spelling is accepted too). Identity fields (from, recipient, conversation, id) and
//   attachments are never taken from the client. Unknown types are valid: the engine decides what they mean.
// - `value` is the only free-form JSON kept (channelData is read for the client activity id only, the rest
//   dropped). It is bounded before the turn runs: at most MAX_VALUE_DEPTH levels of nesting and
//   MAX_VALUE_CHARS once serialised, else 400 `bad_activity`. Deeper JSON would make every later
//   JSON.stringify (the stream, the turn state) throw, so the turn would fail on each retry of the same
//   activity; a refused activity is not run, not stored, and the conversation goes on.
// - `userActivityId` is deterministic for a client activity id, so a client's retry of the same activity
//   carries the same id and the engine's dedupe runs it at most once.
// - The stream holds the user's own activity (echo, with its client activity id, so Web Chat marks it sent)
//   and the bot's replies, each with server-assigned id, from, recipient, conversation and timestamp.
import { createHash, randomBytes } from 'node:crypto';
import type { InboundActivity, OutboundActivity } from '../../src/engine/types.ts';
import { exceedsJsonDepth } from '../json-depth.ts';
import type { StoredActivity } from './conversation-store.ts';

export const WEBCHAT_CHANNEL_ID = 'webchat';
export const BOT_ACCOUNT = { id: 'plaza', name: 'Plaza', role: 'bot' } as const;

/** What a client may tell us in an activity, validated. */
export interface ClientActivity {
  type: string;
  text?: string;
  value?: unknown;
  name?: string;
  locale?: string;
  /** The client's own id for this activity, echoed back under the same channelData key. */
  clientActivityId?: { key: 'clientActivityID' | 'clientActivityId'; value: string };
}

export type ParseResult =
  { ok: true; activity: ClientActivity } | { ok: false; status: 400 | 413; code: string; message: string };

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9/._-]{0,63}$/;
const LOCALE_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/;
const MAX_NAME_LENGTH = 256;
const MAX_CLIENT_ID_LENGTH = 128;
/** Nesting allowed in `value`: a card's submitted data is a few levels deep. */
export const MAX_VALUE_DEPTH = 32;
/** Largest `value`, serialised (characters). */
export const MAX_VALUE_CHARS = 16 * 1024;
/** Reply types that are the engine's bookkeeping, never shown to a client. */
const INTERNAL_TYPES = new Set(['trace', 'delay', 'invokeResponse']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(code: string, message: string, status: 400 | 413 = 400): ParseResult {
  return { ok: false, status, code, message };
}

export function parseClientActivity(body: unknown, maxTextLength: number): ParseResult {
  if (!isPlainObject(body)) return bad('bad_activity', 'The body must be a JSON activity object.');
  const { type, text, value, name, locale, channelData } = body;
  if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
    return bad('bad_activity', 'The activity needs a type (letters, digits, / . _ -; at most 64).');
  }
  const activity: ClientActivity = { type };

  if (text !== undefined && text !== null) {
    if (typeof text !== 'string') return bad('bad_activity', 'text must be a string.');
    if (text.length > maxTextLength) {
      return bad('text_too_long', `The text is longer than ${maxTextLength} characters.`, 413);
    }
    activity.text = text;
  }
  if (value !== undefined && value !== null) {
    // Depth first: only then is JSON.stringify (to measure the size) safe to call.
    if (exceedsJsonDepth(value, MAX_VALUE_DEPTH)) {
      return bad('bad_activity', `value must not nest more than ${MAX_VALUE_DEPTH} levels deep.`);
    }
    if (JSON.stringify(value).length > MAX_VALUE_CHARS) {
      return bad('bad_activity', `value must be at most ${MAX_VALUE_CHARS} characters as JSON.`);
    }
    activity.value = value;
  }
  if (name !== undefined && name !== null) {
    if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH) {
      return bad('bad_activity', `name must be a string of at most ${MAX_NAME_LENGTH} characters.`);
    }
    activity.name = name;
  }
  // A malformed locale is not an error: the engine falls back to the participant's or the default one.
  if (typeof locale === 'string' && LOCALE_PATTERN.test(locale)) activity.locale = locale;
  if (isPlainObject(channelData)) {
    for (const key of ['clientActivityID', 'clientActivityId'] as const) {
      const id = channelData[key];
      if (typeof id === 'string' && id.length > 0 && id.length <= MAX_CLIENT_ID_LENGTH) {
        activity.clientActivityId = { key, value: id };
        break;
      }
    }
  }
  return { ok: true, activity };
}

/** `${conversationId}|…`: unique across conversations; the same for a repeat of one client activity id. */
export function userActivityId(conversationId: string, userId: string, clientActivityId?: string): string {
  if (clientActivityId === undefined) return `${conversationId}|${randomBytes(9).toString('base64url')}`;
  const digest = createHash('sha256').update(`${userId}\n${clientActivityId}`).digest('base64url');
  return `${conversationId}|c${digest.slice(0, 16)}`;
}

export function botActivityId(conversationId: string): string {
  return `${conversationId}|${randomBytes(9).toString('base64url')}`;
}

export interface StreamContext {
  conversationId: string;
  userId: string;
}

/** The user's activity as every reader of the stream (including its sender) sees it. */
export function toUserStreamActivity(
  input: ClientActivity,
  ctx: StreamContext & { id: string; timestamp: Date },
): StoredActivity {
  const activity: StoredActivity = {
    type: input.type,
    id: ctx.id,
    channelId: WEBCHAT_CHANNEL_ID,
    conversation: { id: ctx.conversationId },
    from: { id: ctx.userId, role: 'user' },
    recipient: { id: BOT_ACCOUNT.id, role: 'bot' },
    timestamp: ctx.timestamp.toISOString(),
  };
  if (input.locale !== undefined) activity.locale = input.locale;
  if (input.text !== undefined) activity.text = input.text;
  if (input.value !== undefined) activity.value = input.value;
  if (input.name !== undefined) activity.name = input.name;
  if (input.clientActivityId)
    activity.channelData = { [input.clientActivityId.key]: input.clientActivityId.value };
  return activity;
}

/** What the engine receives for the user's activity. */
export function toInboundActivity(
  input: ClientActivity,
  ctx: StreamContext & { id: string; timestamp: Date },
): InboundActivity {
  const activity: InboundActivity = {
    type: input.type,
    id: ctx.id,
    channelId: WEBCHAT_CHANNEL_ID,
    conversation: { id: ctx.conversationId, isGroup: false, conversationType: 'personal' },
    from: { id: ctx.userId, role: 'user' },
    recipient: { id: BOT_ACCOUNT.id, name: BOT_ACCOUNT.name, role: 'bot' },
    timestamp: ctx.timestamp,
  };
  if (input.locale !== undefined) activity.locale = input.locale;
  if (input.text !== undefined) activity.text = input.text;
  if (input.value !== undefined) activity.value = input.value;
  if (input.name !== undefined) activity.name = input.name;
  return activity;
}

/**
 * A bot reply as stored in the stream, or undefined for the engine's internal activity types. Whatever the
 * engine put in the reply is kept (text, suggestedActions, attachments, inputHint, …) except identity and
 * routing fields, which are set here. An image (a results chart) is an `image/png` attachment whose
 * `contentUrl` is a data: URL and whose `name` is its text alternative: Web Chat shows it as an <img> with
 * that alt (tests/channels/webchat/results-browser.test.ts), nothing to fetch from elsewhere.
 */
export function toBotStreamActivity(
  reply: OutboundActivity,
  ctx: StreamContext & { replyToId: string; timestamp: Date },
): StoredActivity | undefined {
  const type = reply.type ?? 'message';
  if (INTERNAL_TYPES.has(type)) return undefined;
  const { id: _id, from: _from, recipient: _recipient, conversation: _c, serviceUrl: _s, ...rest } = reply;
  return {
    ...JSON.parse(JSON.stringify(rest)),
    type,
    id: botActivityId(ctx.conversationId),
    // Plain text: what people wrote is shown as written, never interpreted as Markdown.
    ...(type === 'message' ? { textFormat: 'plain' } : {}),
    channelId: WEBCHAT_CHANNEL_ID,
    conversation: { id: ctx.conversationId },
    from: { ...BOT_ACCOUNT },
    recipient: { id: ctx.userId, role: 'user' },
    timestamp: ctx.timestamp.toISOString(),
    replyToId: ctx.replyToId,
  };
}
