import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcess } from '../../src/domain/create-process.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { announce, broadcastOf, DAY, fourPhases, phasesOf, slugOf } from './process-support.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

const NOW = new Date('2027-03-01T10:00:00Z');

/** A valid input with `over` on top (lists given `as const`, so typed loosely here). */
function input(over: object = {}): Parameters<typeof createProcess>[1] {
  return {
    staffMemberId: staff.id,
    slug: slugOf(),
    title: { es: '  Presupuestos participativos ', en: 'Participatory budget' },
    description: { es: 'Decide en qué se invierte.', en: '' },
    categories: [
      { key: 'movilidad', label: { es: 'Movilidad', en: 'Mobility' } },
      { key: 'zonas_verdes', label: { es: 'Zonas verdes' } },
    ],
    announce,
    ...over,
  };
}

describe('createProcess', () => {
  it('only active staff and admins create processes; refusals write nothing', async () => {
    const before = await t.db.process.count();
    for (const who of [
      await createStaffMember(t.db, { role: 'moderator' }),
      await createStaffMember(t.db, { role: 'admin', disabled: true }),
    ])
      expect(await createProcess(t.deps, input({ staffMemberId: who.id }))).toEqual({
        ok: false,
        reason: 'not-allowed',
      });
    expect(await t.db.process.count()).toBe(before);
  });

  it('creates the process with its defaults, texts trimmed, categories in order and no phases', async () => {
    const slug = slugOf();
    const r = await createProcess(t.at(NOW), input({ slug, sourceIp: '203.0.113.9' }));
    expect(r).toEqual({ ok: true, process: { id: expect.any(Number), slug }, announcements: [] });
    if (!r.ok) return;
    const p = await t.db.process.findUniqueOrThrow({
      where: { id: r.process.id },
      include: { categories: { orderBy: { position: 'asc' } }, phases: true },
    });
    expect(p).toMatchObject({
      slug,
      title: { es: 'Presupuestos participativos', en: 'Participatory budget' },
      description: { es: 'Decide en qué se invierte.' },
      timeZone: 'Europe/Madrid',
      supportsPerParticipant: 3,
      moderationMode: 'pre',
      reportThreshold: 3,
      phases: [],
    });
    expect(p.categories.map((c) => [c.key, c.label, c.position])).toEqual([
      ['movilidad', { es: 'Movilidad', en: 'Mobility' }, 1],
      ['zonas_verdes', { es: 'Zonas verdes' }, 2],
    ]);
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { targetType: 'process', targetId: String(r.process.id) },
    });
    expect(audit).toMatchObject({
      actor: `staff:${staff.id}`,
      action: 'process.create',
      sourceIp: '203.0.113.9',
      createdAt: NOW,
      after: expect.objectContaining({ slug, timeZone: 'Europe/Madrid', phases: [] }),
    });
  });

  it('schedules an announcement for each phase still to come, at its start, from the system', async () => {
    const phases = fourPhases(NOW);
    const before = t.broadcastsStarted.length;
    const r = await createProcess(
      t.at(NOW),
      input({ phases, timeZone: 'America/Argentina/Buenos_Aires', supportsPerParticipant: 5 }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const stored = await phasesOf(t.db, r.process.id);
    expect(stored.map((p) => [p.position, p.kind, p.startsAt, p.endsAt, p.acceptsProposals])).toEqual(
      phases.map((p, i) => [i + 1, p.kind, p.startsAt, p.endsAt, p.acceptsProposals ?? false]),
    );
    // Phases that have started (ended or under way) are not announced: it would be news of the past.
    expect(stored[0]!.announcementId).toBeNull();
    expect(stored[1]!.announcementId).toBeNull();
    const [debate, voting] = [
      await broadcastOf(t.db, stored[2]!.announcementId),
      await broadcastOf(t.db, stored[3]!.announcementId),
    ];
    expect(debate).toEqual({
      id: expect.any(Number),
      processId: r.process.id,
      createdById: null,
      status: 'scheduled',
      scheduledAt: phases[2]!.startsAt,
      audience: {},
      texts: {
        es: `Abre debate hasta ${phases[2]!.endsAt.toISOString()} (America/Argentina/Buenos_Aires) +propuestas`,
        en: `Opens debate until ${phases[2]!.endsAt.toISOString()} (America/Argentina/Buenos_Aires)`,
      },
    });
    expect(voting).toMatchObject({ status: 'scheduled', scheduledAt: phases[3]!.startsAt });
    expect(r.announcements).toEqual([debate!.id, voting!.id]);
    expect(t.broadcastsStarted.slice(before)).toEqual([
      { broadcastId: debate!.id, at: phases[2]!.startsAt },
      { broadcastId: voting!.id, at: phases[3]!.startsAt },
    ]);
    expect(
      await t.db.auditLog.count({
        where: { action: 'broadcast.create', targetId: { in: [String(debate!.id), String(voting!.id)] } },
      }),
    ).toBe(2);
    expect(await t.db.process.findUniqueOrThrow({ where: { id: r.process.id } })).toMatchObject({
      timeZone: 'America/Argentina/Buenos_Aires',
      supportsPerParticipant: 5,
    });
  });

  it('writes a time zone as the runtime spells it', async () => {
    const r = await createProcess(t.deps, input({ timeZone: 'europe/madrid' }));
    if (!r.ok) throw new Error(r.reason);
    expect(await t.db.process.findUniqueOrThrow({ where: { id: r.process.id } })).toMatchObject({
      timeZone: 'Europe/Madrid',
    });
  });

  it('refuses a slug used by another process', async () => {
    const slug = slugOf();
    expect((await createProcess(t.deps, input({ slug }))).ok).toBe(true);
    expect(await createProcess(t.deps, input({ slug }))).toEqual({ ok: false, reason: 'slug-taken' });
    expect(await t.db.process.count({ where: { slug } })).toBe(1);
  });

  it.each([
    ['an upper-case slug', { slug: 'Mi-Proceso' }, 'invalid-slug'],
    ['a slug with a space', { slug: 'mi proceso' }, 'invalid-slug'],
    ['a slug with a double hyphen', { slug: 'mi--proceso' }, 'invalid-slug'],
    ['a slug ending in a hyphen', { slug: 'mi-proceso-' }, 'invalid-slug'],
    ['a one-letter slug', { slug: 'a' }, 'invalid-slug'],
    ['a slug too long for a deep link', { slug: 'a'.repeat(57) }, 'invalid-slug'],
    ['no Spanish title', { title: { en: 'Budget' } }, 'invalid-title'],
    ['a blank Spanish title', { title: { es: '   ' } }, 'invalid-title'],
    ['a title too long', { title: { es: 'x'.repeat(151) } }, 'invalid-title'],
    ['no Spanish description', { description: { es: '' } }, 'invalid-description'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'invalid-time-zone'],
    ['an offset instead of a zone', { timeZone: '+01:00' }, 'invalid-time-zone'],
    ['no supports', { supportsPerParticipant: 0 }, 'invalid-supports-per-participant'],
    ['fractional supports', { supportsPerParticipant: 2.5 }, 'invalid-supports-per-participant'],
    ['a moderation mode that is not one', { moderationMode: 'later' as 'pre' }, 'invalid-moderation-mode'],
    ['a zero report threshold', { reportThreshold: 0 }, 'invalid-report-threshold'],
    ['no categories', { categories: [] }, 'no-categories'],
  ] as const)('refuses %s', async (_what, over, reason) => {
    const slug = slugOf();
    expect(await createProcess(t.deps, input({ slug, ...over }))).toEqual({ ok: false, reason });
    expect(await t.db.process.count({ where: { slug } })).toBe(0);
  });

  it('names the entry of a list it refuses', async () => {
    const d = (days: number) => new Date(NOW.getTime() + days * DAY);
    const cases = [
      [
        {
          categories: [
            { key: 'a', label: { es: 'A' } },
            { key: 'a', label: { es: 'B' } },
          ],
        },
        { reason: 'duplicate-category-key', index: 1 },
      ],
      [
        { categories: [{ key: 'Mal Clave', label: { es: 'A' } }] },
        { reason: 'invalid-category-key', index: 0 },
      ],
      [
        {
          categories: [
            { key: 'a', label: { es: 'A' } },
            { key: 'b', label: { en: 'B' } },
          ],
        },
        { reason: 'invalid-category-label', index: 1 },
      ],
      [
        { phases: [{ kind: 'proposals' as const, startsAt: d(2), endsAt: d(2) }] },
        { reason: 'phase-ends-before-it-starts', index: 0 },
      ],
      [
        {
          phases: [
            { kind: 'proposals' as const, startsAt: d(1), endsAt: d(5) },
            { kind: 'voting' as const, startsAt: d(4), endsAt: d(9) },
          ],
        },
        { reason: 'phases-overlap', index: 1 },
      ],
      [
        {
          phases: [
            { kind: 'voting' as const, startsAt: d(5), endsAt: d(9) },
            { kind: 'proposals' as const, startsAt: d(1), endsAt: d(4) },
          ],
        },
        { reason: 'phases-out-of-order', index: 1 },
      ],
      [
        { phases: [{ kind: 'vote' as 'voting', startsAt: d(1), endsAt: d(2) }] },
        { reason: 'invalid-phase-kind', index: 0 },
      ],
    ] as const;
    for (const [over, expected] of cases) {
      const slug = slugOf();
      expect(await createProcess(t.deps, input({ slug, ...over })), JSON.stringify(over)).toEqual({
        ok: false,
        ...expected,
      });
      expect(await t.db.process.count({ where: { slug } })).toBe(0);
    }
  });

  it('accepts back-to-back phases and gaps between them', async () => {
    const d = (days: number) => new Date(NOW.getTime() + days * DAY);
    const r = await createProcess(
      t.at(NOW),
      input({
        phases: [
          { kind: 'proposals', startsAt: d(1), endsAt: d(5) },
          { kind: 'debate', startsAt: d(5), endsAt: d(6) },
          { kind: 'voting', startsAt: d(8), endsAt: d(9) },
        ],
      }),
    );
    expect(r).toMatchObject({
      ok: true,
      announcements: [expect.any(Number), expect.any(Number), expect.any(Number)],
    });
  });
});
