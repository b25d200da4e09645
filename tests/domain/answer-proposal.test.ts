// answerProposal's timing and its commitments: a status (selected, not selected) only once the process is
// done with its proposals — its voting over, or, without voting, its proposals phase — while an answer text
// alone may come at any time; and a proposal with commitments linked to it is not turned `not_selected`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from '../../src/domain/answer-proposal.ts';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import type { PhaseKind } from '../../src/generated/prisma/enums.ts';
import {
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

let t: DomainTest;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

/** A process with these phases, one after the other from yesterday, each `days` long. */
async function processWith(
  phases: { kind: PhaseKind; days: number; acceptsProposals?: boolean }[],
): Promise<ProcessFixture & { ends: Date[] }> {
  const process = await createProcess(t.db);
  await t.db.phase.deleteMany({ where: { processId: process.id } });
  const ends: Date[] = [];
  let start = Date.now() - DAY;
  for (const [i, phase] of phases.entries()) {
    const end = start + phase.days * DAY;
    await t.db.phase.create({
      data: {
        processId: process.id,
        kind: phase.kind,
        position: i + 1,
        startsAt: new Date(start),
        endsAt: new Date(end),
        acceptsProposals: phase.acceptsProposals ?? false,
      },
    });
    ends.push(new Date(end));
    start = end;
  }
  return { ...process, ends };
}

const answer = (
  now: Date,
  proposalId: number,
  input: { status?: 'selected' | 'not_selected'; answer?: string },
) => answerProposal(t.at(now), { staffMemberId: staff.id, proposalId, ...input });

const later = (d: Date, ms = 1) => new Date(d.getTime() + ms);

describe('answerProposal: when a status may be given', () => {
  it('refuses a status during the proposals phase and during voting; gives it once voting has ended', async () => {
    const process = await processWith([
      { kind: 'proposals', days: 10 },
      { kind: 'voting', days: 10 },
      { kind: 'results', days: 30 },
    ]);
    const [proposalsEnd, votingEnd] = process.ends as [Date, Date];
    const id = await createProposal(t.db, process);
    t.notified.length = 0;
    for (const now of [new Date(), later(proposalsEnd), later(votingEnd, -1)])
      for (const status of ['selected', 'not_selected'] as const)
        expect(await answer(now, id, { status, answer: 'Adelante.' })).toEqual({
          ok: false,
          reason: 'too-early',
        });
    // Nothing was written, nobody was told.
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'published',
      answer: null,
      answeredAt: null,
    });
    expect(await t.db.auditLog.count({ where: { targetId: String(id), action: 'proposal.answer' } })).toBe(0);
    expect(t.notified).toEqual([]);

    expect(await answer(votingEnd, id, { status: 'selected' })).toMatchObject({
      ok: true,
      proposal: { id, status: 'selected' },
    });
  });

  it('lets an answer text alone through at any time, and a status then waits for the voting', async () => {
    const process = await processWith([
      { kind: 'proposals', days: 10 },
      { kind: 'voting', days: 10 },
    ]);
    const id = await createProposal(t.db, process);
    expect(await answer(new Date(), id, { answer: 'Lo estudiaremos.' })).toMatchObject({
      ok: true,
      proposal: { status: 'published', answer: 'Lo estudiaremos.' },
    });
    expect(await answer(new Date(), id, { status: 'not_selected' })).toEqual({
      ok: false,
      reason: 'too-early',
    });
    expect(await answer(later(process.ends[1]!), id, { status: 'not_selected' })).toMatchObject({
      ok: true,
      proposal: { status: 'not_selected', answer: 'Lo estudiaremos.' },
    });
  });

  it('waits for the last voting phase when there are several', async () => {
    const process = await processWith([
      { kind: 'voting', days: 5 },
      { kind: 'debate', days: 5 },
      { kind: 'voting', days: 5 },
    ]);
    const id = await createProposal(t.db, process);
    expect(await answer(later(process.ends[0]!), id, { status: 'selected' })).toEqual({
      ok: false,
      reason: 'too-early',
    });
    expect(await answer(later(process.ends[2]!), id, { status: 'selected' })).toMatchObject({ ok: true });
  });

  it('without a voting phase, waits for the end of the phases that accept proposals', async () => {
    const proposalsOnly = await processWith([
      { kind: 'proposals', days: 10 },
      { kind: 'results', days: 30 },
    ]);
    const a = await createProposal(t.db, proposalsOnly);
    expect(await answer(new Date(), a, { status: 'selected' })).toEqual({ ok: false, reason: 'too-early' });
    expect(await answer(proposalsOnly.ends[0]!, a, { status: 'selected' })).toMatchObject({ ok: true });

    const debating = await processWith([
      { kind: 'information', days: 5 },
      { kind: 'debate', days: 10, acceptsProposals: true },
      { kind: 'follow_up', days: 30 },
    ]);
    const b = await createProposal(t.db, debating);
    expect(await answer(later(debating.ends[0]!), b, { status: 'not_selected' })).toEqual({
      ok: false,
      reason: 'too-early',
    });
    expect(await answer(debating.ends[1]!, b, { status: 'not_selected' })).toMatchObject({ ok: true });
  });

  it('a process with neither voting nor a phase for proposals has nothing to wait for', async () => {
    const process = await createProcess(t.db, { phase: 'results' });
    const id = await createProposal(t.db, process);
    expect(await answer(new Date(), id, { status: 'selected' })).toMatchObject({ ok: true });
  });
});

describe('answerProposal: commitments', () => {
  it('refuses to turn a proposal with commitments not selected; an answer text still goes through', async () => {
    const process = await createProcess(t.db, { phase: 'results' });
    const linked = await createProposal(t.db, process, { status: 'selected' });
    const free = await createProposal(t.db, process, { status: 'selected' });
    const c = await createCommitment(t.deps, {
      staffMemberId: staff.id,
      processId: process.id,
      title: { es: 'Huerto urbano' },
      department: 'Medio Ambiente',
      proposalIds: [linked],
    });
    if (!c.ok) throw new Error(c.reason);
    t.notified.length = 0;
    expect(await answer(new Date(), linked, { status: 'not_selected', answer: 'Al final no.' })).toEqual({
      ok: false,
      reason: 'has-commitments',
    });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: linked } })).toMatchObject({
      status: 'selected',
      answer: null,
    });
    expect(t.notified).toEqual([]);
    expect(
      await answer(new Date(), linked, { status: 'selected', answer: 'Se hará en 2027.' }),
    ).toMatchObject({ ok: true, proposal: { status: 'selected', answer: 'Se hará en 2027.' } });
    expect(await answer(new Date(), free, { status: 'not_selected' })).toMatchObject({
      ok: true,
      proposal: { status: 'not_selected' },
    });
  });
});
