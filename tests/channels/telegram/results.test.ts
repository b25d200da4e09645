// Results on Telegram once voting has closed: a photo (the chart, uploaded as multipart with a short
// caption) followed by the full text as a message, through the webhook, the outbox in Redis and the fake
// Bot API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { press, script } from '../../support/conversation.ts';
import { createClosedProcess, createResults, RESULTS_PLAN } from '../../support/closed-voting.ts';
import { consentSteps } from '../../support/scripts.ts';
import type { ProcessFixture } from '../../support/fixtures.ts';
import type { UploadedFile } from '../../fakes/telegram-bot-api.ts';
import { startTelegramPlaza, TelegramChat, type TelegramPlaza } from './harness.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let t: TelegramPlaza;
let closed: ProcessFixture;
beforeAll(async () => {
  t = await startTelegramPlaza();
  closed = await createClosedProcess(t.plaza.database.prisma, 'Barrios vivos');
  await createResults(t.plaza.database.prisma, closed, RESULTS_PLAN);
});
afterAll(() => t?.close());

describe('Telegram results', () => {
  it('sends the chart as a photo with a short caption, then the full text and the menu', async () => {
    const chat = new TelegramChat(t);
    await script(chat, [...consentSteps, [`/start process_${closed.slug}`, /Barrios vivos/]]);
    const before = t.fake.calls.length;
    await script(chat, [
      [
        press('Ranking'),
        [
          /Resultados de «Barrios vivos» \(la votación ha terminado\)/,
          /1\. Más autobuses nocturnos — 5 apoyos · 🏅 seleccionada/,
          /Respuesta oficial: Empezarán en enero\./,
          // Escaped for parse mode HTML, shown as written.
          '2. Carril bici <script>alert(1)</script> & más — 3 apoyos',
          /¿Qué quieres hacer\?/,
        ],
      ],
    ]);
    const calls = t.fake.calls.slice(before).filter((c) => String(c.params.chat_id) === String(chat.chatId));
    const photos = calls.filter((c) => c.method === 'sendPhoto');
    expect(photos).toHaveLength(1);
    const photo = photos[0]!;
    expect(photo.response.ok).toBe(true);
    const file = photo.params.photo as UploadedFile;
    expect(file.content.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file.size).toBeGreaterThan(5_000);
    expect(photo.params.caption).toBe('Resultados de «Barrios vivos» (la votación ha terminado)');
    expect(photo.params.parse_mode).toBe('HTML');
    // The photo comes first; the text (the chart's alternative) and the menu's buttons follow it.
    const sent = calls.filter((c) => c.response.ok && c.method !== 'sendChatAction');
    expect(sent.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(chat.buttons()).toContain('Ranking');
  });
});
