import { describe, expect, it } from 'vitest';
import {
  buttonLabel,
  escapeHtml,
  keyboardRows,
  renderReplies,
  splitText,
  TELEGRAM_MAX_TEXT,
} from '../../../channels/telegram/render.ts';
import { parseTelegramHtml } from '../../fakes/telegram-bot-api.ts';

describe('rendering replies for Telegram', () => {
  it('escapes <, > and & so user text is never markup', () => {
    expect(escapeHtml('<b>a & b</b> &amp;')).toBe('&lt;b&gt;a &amp; b&lt;/b&gt; &amp;amp;');
    const [m] = renderReplies([{ type: 'message', text: 'Título: <script>alert(1)</script> & más' }]);
    expect(parseTelegramHtml(m!.html).text).toBe('Título: <script>alert(1)</script> & más');
  });

  it('joins the texts of one turn into one message and puts the buttons under it', () => {
    const messages = renderReplies([
      { type: 'message', text: 'Primero' },
      { type: 'typing' },
      {
        type: 'message',
        text: '¿Qué quieres hacer?',
        suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Apoyar', value: 'Apoyar' }] },
      },
    ]);
    expect(messages).toEqual([
      { html: 'Primero\n\n¿Qué quieres hacer?', buttons: ['Apoyar'], postBacks: [] },
    ]);
  });

  it('keeps action buttons (postBack) apart from answer buttons', () => {
    const messages = renderReplies([
      {
        type: 'message',
        text: 'Caso #1',
        suggestedActions: {
          to: [],
          actions: [
            { type: 'postBack', title: '✅ Aprobar', value: 'case:1:approve' },
            { type: 'postBack', title: '❌ Rechazar', value: 'case:1:reject' },
          ],
        },
      },
    ]);
    expect(messages).toEqual([
      {
        html: 'Caso #1',
        buttons: [],
        postBacks: [
          { title: '✅ Aprobar', value: 'case:1:approve' },
          { title: '❌ Rechazar', value: 'case:1:reject' },
        ],
      },
    ]);
  });

  it('splits long texts at paragraphs, within 4,096 characters after escaping, losing nothing', () => {
    const paragraph = 'a&b '.repeat(300).trim(); // 1,199 characters, 1,799 escaped
    const text = Array.from({ length: 6 }, () => paragraph).join('\n\n');
    const parts = splitText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(escapeHtml(part).length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
    expect(parts.join('\n\n')).toBe(text);
  });

  it('splits a text with no spaces at the limit without breaking an emoji', () => {
    const text = '😀'.repeat(3000); // 6,000 UTF-16 units
    const parts = splitText(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
      expect(part).not.toMatch(/[\uD800-\uDBFF]$/);
    }
    expect(parts.join('')).toBe(text);
  });

  it('numbers the buttons and lays short ones two to a row, long ones alone', () => {
    const labels = ['Sí', 'No', 'Leer el aviso completo', 'Uno', 'Dos', 'Tres'].map((t, i) => ({
      label: buttonLabel(i, t),
      value: i,
    }));
    expect(keyboardRows(labels).map((row) => row.map((b) => b.label))).toEqual([
      ['1. Sí', '2. No'],
      ['3. Leer el aviso completo'],
      ['4. Uno', '5. Dos'],
      ['6. Tres'],
    ]);
  });

  it('does not number twice a title that carries its number already', () => {
    expect(buttonLabel(1, '2. Ayuda')).toBe('2. Ayuda');
    expect(buttonLabel(0, '2. Ayuda')).toBe('1. 2. Ayuda');
    expect(buttonLabel(9, '10. Sí')).toBe('10. Sí');
  });
});
