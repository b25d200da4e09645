// Button presses are untrusted input. A keyboard's titles are kept server-side, per chat, and only the latest
// keyboard counts (pressing a button of an older message must not answer the current question). The
// callback_data is `<keyboard>.<index>.<signature>` (well under Telegram's 64 bytes): the signature, an HMAC
// over chat, keyboard and index, rejects forged data; a keyboard other than the latest is "expired".
// A keyboard takes one press: the script that resolves a press also records which update it answered, so a
// second press of the same keyboard (a double tap: another update_id, resolved before the first press's turn
// has replaced the keyboard) is "expired" too, while Telegram resending that same update resolves as before.
// The press is resolved before the engine's turn gate; this is what keeps two concurrent presses of one
// keyboard from both answering (the first one's question, then, as text, the next one).
// In the moderators' group the keyboard of a question belongs to the member asked (keyed by their
// conversation there), so nobody else can answer it.
// Action buttons (postBack: a case card's Approve / Reject…) are `p.<value>.<signature>`, signed over the
// chat and the value: valid for anyone in that chat for as long as the message exists; what they may do is
// decided by the engine (only registered moderators count).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Redis } from '../../src/redis/client.ts';
import { RedisScript } from '../../src/redis/script.ts';

export type ButtonPress =
  | { ok: true; title: string; postBack?: undefined }
  | { ok: true; postBack: string; title?: undefined }
  | { ok: false; reason: 'forged' | 'expired' };

/** What a postBack value may be: short and plain, so the data stays under Telegram's 64 bytes. */
export const POSTBACK_VALUE = /^[a-z0-9:_-]{1,40}$/;

// A keyboard is kept as `{"id":<id>,"titles":[…]}` (JSON.stringify's order), and once a press took it as
// `{"id":<id>,"by":"<update id>","titles":[…]}`. The scripts read the id and `by` with patterns, never
// decoding the titles (Redis's cjson refuses some valid JSON, such as a lone surrogate escape).
const KEYBOARD_LUA = `
local function parse(value)
  local id, by = string.match(value, '^{"id":(%d+),"by":"([%w.+-]+)",')
  if not id then id = string.match(value, '^{"id":(%d+),') end
  return id, by
end
local function taken(value, by)
  return (string.gsub(value, '^{"id":(%d+),', '{"id":%1,"by":"' .. by .. '",', 1))
end
`;

// A chat's latest keyboard: `save_keyboard(key, id, JSON, ttl)`. A keyboard rendered again for a repeated
// update keeps its id, and the press that took it if one did; an older update never replaces a newer one.
// (Id 0, a message sent outside a turn, is a new keyboard each time.) The outbox's script that queues the
// messages carrying a keyboard runs it too (`KeyboardWrite`), so saving costs no round trip of its own.
export const SAVE_KEYBOARD_LUA = `${KEYBOARD_LUA}
local function save_keyboard(key, kb, value, ttl)
  local current = redis.call('GET', key)
  if current then
    local id, by = parse(current)
    if id and tonumber(id) > tonumber(kb) then return 0 end
    if by and id == kb and kb ~= '0' then value = taken(value, by) end
  end
  redis.call('SET', key, value, 'EX', tonumber(ttl))
  return 1
end
`;

// KEYS[1]=latest keyboard ARGV[1]=keyboard id (the update id: increasing) ARGV[2]=JSON ARGV[3]=ttl
const SAVE_LATEST = new RedisScript(`${SAVE_KEYBOARD_LUA}
return save_keyboard(KEYS[1], ARGV[1], ARGV[2], ARGV[3])`);

/** A keyboard to save as a chat's latest: `save_keyboard`'s arguments. */
export interface KeyboardWrite {
  key: string;
  id: string;
  value: string;
  ttlSeconds: string;
}

// KEYS[1]=latest keyboard ARGV[1]=keyboard id pressed ARGV[2]=the press's update id
// → the keyboard (JSON), now taken by this press; nil when it is not the latest or another press took it.
const PRESS = new RedisScript(`${KEYBOARD_LUA}
local value = redis.call('GET', KEYS[1])
if not value then return false end
local id, by = parse(value)
if id ~= ARGV[1] then return false end
if not by then
  value = taken(value, ARGV[2])
  redis.call('SET', KEYS[1], value, 'KEEPTTL')
elseif by ~= ARGV[2] then
  return false
end
return value`);

export class ButtonStore {
  private readonly key: Buffer;

  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix: string; secret: string; ttlSeconds?: number },
  ) {
    this.key = createHmac('sha256', 'plaza-telegram-buttons').update(opts.secret).digest();
  }

  private sign(chatId: string, keyboard: string, index: number): string {
    return createHmac('sha256', this.key)
      .update(`${chatId}:${keyboard}:${index}`)
      .digest('base64url')
      .slice(0, 16);
  }

  /** Remembers a keyboard as the chat's latest and returns the callback data of each button. */
  async save(chatId: string, keyboard: number, titles: string[]): Promise<string[]> {
    const { data, write } = this.prepare(chatId, keyboard, titles);
    await SAVE_LATEST.run(this.redis, [write.key], [write.id, write.value, write.ttlSeconds]);
    return data;
  }

  /**
   * The callback data of each button, and the write that makes the keyboard the chat's latest, for whoever
   * runs `save_keyboard` (the outbox, in the script that queues the message: see SAVE_KEYBOARD_LUA).
   */
  prepare(chatId: string, keyboard: number, titles: string[]): { data: string[]; write: KeyboardWrite } {
    const k = keyboard.toString(36);
    return {
      data: titles.map((_, i) => `${k}.${i}.${this.sign(chatId, k, i)}`),
      write: {
        key: `${this.opts.prefix}:tg:kb:${chatId}`,
        id: String(keyboard),
        value: JSON.stringify({ id: keyboard, titles }),
        ttlSeconds: String(this.opts.ttlSeconds ?? 7 * 24 * 3600),
      },
    };
  }

  /** Callback data of an action button in a chat. */
  postBack(chatId: string, value: string): string {
    if (!POSTBACK_VALUE.test(value)) throw new Error(`postBack value not allowed: ${value}`);
    return `p.${value}.${this.signValue(chatId, value)}`;
  }

  private signValue(chatId: string, value: string): string {
    return createHmac('sha256', this.key).update(`${chatId}:p:${value}`).digest('base64url').slice(0, 16);
  }

  /**
   * `keyboardKey`: whose latest keyboard the data must belong to (the chat, or a member's conversation in
   * the moderators' group); `chatId`: the chat the press came from (action buttons are signed for it);
   * `pressId`: the press's own id (the update_id). A keyboard's button resolves for one press only: the
   * first `pressId` takes the keyboard, the same id again (Telegram resending the update) resolves alike,
   * any other is "expired". Action buttons are not taken (anyone in the chat may press them; the engine
   * decides what a repeat does).
   */
  async resolve(
    keyboardKey: string,
    data: string,
    press: { pressId: string; chatId?: string },
  ): Promise<ButtonPress> {
    const chatId = press.chatId ?? keyboardKey;
    const action = /^p\.([a-z0-9:_-]{1,40})\.([A-Za-z0-9_-]{16})$/.exec(data);
    if (action) {
      const expected = Buffer.from(this.signValue(chatId, action[1]!));
      const given = Buffer.from(action[2]!);
      return expected.length === given.length && timingSafeEqual(expected, given)
        ? { ok: true, postBack: action[1]! }
        : { ok: false, reason: 'forged' };
    }
    return this.resolveKeyboard(keyboardKey, data, press.pressId);
  }

  private async resolveKeyboard(chatId: string, data: string, pressId: string): Promise<ButtonPress> {
    const match = /^([0-9a-z]{1,12})\.(\d{1,2})\.([A-Za-z0-9_-]{16})$/.exec(data);
    if (!match) return { ok: false, reason: 'forged' };
    const [, keyboard, indexText, signature] = match as unknown as [string, string, string, string];
    const index = Number(indexText);
    const expected = Buffer.from(this.sign(chatId, keyboard, index));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'forged' };
    // Kept inside the stored JSON as is: no quote or backslash may reach it (update ids are numbers; a
    // float or negative one from a test double still is plain).
    if (!/^[\w.+-]{1,32}$/.test(pressId)) return { ok: false, reason: 'expired' };
    // Signed, so `keyboard` is an id this store wrote in base 36 (a safe integer): it converts back exactly.
    const stored = await PRESS.run(
      this.redis,
      [`${this.opts.prefix}:tg:kb:${chatId}`],
      [String(parseInt(keyboard, 36)), pressId],
    );
    const title =
      typeof stored === 'string' ? (JSON.parse(stored) as { titles: string[] }).titles[index] : undefined;
    return title === undefined ? { ok: false, reason: 'expired' } : { ok: true, title };
  }
}
