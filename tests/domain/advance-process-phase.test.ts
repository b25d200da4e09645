import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceProcessPhase } from '../../src/domain/advance-process-phase.ts';
import { currentPhase } from '../../src/domain/current-phase.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { announce, broadcastOf, DAY, fourPhases, newProcess, phasesOf } from './process-support.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

const NOW = new Date('2027-03-01T10:00:00Z');
const d = (days: number) => new Date(NOW.getTime() + days * DAY);

/** Advances from the phase under way at `now` (as a client reads it first), or from `from` when given. */
const advance = async (processId: number, now = NOW, staffMemberId = staff.id, from?: number | null) =>
  advanceProcessPhase(t.at(now), {
    staffMemberId,
    processId,
    from: from === undefined ? (currentPhase(await phasesOf(t.db, processId), now)?.position ?? null) : from,
    announce,
    sourceIp: '192.0.2.44',
  });

describe('advanceProcessPhase', () => {
  it('ends the phase under way now and starts the next one now, announced at once', async () => {
    const id = await newProcess(t.at(NOW), staff.id, fourPhases(NOW));
    const stored = await phasesOf(t.db, id);
    const before = t.broadcastsStarted.length;
    const r = await advance(id);
    expect(r).toMatchObject({
      ok: true,
      ended: { position: 2, kind: 'proposals' },
      started: { position: 3, kind: 'debate', endsAt: d(20) },
      announcementId: expect.any(Number),
    });
    if (!r.ok) return;
    const after = await phasesOf(t.db, id);
    expect(after.map((p) => [p.kind, p.startsAt, p.endsAt])).toEqual([
      ['information', d(-20), d(-10)],
      ['proposals', d(-10), NOW],
      ['debate', NOW, d(20)],
      ['voting', d(20), d(30)],
    ]);
    // The debate's announcement scheduled for its old start is cancelled; a new one goes out now.
    expect(await broadcastOf(t.db, stored[2]!.announcementId)).toMatchObject({ status: 'cancelled' });
    expect(after[2]!.announcementId).toBe(r.announcementId);
    expect(await broadcastOf(t.db, r.announcementId)).toMatchObject({
      status: 'scheduled',
      scheduledAt: null,
      createdById: null,
      texts: { es: expect.stringMatching(/^Abre debate hasta/) },
    });
    expect(t.broadcastsStarted.slice(before)).toEqual([{ broadcastId: r.announcementId, at: undefined }]);
    // The phase after it is untouched, announcement included.
    expect(after[3]!.announcementId).toBe(stored[3]!.announcementId);
    expect(await broadcastOf(t.db, after[3]!.announcementId)).toMatchObject({
      status: 'scheduled',
      scheduledAt: d(20),
    });
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'process.phase.advance', targetId: String(id) },
    });
    expect(audit).toMatchObject({ actor: `staff:${staff.id}`, sourceIp: '192.0.2.44', createdAt: NOW });
  });

  it('before the first phase or between phases, the next one to come starts now', async () => {
    const id = await newProcess(t.at(NOW), staff.id, [
      { kind: 'information', startsAt: d(-5), endsAt: d(-3) },
      { kind: 'proposals', startsAt: d(2), endsAt: d(6) },
      { kind: 'voting', startsAt: d(6), endsAt: d(9) },
    ]);
    const r = await advance(id);
    expect(r).toMatchObject({ ok: true, ended: null, started: { position: 2, kind: 'proposals' } });
    expect((await phasesOf(t.db, id)).map((p) => [p.startsAt, p.endsAt])).toEqual([
      [d(-5), d(-3)],
      [NOW, d(6)],
      [d(6), d(9)],
    ]);
  });

  it('in the last phase, or with no phases, there is nothing to advance to; nothing changes', async () => {
    const last = await newProcess(t.at(NOW), staff.id, [
      { kind: 'proposals', startsAt: d(-5), endsAt: d(-3) },
      { kind: 'results', startsAt: d(-3), endsAt: d(3) },
    ]);
    const stored = await phasesOf(t.db, last);
    expect(await advance(last)).toEqual({ ok: false, reason: 'no-next-phase' });
    expect(await phasesOf(t.db, last)).toEqual(stored);
    // After the last phase ended, too.
    expect(await advance(last, d(4))).toEqual({ ok: false, reason: 'no-next-phase' });
    expect(await advance(await newProcess(t.at(NOW), staff.id, []))).toEqual({
      ok: false,
      reason: 'no-next-phase',
    });
    expect(
      await t.db.auditLog.count({ where: { action: 'process.phase.advance', targetId: String(last) } }),
    ).toBe(0);
  });

  it('advancing twice walks the phases one by one', async () => {
    const id = await newProcess(t.at(NOW), staff.id, fourPhases(NOW));
    const later = new Date(NOW.getTime() + 3600_000);
    expect(await advance(id)).toMatchObject({ ok: true, started: { kind: 'debate' } });
    expect(await advance(id, later)).toMatchObject({
      ok: true,
      ended: { kind: 'debate' },
      started: { kind: 'voting' },
    });
    expect(await advance(id, new Date(later.getTime() + 1000))).toEqual({
      ok: false,
      reason: 'no-next-phase',
    });
    const after = await phasesOf(t.db, id);
    expect(after.map((p) => [p.kind, p.startsAt, p.endsAt])).toEqual([
      ['information', d(-20), d(-10)],
      ['proposals', d(-10), NOW],
      ['debate', NOW, later],
      ['voting', later, d(30)],
    ]);
    // No scheduled announcement is left behind: each phase has one, the two advanced ones sent now.
    const announcements = await Promise.all(after.slice(2).map((p) => broadcastOf(t.db, p.announcementId)));
    expect(announcements.map((b) => b!.scheduledAt)).toEqual([null, null]);
    expect(
      await t.db.broadcast.count({
        where: { processId: id, status: 'scheduled', scheduledAt: { not: null } },
      }),
    ).toBe(0);
  });

  it('a request sent twice ends one phase only: the second names a phase no longer under way', async () => {
    const id = await newProcess(t.at(NOW), staff.id, fourPhases(NOW));
    const later = new Date(NOW.getTime() + 50);
    // Both read the proposals phase (position 2) under way, and both ask to end it.
    const [first, second] = await Promise.all([
      advance(id, NOW, staff.id, 2),
      advance(id, later, staff.id, 2),
    ]);
    expect([first, second].filter((r) => r.ok)).toMatchObject([
      { ok: true, ended: { position: 2 }, started: { kind: 'debate' } },
    ]);
    expect([first, second].find((r) => !r.ok)).toEqual({
      ok: false,
      reason: 'phase-changed',
      current: { position: 3, kind: 'debate' },
    });
    expect((await phasesOf(t.db, id)).map((p) => p.kind)).toEqual([
      'information',
      'proposals',
      'debate',
      'voting',
    ]);
    const after = await phasesOf(t.db, id);
    expect(after[3]).toMatchObject({ startsAt: d(20), endsAt: d(30) });
    // Named wrong (nothing under way is not what is under way), refused alike; nothing changes.
    expect(await advance(id, later, staff.id, null)).toMatchObject({ ok: false, reason: 'phase-changed' });
    expect(await phasesOf(t.db, id)).toEqual(after);
  });

  it('only active staff and admins; an unknown process is not found', async () => {
    const id = await newProcess(t.at(NOW), staff.id, fourPhases(NOW));
    const moderator = await createStaffMember(t.db, { role: 'moderator' });
    expect(await advance(id, NOW, moderator.id)).toEqual({ ok: false, reason: 'not-allowed' });
    expect(await advance(2_000_000_000)).toEqual({ ok: false, reason: 'not-found' });
  });
});
