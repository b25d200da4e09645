// Buttons with the same title on Telegram: a press comes back as the title saved for that button, so two
// workshops called alike must show different titles for the second button to register for the second one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../src/domain/create-event.ts';
import { script } from '../support/conversation.ts';
import { consentSteps } from '../support/scripts.ts';
import { createProcess, createStaffMember, type ProcessFixture } from '../support/fixtures.ts';
import {
  callbackUpdate,
  startTelegramPlaza,
  TelegramChat,
  type TelegramPlaza,
} from '../channels/telegram/harness.ts';

let t: TelegramPlaza;
let process: ProcessFixture;
const DAY = 24 * 3600_000;
const workshops: { id: number; day: string }[] = [];

beforeAll(async () => {
  t = await startTelegramPlaza();
  const db = t.plaza.database.prisma;
  process = await createProcess(db, { phase: 'proposals', title: 'Barrio en Telegram' });
  const staff = await createStaffMember(db, { role: 'staff' });
  for (const days of [5, 12]) {
    const startsAt = new Date(Date.now() + days * DAY);
    const r = await createEvent(t.plaza.domain, {
      staffMemberId: staff.id,
      processId: process.id,
      kind: 'workshop',
      title: { es: 'Taller de movilidad', en: 'Mobility workshop' },
      place: 'Centro cívico',
      startsAt,
      capacity: 10,
    });
    if (!r.ok) throw new Error(r.reason);
    const day = new Intl.DateTimeFormat('es-ES', {
      day: 'numeric',
      month: 'long',
      timeZone: 'Europe/Madrid',
    }).format(startsAt);
    workshops.push({ id: r.event.id, day });
  }
});
afterAll(() => t?.close());

describe('two buttons with the same title on Telegram', () => {
  it('the second workshop button registers for the second workshop', async () => {
    const [first, second] = workshops as [(typeof workshops)[0], (typeof workshops)[0]];
    const chat = new TelegramChat(t);
    await script(chat, [...consentSteps, [`/start process_${process.slug}`, /Barrio en Telegram/]]);
    await chat.press('Talleres y eventos');
    const labels = chat.keyboard().map((b) => b.text);
    expect(labels.slice(0, 2)).toEqual(['1. Taller de movilidad (1)', '2. Taller de movilidad (2)']);
    await chat.send(callbackUpdate(chat.chatId, chat.keyboard()[1]!.callback_data));
    expect(chat.text()).toMatch(/¿Te apunto a «Taller de movilidad»/);
    expect(chat.text()).toContain(second.day);
    expect(chat.text()).not.toContain(first.day);
    await chat.press('Sí');
    const registrations = await t.plaza.database.prisma.eventRegistration.findMany({
      where: { participant: { accounts: { some: { externalId: chat.userId } } } },
      select: { eventId: true },
    });
    expect(registrations).toEqual([{ eventId: second.id }]);
  });
});
