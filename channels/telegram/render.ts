// Engine replies → Telegram messages. Texts are HTML-escaped (parse_mode HTML: only our own markup is markup);
// the texts of one turn are joined into as few messages as possible (Telegram paces each chat at about one
// message per second); a message longer than Telegram's 4,096 characters is split on paragraph boundaries,
// then lines, then words; the buttons go under the last message, numbered so typing the number works too.
// A reply's image (a chart) becomes a photo, sent before that reply's text: its caption is short (the first
// line of its text alternative; captions stop at 1,024 characters), the full text follows as a message.
import { fileBase64, filesOf, imageBase64, imagesOf, type OutboundActivity } from '../../src/engine/types.ts';

export const TELEGRAM_MAX_TEXT = 4096;
/** A photo's caption: its alt text's first line, cut well below Telegram's 1,024. */
export const CAPTION_MAX = 200;

export interface RenderedMessage {
  /** HTML, every <, > and & of the text escaped. */
  html: string;
  /** Button titles, in order; present on the last message of a turn only. */
  buttons: string[];
  /** Action buttons (postBack: title and value), on the last message only; not numbered. */
  postBacks: { title: string; value: string }[];
  /** Present for a photo: the PNG (base64); `html` is then its caption. */
  photo?: { base64: string };
  /** Present for a document (a file): its bytes (base64) and name; `html` is then its caption. */
  document?: { base64: string; filename: string };
}

export function escapeHtml(text: string): string {
  // A lone surrogate (never from Telegram, possible from other input) becomes U+FFFD instead of a broken message.
  return text.toWellFormed().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Splits plain text so each part, once escaped, is at most `max` UTF-16 units. */
export function splitText(text: string, max = TELEGRAM_MAX_TEXT): string[] {
  const fits = (s: string) => escapeHtml(s).length <= max;
  if (fits(text)) return [text];
  const parts: string[] = [];
  let rest = text;
  while (!fits(rest)) {
    const cut = findCut(rest, max);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0) parts.push(rest);
  return parts.filter((p) => p.length > 0);
}

/** The longest prefix that fits, preferring to end at a paragraph, then a line, then a space. */
function findCut(text: string, max: number): number {
  // Largest prefix whose escaped length fits (escaping only grows text, so search on the raw prefix).
  let lo = 1;
  let hi = Math.min(text.length, max);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeHtml(text.slice(0, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  let limit = lo;
  // Never cut a surrogate pair (an emoji) in half.
  const code = text.charCodeAt(limit - 1);
  if (limit < text.length && code >= 0xd800 && code <= 0xdbff) limit--;
  const window = text.slice(0, limit);
  for (const sep of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(sep);
    if (at > limit / 2) return at + sep.length;
  }
  return Math.max(limit, 1);
}

export function renderReplies(replies: OutboundActivity[]): RenderedMessage[] {
  const out: RenderedMessage[] = [];
  let texts: string[] = [];
  let buttons: string[] = [];
  let postBacks: { title: string; value: string }[] = [];
  const flush = () => {
    if (texts.length === 0) return;
    for (const part of splitText(texts.join('\n\n')))
      out.push({ html: escapeHtml(part), buttons: [], postBacks: [] });
    texts = [];
  };
  for (const reply of replies) {
    if (reply.type !== undefined && reply.type !== 'message') continue;
    const images = imagesOf(reply);
    if (images.length > 0) flush();
    for (const image of images)
      out.push({
        html: escapeHtml(caption(image.name)),
        buttons: [],
        postBacks: [],
        photo: { base64: imageBase64(image) },
      });
    if (typeof reply.text === 'string' && reply.text.trim() !== '') texts.push(reply.text);
    // A file goes after the text that introduces it.
    const files = filesOf(reply);
    if (files.length > 0) flush();
    for (const file of files)
      out.push({
        html: escapeHtml(caption(file.name)),
        buttons: [],
        postBacks: [],
        document: { base64: fileBase64(file), filename: file.name },
      });
    const actions = reply.suggestedActions?.actions ?? [];
    if (actions.length > 0) {
      const isPostBack = (a: (typeof actions)[number]) =>
        a.type === 'postBack' && typeof a.value === 'string';
      buttons = actions
        .filter((a) => !isPostBack(a))
        .map((a) => String(a.title ?? a.value ?? ''))
        .filter((t) => t !== '');
      postBacks = actions
        .filter(isPostBack)
        .map((a) => ({ title: String(a.title ?? a.value), value: String(a.value) }));
    }
  }
  flush();
  if (out.length === 0 && buttons.length === 0 && postBacks.length === 0) return [];
  if (out.length === 0) out.push({ html: escapeHtml('…'), buttons: [], postBacks: [] });
  const last = out[out.length - 1]!;
  last.buttons = buttons;
  last.postBacks = postBacks;
  return out;
}

/** A photo's caption: the first line of its text alternative, shortened (never inside a surrogate pair). */
export function caption(alt: string): string {
  const line = alt.trim().split('\n')[0]!.trim().replace(/:$/, '');
  const chars = [...line];
  return chars.length <= CAPTION_MAX
    ? line
    : `${chars
        .slice(0, CAPTION_MAX - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * Button label: its number, so typed numbers match what people see — once: a title that carries its number
 * already (a list's button told apart from a look-alike: «2. Ayuda») is not numbered again («2. 2. Ayuda»).
 */
export function buttonLabel(index: number, title: string): string {
  const prefix = `${index + 1}. `;
  return title.startsWith(prefix) ? title : prefix + title;
}

/** Rows for an inline keyboard: short labels two to a row, long ones alone. */
export function keyboardRows<T>(items: { label: string; value: T }[]): { label: string; value: T }[][] {
  const rows: { label: string; value: T }[][] = [];
  let row: { label: string; value: T }[] = [];
  for (const item of items) {
    const short = [...item.label].length <= 18;
    if (!short) {
      if (row.length) rows.push(row);
      rows.push([item]);
      row = [];
      continue;
    }
    row.push(item);
    if (row.length === 2) {
      rows.push(row);
      row = [];
    }
  }
  if (row.length) rows.push(row);
  return rows;
}
