import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveUpdatesConsent } from '../../src/domain/give-updates-consent.ts';
import { keepBroadcastForWebChat } from '../../src/domain/keep-broadcast-for-web-chat.ts';
import { takePendingNotices } from '../../src/domain/take-pending-notices.ts';
import { unsubscribeFromProcess } from '../../src/domain/unsubscribe-from-process.ts';
import { createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let a: ProcessFixture;
let b: ProcessFixture;
beforeAll(async () => {
  t = await createDomainTest();
  a = await createProcess(t.db);
  b = await createProcess(t.db);
});
afterAll(() => t?.cleanup());

async function deliveryOf(processId: number, participantId: string, status: 'pending' | 'queued' | 'sent') {
  const broadcast = await t.db.broadcast.create({
    data: { processId, texts: { es: 'Hola' }, audience: {}, status: 'sending' },
  });
  const d = await t.db.broadcastDelivery.create({
    data: { broadcastId: broadcast.id, participantId, channel: 'webchat', locale: 'es', status },
  });
  return d.id;
}

const statusOf = async (id: bigint) =>
  (await t.db.broadcastDelivery.findUniqueOrThrow({ where: { id } })).status;

describe('unsubscribeFromProcess', () => {
  it("ends one process's subscription and its unsent messages; the rest stays", async () => {
    const who = await createParticipant(t.db);
    await giveUpdatesConsent(t.deps, { participantId: who.id, channel: 'webchat' });
    await t.db.subscription.createMany({
      data: [
        { participantId: who.id, processId: a.id },
        { participantId: who.id, processId: b.id },
      ],
    });
    const pendingA = await deliveryOf(a.id, who.id, 'pending');
    const queuedA = await deliveryOf(a.id, who.id, 'queued');
    const sentA = await deliveryOf(a.id, who.id, 'sent');
    const pendingB = await deliveryOf(b.id, who.id, 'pending');

    expect(await unsubscribeFromProcess(t.deps, { participantId: who.id, processId: a.id })).toEqual({
      ok: true,
      wasSubscribed: true,
    });
    expect(await t.db.subscription.findMany({ where: { participantId: who.id } })).toMatchObject([
      { processId: b.id },
    ]);
    expect([await statusOf(pendingA), await statusOf(queuedA), await statusOf(sentA)]).toEqual([
      'skipped',
      'skipped',
      'sent',
    ]);
    expect(await statusOf(pendingB)).toBe('pending');
    // The `updates` consent stays: they still follow the other process.
    expect(
      await t.db.consentRecord.findFirst({
        where: { participantId: who.id, purpose: 'updates' },
        orderBy: { id: 'desc' },
      }),
    ).toMatchObject({ action: 'given' });
  });

  it("drops that process's broadcasts kept for their next web chat visit; the rest stays", async () => {
    const who = await createParticipant(t.db);
    const someoneElse = await createParticipant(t.db);
    await t.db.subscription.createMany({
      data: [
        { participantId: who.id, processId: a.id },
        { participantId: who.id, processId: b.id },
        { participantId: someoneElse.id, processId: a.id },
      ],
    });
    const broadcastOf = async (processId: number) =>
      (
        await t.db.broadcast.create({
          data: { processId, texts: { es: 'Novedad' }, audience: {}, status: 'sending' },
        })
      ).id;
    const [shownA, keptA, keptB] = [
      await broadcastOf(a.id),
      await broadcastOf(a.id),
      await broadcastOf(b.id),
    ];
    // As the web chat sender does (main.ts): the first one was shown at a visit already.
    await keepBroadcastForWebChat(t.deps, { broadcastId: shownA, participantId: who.id });
    const [shown] = await takePendingNotices(t.deps, { participantId: who.id, channel: 'webchat' });
    for (const broadcastId of [keptA, keptB])
      await keepBroadcastForWebChat(t.deps, { broadcastId, participantId: who.id });
    await keepBroadcastForWebChat(t.deps, { broadcastId: keptA, participantId: someoneElse.id });
    // Another kind of notice of theirs is no broadcast: it stays.
    await t.db.notice.create({
      data: {
        participantId: who.id,
        channel: 'webchat',
        kind: 'moderation-outcome',
        eventKey: `case:unsubscribe-${who.id}`,
        payload: { caseId: 1 },
      },
    });

    await unsubscribeFromProcess(t.deps, { participantId: who.id, processId: a.id });

    const notices = await t.db.notice.findMany({ where: { participantId: who.id }, orderBy: { id: 'asc' } });
    expect(notices.map((n) => [n.id === shown ? 'shown' : n.kind, n.payload])).toEqual([
      ['shown', { broadcastId: shownA }],
      ['broadcast', { broadcastId: keptB }],
      ['moderation-outcome', { caseId: 1 }],
    ]);
    expect(await t.db.notice.count({ where: { participantId: someoneElse.id, deliveredAt: null } })).toBe(1);
  });

  it('twice, or for a process never subscribed to or that does not exist, changes nothing', async () => {
    const who = await createParticipant(t.db);
    await t.db.subscription.create({ data: { participantId: who.id, processId: a.id } });
    await unsubscribeFromProcess(t.deps, { participantId: who.id, processId: a.id });
    for (const processId of [a.id, b.id, 0, 2_147_483_648])
      expect(await unsubscribeFromProcess(t.deps, { participantId: who.id, processId })).toEqual({
        ok: true,
        wasSubscribed: false,
      });
  });
});
