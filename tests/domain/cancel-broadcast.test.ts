import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBroadcast } from '../../src/domain/cancel-broadcast.ts';
import { createBroadcast } from '../../src/domain/create-broadcast.ts';
import { startBroadcast } from '../../src/domain/start-broadcast.ts';
import { createProcess, createStaffMember, type ProcessFixture } from '../support/fixtures.ts';
import { createSubscriber } from '../support/subscribers.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process_: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process_ = await createProcess(t.db);
  staff = await createStaffMember(t.db, { role: 'staff' });
  for (let i = 0; i < 5; i++) await createSubscriber(t.db, process_.id);
});
afterAll(() => t?.cleanup());

async function newBroadcast(): Promise<number> {
  const r = await createBroadcast(t.deps, {
    staffMemberId: staff.id,
    processId: process_.id,
    texts: { es: 'Hola a todas las personas suscritas.' },
  });
  if (!r.ok) throw new Error(r.reason);
  return r.broadcast.id;
}

const pendingOf = (broadcastId: number) =>
  t.db.broadcastDelivery.count({ where: { broadcastId, status: 'pending' } });

describe('cancelBroadcast', () => {
  it('only staff and admins who are active may cancel', async () => {
    const id = await newBroadcast();
    for (const who of [
      await createStaffMember(t.db, { role: 'moderator' }),
      await createStaffMember(t.db, { role: 'admin', disabled: true }),
    ])
      expect(await cancelBroadcast(t.deps, { broadcastId: id, staffMemberId: who.id })).toEqual({
        ok: false,
        reason: 'not-allowed',
      });
    expect(await cancelBroadcast(t.deps, { broadcastId: 2_000_000_000, staffMemberId: staff.id })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await cancelBroadcast(t.deps, { broadcastId: -1, staffMemberId: staff.id })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('a cancelled broadcast is never started, and a started one keeps no pending row', async () => {
    const cancelledFirst = await newBroadcast();
    expect(await cancelBroadcast(t.deps, { broadcastId: cancelledFirst, staffMemberId: staff.id })).toEqual({
      ok: true,
      broadcast: { id: cancelledFirst, status: 'cancelled', previousStatus: 'scheduled' },
      skipped: 0,
    });
    expect(await startBroadcast(t.deps, { broadcastId: cancelledFirst })).toEqual({
      ok: false,
      reason: 'cancelled',
    });

    const startedFirst = await newBroadcast();
    expect(await startBroadcast(t.deps, { broadcastId: startedFirst })).toMatchObject({
      ok: true,
      recipients: 5,
    });
    expect(
      await cancelBroadcast(t.deps, { broadcastId: startedFirst, staffMemberId: staff.id }),
    ).toMatchObject({
      ok: true,
      broadcast: { previousStatus: 'sending' },
      skipped: 5,
    });
    expect(await pendingOf(startedFirst)).toBe(0);
  });

  it('racing the start, whichever wins, ends cancelled with nothing pending (×20)', async () => {
    for (let i = 0; i < 20; i++) {
      const id = await newBroadcast();
      const [started, cancelled] = await Promise.all([
        startBroadcast(t.deps, { broadcastId: id }),
        cancelBroadcast(t.deps, { broadcastId: id, staffMemberId: staff.id }),
      ]);
      expect(cancelled.ok).toBe(true);
      const b = await t.db.broadcast.findUniqueOrThrow({ where: { id } });
      expect(b.status).toBe('cancelled');
      expect(await pendingOf(id)).toBe(0);
      if (started.ok) expect(cancelled).toMatchObject({ skipped: 5 });
      else expect(started).toEqual({ ok: false, reason: 'cancelled' });
    }
  });

  it('a finished or cancelled broadcast cannot be cancelled', async () => {
    const id = await newBroadcast();
    await t.db.broadcast.update({ where: { id }, data: { status: 'done' } });
    expect(await cancelBroadcast(t.deps, { broadcastId: id, staffMemberId: staff.id })).toEqual({
      ok: false,
      reason: 'not-cancellable',
      status: 'done',
    });
  });
});
