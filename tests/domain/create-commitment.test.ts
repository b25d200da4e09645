import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import {
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let other: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'results' });
  other = await createProcess(t.db, { phase: 'results' });
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

const base = () => ({
  staffMemberId: staff.id,
  processId: process.id,
  title: { es: 'Autobús nocturno al hospital', en: 'Night bus to the hospital' },
  department: 'Movilidad',
});
let titles = 0;
/** A commitment of its own: a title no other test of this file uses (a repeated title is a duplicate). */
const fresh = () => ({ ...base(), title: { es: `Compromiso ${++titles}` } });

describe('createCommitment', () => {
  it('makes a commitment linked to selected proposals, with its first dated update, audited and announced', async () => {
    const a = await createProposal(t.db, process, { status: 'selected' });
    const b = await createProposal(t.db, process, { status: 'selected' });
    const at = new Date('2027-03-01T10:00:00Z');
    const r = await createCommitment(t.at(at), {
      ...base(),
      description: { es: '  Una línea cada 30 minutos.  ' },
      dueDate: '2027-06-30',
      progress: 10,
      evidence: 'https://example.org/acuerdo.pdf',
      note: 'Aprobado en pleno',
      proposalIds: [b, a, a],
      sourceIp: '203.0.113.5',
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.commitment).toMatchObject({
      processId: process.id,
      title: { es: 'Autobús nocturno al hospital', en: 'Night bus to the hospital' },
      description: { es: 'Una línea cada 30 minutos.' },
      department: 'Movilidad',
      dueDate: '2027-06-30',
      status: 'in_progress',
      progress: 10,
      evidence: 'https://example.org/acuerdo.pdf',
      proposalIds: [a, b].sort((x, y) => x - y),
      latestUpdate: {
        status: 'in_progress',
        progress: 10,
        note: 'Aprobado en pleno',
        staffMemberId: staff.id,
        at,
      },
    });
    const updates = await t.db.commitmentUpdate.findMany({ where: { commitmentId: r.commitment.id } });
    expect(updates).toHaveLength(1);
    expect(
      await t.db.auditLog.findFirst({
        where: { action: 'commitment.create', targetId: String(r.commitment.id) },
      }),
    ).toMatchObject({ actor: `staff:${staff.id}`, sourceIp: '203.0.113.5', after: { progress: 10 } });
    expect(t.notified).toContainEqual({
      kind: 'commitment-changed',
      commitmentId: r.commitment.id,
      updateId: r.commitment.latestUpdate!.id,
    });
  });

  it('ties status and progress: done means 100, 100 means done, contradictions are refused', async () => {
    const done = await createCommitment(t.deps, { ...fresh(), status: 'done' });
    expect(done).toMatchObject({ ok: true, commitment: { status: 'done', progress: 100 } });
    const full = await createCommitment(t.deps, { ...fresh(), progress: 100 });
    expect(full).toMatchObject({ ok: true, commitment: { status: 'done', progress: 100 } });
    const planned = await createCommitment(t.deps, fresh());
    expect(planned).toMatchObject({ ok: true, commitment: { status: 'planned', progress: 0 } });
    expect(await createCommitment(t.deps, { ...fresh(), status: 'done', progress: 50 })).toEqual({
      ok: false,
      reason: 'status-progress-mismatch',
    });
    expect(await createCommitment(t.deps, { ...fresh(), status: 'planned', progress: 100 })).toEqual({
      ok: false,
      reason: 'status-progress-mismatch',
    });
  });

  it('links only selected proposals of the same process, naming the others; nothing is written then', async () => {
    const published = await createProposal(t.db, process, { status: 'published' });
    const elsewhere = await createProposal(t.db, other, { status: 'selected' });
    const selected = await createProposal(t.db, process, { status: 'selected' });
    const before = await t.db.commitment.count();
    expect(
      await createCommitment(t.deps, {
        ...fresh(),
        proposalIds: [selected, published, elsewhere, 999999999],
      }),
    ).toEqual({
      ok: false,
      reason: 'proposals-not-selected',
      proposalIds: [published, elsewhere, 999999999],
    });
    expect(await t.db.commitment.count()).toBe(before);
  });

  it('announces nothing when no proposal is linked', async () => {
    const r = await createCommitment(t.deps, fresh());
    if (!r.ok) throw new Error(r.reason);
    expect(
      t.notified.some((j) => j.kind === 'commitment-changed' && j.commitmentId === r.commitment.id),
    ).toBe(false);
  });

  it('refuses moderators and unknown processes, and names bad fields', async () => {
    const moderator = await createStaffMember(t.db, { role: 'moderator' });
    const disabled = await createStaffMember(t.db, { role: 'admin', disabled: true });
    expect(await createCommitment(t.deps, { ...base(), staffMemberId: moderator.id })).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(await createCommitment(t.deps, { ...base(), staffMemberId: disabled.id })).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(await createCommitment(t.deps, { ...base(), processId: 999999999 })).toEqual({
      ok: false,
      reason: 'process-not-found',
    });
    const bad: [Partial<Parameters<typeof createCommitment>[1]>, string][] = [
      [{ title: { es: '   ' } }, 'title.es'],
      [{ title: { es: 'Bien', en: 'x'.repeat(201) } }, 'title.en'],
      [{ department: ' ' }, 'department'],
      [{ dueDate: '2027-02-30' }, 'dueDate'],
      [{ dueDate: '30/06/2027' }, 'dueDate'],
      [{ progress: 101 }, 'progress'],
      [{ progress: 5.5 }, 'progress'],
      [{ evidence: 'x'.repeat(2001) }, 'evidence'],
    ];
    for (const [change, field] of bad)
      expect(await createCommitment(t.deps, { ...base(), ...change }), field).toEqual({
        ok: false,
        reason: 'invalid',
        field,
      });
  });

  it('refuses the title of another commitment of the process (a request sent twice): nothing written, nobody told again', async () => {
    const selected = await createProposal(t.db, process, { status: 'selected' });
    const input = {
      ...base(),
      title: { es: 'Parque infantil en la plaza', en: 'Playground in the square' },
      proposalIds: [selected],
    };
    const first = await createCommitment(t.deps, input);
    if (!first.ok) throw new Error(first.reason);
    const id = first.commitment.id;
    const counts = async () => ({
      commitments: await t.db.commitment.count(),
      audits: await t.db.auditLog.count({ where: { action: 'commitment.create' } }),
      told: t.notified.filter((j) => j.kind === 'commitment-changed').length,
    });
    const before = await counts();
    expect(await createCommitment(t.deps, input)).toEqual({ ok: false, reason: 'duplicate', id });
    // Compared as stored (trimmed), whatever the case and whatever the English says.
    expect(
      await createCommitment(t.deps, {
        ...input,
        title: { es: '  PARQUE infantil en la plaza ', en: 'Something else' },
        proposalIds: [],
      }),
    ).toEqual({ ok: false, reason: 'duplicate', id });
    expect(await counts()).toEqual(before);
    // Another process may have a commitment of the same title.
    expect(await createCommitment(t.deps, { ...input, processId: other.id, proposalIds: [] })).toMatchObject({
      ok: true,
    });
  });

  it('makes one commitment when the same request arrives several times at once', async () => {
    const input = { ...base(), title: { es: 'Fuente de agua potable en el parque' } };
    const results = await Promise.all(Array.from({ length: 4 }, () => createCommitment(t.deps, input)));
    const made = results.filter((r) => r.ok);
    expect(made).toHaveLength(1);
    const id = made[0]!.ok ? made[0]!.commitment.id : 0;
    expect(results.filter((r) => !r.ok)).toEqual(Array(3).fill({ ok: false, reason: 'duplicate', id }));
    expect(
      await t.db.commitment.count({
        where: { processId: process.id, title: { path: ['es'], equals: input.title.es } },
      }),
    ).toBe(1);
  });
});
