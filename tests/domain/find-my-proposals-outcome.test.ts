import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from '../../src/domain/answer-proposal.ts';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { findMyProposalsOutcome } from '../../src/domain/find-my-proposals-outcome.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let staff: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db, { phase: 'results', title: 'Barrio verde' });
  staff = await createStaffMember(t.db, { role: 'staff' });
});
afterAll(() => t?.cleanup());

describe('findMyProposalsOutcome', () => {
  it("gives the participant's own proposals, newest first, with status, answer and commitments", async () => {
    const me = await createParticipant(t.db);
    const someoneElse = await createParticipant(t.db);
    const pending = await createProposal(t.db, process, {
      authorId: me.id,
      title: 'Pendiente',
      status: 'pending',
    });
    const chosen = await createProposal(t.db, process, { authorId: me.id, title: 'Elegida' });
    await createProposal(t.db, process, { authorId: someoneElse.id, title: 'Ajena' });
    const answered = await answerProposal(t.deps, {
      staffMemberId: staff.id,
      proposalId: chosen,
      status: 'selected',
      answer: 'Se hará en 2027.',
    });
    expect(answered.ok).toBe(true);
    const c = await createCommitment(t.deps, {
      staffMemberId: staff.id,
      processId: process.id,
      title: { es: 'Huerto urbano', en: 'Community garden' },
      department: 'Medio Ambiente',
      dueDate: '2027-05-31',
      progress: 20,
      proposalIds: [chosen],
    });
    if (!c.ok) throw new Error(c.reason);

    const mine = await findMyProposalsOutcome(t.deps, { participantId: me.id, locale: 'en' });
    expect(mine.map((p) => p.id)).toEqual([chosen, pending]);
    expect(mine[0]).toMatchObject({
      title: 'Elegida',
      processTitle: `Process ${process.slug}`,
      status: 'selected',
      answer: 'Se hará en 2027.',
      commitments: [
        {
          id: c.commitment.id,
          title: 'Community garden',
          department: 'Medio Ambiente',
          status: 'in_progress',
          progress: 20,
          dueDate: '2027-05-31',
        },
      ],
    });
    expect(mine[1]).toMatchObject({ title: 'Pendiente', status: 'pending', answer: null, commitments: [] });
    expect(
      await findMyProposalsOutcome(t.deps, { participantId: someoneElse.id, locale: 'es' }),
    ).toHaveLength(1);
  });

  it('is empty for someone who proposed nothing', async () => {
    const nobody = await createParticipant(t.db);
    expect(await findMyProposalsOutcome(t.deps, { participantId: nobody.id, locale: 'es' })).toEqual([]);
  });
});
