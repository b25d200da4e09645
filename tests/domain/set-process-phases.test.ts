import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBroadcast } from '../../src/domain/cancel-broadcast.ts';
import type { PhaseInput } from '../../src/domain/process-rules.ts';
import { setProcessPhases } from '../../src/domain/set-process-phases.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { announce, broadcastOf, DAY, fourPhases, newProcess, phasesOf } from './process-support.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'admin' });
});
afterAll(() => t?.cleanup());

const NOW = new Date('2027-03-01T10:00:00Z');
const d = (days: number) => new Date(NOW.getTime() + days * DAY);

const set = (processId: number, phases: PhaseInput[], now = NOW, staffMemberId = staff.id) =>
  setProcessPhases(t.at(now), { staffMemberId, processId, phases, announce, sourceIp: '198.51.100.7' });

/** A process with fourPhases (ended, under way, two to come); its phases as set. */
async function fourPhaseProcess() {
  const phases = fourPhases(NOW);
  const id = await newProcess(t.at(NOW), staff.id, phases);
  return { id, phases, stored: await phasesOf(t.db, id) };
}

describe('setProcessPhases', () => {
  it('only active staff and admins; an unknown process is not found', async () => {
    const { id, stored } = await fourPhaseProcess();
    const moderator = await createStaffMember(t.db, { role: 'moderator' });
    expect(await set(id, fourPhases(NOW), NOW, moderator.id)).toEqual({ ok: false, reason: 'not-allowed' });
    expect(await set(2_000_000_000, fourPhases(NOW))).toEqual({ ok: false, reason: 'not-found' });
    expect(await set(0, fourPhases(NOW))).toEqual({ ok: false, reason: 'not-found' });
    expect(await phasesOf(t.db, id)).toEqual(stored);
  });

  it('moves a phase to come: its announcement is cancelled and one for the new start is scheduled', async () => {
    const { id, phases, stored } = await fourPhaseProcess();
    const before = t.broadcastsStarted.length;
    const next = phases.map((p) => ({ ...p }));
    next[1]!.endsAt = d(12); // the phase under way lasts two days more
    next[2]!.startsAt = d(13); // so the debate starts two days later
    const r = await set(id, next);
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    const after = await phasesOf(t.db, id);
    expect(after.map((p) => [p.kind, p.startsAt, p.endsAt])).toEqual(
      next.map((p) => [p.kind, p.startsAt, p.endsAt]),
    );
    // Started phases keep theirs (none: they had started when the process was created).
    expect(after[0]!.announcementId).toBeNull();
    expect(after[1]!.announcementId).toBeNull();
    // The debate's old announcement is cancelled; the new one is scheduled for its new start.
    expect(await broadcastOf(t.db, stored[2]!.announcementId)).toMatchObject({ status: 'cancelled' });
    expect(after[2]!.announcementId).not.toBe(stored[2]!.announcementId);
    expect(await broadcastOf(t.db, after[2]!.announcementId)).toMatchObject({
      status: 'scheduled',
      scheduledAt: d(13),
      createdById: null,
    });
    // Voting did not change: its announcement is the same row, still scheduled.
    expect(after[3]!.announcementId).toBe(stored[3]!.announcementId);
    expect(await broadcastOf(t.db, after[3]!.announcementId)).toMatchObject({ status: 'scheduled' });
    expect(r.announcements).toEqual({
      created: [after[2]!.announcementId],
      cancelled: [stored[2]!.announcementId],
    });
    expect(t.broadcastsStarted.slice(before)).toEqual([{ broadcastId: after[2]!.announcementId, at: d(13) }]);
    const cancelAudit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'broadcast.cancel', targetId: String(stored[2]!.announcementId) },
    });
    expect(cancelAudit).toMatchObject({
      actor: `staff:${staff.id}`,
      reason: 'phase-announcement-obsolete',
      sourceIp: '198.51.100.7',
    });
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'process.phases.set', targetId: String(id) },
    });
    expect(audit).toMatchObject({ actor: `staff:${staff.id}`, sourceIp: '198.51.100.7', createdAt: NOW });
    expect((audit.before as { phases: unknown[] }).phases).toHaveLength(4);
    expect((audit.after as { phases: { startsAt: string }[] }).phases[2]!.startsAt).toBe(d(13).toISOString());
  });

  it('a phase whose end changes gets a new announcement (its text names the end)', async () => {
    const { id, phases, stored } = await fourPhaseProcess();
    const next = phases.map((p) => ({ ...p }));
    next[3]!.endsAt = d(40);
    const r = await set(id, next);
    expect(r).toMatchObject({ ok: true, announcements: { cancelled: [stored[3]!.announcementId] } });
    const after = await phasesOf(t.db, id);
    expect(after[2]!.announcementId).toBe(stored[2]!.announcementId);
    expect((await broadcastOf(t.db, after[3]!.announcementId))!.texts).toMatchObject({
      es: expect.stringContaining(d(40).toISOString()),
    });
  });

  it('the same list again changes no announcement', async () => {
    const { id, phases, stored } = await fourPhaseProcess();
    const before = t.broadcastsStarted.length;
    expect(await set(id, phases)).toMatchObject({ ok: true, announcements: { created: [], cancelled: [] } });
    expect(await phasesOf(t.db, id)).toEqual(stored);
    expect(t.broadcastsStarted.length).toBe(before);
  });

  it('an announcement staff cancelled by hand stays cancelled while its phase does not change', async () => {
    const { id, phases, stored } = await fourPhaseProcess();
    const voting = stored[3]!.announcementId!;
    expect((await cancelBroadcast(t.deps, { broadcastId: voting, staffMemberId: staff.id })).ok).toBe(true);
    const next = phases.map((p) => ({ ...p }));
    next[2]!.acceptsProposals = false;
    expect(await set(id, next)).toMatchObject({ ok: true });
    const after = await phasesOf(t.db, id);
    expect(after[3]!.announcementId).toBe(voting);
    expect(await broadcastOf(t.db, voting)).toMatchObject({ status: 'cancelled' });
  });

  it('removing phases to come cancels their announcements; adding one schedules it', async () => {
    const { id, phases, stored } = await fourPhaseProcess();
    const r = await set(id, [...phases.slice(0, 2), { kind: 'results', startsAt: d(15), endsAt: d(16) }]);
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.announcements.cancelled.sort()).toEqual(
      [stored[2]!.announcementId, stored[3]!.announcementId].sort(),
    );
    const after = await phasesOf(t.db, id);
    expect(after.map((p) => p.kind)).toEqual(['information', 'proposals', 'results']);
    expect(await broadcastOf(t.db, after[2]!.announcementId)).toMatchObject({
      status: 'scheduled',
      scheduledAt: d(15),
    });
  });

  it('keeps what happened: ended phases unchanged and in place, the current one keeps kind and start', async () => {
    const { id, phases, stored } = await fourPhaseProcess();
    const changed = (i: number, change: Partial<PhaseInput>) =>
      phases.map((p, j) => (j === i ? { ...p, ...change } : { ...p }));
    const cases: [PhaseInput[], unknown][] = [
      [
        changed(0, { endsAt: new Date(phases[0]!.endsAt.getTime() - DAY) }),
        { reason: 'ended-phase-changed', index: 0 },
      ],
      [changed(0, { kind: 'debate' }), { reason: 'ended-phase-changed', index: 0 }],
      [changed(0, { acceptsProposals: true }), { reason: 'ended-phase-changed', index: 0 }],
      [phases.slice(1), { reason: 'ended-phase-changed', index: 0 }],
      [[], { reason: 'ended-phase-changed', index: 0 }],
      [phases.slice(0, 1), { reason: 'started-phase-changed', index: 1 }],
      [changed(1, { kind: 'debate' }), { reason: 'started-phase-changed', index: 1 }],
      [changed(1, { startsAt: d(-9) }), { reason: 'started-phase-changed', index: 1 }],
      [changed(1, { endsAt: d(-1) }), { reason: 'phase-ends-in-the-past', index: 1 }],
      [changed(1, { endsAt: NOW }), { reason: 'phase-ends-in-the-past', index: 1 }],
      [
        [
          ...phases.slice(0, 2).map((p) => ({ ...p, endsAt: p === phases[1] ? d(1) : p.endsAt })),
          { kind: 'voting', startsAt: NOW, endsAt: d(5) },
        ],
        { reason: 'phases-overlap', index: 2 },
      ],
      [changed(2, { startsAt: d(10), endsAt: d(20) }), undefined],
    ];
    for (const [list, expected] of cases) {
      const r = await set(id, list);
      if (expected === undefined) {
        expect(r.ok).toBe(true);
        continue;
      }
      expect(r, JSON.stringify(list)).toEqual({ ok: false, ...(expected as object) });
      expect(await phasesOf(t.db, id)).toEqual(stored);
    }
  });

  it('a new phase must start in the future', async () => {
    // Between phases (the last one ended), a phase cannot be inserted into the past.
    const id = await newProcess(t.at(NOW), staff.id, [
      { kind: 'information', startsAt: d(-5), endsAt: d(-2) },
    ]);
    const ended = { kind: 'information' as const, startsAt: d(-5), endsAt: d(-2) };
    expect(await set(id, [ended, { kind: 'voting', startsAt: d(-1), endsAt: d(3) }])).toEqual({
      ok: false,
      reason: 'phase-starts-in-the-past',
      index: 1,
    });
    expect(await set(id, [ended, { kind: 'voting', startsAt: NOW, endsAt: d(3) }])).toMatchObject({
      ok: false,
      reason: 'phase-starts-in-the-past',
    });
    expect(await set(id, [ended, { kind: 'voting', startsAt: d(1), endsAt: d(3) }])).toMatchObject({
      ok: true,
    });
  });

  it('checks the list itself: order, overlap, each phase starting before it ends', async () => {
    const id = await newProcess(t.at(NOW), staff.id, []);
    expect(await set(id, [{ kind: 'voting', startsAt: d(3), endsAt: d(2) }])).toEqual({
      ok: false,
      reason: 'phase-ends-before-it-starts',
      index: 0,
    });
    expect(
      await set(id, [
        { kind: 'proposals', startsAt: d(1), endsAt: d(3) },
        { kind: 'voting', startsAt: d(2), endsAt: d(4) },
      ]),
    ).toEqual({ ok: false, reason: 'phases-overlap', index: 1 });
    expect(
      await set(id, [
        { kind: 'voting', startsAt: d(3), endsAt: d(4) },
        { kind: 'proposals', startsAt: d(1), endsAt: d(2) },
      ]),
    ).toEqual({ ok: false, reason: 'phases-out-of-order', index: 1 });
    expect(
      await set(
        id,
        Array.from({ length: 21 }, (_, i) => ({
          kind: 'debate' as const,
          startsAt: d(i + 1),
          endsAt: d(i + 2),
        })),
      ),
    ).toEqual({ ok: false, reason: 'too-many-phases' });
    expect(await phasesOf(t.db, id)).toEqual([]);
  });

  it('a phase that started keeps its announcement, even once it is being sent', async () => {
    const id = await newProcess(t.at(NOW), staff.id, [
      { kind: 'proposals', startsAt: d(1), endsAt: d(5) },
      { kind: 'voting', startsAt: d(5), endsAt: d(9) },
    ]);
    const stored = await phasesOf(t.db, id);
    // Two days later the proposals phase is under way and its announcement went out.
    await t.db.broadcast.update({ where: { id: stored[0]!.announcementId! }, data: { status: 'done' } });
    const later = new Date(NOW.getTime() + 2 * DAY);
    const r = await set(
      id,
      [
        { kind: 'proposals', startsAt: d(1), endsAt: d(6) },
        { kind: 'voting', startsAt: d(6), endsAt: d(9) },
      ],
      later,
    );
    expect(r).toMatchObject({ ok: true, announcements: { cancelled: [stored[1]!.announcementId] } });
    const after = await phasesOf(t.db, id);
    expect(after[0]!.announcementId).toBe(stored[0]!.announcementId);
    expect(await broadcastOf(t.db, after[0]!.announcementId)).toMatchObject({ status: 'done' });
    expect(await broadcastOf(t.db, after[1]!.announcementId)).toMatchObject({
      status: 'scheduled',
      scheduledAt: d(6),
    });
  });
});
