// Replies with an image → a Telegram photo (short caption) before that reply's text; queued uploads
// survive JSON (Redis) and become telegraf's InputFile when sent.
import { describe, expect, it } from 'vitest';
import { caption, CAPTION_MAX, renderReplies } from '../../../channels/telegram/render.ts';
import { withUploads } from '../../../channels/telegram/outbox.ts';
import { pngAttachment } from '../../../src/engine/types.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('photos in Telegram replies', () => {
  it('puts the photo before its reply text, earlier texts before it, buttons on the last message', () => {
    const text = 'Resultados de «A & B» (la votación ha terminado):\n\n1. <Uno> — 3 apoyos';
    const messages = renderReplies([
      { type: 'message', text: 'Un aviso pendiente.' },
      { type: 'message', text, attachments: [pngAttachment(PNG, text)] },
      {
        type: 'message',
        text: '¿Qué quieres hacer?',
        suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Ranking', value: 'Ranking' }] },
      },
    ]);
    expect(messages).toEqual([
      { html: 'Un aviso pendiente.', buttons: [], postBacks: [] },
      {
        html: 'Resultados de «A &amp; B» (la votación ha terminado)',
        buttons: [],
        postBacks: [],
        photo: { base64: PNG.toString('base64') },
      },
      {
        html: `Resultados de «A &amp; B» (la votación ha terminado):\n\n1. &lt;Uno&gt; — 3 apoyos\n\n¿Qué quieres hacer?`,
        buttons: ['Ranking'],
        postBacks: [],
      },
    ]);
  });

  it('a photo that ends the turn carries the buttons', () => {
    const [photo] = renderReplies([
      {
        type: 'message',
        attachments: [pngAttachment(PNG, 'Gráfico')],
        suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Sí', value: 'Sí' }] },
      },
    ]);
    expect(photo).toMatchObject({ html: 'Gráfico', buttons: ['Sí'], photo: {} });
  });

  it('ignores attachments that are not inline PNGs', () => {
    const messages = renderReplies([
      {
        type: 'message',
        text: 'Hola',
        attachments: [
          { contentType: 'image/png', contentUrl: 'https://example.org/x.png', name: 'x' },
          { contentType: 'image/jpeg', contentUrl: 'data:image/jpeg;base64,AAAA', name: 'y' },
        ],
      },
    ]);
    expect(messages).toEqual([{ html: 'Hola', buttons: [], postBacks: [] }]);
  });

  it('shortens captions: first line, at most CAPTION_MAX characters, emoji kept whole', () => {
    expect(caption('Título:\nresto')).toBe('Título');
    const long = caption('😀'.repeat(500));
    expect([...long]).toHaveLength(CAPTION_MAX);
    expect(long.endsWith('😀…')).toBe(true);
  });

  it('a queued upload survives JSON and becomes an InputFile with a Buffer when sent', () => {
    const queued = JSON.parse(
      JSON.stringify({ chat_id: '1', photo: { base64: PNG.toString('base64'), filename: 'chart.png' } }),
    ) as Record<string, unknown>;
    const params = withUploads(queued);
    expect(params.chat_id).toBe('1');
    const photo = params.photo as { source: Buffer; filename: string };
    expect(Buffer.isBuffer(photo.source)).toBe(true);
    expect(photo.source.equals(PNG)).toBe(true);
    expect(photo.filename).toBe('chart.png');
    // The queued call itself is left as it was (a retry sends it again).
    expect(typeof (queued.photo as { base64: string }).base64).toBe('string');
    expect(withUploads({ chat_id: 1, text: 'hola' })).toEqual({ chat_id: 1, text: 'hola' });
  });
});
