import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcess, createProposal } from '../support/fixtures.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
beforeAll(async () => {
  t = await createAdminTest();
});
afterAll(() => t?.close());

describe('POST /admin/proposals/:id/answer', () => {
  it('lets staff answer; refuses anonymous callers and moderators; names bad fields', async () => {
    const process = await createProcess(t.db, { phase: 'results' });
    const id = await createProposal(t.db, process);
    const staff = await t.staffWithToken({ role: 'staff' });
    const moderator = await t.staffWithToken({ role: 'moderator' });
    const path = `/admin/proposals/${id}/answer`;
    expect((await t.request(path, { json: { status: 'selected' } })).status).toBe(401);
    expect((await t.request(path, { token: moderator.token, json: { status: 'selected' } })).status).toBe(
      403,
    );
    const bad = await t.request(path, { token: staff.token, json: { status: 'chosen', extra: 1 } });
    expect(bad.status).toBe(422);
    expect((bad.body as { fields: { path: string }[] }).fields.map((f) => f.path).sort()).toEqual([
      'extra',
      'status',
    ]);
    expect((await t.request(path, { token: staff.token, json: {} })).status).toBe(422);
    const ok = await t.request(path, {
      token: staff.token,
      json: { status: 'selected', answer: 'Adelante.' },
    });
    expect(ok).toMatchObject({ status: 200, body: { id, status: 'selected', answer: 'Adelante.' } });
    expect(
      (
        await t.request('/admin/proposals/999999999/answer', {
          token: staff.token,
          json: { status: 'selected' },
        })
      ).status,
    ).toBe(404);
    expect(t.notified).toContainEqual({ kind: 'proposal-outcome', proposalId: id, at: expect.any(Number) });
  });

  it('answers 409 too-early to a status before voting is over; an answer text alone goes through', async () => {
    const process = await createProcess(t.db, { phase: 'voting' });
    const id = await createProposal(t.db, process);
    const staff = await t.staffWithToken({ role: 'staff' });
    const path = `/admin/proposals/${id}/answer`;
    for (const status of ['selected', 'not_selected'])
      expect(await t.request(path, { token: staff.token, json: { status, answer: 'Ya veremos.' } })).toEqual(
        expect.objectContaining({ status: 409, body: { error: 'too-early' } }),
      );
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'published',
      answer: null,
    });
    expect(await t.request(path, { token: staff.token, json: { answer: 'Lo estudiaremos.' } })).toMatchObject(
      { status: 200, body: { id, status: 'published', answer: 'Lo estudiaremos.' } },
    );
  });

  it('answers 409 has-commitments to not_selected for a proposal with commitments linked to it', async () => {
    const process = await createProcess(t.db, { phase: 'results' });
    const id = await createProposal(t.db, process, { status: 'selected' });
    await t.db.commitment.create({
      data: {
        processId: process.id,
        title: { es: 'Huerto urbano' },
        department: 'Medio Ambiente',
        proposals: { create: [{ proposalId: id }] },
      },
    });
    const staff = await t.staffWithToken({ role: 'staff' });
    expect(
      await t.request(`/admin/proposals/${id}/answer`, {
        token: staff.token,
        json: { status: 'not_selected' },
      }),
    ).toMatchObject({ status: 409, body: { error: 'has-commitments' } });
    expect((await t.db.proposal.findUniqueOrThrow({ where: { id } })).status).toBe('selected');
  });
});
