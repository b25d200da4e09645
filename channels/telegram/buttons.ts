// Button presses are untrusted input. A keyboard's titles are kept server-side, per chat, and only the latest
// keyboard counts (pressing a button of an older message must not answer the current question). The
// callback_data is `<keyboard>.<index>.<signature>` (well under Telegram's 64 bytes): the signature, an HMAC
// over chat, keyboard and index, rejects forged data; a keyboard other than the latest is "expired".
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

// KEYS[1]=latest keyboard ARGV[1]=keyboard id (the update id: increasing) ARGV[2]=JSON ARGV[3]=ttl
// A keyboard rendered again for a repeated update keeps its id; an older update never replaces a newer one.
const SAVE_LATEST = new RedisScript(`
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and tonumber(decoded.id) > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1`);

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
    await SAVE_LATEST.run(
      this.redis,
      [`${this.opts.prefix}:tg:kb:${chatId}`],
      [
        String(keyboard),
        JSON.stringify({ id: keyboard, titles }),
        String(this.opts.ttlSeconds ?? 7 * 24 * 3600),
      ],
    );
    const k = keyboard.toString(36);
    return titles.map((_, i) => `${k}.${i}.${this.sign(chatId, k, i)}`);
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
   * the moderators' group); `chatId`: the chat the press came from (action buttons are signed for it).
   */
  async resolve(keyboardKey: string, data: string, chatId: string = keyboardKey): Promise<ButtonPress> {
    const action = /^p\.([a-z0-9:_-]{1,40})\.([A-Za-z0-9_-]{16})$/.exec(data);
    if (action) {
      const expected = Buffer.from(this.signValue(chatId, action[1]!));
      const given = Buffer.from(action[2]!);
      return expected.length === given.length && timingSafeEqual(expected, given)
        ? { ok: true, postBack: action[1]! }
        : { ok: false, reason: 'forged' };
    }
    return this.resolveKeyboard(keyboardKey, data);
  }

  private async resolveKeyboard(chatId: string, data: string): Promise<ButtonPress> {
    const match = /^([0-9a-z]{1,12})\.(\d{1,2})\.([A-Za-z0-9_-]{16})$/.exec(data);
    if (!match) return { ok: false, reason: 'forged' };
    const [, keyboard, indexText, signature] = match as unknown as [string, string, string, string];
    const index = Number(indexText);
    const expected = Buffer.from(this.sign(chatId, keyboard, index));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'forged' };
    const stored = await this.redis.get(`${this.opts.prefix}:tg:kb:${chatId}`);
    if (!stored) return { ok: false, reason: 'expired' };
    const latest = JSON.parse(stored) as { id: number; titles: string[] };
    const title = latest.titles[index];
    if (latest.id.toString(36) !== keyboard || title === undefined) return { ok: false, reason: 'expired' };
    return { ok: true, title };
  }
}
