import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateProcess } from '../../src/domain/update-process.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { announce, broadcastOf, fourPhases, newProcess, phasesOf, slugOf } from './process-support.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

const NOW = new Date('2027-03-01T10:00:00Z');

const update = (processId: number, fields: Record<string, unknown>, staffMemberId = staff.id) =>
  updateProcess(t.at(NOW), { staffMemberId, processId, announce, sourceIp: '2001:db8::5', ...fields });

describe('updateProcess', () => {
  it('writes only the fields given and audits what changed, before and after', async () => {
    const id = await newProcess(t.at(NOW), staff.id, []);
    const r = await update(id, {
      title: { es: 'Nuevo título', en: 'Participatory budget' },
      supportsPerParticipant: 5,
      moderationMode: 'post',
      reportThreshold: 3, // as it was: not a change
    });
    expect(r).toEqual({
      ok: true,
      changed: ['title', 'supportsPerParticipant', 'moderationMode'],
      announcements: { created: [], cancelled: [] },
    });
    expect(await t.db.process.findUniqueOrThrow({ where: { id } })).toMatchObject({
      title: { es: 'Nuevo título', en: 'Participatory budget' },
      description: { es: 'Decide en qué se invierte.' },
      supportsPerParticipant: 5,
      moderationMode: 'post',
      reportThreshold: 3,
      timeZone: 'Europe/Madrid',
    });
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'process.update', targetId: String(id) },
    });
    expect(audit).toMatchObject({
      actor: `staff:${staff.id}`,
      sourceIp: '2001:db8::5',
      before: {
        title: { es: 'Presupuestos participativos', en: 'Participatory budget' },
        supportsPerParticipant: 3,
        moderationMode: 'pre',
      },
      after: {
        title: { es: 'Nuevo título', en: 'Participatory budget' },
        supportsPerParticipant: 5,
        moderationMode: 'post',
      },
    });
  });

  it('nothing different, nothing written', async () => {
    const id = await newProcess(t.at(NOW), staff.id, []);
    expect(
      await update(id, { title: { en: 'Participatory budget', es: 'Presupuestos participativos' } }),
    ).toMatchObject({
      ok: true,
      changed: [],
    });
    expect(await update(id, {})).toMatchObject({ ok: true, changed: [] });
    expect(await t.db.auditLog.count({ where: { action: 'process.update', targetId: String(id) } })).toBe(0);
  });

  it('merges texts per language (RFC 7386): a language not named is kept, null removes it', async () => {
    const id = await newProcess(t.at(NOW), staff.id, []);
    const stored = async () => {
      const p = await t.db.process.findUniqueOrThrow({ where: { id } });
      return { title: p.title, description: p.description };
    };
    expect(await update(id, { title: { es: 'Presupuesto del barrio' } })).toMatchObject({
      ok: true,
      changed: ['title'],
    });
    expect(await stored()).toEqual({
      title: { es: 'Presupuesto del barrio', en: 'Participatory budget' },
      description: { es: 'Decide en qué se invierte.' },
    });
    expect(await update(id, { description: { en: ' Decide what it is spent on. ' } })).toMatchObject({
      ok: true,
      changed: ['description'],
    });
    expect(await update(id, { title: { en: null } })).toMatchObject({ ok: true, changed: ['title'] });
    expect(await stored()).toEqual({
      title: { es: 'Presupuesto del barrio' },
      description: { es: 'Decide en qué se invierte.', en: 'Decide what it is spent on.' },
    });
    // Removing what is not there, or naming no language, changes nothing.
    expect(await update(id, { title: { en: null }, description: {} })).toMatchObject({
      ok: true,
      changed: [],
    });
    const audits = await t.db.auditLog.findMany({
      where: { action: 'process.update', targetId: String(id) },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => [a.before, a.after])).toEqual([
      [
        { title: { es: 'Presupuestos participativos', en: 'Participatory budget' } },
        { title: { es: 'Presupuesto del barrio', en: 'Participatory budget' } },
      ],
      [
        { description: { es: 'Decide en qué se invierte.' } },
        { description: { es: 'Decide en qué se invierte.', en: 'Decide what it is spent on.' } },
      ],
      [
        { title: { es: 'Presupuesto del barrio', en: 'Participatory budget' } },
        { title: { es: 'Presupuesto del barrio' } },
      ],
    ]);
  });

  it('a new slug must be free', async () => {
    const a = await newProcess(t.at(NOW), staff.id, []);
    const b = await newProcess(t.at(NOW), staff.id, []);
    const taken = (await t.db.process.findUniqueOrThrow({ where: { id: a } })).slug;
    expect(await update(b, { slug: taken })).toEqual({ ok: false, reason: 'slug-taken' });
    const free = slugOf();
    expect(await update(b, { slug: free })).toMatchObject({ ok: true, changed: ['slug'] });
    expect((await t.db.process.findUniqueOrThrow({ where: { id: b } })).slug).toBe(free);
  });

  it('refuses bad values, strangers and unknown processes, and writes nothing', async () => {
    const id = await newProcess(t.at(NOW), staff.id, []);
    const before = await t.db.process.findUniqueOrThrow({ where: { id } });
    expect(await update(id, { slug: 'No Vale' })).toEqual({ ok: false, reason: 'invalid-slug' });
    expect(await update(id, { timeZone: 'Europe/Atlantis' })).toEqual({
      ok: false,
      reason: 'invalid-time-zone',
    });
    // Spanish is everyone's fallback: it cannot be removed or left empty.
    expect(await update(id, { title: { es: null } })).toEqual({ ok: false, reason: 'invalid-title' });
    expect(await update(id, { title: { es: '  ', en: 'Only English' } })).toEqual({
      ok: false,
      reason: 'invalid-title',
    });
    expect(await update(id, { description: { es: null } })).toEqual({
      ok: false,
      reason: 'invalid-description',
    });
    expect(await update(id, { title: { en: 'x'.repeat(151) } })).toEqual({
      ok: false,
      reason: 'invalid-title',
    });
    expect(await update(id, { reportThreshold: 1001 })).toEqual({
      ok: false,
      reason: 'invalid-report-threshold',
    });
    const moderator = await createStaffMember(t.db, { role: 'moderator' });
    expect(await update(id, { reportThreshold: 5 }, moderator.id)).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(await update(2_000_000_000, { reportThreshold: 5 })).toEqual({ ok: false, reason: 'not-found' });
    expect(await t.db.process.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it('a new time zone re-writes the announcements of phases to come; a new title does not', async () => {
    const id = await newProcess(t.at(NOW), staff.id, fourPhases(NOW));
    const stored = await phasesOf(t.db, id);
    expect(await update(id, { title: { es: 'Otro título' } })).toMatchObject({
      ok: true,
      announcements: { created: [], cancelled: [] },
    });
    const before = t.broadcastsStarted.length;
    const r = await update(id, { timeZone: 'Atlantic/Canary' });
    expect(r).toMatchObject({ ok: true, changed: ['timeZone'] });
    if (!r.ok) return;
    expect(r.announcements.cancelled.sort()).toEqual(
      [stored[2]!.announcementId, stored[3]!.announcementId].sort(),
    );
    const after = await phasesOf(t.db, id);
    expect(after.map((p) => [p.kind, p.startsAt, p.endsAt])).toEqual(
      stored.map((p) => [p.kind, p.startsAt, p.endsAt]),
    );
    for (const p of after.slice(2))
      expect(await broadcastOf(t.db, p.announcementId)).toMatchObject({
        status: 'scheduled',
        scheduledAt: p.startsAt,
        texts: { es: expect.stringContaining('(Atlantic/Canary)') },
      });
    expect(t.broadcastsStarted.slice(before).map((s) => s.at)).toEqual([
      after[2]!.startsAt,
      after[3]!.startsAt,
    ]);
  });
});
