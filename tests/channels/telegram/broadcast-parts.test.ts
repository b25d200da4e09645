// A broadcast text within its limit as written can need two Telegram messages once rendered (the title
// line, `&` escaped as `&amp;`): every part reaches the person, in order, and the delivery counts as sent
// only once the last one has gone; a delivery no longer wanted (its broadcast cancelled meanwhile) sends
// none of its parts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParticipant, createProcess } from '../../support/fixtures.ts';
import { startTelegramPlaza, textOf, until, type TelegramPlaza } from './harness.ts';

let t: TelegramPlaza;
const db = () => t.plaza.database.prisma;
beforeAll(async () => {
  t = await startTelegramPlaza();
});
afterAll(() => t?.close());

// 3,900 characters as written (under the 4,000 allowed), ~4,600 once each «&» is escaped.
const TEXT = `${'Horarios & servicios. '.repeat(175)}FIN-DEL-TEXTO`;

/** A ledger row for a Telegram person, its broadcast `status`; returns the row's id and the chat. */
async function delivery(status: 'sending' | 'cancelled') {
  const process = await createProcess(db(), { phase: 'proposals' });
  const person = await createParticipant(db(), 'telegram');
  const broadcast = await db().broadcast.create({
    data: { processId: process.id, texts: { es: TEXT }, audience: { kind: 'all' }, status },
  });
  const row = await db().broadcastDelivery.create({
    data: {
      broadcastId: broadcast.id,
      participantId: person.id,
      channel: 'telegram',
      locale: 'es',
      status: 'queued',
    },
  });
  // The chat the outbox sends to (a Telegram chat id is a number); the row is what it asks about.
  return { id: row.id, chat: String(880_000 + Math.floor(Math.random() * 100_000)) };
}

describe('a long broadcast', () => {
  it('goes out whole, in parts, and is recorded sent with its last part', async () => {
    expect([...TEXT].length).toBeLessThanOrEqual(4000);
    const { id, chat } = await delivery('sending');
    expect(await t.telegram.channel.sendBroadcast(id, chat, { type: 'message', text: TEXT })).toBe('queued');
    const parts = await until('every part sent', () => {
      const sent = t.fake.sent(chat);
      return sent.some((c) => textOf(c).includes('FIN-DEL-TEXTO')) ? sent : undefined;
    });
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) expect(String(part.params.text).length).toBeLessThanOrEqual(4096);
    expect(textOf(parts.at(-1)!)).toMatch(/FIN-DEL-TEXTO$/);
    // Split between sentences or words, never inside one: every word of the text arrives.
    const received = parts.map((p) => textOf(p)).join(' ');
    expect(received.match(/Horarios/g)).toHaveLength(175);
    expect(received.match(/servicios\./g)).toHaveLength(175);
    await until(
      'recorded sent',
      async () => (await t.telegram.channel.outbox.wasSent(`bc:${id}`)) || undefined,
    );
  });

  it('sends none of its parts once the delivery is no longer wanted', async () => {
    const { id, chat } = await delivery('cancelled');
    expect(await t.telegram.channel.sendBroadcast(id, chat, { type: 'message', text: TEXT })).toBe('queued');
    await until('dropped', async () =>
      (await t.telegram.channel.outbox.pending(chat)) === 0 ? true : undefined,
    );
    expect(t.fake.sent(chat)).toEqual([]);
  });
});
