// The processes admin API over HTTP, mounted as admin-router.ts mounts its parts: behind bearerAuth and the
// roles processRoutes declares.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, requireRole } from '../../src/admin/auth.ts';
import { buildOpenApiDocument } from '../../src/admin/openapi.ts';
import {
  createProcessesRouter,
  phaseAnnouncementTexts,
  PROCESS_ROLES,
  processRoutes,
} from '../../src/admin/processes-router.ts';
import { createProposal } from '../support/fixtures.ts';
import { createSubscriber } from '../support/subscribers.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

type Staff = Awaited<ReturnType<AdminTest['staffWithToken']>>;

let t: AdminTest & { close(): Promise<void> };
let staff: Staff;
let admin: Staff;
let moderator: Staff;
beforeAll(async () => {
  t = await createAdminTest({
    routes: ({ domain, logger }) => {
      const admin = express.Router();
      admin.use(bearerAuth({ domain, logger }));
      admin.use('/processes', requireRole(PROCESS_ROLES), createProcessesRouter({ domain, logger }));
      return [['/admin', admin]];
    },
  });
  staff = await t.staffWithToken({ role: 'staff', name: 'Irene' });
  admin = await t.staffWithToken({ role: 'admin', name: 'Admin' });
  moderator = await t.staffWithToken({ role: 'moderator', name: 'Mod' });
});
afterAll(() => t?.close());

const DAY = 24 * 3600 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
let slugs = 0;
const newSlug = () => `barrio-${Date.now().toString(36)}-${++slugs}`;

function body(over: Record<string, unknown> = {}) {
  return {
    slug: newSlug(),
    title: { es: 'Mejoramos el barrio', en: 'Improving the neighbourhood' },
    description: { es: 'Propón y apoya mejoras.', en: 'Propose and support improvements.' },
    categories: [{ key: 'calles', label: { es: 'Calles', en: 'Streets' } }],
    ...over,
  };
}

const send = (path: string, method: string, json?: unknown, token = staff.token) =>
  t.request(`/admin/processes${path}`, { method, json, token });

async function created(over: Record<string, unknown> = {}): Promise<number> {
  const res = await send('', 'POST', body(over));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { id: number }).id;
}

describe('who may use /admin/processes', () => {
  it('anonymous 401, moderators 403, staff and admins allowed, on every route; refusals write nothing', async () => {
    const id = await created({
      phases: [
        { kind: 'proposals', startsAt: inDays(-1), endsAt: inDays(5) },
        { kind: 'voting', startsAt: inDays(5), endsAt: inDays(9) },
      ],
    });
    const routes: { path: string; method: string; json?: () => unknown; ok: number }[] = [
      { path: '', method: 'POST', json: () => body(), ok: 201 },
      { path: '', method: 'GET', ok: 200 },
      { path: `/${id}`, method: 'GET', ok: 200 },
      { path: `/${id}`, method: 'PATCH', json: () => ({ reportThreshold: 4 }), ok: 200 },
      {
        path: `/${id}/categories`,
        method: 'PUT',
        json: () => ({ categories: [{ key: 'calles', label: { es: 'Calles' } }] }),
        ok: 200,
      },
      {
        path: `/${id}/phases`,
        method: 'PUT',
        json: () => ({
          phases: [
            { kind: 'proposals', startsAt: inDays(-1), endsAt: inDays(5) },
            { kind: 'voting', startsAt: inDays(5), endsAt: inDays(9) },
          ],
        }),
        ok: 409, // the phase under way cannot start at another time: allowed through, refused by the rules
      },
      { path: `/${id}/advance-phase`, method: 'POST', json: () => ({ from: 1 }), ok: 200 },
    ];
    const before = await t.db.process.count();
    for (const r of routes) {
      const anonymous = await t.request(`/admin/processes${r.path}`, { method: r.method, json: r.json?.() });
      expect(anonymous, `${r.method} ${r.path}`).toMatchObject({
        status: 401,
        body: { error: 'unauthorized' },
      });
      expect(
        await send(r.path, r.method, r.json?.(), moderator.token),
        `${r.method} ${r.path}`,
      ).toMatchObject({
        status: 403,
        body: { error: 'forbidden' },
      });
    }
    expect(await t.db.process.count()).toBe(before);
    expect(await t.db.auditLog.count({ where: { actor: `staff:${moderator.id}` } })).toBe(0);
    for (const who of [staff, admin])
      for (const r of routes.filter((r) => r.path !== `/${id}/advance-phase` || who === admin))
        expect(
          (await send(r.path, r.method, r.json?.(), who.token)).status,
          `${who.name} ${r.method} ${r.path}`,
        ).toBe(r.ok);
    expect((await send(`/${id}/advance-phase`, 'POST', { from: 2 }, staff.token)).status).toBe(409);
  });
});

describe('POST /admin/processes', () => {
  it('creates the process: 201 with its address and the process as GET shows it; audited with the address', async () => {
    const slug = newSlug();
    const res = await send(
      '',
      'POST',
      body({
        slug,
        timeZone: 'Atlantic/Canary',
        supportsPerParticipant: 5,
        moderationMode: 'post',
        reportThreshold: 4,
        phases: [{ kind: 'proposals', startsAt: inDays(2), endsAt: inDays(12), acceptsProposals: true }],
      }),
    );
    expect(res).toMatchObject({
      status: 201,
      body: {
        id: expect.any(Number),
        slug,
        title: { es: 'Mejoramos el barrio', en: 'Improving the neighbourhood' },
        timeZone: 'Atlantic/Canary',
        supportsPerParticipant: 5,
        moderationMode: 'post',
        reportThreshold: 4,
        currentPhase: null,
        categories: [{ key: 'calles', label: { es: 'Calles', en: 'Streets' }, position: 1, proposals: 0 }],
        phases: [
          {
            position: 1,
            kind: 'proposals',
            acceptsProposals: true,
            current: false,
            announcement: { id: expect.any(Number), status: 'scheduled' },
          },
        ],
      },
    });
    const view = res.body as {
      id: number;
      phases: { startsAt: string; announcement: { id: number; scheduledAt: string } }[];
    };
    expect(res.headers.get('location')).toBe(`/admin/processes/${view.id}`);
    expect(view.phases[0]!.announcement.scheduledAt).toBe(view.phases[0]!.startsAt);
    expect(await t.request(`/admin/processes/${view.id}`, { token: staff.token })).toEqual(
      expect.objectContaining({ status: 200, body: res.body }),
    );
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'process.create', targetId: String(view.id) },
    });
    expect(audit).toMatchObject({
      actor: `staff:${staff.id}`,
      sourceIp: expect.stringMatching(/127\.0\.0\.1$/),
    });
    // The announcement's texts come from the catalogs, in both languages, dated in the process's zone.
    const announcement = await t.db.broadcast.findUniqueOrThrow({
      where: { id: view.phases[0]!.announcement.id },
    });
    expect(announcement).toMatchObject({ createdById: null, audience: {} });
    expect(announcement.texts).toEqual({
      es: expect.stringMatching(
        /^🗓️ Empieza la fase «Propuestas», hasta el \d+ de \p{L}+ de \d{4}( a las \d\d:\d\d)?\.\n✏️ Ya puedes hacer propuestas\.$/u,
      ),
      en: expect.stringMatching(
        /^🗓️ The “Proposals” phase begins, until \d+ \p{L}+ \d{4}( at \d\d:\d\d)?\.\n✏️ You can now make proposals\.$/u,
      ),
    });
  });

  it('refuses unknown fields, naming each one, and writes nothing', async () => {
    const before = await t.db.process.count();
    const res = await send(
      '',
      'POST',
      body({
        colour: 'red',
        title: { es: 'Título', fr: 'Titre' },
        categories: [{ key: 'calles', label: { es: 'Calles' }, icon: '🚗' }],
        phases: [{ kind: 'voting', startsAt: inDays(1), endsAt: inDays(2), votes: 3 }],
      }),
    );
    expect(res.status).toBe(422);
    expect((res.body as { fields: unknown[] }).fields).toEqual(
      expect.arrayContaining([
        { path: 'colour', message: 'Unknown field' },
        { path: 'title.fr', message: 'Unknown field' },
        { path: 'categories.0.icon', message: 'Unknown field' },
        { path: 'phases.0.votes', message: 'Unknown field' },
      ]),
    );
    expect(await t.db.process.count()).toBe(before);
  });

  it.each([
    ['slug', { slug: 'Con Mayúsculas' }],
    ['slug', { slug: undefined }],
    ['title.es', { title: { en: 'Only English' } }],
    ['description.es', { description: { es: '   ' } }],
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['timeZone', { timeZone: '+01:00' }],
    ['supportsPerParticipant', { supportsPerParticipant: 0 }],
    ['supportsPerParticipant', { supportsPerParticipant: '3' }],
    ['moderationMode', { moderationMode: 'later' }],
    ['reportThreshold', { reportThreshold: 1.5 }],
    ['categories', { categories: [] }],
    ['categories.0.key', { categories: [{ key: 'Con Espacio', label: { es: 'A' } }] }],
    [
      'categories.1.key',
      {
        categories: [
          { key: 'a', label: { es: 'A' } },
          { key: 'a', label: { es: 'B' } },
        ],
      },
    ],
    ['phases.0.kind', { phases: [{ kind: 'vote', startsAt: inDays(1), endsAt: inDays(2) }] }],
    ['phases.0.startsAt', { phases: [{ kind: 'voting', startsAt: 'mañana', endsAt: inDays(2) }] }],
    ['phases.0.endsAt', { phases: [{ kind: 'voting', startsAt: inDays(2), endsAt: inDays(1) }] }],
    [
      'phases.1.startsAt',
      {
        phases: [
          { kind: 'proposals', startsAt: inDays(1), endsAt: inDays(5) },
          { kind: 'voting', startsAt: inDays(4), endsAt: inDays(9) },
        ],
      },
    ],
  ])('names %s when it is not valid (422)', async (path, over) => {
    const res = await send('', 'POST', body(over));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body).toMatchObject({
      error: 'invalid-request',
      fields: expect.arrayContaining([expect.objectContaining({ path })]),
    });
  });

  it('a slug already used answers 409; malformed JSON 400', async () => {
    const slug = newSlug();
    await created({ slug });
    expect(await send('', 'POST', body({ slug }))).toMatchObject({
      status: 409,
      body: { error: 'slug-taken' },
    });
    expect(
      await t.request('/admin/processes', {
        token: staff.token,
        method: 'POST',
        body: '{"slug": ',
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({ status: 400, body: { error: 'invalid-json' } });
  });
});

describe('a process from creation to its next phase', () => {
  it('create → edit phases → advance: announcements follow, every step audited with the address', async () => {
    const id = await created({
      phases: [
        { kind: 'information', startsAt: inDays(-3), endsAt: inDays(1) },
        { kind: 'proposals', startsAt: inDays(1), endsAt: inDays(10) },
        { kind: 'voting', startsAt: inDays(10), endsAt: inDays(20) },
      ],
    });
    await createSubscriber(t.db, id, { channel: 'telegram', locale: 'en' });
    type View = {
      currentPhase: string | null;
      currentPhasePosition: number | null;
      phases: {
        kind: string;
        startsAt: string;
        endsAt: string;
        announcement: { id: number; status: string; scheduledAt: string | null } | null;
      }[];
    };
    const first = (await t.request(`/admin/processes/${id}`, { token: staff.token })).body as View;
    expect(first.currentPhase).toBe('information');
    expect(first.phases.map((p) => p.announcement?.status ?? null)).toEqual([null, 'scheduled', 'scheduled']);

    // Edit: proposals start a day later; the information phase lasts until then.
    const edited = first.phases.map(({ kind, startsAt, endsAt }) => ({ kind, startsAt, endsAt }));
    edited[0]!.endsAt = inDays(2);
    edited[1]!.startsAt = edited[0]!.endsAt;
    const put = await send(`/${id}/phases`, 'PUT', { phases: edited });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const second = put.body as View;
    expect(second.phases[1]).toMatchObject({
      startsAt: edited[1]!.startsAt,
      announcement: { status: 'scheduled', scheduledAt: edited[1]!.startsAt },
    });
    expect(second.phases[1]!.announcement!.id).not.toBe(first.phases[1]!.announcement!.id);
    expect(second.phases[2]!.announcement!.id).toBe(first.phases[2]!.announcement!.id);
    expect(
      await t.db.broadcast.findUniqueOrThrow({ where: { id: first.phases[1]!.announcement!.id } }),
    ).toMatchObject({
      status: 'cancelled',
    });

    // The phase under way cannot change kind (409, naming the entry); unknown fields are refused.
    const wrong = edited.map((p, i) => (i === 0 ? { ...p, kind: 'debate' } : p));
    expect(await send(`/${id}/phases`, 'PUT', { phases: wrong })).toMatchObject({
      status: 409,
      body: { error: 'started-phase-changed', path: 'phases.0' },
    });
    expect(await send(`/${id}/phases`, 'PUT', { phases: edited, replace: true })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'replace', message: 'Unknown field' }] },
    });

    // Advance: information ends now, proposals start now and are announced at once.
    expect(await send(`/${id}/advance-phase`, 'POST', {})).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'from' }] },
    });
    const adv = await send(`/${id}/advance-phase`, 'POST', { from: 1 });
    expect(adv.status, JSON.stringify(adv.body)).toBe(200);
    const third = adv.body as View;
    expect(third.currentPhase).toBe('proposals');
    expect(third.currentPhasePosition).toBe(2);
    // The same request again (a double click, a retry): refused, the proposals phase is left alone.
    expect(await send(`/${id}/advance-phase`, 'POST', { from: 1 })).toMatchObject({
      status: 409,
      body: { error: 'phase-changed', currentPhase: { position: 2, kind: 'proposals' } },
    });
    expect(third.phases[1]!.announcement).toMatchObject({ status: 'scheduled', scheduledAt: null });
    expect(Date.parse(third.phases[0]!.endsAt)).toBe(Date.parse(third.phases[1]!.startsAt));
    expect(Date.parse(third.phases[1]!.startsAt)).toBeLessThanOrEqual(Date.now());
    expect(
      await t.db.broadcast.findUniqueOrThrow({ where: { id: second.phases[1]!.announcement!.id } }),
    ).toMatchObject({
      status: 'cancelled',
    });
    expect(await send(`/${id}/advance-phase`, 'POST', { from: 2, now: true })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'now', message: 'Unknown field' }] },
    });
    // Advance again: voting; then there is no next phase.
    expect((await send(`/${id}/advance-phase`, 'POST', { from: 2 })).status).toBe(200);
    expect(await send(`/${id}/advance-phase`, 'POST', { from: 3 })).toMatchObject({
      status: 409,
      body: { error: 'no-next-phase' },
    });

    const audits = await t.db.auditLog.findMany({
      where: { targetType: 'process', targetId: String(id) },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => a.action)).toEqual([
      'process.create',
      'process.phases.set',
      'process.phase.advance',
      'process.phase.advance',
    ]);
    for (const a of audits)
      expect(a).toMatchObject({
        actor: `staff:${staff.id}`,
        sourceIp: expect.stringMatching(/127\.0\.0\.1$/),
      });
    const announcementAudits = await t.db.auditLog.findMany({
      where: {
        targetType: 'broadcast',
        reason: { in: ['phase-announcement', 'phase-announcement-obsolete'] },
        createdAt: { gte: audits[0]!.createdAt },
      },
    });
    expect(announcementAudits.length).toBeGreaterThanOrEqual(5);
    for (const a of announcementAudits) expect(a.sourceIp).toMatch(/127\.0\.0\.1$/);
  });
});

describe('PATCH /admin/processes/:id', () => {
  it('changes the fields given; refuses phases and categories here, and unknown ids', async () => {
    const id = await created();
    const res = await send(`/${id}`, 'PATCH', { title: { es: 'Nuevo nombre' }, timeZone: 'Europe/Lisbon' });
    expect(res).toMatchObject({
      status: 200,
      body: { id, title: { es: 'Nuevo nombre' }, timeZone: 'Europe/Lisbon' },
    });
    expect(await send(`/${id}`, 'PATCH', { phases: [] })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'phases', message: 'Unknown field' }] },
    });
    expect(await send(`/${id}`, 'PATCH', { timeZone: 'Europe/Nowhere' })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'timeZone' }] },
    });
    expect((await send('/2000000000', 'PATCH', { reportThreshold: 5 })).status).toBe(404);
    expect((await send('/abc', 'PATCH', { reportThreshold: 5 })).status).toBe(404);
    expect((await send('/99999999999', 'GET')).status).toBe(404);
    const other = await created();
    const otherSlug = ((await send(`/${other}`, 'GET')).body as { slug: string }).slug;
    expect(await send(`/${id}`, 'PATCH', { slug: otherSlug })).toMatchObject({
      status: 409,
      body: { error: 'slug-taken' },
    });
  });
});

describe('PATCH /admin/processes/:id as a JSON merge patch (RFC 7386)', () => {
  const mergePatch = (id: number, json: unknown) =>
    t.request(`/admin/processes/${id}`, {
      method: 'PATCH',
      token: staff.token,
      json,
      headers: { 'content-type': 'application/merge-patch+json' },
    });

  it('merges localized texts per language: one not named is kept, null removes it', async () => {
    const id = await created();
    expect(await mergePatch(id, { title: { es: 'Mejoramos la plaza' } })).toMatchObject({
      status: 200,
      body: { title: { es: 'Mejoramos la plaza', en: 'Improving the neighbourhood' } },
    });
    expect(await mergePatch(id, { description: { en: 'Propose improvements.' } })).toMatchObject({
      status: 200,
      body: { description: { es: 'Propón y apoya mejoras.', en: 'Propose improvements.' } },
    });
    const removed = await mergePatch(id, { title: { en: null } });
    expect(removed).toMatchObject({ status: 200, body: { title: { es: 'Mejoramos la plaza' } } });
    expect((removed.body as { title: object }).title).toEqual({ es: 'Mejoramos la plaza' });
    // Plain JSON bodies read the same way.
    expect(await send(`/${id}`, 'PATCH', { title: { en: 'Improving the square' } })).toMatchObject({
      status: 200,
      body: { title: { es: 'Mejoramos la plaza', en: 'Improving the square' } },
    });
  });

  it('refuses removing Spanish (422, as a missing Spanish is on create) and writes nothing', async () => {
    const id = await created();
    const before = await t.db.process.findUniqueOrThrow({ where: { id } });
    for (const [json, path] of [
      [{ title: { es: null } }, 'title.es'],
      [{ description: { es: null, en: 'Only English' } }, 'description.es'],
      [{ title: { es: '   ' } }, 'title.es'],
    ] as const)
      expect(await mergePatch(id, json), path).toMatchObject({
        status: 422,
        body: { error: 'invalid-request', fields: [{ path }] },
      });
    expect(await mergePatch(id, { title: null })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'title' }] },
    });
    expect(await t.db.process.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });
});

describe('PUT /admin/processes/:id/categories', () => {
  it('replaces the list; a category with proposals cannot be left out (409 with its key)', async () => {
    const id = await created();
    const view = (await send(`/${id}`, 'GET')).body as { categories: { id: number }[] };
    await createProposal(t.db, { id, slug: '', categories: [] }, { categoryId: view.categories[0]!.id });
    expect(
      await send(`/${id}/categories`, 'PUT', { categories: [{ key: 'parques', label: { es: 'Parques' } }] }),
    ).toMatchObject({
      status: 409,
      body: { error: 'category-in-use', key: 'calles', proposals: 1 },
    });
    const res = await send(`/${id}/categories`, 'PUT', {
      categories: [
        { key: 'parques', label: { es: 'Parques' } },
        { key: 'calles', label: { es: 'Calles y aceras' } },
      ],
    });
    expect(res).toMatchObject({
      status: 200,
      body: {
        categories: [
          { key: 'parques', position: 1, proposals: 0 },
          {
            key: 'calles',
            label: { es: 'Calles y aceras' },
            position: 2,
            proposals: 1,
            id: view.categories[0]!.id,
          },
        ],
      },
    });
    expect(await send(`/${id}/categories`, 'PUT', {})).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'categories' }] },
    });
  });
});

describe('GET /admin/processes', () => {
  it('lists newest first, a page at a time; the query is checked', async () => {
    const a = await created();
    const b = await created();
    const page = await send('?limit=1', 'GET');
    expect(page).toMatchObject({ status: 200, body: { items: [{ id: b }], nextCursor: b } });
    const next = await send(`?limit=1&cursor=${b}`, 'GET');
    expect(next).toMatchObject({ status: 200, body: { items: [{ id: a }] } });
    expect(await send('?limit=0', 'GET')).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'limit' }] },
    });
    expect(await send('?sort=name', 'GET')).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'sort', message: 'Unknown field' }] },
    });
    expect(await send(`/${a}?x=1`, 'GET')).toMatchObject({ status: 422, body: { fields: [{ path: 'x' }] } });
  });
});

describe('phase announcements and route specs', () => {
  it('writes which phase opens, until when (in the process zone) and what it allows', () => {
    const texts = phaseAnnouncementTexts({
      kind: 'voting',
      startsAt: new Date('2027-03-20T09:00:00Z'),
      endsAt: new Date('2027-03-31T22:30:00Z'),
      acceptsProposals: false,
      timeZone: 'Europe/Madrid',
    });
    // An end that is not at midnight there names the day and the time it closes.
    expect(texts).toEqual({
      es: '🗓️ Empieza la fase «Votación», hasta el 1 de abril de 2027 a las 00:30.\n👍 Ya puedes apoyar las propuestas que te gusten.',
      en: '🗓️ The “Voting” phase begins, until 1 April 2027 at 00:30.\n👍 You can now support the proposals you like.',
    });
    expect(
      phaseAnnouncementTexts({
        kind: 'results',
        startsAt: new Date('2027-03-20T09:00:00Z'),
        endsAt: new Date('2027-03-31T22:30:00Z'),
        acceptsProposals: false,
        timeZone: 'America/New_York',
      }).es,
    ).toBe('🗓️ Empieza la fase «Resultados», hasta el 31 de marzo de 2027 a las 18:30.');
  });

  it('names the last day a phase is open when its (exclusive) end is midnight in the process zone', () => {
    // «Through 10 March» is stored as endsAt = 11 March 00:00 in Madrid: people must not be told the 11th.
    const through10March = {
      kind: 'proposals' as const,
      startsAt: new Date('2027-03-01T23:00:00Z'),
      endsAt: new Date('2027-03-10T23:00:00Z'),
      acceptsProposals: true,
    };
    expect(phaseAnnouncementTexts({ ...through10March, timeZone: 'Europe/Madrid' })).toEqual({
      es: '🗓️ Empieza la fase «Propuestas», hasta el 10 de marzo de 2027.\n✏️ Ya puedes hacer propuestas.',
      en: '🗓️ The “Proposals” phase begins, until 10 March 2027.\n✏️ You can now make proposals.',
    });
    // Midnight of the process's own zone, across a clock change (Madrid is UTC+2 from 28 March 2027).
    expect(
      phaseAnnouncementTexts({
        ...through10March,
        endsAt: new Date('2027-03-31T22:00:00Z'),
        timeZone: 'Europe/Madrid',
      }).es,
    ).toMatch(/hasta el 31 de marzo de 2027\.\n/);
    // The same instant is 23:00 on 10 March in London: that day, and the time.
    expect(phaseAnnouncementTexts({ ...through10March, timeZone: 'Europe/London' }).es).toMatch(
      /hasta el 10 de marzo de 2027 a las 23:00\.\n/,
    );
  });

  it('every endpoint is declared once for staff and admins, and documents as OpenAPI', () => {
    expect(processRoutes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'post /processes',
      'get /processes',
      'get /processes/:id',
      'patch /processes/:id',
      'put /processes/:id/phases',
      'put /processes/:id/categories',
      'post /processes/:id/advance-phase',
    ]);
    for (const r of processRoutes) expect(r.roles).toEqual(['admin', 'staff']);
    const doc = buildOpenApiDocument(processRoutes);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/processes',
      '/processes/{id}',
      '/processes/{id}/advance-phase',
      '/processes/{id}/categories',
      '/processes/{id}/phases',
    ]);
  });
});
