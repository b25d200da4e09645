// The fake Telegram Bot API, exercised through telegraf itself (its Telegram client and, once, a polling
// Telegraf), so what passes here is what the bot's code will see.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Input, Telegraf, Telegram, TelegramError } from 'telegraf';
import {
  parseTelegramHtml,
  startFakeBotApi,
  type FakeBotApi,
  type Message,
  type UploadedFile,
} from './telegram-bot-api.ts';

async function refusal(p: Promise<unknown>): Promise<TelegramError> {
  const err: unknown = await p.then(
    () => new Error('expected the call to be refused'),
    (e: unknown) => e,
  );
  if (!(err instanceof TelegramError)) throw err;
  return err;
}

describe('fake Telegram Bot API through telegraf', () => {
  let api: FakeBotApi;
  let tg: Telegram;

  beforeEach(async () => {
    api = await startFakeBotApi({ perChatPerSecond: null });
    tg = new Telegram(api.token, { apiRoot: api.apiRoot });
  });
  afterEach(async () => {
    await api.close();
  });

  it('answers getMe with the test bot, and 401 for a wrong token, 404 for an unknown method', async () => {
    const me = await tg.getMe();
    expect(me).toMatchObject({ is_bot: true, username: 'plaza_test_bot' });
    expect(me.id).toBe(Number(api.token.split(':')[0]));

    const wrong = await refusal(new Telegram('1:wrong', { apiRoot: api.apiRoot }).getMe());
    expect(wrong.code).toBe(401);
    expect(wrong.description).toBe('Unauthorized');

    const res = await fetch(`${api.apiRoot}/bot${api.token}/frobnicate`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      ok: false,
      error_code: 404,
      description: 'Not Found: method not found',
    });
    expect(api.calls.map((c) => [c.method, c.response.ok, c.response.error_code])).toEqual([
      ['getMe', true, undefined],
      ['getMe', false, 401],
      ['frobnicate', false, 404],
    ]);
  });

  it('sends HTML: escaped text stays text, the Message carries plain text, entities and the keyboard', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Apoyar', callback_data: 'support:17' }]] };
    const m1 = await tg.sendMessage(42, '&lt;b&gt; no es negrita, <b>esto sí</b> &amp; &quot;fin&quot;', {
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
    expect(m1.text).toBe('<b> no es negrita, esto sí & "fin"');
    expect(m1.entities).toEqual([{ type: 'bold', offset: 19, length: 7 }]);
    expect(m1.reply_markup).toEqual(keyboard);
    expect(m1.chat).toMatchObject({ id: 42, type: 'private' });
    expect(m1.date).toBeGreaterThan(1_600_000_000);

    const m2 = await tg.sendMessage(42, 'segundo');
    const other = await tg.sendMessage(7, 'otro chat');
    expect([m1.message_id, m2.message_id, other.message_id]).toEqual([1, 2, 1]);
    expect(api.sent(42)).toHaveLength(2);
    expect(api.sent()).toHaveLength(3);
    expect(api.texts(42)).toEqual(['<b> no es negrita, esto sí & "fin"', 'segundo']);
    expect(api.sent(42)[0]?.params).toMatchObject({
      chat_id: 42,
      parse_mode: 'HTML',
      reply_markup: keyboard,
    });
  });

  it.each([
    ['<b>x', 'Can\'t find end tag corresponding to start tag "b"'],
    ['a < b', 'Unsupported start tag "" at byte offset 2'],
    ['&foo;', 'Unsupported HTML entity "&foo;"'],
    ['<p>hola</p>', 'Unsupported start tag "p" at byte offset 0'],
    ['<b><i>x</b></i>', 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['<span>x</span>', 'Tag "span" must have class "tg-spoiler"'],
  ])("refuses malformed HTML %j with 400 can't parse entities", async (html, reason) => {
    const err = await refusal(tg.sendMessage(42, html, { parse_mode: 'HTML' }));
    expect(err.code).toBe(400);
    expect(err.description).toContain("Bad Request: can't parse entities: ");
    expect(err.description).toContain(reason);
    expect(api.parseErrors).toBe(1);
    expect(api.sent()).toHaveLength(0);
  });

  it('parses the HTML Telegram accepts', () => {
    const html =
      '<strong>a</strong><em>b</em><ins>c</ins><del>d</del><tg-spoiler>e</tg-spoiler>' +
      '<span class="tg-spoiler">f</span><a href="https://example.org/?a=1&amp;b=2">g</a>' +
      '<pre><code class="language-ts">h</code></pre><blockquote expandable>i</blockquote> 1 > 0 &#241;&#xF1;';
    const { text, entities } = parseTelegramHtml(html);
    expect(text).toBe('abcdefghi 1 > 0 ññ');
    expect(entities.map((e) => e.type)).toEqual([
      'bold',
      'italic',
      'underline',
      'strikethrough',
      'spoiler',
      'spoiler',
      'text_link',
      'pre',
      'expandable_blockquote',
    ]);
    expect(entities[6]).toMatchObject({ url: 'https://example.org/?a=1&b=2' });
    expect(entities[7]).toMatchObject({ language: 'ts' });
  });

  it('limits text to 4096 characters after entity parsing, and refuses empty text', async () => {
    const tooLong = await refusal(tg.sendMessage(42, 'x'.repeat(4097)));
    expect(tooLong.code).toBe(400);
    expect(tooLong.description).toBe('Bad Request: message is too long');

    const markupNotCounted = await tg.sendMessage(42, `<b>${'x'.repeat(4096)}</b>`, { parse_mode: 'HTML' });
    expect(markupNotCounted.text).toHaveLength(4096);

    const empty = await refusal(tg.sendMessage(42, '  <b> </b> ', { parse_mode: 'HTML' }));
    expect(empty.description).toBe('Bad Request: message text is empty');
  });

  it('limits callback_data to 64 UTF-8 bytes, not characters', async () => {
    const send = (data: string) =>
      tg.sendMessage(42, 'elige', {
        reply_markup: { inline_keyboard: [[{ text: 'Sí', callback_data: data }]] },
      });
    expect('ñ'.repeat(33)).toHaveLength(33);
    const err = await refusal(send('ñ'.repeat(33))); // 66 bytes
    expect(err.code).toBe(400);
    expect(err.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    await expect(send('ñ'.repeat(32))).resolves.toMatchObject({ text: 'elige' }); // 64 bytes

    const noAction = await refusal(
      tg.sendMessage(42, 'x', { reply_markup: { inline_keyboard: [[{ text: 'solo texto' } as never]] } }),
    );
    expect(noAction.description).toBe('Bad Request: text buttons are unallowed in the inline keyboard');
  });

  it('injects failures: a 429 carries parameters.retry_after, a 500 surfaces as its status text', async () => {
    api.failNext('sendMessage', { error_code: 429, retry_after: 7 });
    const limited = await refusal(tg.sendMessage(42, 'hola'));
    expect(limited.code).toBe(429);
    expect(limited.description).toBe('Too Many Requests: retry after 7');
    expect(limited.parameters?.retry_after).toBe(7);
    expect(api.rateLimited).toBe(1);

    api.failNext('sendMessage', { error_code: 500 }, 2);
    for (let i = 0; i < 2; i += 1) {
      const down = await refusal(tg.sendMessage(42, 'hola'));
      expect([down.code, down.description]).toEqual([500, 'Internal Server Error']);
    }
    await expect(tg.sendMessage(42, 'hola')).resolves.toMatchObject({ message_id: 1 });

    api.failNext('sendMessage', { drop: true });
    await expect(tg.sendMessage(42, 'hola')).rejects.toMatchObject({ name: 'FetchError' });
    expect(api.calls.map((c) => c.response.ok)).toEqual([false, false, false, true, false]);
  });

  it('answers 403 for a chat that blocked the bot, and only for that chat', async () => {
    api.forbid(13);
    const err = await refusal(tg.sendMessage(13, 'hola'));
    expect(err.code).toBe(403);
    expect(err.description).toBe('Forbidden: bot was blocked by the user');
    await expect(tg.sendChatAction(13, 'typing')).rejects.toMatchObject({ code: 403 });
    await expect(tg.sendMessage(14, 'hola')).resolves.toMatchObject({ chat: { id: 14 } });
  });

  it('edits: the new text is parsed, an identical edit is "not modified", an unknown message is not found', async () => {
    const sent = await tg.sendMessage(42, '<i>votando…</i>', { parse_mode: 'HTML' });
    const edited = await tg.editMessageText(42, sent.message_id, undefined, '<b>hecho</b>', {
      parse_mode: 'HTML',
    });
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'hecho' });
    expect(api.message(42, sent.message_id)?.text).toBe('hecho');

    const same = await refusal(
      tg.editMessageText(42, sent.message_id, undefined, '<b>hecho</b>', { parse_mode: 'HTML' }),
    );
    expect(same.description).toContain('Bad Request: message is not modified');
    const missing = await refusal(tg.editMessageText(42, 999, undefined, 'x'));
    expect(missing.description).toBe('Bad Request: message to edit not found');
    await expect(tg.answerCbQuery('123456', 'ok')).resolves.toBe(true);
  });
});

describe('flood control', () => {
  let api: FakeBotApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('allows one send per chat per second by default: 3 quick sends → 1 ok, 2 × 429 retry_after 1', async () => {
    api = await startFakeBotApi();
    const tg = new Telegram(api.token, { apiRoot: api.apiRoot });
    const results = await Promise.allSettled([1, 2, 3].map((n) => tg.sendMessage(42, `mensaje ${n}`)));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as TelegramError] : []));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(refused.map((e) => [e.code, e.description, e.parameters?.retry_after])).toEqual([
      [429, 'Too Many Requests: retry after 1', 1],
      [429, 'Too Many Requests: retry after 1', 1],
    ]);
    expect(api.rateLimited).toBe(2);
    expect(api.maxPerChatInSecond()).toBe(1);
    await expect(tg.sendMessage(43, 'otro chat')).resolves.toMatchObject({ message_id: 1 });
    await new Promise((r) => setTimeout(r, 1050));
    await expect(tg.sendMessage(42, 'ya')).resolves.toMatchObject({ message_id: 2 });
  });

  it('caps sends overall per rolling second and reports the busiest second', async () => {
    api = await startFakeBotApi({ globalPerSecond: 3, perChatPerSecond: null });
    const tg = new Telegram(api.token, { apiRoot: api.apiRoot });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((chat) => tg.sendMessage(chat, 'hola')));
    expect(results.map((r) => r.status).filter((s) => s === 'fulfilled')).toHaveLength(3);
    expect(api.rateLimited).toBe(2);
    expect(api.busiestSecond()).toBe(3);
    expect(api.maxPerChatInSecond()).toBe(1);
    api.reset();
    expect([api.calls.length, api.rateLimited, api.busiestSecond()]).toEqual([0, 0, 0]);
  });
});

describe('updates, webhooks and files', () => {
  let api: FakeBotApi;
  let tg: Telegram;
  beforeEach(async () => {
    api = await startFakeBotApi({ perChatPerSecond: null });
    tg = new Telegram(api.token, { apiRoot: api.apiRoot });
  });
  afterEach(async () => {
    await api.close();
  });

  it('long-polls getUpdates until an update is pushed; offset confirms it', async () => {
    expect(await tg.getUpdates(0, 100, 0, [])).toEqual([]);
    const started = Date.now();
    const polled = tg.getUpdates(5, 100, 0, []);
    setTimeout(() => api.pushText(42, '/start hola'), 150);
    const updates = await polled;
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(updates).toHaveLength(1);
    const [update] = updates;
    expect(update).toMatchObject({
      message: {
        chat: { id: 42, type: 'private' },
        from: { id: 42, is_bot: false },
        text: '/start hola',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    });
    expect(await tg.getUpdates(0, 100, update?.update_id ?? 0, [])).toHaveLength(1); // not yet confirmed
    expect(await tg.getUpdates(0, 100, (update?.update_id ?? 0) + 1, [])).toEqual([]);
  });

  it('serves a polling Telegraf end to end and stops cleanly', async () => {
    const bot = new Telegraf(api.token, { telegram: { apiRoot: api.apiRoot, webhookReply: false } });
    bot.command('start', (ctx) => ctx.reply('<b>Hola</b>, bienvenida', { parse_mode: 'HTML' }));
    bot.on('callback_query', (ctx) => ctx.answerCbQuery('Anotado'));
    const running = bot.launch();
    api.pushText(42, '/start');
    await vi.waitFor(() => expect(api.texts(42)).toEqual(['Hola, bienvenida']), { timeout: 5000 });
    const [reply] = api.sent(42);
    api.pushCallback(42, 'support:1', { messageId: (reply?.response.result as Message).message_id });
    await vi.waitFor(() => expect(api.callsOf('answerCallbackQuery')).toHaveLength(1), { timeout: 5000 });
    bot.stop('test over');
    await running;
    expect(api.calls.map((c) => c.method).slice(0, 2)).toEqual(['getMe', 'deleteWebhook']);
    expect(api.calls.filter((c) => c.response.error_code !== undefined)).toEqual([]);
  });

  it('records setWebhook, reports it, refuses getUpdates meanwhile, and delivers updates with the secret', async () => {
    const seen: { secret: string | undefined; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/telegram/webhook`;
      await expect(tg.setWebhook(url, { secret_token: 'bad secret!' })).rejects.toMatchObject({ code: 400 });
      await tg.setWebhook(url, { secret_token: 's3cr3t_-', allowed_updates: ['message', 'callback_query'] });
      expect(api.webhook).toEqual({
        url,
        secret_token: 's3cr3t_-',
        allowed_updates: ['message', 'callback_query'],
      });
      expect(await tg.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0 });
      await expect(tg.getUpdates(0, 100, 0, [])).rejects.toMatchObject({ code: 409 });

      const update = api.pushText(42, 'hola');
      expect(await api.deliverWebhook(update)).toEqual({ status: 200, body: 'ok' });
      expect(seen).toEqual([{ secret: 's3cr3t_-', body: JSON.stringify(update) }]);

      await tg.deleteWebhook({ drop_pending_updates: true });
      expect(api.webhook).toBeNull();
      expect(await tg.getWebhookInfo()).toMatchObject({ url: '', pending_update_count: 0 });
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('accepts a multipart sendDocument and records its fields and file', async () => {
    const csv = 'propuesta;apoyos\nCarril bici;12\n';
    const message = await tg.sendDocument(42, Input.fromBuffer(Buffer.from(csv), 'resultados.csv'), {
      caption: '<b>Resultados</b> del proceso',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Ver', url: 'https://plaza.example/p/1' }]] },
    });
    expect(message.document).toMatchObject({
      file_name: 'resultados.csv',
      file_size: Buffer.byteLength(csv),
    });
    expect(message.caption).toBe('Resultados del proceso');
    const [call] = api.callsOf('sendDocument');
    expect(call?.params).toMatchObject({
      chat_id: '42', // multipart fields arrive as strings
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Ver', url: 'https://plaza.example/p/1' }]] },
    });
    expect(call?.params).not.toHaveProperty('method');
    const file = call?.params.document as UploadedFile;
    expect(file.filename).toBe('resultados.csv');
    expect(file.content.toString('utf8')).toBe(csv);

    const photo = await tg.sendPhoto(42, Input.fromBuffer(Buffer.from([0xff, 0xd8, 0xff]), 'grafico.jpg'));
    expect(photo.photo?.length).toBeGreaterThan(0);
    expect(api.sent(42)).toHaveLength(0); // sent() is sendMessage only
    expect(api.busiestSecond()).toBe(2);
  });

  it('simulates network latency', async () => {
    api.latencyMs = 120;
    const started = Date.now();
    await tg.getMe();
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});
