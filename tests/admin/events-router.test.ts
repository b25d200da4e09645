// The events part of the admin API, in a small app of its own (bearerAuth + requireRole(EVENT_ROLES), as
// admin-router.ts mounts it): strict bodies naming bad fields, moderators refused, writes audited with the
// caller's address, counts without personal data.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, requireRole } from '../../src/admin/auth.ts';
import { createEventsRouter, EVENT_ROLES, eventRoutes } from '../../src/admin/events-router.ts';
import { registerForEvent } from '../../src/domain/register-for-event.ts';
import { createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
let process: ProcessFixture;
let staff: { id: string; token: string };
let moderator: { token: string };
beforeAll(async () => {
  t = await createAdminTest({
    routes: ({ domain, logger }) => {
      const admin = express.Router();
      admin.use(bearerAuth({ domain, logger }));
      admin.use('/events', requireRole(EVENT_ROLES), createEventsRouter({ domain }));
      return [['/admin', admin]];
    },
  });
  process = await createProcess(t.db, { phase: 'proposals' });
  staff = await t.staffWithToken({ role: 'staff' });
  moderator = await t.staffWithToken({ role: 'moderator' });
});
afterAll(() => t?.close());

const DAY = 24 * 3600_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const body = () => ({
  processId: process.id,
  kind: 'workshop',
  title: { es: 'Taller de movilidad', en: 'Mobility workshop' },
  place: 'Centro cívico Norte',
  startsAt: inDays(3),
  capacity: 2,
});

async function created(): Promise<number> {
  const r = await t.request('/admin/events', { token: staff.token, json: body() });
  expect(r.status).toBe(201);
  return (r.body as { id: number }).id;
}

const fieldsOf = (r: { body: unknown }) =>
  ((r.body as { fields?: { path: string }[] }).fields ?? []).map((f) => f.path).sort();

describe('the events admin API', () => {
  it('declares its routes for staff and admins only', () => {
    expect(eventRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual([
      'POST /events',
      'GET /events',
      'GET /events/:id',
      'PATCH /events/:id',
      'POST /events/:id/cancel',
      'POST /events/:id/proposals',
    ]);
    expect(new Set(eventRoutes.flatMap((r) => r.roles))).toEqual(new Set(['admin', 'staff']));
  });

  it('refuses the anonymous (401) and moderators (403), before reading anything', async () => {
    expect((await t.request('/admin/events', { json: body() })).status).toBe(401);
    expect((await t.request('/admin/events', { token: moderator.token, json: body() })).status).toBe(403);
    expect(
      (await t.request(`/admin/events?processId=${process.id}`, { token: moderator.token })).status,
    ).toBe(403);
    expect(await t.db.event.count()).toBe(0);
  });

  it('creates an event (audited with the address), with strict bodies naming each bad field', async () => {
    const bad = await t.request('/admin/events', {
      token: staff.token,
      json: { ...body(), capacity: 0, kind: 'party', extra: 1, title: { es: '' } },
    });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad)).toEqual(['capacity', 'extra', 'kind', 'title.es']);
    const noZone = await t.request('/admin/events', {
      token: staff.token,
      json: { ...body(), startsAt: '2030-01-01T10:00:00' },
    });
    expect(fieldsOf(noZone)).toEqual(['startsAt']);
    const past = await t.request('/admin/events', {
      token: staff.token,
      json: { ...body(), startsAt: inDays(-1) },
    });
    expect(past).toMatchObject({ status: 422, body: { fields: [{ path: 'startsAt' }] } });
    const ends = await t.request('/admin/events', {
      token: staff.token,
      json: { ...body(), endsAt: inDays(2) },
    });
    expect(ends).toMatchObject({ status: 422, body: { fields: [{ path: 'endsAt' }] } });
    expect(
      (await t.request('/admin/events', { token: staff.token, json: { ...body(), processId: 999999999 } }))
        .body,
    ).toEqual({ error: 'process-not-found' });
    expect(
      (
        await t.request('/admin/events', {
          token: staff.token,
          body: '{"processId":',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);

    const ok = await t.request('/admin/events', {
      token: staff.token,
      json: body(),
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(ok).toMatchObject({
      status: 201,
      body: {
        kind: 'workshop',
        capacity: 2,
        registered: 0,
        waitlisted: 0,
        placesLeft: 2,
        status: 'scheduled',
      },
    });
    const id = (ok.body as { id: number }).id;
    expect(ok.headers.get('location')).toBe(`/admin/events/${id}`);
    const row = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'event.create', targetId: String(id) },
    });
    expect(row).toMatchObject({
      actor: `staff:${staff.id}`,
      targetType: 'event',
      sourceIp: expect.any(String),
    });
  });

  it('shows counts without personal data; lists upcoming (or all)', async () => {
    const id = await created();
    for (let i = 0; i < 3; i++) {
      const p = await createParticipant(t.db);
      await registerForEvent(t.domain, { participantId: p.id, eventId: id });
    }
    const one = await t.request(`/admin/events/${id}`, { token: staff.token });
    expect(one).toMatchObject({ status: 200, body: { id, registered: 2, waitlisted: 1, placesLeft: 0 } });
    expect(JSON.stringify(one.body)).not.toMatch(/participant|[0-9a-f]{8}-[0-9a-f]{4}-/i);
    expect((await t.request(`/admin/events/${id}?extra=1`, { token: staff.token })).status).toBe(422);
    expect((await t.request('/admin/events/999999999', { token: staff.token })).status).toBe(404);
    expect((await t.request('/admin/events/abc', { token: staff.token })).status).toBe(404);
    const list = await t.request(`/admin/events?processId=${process.id}`, { token: staff.token });
    expect((list.body as { items: { id: number }[] }).items.map((e) => e.id)).toContain(id);
    expect(fieldsOf(await t.request('/admin/events', { token: staff.token }))).toEqual(['processId']);
    expect(
      fieldsOf(await t.request(`/admin/events?processId=${process.id}&include=past`, { token: staff.token })),
    ).toEqual(['include']);
  });

  it('changes an event (audited; people told of a new place) and refuses a capacity below the places taken', async () => {
    const id = await created();
    for (let i = 0; i < 2; i++) {
      const p = await createParticipant(t.db);
      await registerForEvent(t.domain, { participantId: p.id, eventId: id });
    }
    const path = `/admin/events/${id}`;
    expect(
      fieldsOf(await t.request(path, { method: 'PATCH', token: staff.token, json: { processId: 3 } })),
    ).toEqual(['processId']);
    expect((await t.request(path, { method: 'PATCH', token: staff.token, json: {} })).status).toBe(422);
    expect(
      await t.request(path, { method: 'PATCH', token: staff.token, json: { capacity: 1 } }),
    ).toMatchObject({
      status: 409,
      body: { error: 'capacity-below-registered', registered: 2 },
    });
    expect(
      await t.request(path, { method: 'PATCH', token: moderator.token, json: { place: 'Otro' } }),
    ).toMatchObject({
      status: 403,
    });
    t.notified.length = 0;
    const ok = await t.request(path, {
      method: 'PATCH',
      token: staff.token,
      json: { place: 'Biblioteca Sur' },
    });
    expect(ok).toMatchObject({ status: 200, body: { place: 'Biblioteca Sur' } });
    expect(t.notified).toEqual([{ kind: 'event-changed', eventId: id, at: expect.any(Number) }]);
    expect(
      await t.db.auditLog.findFirst({ where: { action: 'event.update', targetId: String(id) } }),
    ).toMatchObject({ before: { place: 'Centro cívico Norte' }, after: { place: 'Biblioteca Sur' } });
    expect(
      (await t.request(path, { method: 'PATCH', token: staff.token, json: { place: 'Biblioteca Sur' } }))
        .body,
    ).toEqual({
      error: 'nothing-to-change',
    });
  });

  it('PATCH merges texts per language as a JSON merge patch: one not named is kept, null removes it', async () => {
    const id = await created();
    const path = `/admin/events/${id}`;
    const mergePatch = (json: unknown) =>
      t.request(path, {
        method: 'PATCH',
        token: staff.token,
        json,
        headers: { 'content-type': 'application/merge-patch+json' },
      });
    t.notified.length = 0;
    expect(await mergePatch({ title: { es: 'Taller de movilidad sostenible' } })).toMatchObject({
      status: 200,
      body: { title: { es: 'Taller de movilidad sostenible', en: 'Mobility workshop' } },
    });
    // Plain JSON reads the same way; English alone keeps the Spanish.
    expect(
      await t.request(path, {
        method: 'PATCH',
        token: staff.token,
        json: { title: { en: 'Sustainable mobility workshop' } },
      }),
    ).toMatchObject({
      status: 200,
      body: { title: { es: 'Taller de movilidad sostenible', en: 'Sustainable mobility workshop' } },
    });
    const removed = await mergePatch({ title: { en: null } });
    expect(removed.status).toBe(200);
    expect((removed.body as { title: object }).title).toEqual({ es: 'Taller de movilidad sostenible' });
    expect(await mergePatch({ description: { es: 'Traed ideas.' } })).toMatchObject({
      status: 200,
      body: { description: { es: 'Traed ideas.' } },
    });
    expect(await mergePatch({ description: { en: 'Bring ideas.' } })).toMatchObject({
      status: 200,
      body: { description: { es: 'Traed ideas.', en: 'Bring ideas.' } },
    });
    // Spanish cannot be removed (422, as a missing one is on create); nothing written.
    const before = await t.db.event.findUniqueOrThrow({ where: { id } });
    for (const [json, field] of [
      [{ title: { es: null } }, 'title.es'],
      [{ title: { es: '   ' } }, 'title.es'],
      [{ description: { es: null, en: 'Only English' } }, 'description.es'],
      [{ title: null }, 'title'],
      [{ title: { fr: 'Atelier' } }, 'title.fr'],
    ] as const)
      expect(await mergePatch(json), field).toMatchObject({
        status: 422,
        body: { error: 'invalid-request', fields: [{ path: field }] },
      });
    expect(await t.db.event.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect(await mergePatch({ description: null })).toMatchObject({
      status: 200,
      body: { description: null },
    });
    // English alone for a description there is none of: no Spanish to fall back on.
    expect(await mergePatch({ description: { en: 'Bring ideas.' } })).toMatchObject({
      status: 422,
      body: { error: 'invalid-request', fields: [{ path: 'description.es' }] },
    });
    // Texts are no news for the people registered.
    expect(t.notified).toEqual([]);
  });

  it('cancels an event once (audited, people told); a cancelled one cannot change', async () => {
    const id = await created();
    const path = `/admin/events/${id}/cancel`;
    expect(fieldsOf(await t.request(path, { token: staff.token, json: { why: 'lluvia' } }))).toEqual(['why']);
    expect((await t.request(path, { token: moderator.token, json: {} })).status).toBe(403);
    const ok = await t.request(path, { token: staff.token, json: { reason: 'Previsión de tormenta' } });
    expect(ok).toMatchObject({ status: 200, body: { id, status: 'cancelled' } });
    expect(await t.request(path, { method: 'POST', token: staff.token })).toMatchObject({
      status: 409,
      body: { error: 'already-cancelled' },
    });
    expect(
      await t.request(`/admin/events/${id}`, { method: 'PATCH', token: staff.token, json: { capacity: 9 } }),
    ).toMatchObject({ status: 409, body: { error: 'event-cancelled' } });
    expect(
      await t.db.auditLog.findFirst({ where: { action: 'event.cancel', targetId: String(id) } }),
    ).toMatchObject({ actor: `staff:${staff.id}`, reason: 'Previsión de tormenta' });
    expect(t.notified).toContainEqual({ kind: 'event-cancelled', eventId: id });
  });

  it('answers 409 event-started to a change or a cancellation once the event has started', async () => {
    const ev = await t.db.event.create({
      data: {
        processId: process.id,
        kind: 'workshop',
        title: { es: 'Taller en curso' },
        place: 'Aquí',
        startsAt: new Date(Date.now() - 3600_000),
        capacity: 10,
      },
    });
    t.notified.length = 0;
    expect(
      await t.request(`/admin/events/${ev.id}`, {
        method: 'PATCH',
        token: staff.token,
        json: { place: 'Allí' },
      }),
    ).toMatchObject({ status: 409, body: { error: 'event-started' } });
    expect(
      await t.request(`/admin/events/${ev.id}/cancel`, { token: staff.token, json: { reason: 'Lluvia' } }),
    ).toMatchObject({ status: 409, body: { error: 'event-started' } });
    expect(await t.db.event.findUniqueOrThrow({ where: { id: ev.id } })).toMatchObject({
      status: 'scheduled',
      place: 'Aquí',
    });
    expect(await t.db.auditLog.count({ where: { targetType: 'event', targetId: String(ev.id) } })).toBe(0);
    expect(t.notified).toEqual([]);
  });

  it('records a held workshop outcome as a proposal marked with it', async () => {
    const ev = await t.db.event.create({
      data: {
        processId: process.id,
        kind: 'workshop',
        title: { es: 'Taller celebrado' },
        place: 'Aquí',
        startsAt: new Date(Date.now() - DAY),
        capacity: 10,
      },
    });
    const path = `/admin/events/${ev.id}/proposals`;
    const proposal = {
      title: 'Carril bici en la avenida',
      body: 'El grupo del taller propone un carril bici protegido en toda la avenida.',
    };
    expect((await t.request(path, { token: moderator.token, json: proposal })).status).toBe(403);
    expect(
      fieldsOf(
        await t.request(path, { token: staff.token, json: { ...proposal, title: 'Corto', author: 'x' } }),
      ),
    ).toEqual(['author', 'title']);
    const ok = await t.request(path, { token: staff.token, json: proposal });
    expect(ok).toMatchObject({ status: 201, body: { status: 'pending', eventId: ev.id } });
    const id = (ok.body as { id: number }).id;
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      authorId: null,
      eventId: ev.id,
    });
    expect(
      await t.db.auditLog.findFirst({ where: { action: 'event.proposal', targetId: String(id) } }),
    ).toMatchObject({
      actor: `staff:${staff.id}`,
    });
    // The same outcome sent again (a double click, a retry): refused, naming the one recorded.
    expect(await t.request(path, { token: staff.token, json: proposal })).toMatchObject({
      status: 409,
      body: { error: 'duplicate', id },
    });
    expect(await t.db.proposal.count({ where: { eventId: ev.id } })).toBe(1);
    const upcoming = await created();
    expect(
      await t.request(`/admin/events/${upcoming}/proposals`, { token: staff.token, json: proposal }),
    ).toMatchObject({
      status: 409,
      body: { error: 'not-held-yet' },
    });
  });
});
