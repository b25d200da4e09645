import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcast } from '../../src/domain/create-broadcast.ts';
import { listWantedDeliveries } from '../../src/domain/list-wanted-deliveries.ts';
import { startBroadcast } from '../../src/domain/start-broadcast.ts';
import { WantedCheckBatcher } from '../../src/queues/broadcasts/wanted-check-batcher.ts';
import { createProcess, createStaffMember, createSubscribers } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

/** A started broadcast to `n` subscribers, its ledger rows' ids in order. */
async function startedBroadcast(n: number): Promise<{ id: number; rows: bigint[] }> {
  const process = await createProcess(t.db);
  const staff = await createStaffMember(t.db, { role: 'staff' });
  await createSubscribers(t.db, process, n, { channel: 'telegram', locale: 'es' });
  const r = await createBroadcast(t.deps, {
    staffMemberId: staff.id,
    processId: process.id,
    texts: { es: 'Hola' },
    audience: {},
  });
  if (!r.ok) throw new Error(r.reason);
  await startBroadcast(t.deps, { broadcastId: r.broadcast.id });
  const rows = await t.db.broadcastDelivery.findMany({
    where: { broadcastId: r.broadcast.id },
    orderBy: { id: 'asc' },
    select: { id: true },
  });
  return { id: r.broadcast.id, rows: rows.map((x) => x.id) };
}

describe('listWantedDeliveries', () => {
  it('wants only rows handed to a channel and still unsettled, of a broadcast still sending', async () => {
    const b = await startedBroadcast(4);
    const [pending, queued, skipped, sent] = b.rows as [bigint, bigint, bigint, bigint];
    await t.db.broadcastDelivery.updateMany({ where: { id: { in: [queued] } }, data: { status: 'queued' } });
    await t.db.broadcastDelivery.updateMany({
      where: { id: { in: [skipped] } },
      data: { status: 'skipped' },
    });
    await t.db.broadcastDelivery.updateMany({ where: { id: { in: [sent] } }, data: { status: 'sent' } });
    const ids = [pending, queued, skipped, sent, 999_999_999n];
    expect(await listWantedDeliveries(t.deps, { deliveryIds: ids })).toEqual(new Set([queued]));

    await t.db.broadcast.update({ where: { id: b.id }, data: { status: 'cancelled' } });
    expect(await listWantedDeliveries(t.deps, { deliveryIds: ids })).toEqual(new Set());
    expect(await listWantedDeliveries(t.deps, { deliveryIds: [] })).toEqual(new Set());
  });
});

describe('WantedCheckBatcher', () => {
  it('answers the questions of one tick with one query, each with its own answer', async () => {
    const b = await startedBroadcast(30);
    const wantedRows = b.rows.slice(0, 20);
    await t.db.broadcastDelivery.updateMany({
      where: { id: { in: wantedRows } },
      data: { status: 'queued' },
    });
    let queries = 0;
    const db = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === '$queryRaw') queries += 1;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const batcher = new WantedCheckBatcher({ db });
    // Asked twice for one row too: both askers answered.
    const asked = [...b.rows, b.rows[0]!];
    const answers = await Promise.all(asked.map((id) => batcher.isWanted(id)));
    expect(queries).toBe(1);
    expect(answers).toEqual(asked.map((id) => wantedRows.includes(id)));
  });

  it('passes a failed query to every asker of that tick, and answers the next tick anew', async () => {
    const b = await startedBroadcast(2);
    let fail = true;
    const db = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === '$queryRaw' && fail) return () => Promise.reject(new Error('database away'));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const batcher = new WantedCheckBatcher({ db });
    const failed = await Promise.allSettled(b.rows.map((id) => batcher.isWanted(id)));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.isWanted(b.rows[0]!)).toBe(false);
  });
});
