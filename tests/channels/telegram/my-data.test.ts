// «Mis datos» on Telegram: the JSON file goes out as a document (multipart upload through the outbox),
// after the text that introduces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { press, script } from '../../support/conversation.ts';
import { consentSteps } from '../../support/scripts.ts';
import type { UploadedFile } from '../../fakes/telegram-bot-api.ts';
import { startTelegramPlaza, TelegramChat, type TelegramPlaza } from './harness.ts';

let t: TelegramPlaza;
beforeAll(async () => {
  t = await startTelegramPlaza();
});
afterAll(() => t?.close());

describe('«Mis datos» on Telegram', () => {
  it('sends the data file as a document', async () => {
    const chat = new TelegramChat(t);
    await script(chat, [...consentSteps, ['/misdatos', /Esto es lo que Plaza guarda sobre ti/]]);
    const before = t.fake.calls.length;
    await script(chat, [[press('Descargar mis datos'), /todos tus datos en un archivo JSON/]]);
    const calls = t.fake.calls.slice(before).filter((c) => String(c.params.chat_id) === String(chat.chatId));
    const documents = calls.filter((c) => c.method === 'sendDocument');
    expect(documents).toHaveLength(1);
    expect(documents[0]!.response.ok).toBe(true);
    const file = documents[0]!.params.document as UploadedFile;
    const data = JSON.parse(file.content.toString('utf8')) as { accounts: { externalId: string }[] };
    expect(data.accounts.map((a) => a.externalId)).toEqual([String(chat.chatId)]);
    const sent = calls.filter((c) => c.response.ok && c.method !== 'sendChatAction');
    expect(sent.map((c) => c.method)).toEqual(['sendMessage', 'sendDocument', 'sendMessage']);
    // Then the menu again, as after any flow.
    expect(chat.text()).toMatch(/¿Qué quieres hacer\?/);
  });
});
