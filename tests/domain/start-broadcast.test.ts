import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBroadcastAudience } from '../../src/domain/count-broadcast-audience.ts';
import { createBroadcast } from '../../src/domain/create-broadcast.ts';
import { startBroadcast } from '../../src/domain/start-broadcast.ts';
import {
  createProcess,
  createStaffMember,
  createSubscribers,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db);
  staff = await createStaffMember(t.db, { role: 'staff' });
  await createSubscribers(t.db, process, 6, { channel: 'telegram', locale: 'es' });
  await createSubscribers(t.db, process, 3, { channel: 'telegram', locale: 'en' });
  await createSubscribers(t.db, process, 2, { channel: 'webchat', locale: 'es' });
  const [gone] = await createSubscribers(t.db, process, 1);
  await t.db.consentRecord.create({
    data: {
      participantId: gone!.id,
      purpose: 'updates',
      action: 'withdrawn',
      noticeVersion: 1,
      channel: 'telegram',
    },
  });
});
afterAll(() => t?.cleanup());

async function create(audience: { locales?: ('es' | 'en')[]; channels?: string[] } = {}) {
  const r = await createBroadcast(t.deps, {
    staffMemberId: staff.id,
    processId: process.id,
    texts: { es: 'Hola' },
    audience,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.broadcast.id;
}

describe('startBroadcast', () => {
  it('freezes the audience once: one ledger row per recipient, however often it runs', async () => {
    const id = await create();
    const runs = await Promise.all([1, 2, 3].map(() => startBroadcast(t.deps, { broadcastId: id })));
    expect(runs.filter((r) => r.ok && r.startedNow)).toHaveLength(1);
    expect(runs.every((r) => r.ok && r.recipients === 11)).toBe(true);
    expect(await t.db.broadcastDelivery.count({ where: { broadcastId: id } })).toBe(11);
    await expect(
      t.db.broadcastDelivery.create({
        data: {
          broadcastId: id,
          participantId: (await t.db.broadcastDelivery.findFirstOrThrow({ where: { broadcastId: id } }))
            .participantId,
          channel: 'telegram',
          locale: 'es',
        },
      }),
    ).rejects.toThrow();
  });

  it('counts in the preview what the ledger freezes, by language and channel', async () => {
    for (const audience of [
      { locales: ['en' as const] },
      { channels: ['webchat'] },
      { locales: ['es' as const], channels: ['telegram'] },
    ]) {
      const preview = await countBroadcastAudience(t.deps, { processId: process.id, audience });
      const id = await create(audience);
      const started = await startBroadcast(t.deps, { broadcastId: id });
      expect(started).toMatchObject({ ok: true, recipients: preview.total });
    }
    expect((await countBroadcastAudience(t.deps, { processId: process.id, audience: {} })).byChannel).toEqual(
      {
        telegram: 9,
        webchat: 2,
      },
    );
  });

  it('does not start a cancelled broadcast', async () => {
    const id = await create();
    await t.db.broadcast.update({ where: { id }, data: { status: 'cancelled' } });
    expect(await startBroadcast(t.deps, { broadcastId: id })).toEqual({ ok: false, reason: 'cancelled' });
    expect(await t.db.broadcastDelivery.count({ where: { broadcastId: id } })).toBe(0);
  });

  it('lets a slow freeze finish (a large audience takes seconds: no 5 s transaction timeout)', async () => {
    const id = await create();
    const someone = await t.db.subscription.findFirstOrThrow({ where: { processId: process.id } });
    // Another transaction holds an uncommitted ledger row for one recipient for 6 s, so the freeze's INSERT
    // waits that long — as it works that long for ~100,000 recipients on a small machine.
    const holding = t.db
      .$transaction(
        async (tx) => {
          await tx.broadcastDelivery.create({
            data: {
              broadcastId: id,
              participantId: someone.participantId,
              channel: 'telegram',
              locale: 'es',
            },
          });
          await tx.$queryRaw`SELECT pg_sleep(6)::text`;
          throw new Error('rolled back on purpose');
        },
        { timeout: 30_000 },
      )
      .catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 300));
    const started = await startBroadcast(t.deps, { broadcastId: id });
    expect(await holding).toBe('rolled back on purpose');
    expect(started).toEqual({ ok: true, recipients: 11, startedNow: true });
    expect(await t.db.broadcastDelivery.count({ where: { broadcastId: id } })).toBe(11);
  }, 30_000);
});
