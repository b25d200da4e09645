import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { updateCommitment } from '../../src/domain/update-commitment.ts';
import {
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';
import { holdTransaction, untilWaitingForALock } from './held-transaction.ts';

let t: DomainTest;
let process: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'results' });
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

let made = 0;
async function commitment(proposalIds: number[] = []) {
  const r = await createCommitment(t.deps, {
    staffMemberId: staff.id,
    processId: process.id,
    // Each its own title: a repeated one is refused as a duplicate.
    title: { es: `Bancos a la sombra ${++made}` },
    department: 'Parques',
    dueDate: '2027-09-01',
    proposalIds,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.commitment;
}

const history = (commitmentId: number) =>
  t.db.commitmentUpdate.findMany({ where: { commitmentId }, orderBy: { id: 'asc' } });

describe('updateCommitment', () => {
  it('keeps every change as a dated update, audited with what it was before; tells people of progress', async () => {
    const proposalId = await createProposal(t.db, process, { status: 'selected' });
    const c = await commitment([proposalId]);
    const at = new Date('2027-04-02T08:30:00Z');
    const r = await updateCommitment(t.at(at), {
      staffMemberId: staff.id,
      commitmentId: c.id,
      progress: 40,
      note: 'Obras adjudicadas',
      evidence: 'https://example.org/contrato',
      sourceIp: '198.51.100.7',
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.commitment).toMatchObject({
      status: 'in_progress',
      progress: 40,
      evidence: 'https://example.org/contrato',
      latestUpdate: { at, status: 'in_progress', progress: 40, note: 'Obras adjudicadas' },
    });
    expect((await history(c.id)).map((u) => [u.status, u.progress, u.note])).toEqual([
      ['planned', 0, null],
      ['in_progress', 40, 'Obras adjudicadas'],
    ]);
    expect(
      await t.db.auditLog.findFirst({ where: { action: 'commitment.update', targetId: String(c.id) } }),
    ).toMatchObject({
      actor: `staff:${staff.id}`,
      sourceIp: '198.51.100.7',
      before: { status: 'planned', progress: 0, evidence: null },
      after: { status: 'in_progress', progress: 40, note: 'Obras adjudicadas' },
    });
    expect(t.notified).toContainEqual({
      kind: 'commitment-changed',
      commitmentId: c.id,
      updateId: r.commitment.latestUpdate!.id,
    });
  });

  it('progress 100 makes it done; leaving done needs a progress; contradictions are refused', async () => {
    const c = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    expect(await updateCommitment(t.deps, { ...input, progress: 100 })).toMatchObject({
      ok: true,
      commitment: { status: 'done', progress: 100 },
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'in_progress' })).toEqual({
      ok: false,
      reason: 'status-progress-mismatch',
    });
    expect(await updateCommitment(t.deps, { ...input, progress: 80 })).toMatchObject({
      ok: true,
      commitment: { status: 'in_progress', progress: 80 },
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'done', progress: 90 })).toEqual({
      ok: false,
      reason: 'status-progress-mismatch',
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'done' })).toMatchObject({
      ok: true,
      commitment: { status: 'done', progress: 100 },
    });
    expect(await updateCommitment(t.deps, { ...input, status: 'cancelled', progress: 80 })).toMatchObject({
      ok: true,
      commitment: { status: 'cancelled', progress: 80 },
    });
  });

  it('refuses a change that changes nothing; a note alone is news', async () => {
    const c = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    expect(
      await updateCommitment(t.deps, {
        ...input,
        status: 'planned',
        progress: 0,
        dueDate: '2027-09-01',
        department: ' Parques ',
        title: { es: c.title.es },
      }),
    ).toEqual({ ok: false, reason: 'nothing-to-change' });
    expect(await updateCommitment(t.deps, { ...input, note: '   ' })).toEqual({
      ok: false,
      reason: 'nothing-to-change',
    });
    const before = t.notified.length;
    const r = await updateCommitment(t.deps, { ...input, note: 'Reunión con el vecindario el martes' });
    expect(r).toMatchObject({
      ok: true,
      commitment: { status: 'planned', latestUpdate: { note: /Reunión/ } },
    });
    // Only status and progress changes are announced.
    expect(t.notified.length).toBe(before);
    expect(await history(c.id)).toHaveLength(2);
  });

  it('changes due date, department, texts; clears the due date and description with null', async () => {
    const c = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    const r = await updateCommitment(t.deps, {
      ...input,
      dueDate: '2028-01-15',
      department: 'Medio Ambiente',
      title: { es: 'Bancos y árboles', en: 'Benches and trees' },
      description: { es: 'Veinte bancos.' },
    });
    expect(r).toMatchObject({
      ok: true,
      commitment: {
        dueDate: '2028-01-15',
        department: 'Medio Ambiente',
        title: { es: 'Bancos y árboles', en: 'Benches and trees' },
        description: { es: 'Veinte bancos.' },
      },
    });
    expect(await updateCommitment(t.deps, { ...input, dueDate: null, description: null })).toMatchObject({
      ok: true,
      commitment: { dueDate: null, description: null },
    });
  });

  it('links and unlinks proposals; a new link must be a selected proposal of its process', async () => {
    const a = await createProposal(t.db, process, { status: 'selected' });
    const b = await createProposal(t.db, process, { status: 'selected' });
    const published = await createProposal(t.db, process);
    const c = await commitment([a]);
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    expect(await updateCommitment(t.deps, { ...input, proposalIds: [a, published] })).toEqual({
      ok: false,
      reason: 'proposals-not-selected',
      proposalIds: [published],
    });
    expect(await updateCommitment(t.deps, { ...input, proposalIds: [b] })).toMatchObject({
      ok: true,
      commitment: { proposalIds: [b] },
    });
    expect(await updateCommitment(t.deps, { ...input, proposalIds: [b] })).toEqual({
      ok: false,
      reason: 'nothing-to-change',
    });
  });

  it('refuses moderators, unknown commitments and bad fields', async () => {
    const c = await commitment();
    const moderator = await createStaffMember(t.db, { role: 'moderator' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: moderator.id, commitmentId: c.id, progress: 5 }),
    ).toEqual({ ok: false, reason: 'not-allowed' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: 999999999, progress: 5 }),
    ).toEqual({ ok: false, reason: 'not-found' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: c.id, progress: -1 }),
    ).toEqual({ ok: false, reason: 'invalid', field: 'progress' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: c.id, dueDate: '2027-13-01' }),
    ).toEqual({ ok: false, reason: 'invalid', field: 'dueDate' });
    expect(
      await updateCommitment(t.deps, { staffMemberId: staff.id, commitmentId: c.id, department: '' }),
    ).toEqual({ ok: false, reason: 'invalid', field: 'department' });
  });

  it('merges title and description per language (RFC 7386): one not named is kept, null removes it', async () => {
    const c = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: c.id };
    const es = c.title.es;
    // English alone: the Spanish title stays.
    expect(await updateCommitment(t.deps, { ...input, title: { en: 'Shaded benches' } })).toMatchObject({
      ok: true,
      commitment: { title: { es, en: 'Shaded benches' } },
    });
    // Spanish alone: the English title stays.
    const renamed = await updateCommitment(t.deps, { ...input, title: { es: `${es} y fuentes` } });
    expect(renamed).toMatchObject({
      ok: true,
      commitment: { title: { es: `${es} y fuentes`, en: 'Shaded benches' } },
    });
    expect(
      await t.db.auditLog.findFirst({
        where: { action: 'commitment.update', targetId: String(c.id) },
        orderBy: { id: 'desc' },
      }),
    ).toMatchObject({
      before: { title: { es, en: 'Shaded benches' } },
      after: { title: { es: `${es} y fuentes`, en: 'Shaded benches' } },
    });
    const removed = await updateCommitment(t.deps, { ...input, title: { en: null } });
    expect(removed.ok && removed.commitment.title).toEqual({ es: `${es} y fuentes` });
    // A description made from nothing needs its Spanish; then English merges into it.
    expect(await updateCommitment(t.deps, { ...input, description: { en: 'Twenty benches.' } })).toEqual({
      ok: false,
      reason: 'invalid',
      field: 'description.es',
    });
    expect(
      await updateCommitment(t.deps, { ...input, description: { es: ' Veinte bancos. ' } }),
    ).toMatchObject({
      ok: true,
      commitment: { description: { es: 'Veinte bancos.' } },
    });
    expect(
      await updateCommitment(t.deps, { ...input, description: { en: 'Twenty benches.' } }),
    ).toMatchObject({
      ok: true,
      commitment: { description: { es: 'Veinte bancos.', en: 'Twenty benches.' } },
    });
    // Spanish cannot be removed, nor left empty; nothing is written then.
    const updates = (await history(c.id)).length;
    for (const [change, field] of [
      [{ title: { es: null } }, 'title.es'],
      [{ title: { es: '   ', en: 'Benches' } }, 'title.es'],
      [{ description: { es: null } }, 'description.es'],
      [{ title: { en: 'x'.repeat(201) } }, 'title.en'],
    ] as const)
      expect(await updateCommitment(t.deps, { ...input, ...change }), field).toEqual({
        ok: false,
        reason: 'invalid',
        field,
      });
    expect(await history(c.id)).toHaveLength(updates);
    // An empty patch, or one giving what is stored, changes nothing.
    expect(
      await updateCommitment(t.deps, { ...input, title: {}, description: { en: 'Twenty benches.' } }),
    ).toEqual({
      ok: false,
      reason: 'nothing-to-change',
    });
  });

  it('refuses renaming it to the title of another commitment of the process, naming it; its own title may stay', async () => {
    const a = await commitment();
    const b = await commitment();
    const input = { staffMemberId: staff.id, commitmentId: b.id };
    const updates = (await history(b.id)).length;
    for (const es of [a.title.es, `  ${a.title.es.toUpperCase()} `])
      expect(await updateCommitment(t.deps, { ...input, title: { es } }), es).toEqual({
        ok: false,
        reason: 'duplicate',
        id: a.id,
      });
    // Refused whatever else the change carries: nothing is written.
    expect(await updateCommitment(t.deps, { ...input, title: { es: a.title.es }, progress: 30 })).toEqual({
      ok: false,
      reason: 'duplicate',
      id: a.id,
    });
    expect(await history(b.id)).toHaveLength(updates);
    expect((await t.db.commitment.findUniqueOrThrow({ where: { id: b.id } })).title).toEqual(b.title);
    // Its own title, in another case or with English added, is no duplicate.
    expect(
      await updateCommitment(t.deps, { ...input, title: { es: b.title.es.toUpperCase(), en: 'Benches' } }),
    ).toMatchObject({ ok: true, commitment: { title: { es: b.title.es.toUpperCase(), en: 'Benches' } } });
    expect(await updateCommitment(t.deps, { ...input, title: { en: 'Shaded benches' } })).toMatchObject({
      ok: true,
    });
    // Another process's commitment of that title does not count.
    const elsewhere = await createProcess(t.db, { phase: 'results' });
    const there = await createCommitment(t.deps, {
      staffMemberId: staff.id,
      processId: elsewhere.id,
      title: { es: 'Huertos urbanos' },
      department: 'Parques',
    });
    if (!there.ok) throw new Error(there.reason);
    expect(await updateCommitment(t.deps, { ...input, title: { es: 'Huertos urbanos' } })).toMatchObject({
      ok: true,
    });
  });

  it('a renaming waits for a creation of the process under way, and then refuses its title', async () => {
    const c = await commitment();
    const title = 'Aparcabicis junto al mercado';
    let createdId = 0;
    // A creation as create-commitment makes it, held open with the lock it takes on the process.
    const held = await holdTransaction(t.db, async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Process" WHERE id = ${process.id} FOR NO KEY UPDATE`;
      createdId = (
        await tx.commitment.create({
          data: { processId: process.id, title: { es: title }, department: 'Movilidad' },
          select: { id: true },
        })
      ).id;
    });
    const renaming = updateCommitment(t.deps, {
      staffMemberId: staff.id,
      commitmentId: c.id,
      title: { es: title },
    });
    await untilWaitingForALock(t.db);
    await held.commit();
    expect(await renaming).toEqual({ ok: false, reason: 'duplicate', id: createdId });
    expect((await t.db.commitment.findUniqueOrThrow({ where: { id: c.id } })).title).toEqual(c.title);
  });
});
