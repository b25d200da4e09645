// A broadcast's figures: a web chat recipient it was recorded for counts as sent (the only delivery web chat
// has), and as waiting, part of sent, until it is shown to them or never will be; the rate counts what is
// counted as sent; sent, failed, blocked, skipped and remaining add up to the recipients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBroadcastDeliveries } from '../../src/domain/claim-broadcast-deliveries.ts';
import { createBroadcast } from '../../src/domain/create-broadcast.ts';
import { getBroadcastProgress, type BroadcastProgress } from '../../src/domain/get-broadcast-progress.ts';
import { keepBroadcastForWebChat } from '../../src/domain/keep-broadcast-for-web-chat.ts';
import { settleBroadcastDeliveries } from '../../src/domain/settle-broadcast-deliveries.ts';
import { startBroadcast } from '../../src/domain/start-broadcast.ts';
import { takePendingNotices } from '../../src/domain/take-pending-notices.ts';
import { unsubscribeFromEverything } from '../../src/domain/unsubscribe-from-everything.ts';
import { createProcess, createStaffMember, createSubscribers } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

const NOW = new Date();
const later = (ms: number) => t.at(new Date(NOW.getTime() + ms));

/** A process with these subscribers and a broadcast to them, started and handed over as the sender does. */
async function sentTo(people: { telegram: number; webchat: number }) {
  const process = await createProcess(t.db);
  const telegram = await createSubscribers(t.db, process, people.telegram, { channel: 'telegram' });
  const webchat = await createSubscribers(t.db, process, people.webchat, { channel: 'webchat' });
  const deps = t.at(NOW);
  const r = await createBroadcast(deps, {
    staffMemberId: staff.id,
    processId: process.id,
    texts: { es: 'Hola' },
  });
  if (!r.ok) throw new Error(r.reason);
  const broadcastId = r.broadcast.id;
  await startBroadcast(deps, { broadcastId });
  const claimed = await claimBroadcastDeliveries(deps, { broadcastId, max: 100 });
  // As the broadcasts handler settles them: Telegram sent, web chat kept for the next visit.
  for (const d of claimed.filter((d) => d.channel === 'webchat'))
    await keepBroadcastForWebChat(deps, { broadcastId, participantId: d.participantId });
  const ids = (channel: string) => claimed.filter((d) => d.channel === channel).map((d) => d.id);
  await settleBroadcastDeliveries(deps, { ids: ids('webchat'), outcome: 'waiting' });
  await settleBroadcastDeliveries(deps, { ids: ids('telegram'), outcome: 'sent' });
  return { broadcastId, telegram, webchat };
}

const progress = async (broadcastId: number, ms = 1000) =>
  (await getBroadcastProgress(later(ms), { broadcastId }))!;

const addsUp = (p: BroadcastProgress) => p.sent + p.failed + p.blocked + p.skipped + p.remaining;

describe('getBroadcastProgress', () => {
  it('counts web chat recipients it was recorded for as sent, and the rate over them', async () => {
    const { broadcastId } = await sentTo({ telegram: 0, webchat: 2 });
    const p = await progress(broadcastId);
    expect(p).toMatchObject({ recipients: 2, sent: 2, waiting: 2, remaining: 0, ratePerSecond: 0.2 });
    expect(addsUp(p)).toBe(p.recipients);
    // Ten seconds on, nothing moves any more: no rate, nothing left.
    expect(await progress(broadcastId, 11_000)).toMatchObject({
      sent: 2,
      ratePerSecond: 0,
      etaSeconds: null,
    });
  });

  it('keeps Telegram deliveries as they were: sent when the message went out', async () => {
    const { broadcastId } = await sentTo({ telegram: 3, webchat: 1 });
    const p = await progress(broadcastId);
    expect(p).toMatchObject({ recipients: 4, sent: 4, waiting: 1, ratePerSecond: 0.4, remaining: 0 });
    expect(addsUp(p)).toBe(4);
  });

  it('counts nobody as waiting once shown, or once it never will be', async () => {
    const { broadcastId, webchat } = await sentTo({ telegram: 1, webchat: 3 });
    const [reader, leaver] = webchat;
    expect(await progress(broadcastId)).toMatchObject({ sent: 4, waiting: 3 });
    // The reader comes back: their conversation shows it.
    await takePendingNotices(later(2000), { participantId: reader!.id, channel: 'webchat' });
    expect(await progress(broadcastId)).toMatchObject({ sent: 4, waiting: 2 });
    // «Baja» before coming back: the kept broadcast is dropped, it will never be shown.
    await unsubscribeFromEverything(later(3000), { participantId: leaver!.id, channel: 'webchat' });
    const p = await progress(broadcastId);
    expect(p).toMatchObject({ recipients: 4, sent: 4, waiting: 1 });
    expect(addsUp(p)).toBe(4);
  });
});
