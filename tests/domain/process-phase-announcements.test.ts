// A phase's announcement never goes out once its phase is over: one still waiting to go (held by quiet
// hours, or its sender down) when staff end the phase is cancelled with the change, audited; one that went
// out, or one whose phase is still under way, is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceProcessPhase } from '../../src/domain/advance-process-phase.ts';
import { setProcessPhases } from '../../src/domain/set-process-phases.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { announce, broadcastOf, DAY, newProcess, phasesOf } from './process-support.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

// Europe/Madrid is UTC+1 in early March 2027.
const CREATED = new Date('2027-03-01T10:00:00Z');
const MIDNIGHT = new Date('2027-03-01T23:00:00Z'); // 2 March 00:00 in Madrid
const AT_8 = new Date('2027-03-02T07:00:00Z'); // 08:00 in Madrid, quiet hours still on

async function threePhases() {
  const id = await newProcess(
    t.at(CREATED),
    staff.id,
    [
      { kind: 'proposals', startsAt: new Date(CREATED.getTime() - 10 * DAY), endsAt: MIDNIGHT },
      { kind: 'debate', startsAt: MIDNIGHT, endsAt: new Date(MIDNIGHT.getTime() + 9 * DAY) },
      {
        kind: 'voting',
        startsAt: new Date(MIDNIGHT.getTime() + 9 * DAY),
        endsAt: new Date(MIDNIGHT.getTime() + 19 * DAY),
      },
    ],
    { timeZone: 'Europe/Madrid' },
  );
  return { id, stored: await phasesOf(t.db, id) };
}

describe('replacePhases and an announcement not gone out yet', () => {
  it('staff end a phase whose announcement is still held: it is cancelled, audited, and never goes out', async () => {
    const { id, stored } = await threePhases();
    const debate = stored[1]!.announcementId!;
    // At 00:00 its job ran and was held by quiet hours until 09:00: still `scheduled`. At 08:00 staff move on.
    const r = await advanceProcessPhase(t.at(AT_8), {
      staffMemberId: staff.id,
      processId: id,
      from: 2,
      announce,
    });
    expect(r).toMatchObject({
      ok: true,
      ended: { position: 2, kind: 'debate' },
      started: { kind: 'voting' },
    });
    if (!r.ok) return;
    expect(await broadcastOf(t.db, debate)).toMatchObject({ status: 'cancelled' });
    expect((await t.db.broadcast.findUniqueOrThrow({ where: { id: debate } })).finishedAt).toEqual(AT_8);
    expect(
      await t.db.auditLog.findFirst({
        where: { action: 'broadcast.cancel', targetId: String(debate) },
        select: { actor: true, reason: true, createdAt: true },
      }),
    ).toEqual({ actor: `staff:${staff.id}`, reason: 'phase-ended', createdAt: AT_8 });
    // The voting's goes out now; the phase row still names the debate's (cancelled) one.
    expect(await broadcastOf(t.db, r.announcementId)).toMatchObject({
      status: 'scheduled',
      scheduledAt: null,
    });
    expect((await phasesOf(t.db, id))[1]!.announcementId).toBe(debate);
  });

  it('one whose phase is still under way is kept while held; one that went out is left as it is', async () => {
    const { id, stored } = await threePhases();
    const debate = stored[1]!.announcementId!;
    // At 08:00, the debate's announcement held until 09:00, staff give the debate one more day.
    const phases = stored.map((p) => ({
      kind: p.kind,
      startsAt: p.kind === 'voting' ? new Date(p.startsAt.getTime() + DAY) : p.startsAt,
      endsAt: p.kind === 'debate' ? new Date(p.endsAt.getTime() + DAY) : p.endsAt,
    }));
    expect(
      await setProcessPhases(t.at(AT_8), { staffMemberId: staff.id, processId: id, phases, announce }),
    ).toMatchObject({ ok: true });
    expect(await broadcastOf(t.db, debate)).toMatchObject({ status: 'scheduled' });
    expect((await phasesOf(t.db, id))[1]!.announcementId).toBe(debate);
    // It went out at 09:00; at 10:00 staff end the debate: it is not touched.
    await t.db.broadcast.update({ where: { id: debate }, data: { status: 'done' } });
    const at10 = new Date(AT_8.getTime() + 2 * 3600_000);
    const r = await advanceProcessPhase(t.at(at10), {
      staffMemberId: staff.id,
      processId: id,
      from: 2,
      announce,
    });
    expect(r).toMatchObject({ ok: true, ended: { position: 2, kind: 'debate' } });
    expect(await broadcastOf(t.db, debate)).toMatchObject({ status: 'done' });
  });
});
