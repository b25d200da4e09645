import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSubscriptions } from '../../src/domain/list-subscriptions.ts';
import { createParticipant, createProcess } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('listSubscriptions', () => {
  it("lists the participant's processes, oldest subscription first, titled in their language", async () => {
    const who = await createParticipant(t.db);
    const other = await createParticipant(t.db);
    const first = await createProcess(t.db, { title: 'Presupuestos' });
    const second = await createProcess(t.db, { title: 'Parques' });
    const notMine = await createProcess(t.db, { title: 'Ajeno' });
    await t.db.subscription.createMany({
      data: [
        { participantId: who.id, processId: second.id, createdAt: new Date('2026-05-02T00:00:00Z') },
        { participantId: who.id, processId: first.id, createdAt: new Date('2026-05-01T00:00:00Z') },
        { participantId: other.id, processId: notMine.id },
      ],
    });
    expect(await listSubscriptions(t.deps, { participantId: who.id, locale: 'es' })).toEqual([
      { processId: first.id, title: 'Presupuestos' },
      { processId: second.id, title: 'Parques' },
    ]);
    expect(await listSubscriptions(t.deps, { participantId: who.id, locale: 'en' })).toEqual([
      { processId: first.id, title: `Process ${first.slug}` },
      { processId: second.id, title: `Process ${second.slug}` },
    ]);
  });

  it('is empty for someone subscribed to nothing', async () => {
    const who = await createParticipant(t.db);
    expect(await listSubscriptions(t.deps, { participantId: who.id, locale: 'es' })).toEqual([]);
  });
});
