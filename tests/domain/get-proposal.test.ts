import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProposal } from '../../src/domain/get-proposal.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
let process: ProcessFixture;
let author: { id: string };
let reader: { id: string };
beforeAll(async () => {
  t = await createDomainTest();
  process = await createProcess(t.db);
  [author, reader] = await Promise.all([createParticipant(t.db), createParticipant(t.db)]);
});
afterAll(() => t?.cleanup());

describe('getProposal', () => {
  it('shows a published proposal to anyone, with its supports and whether the reader supports it', async () => {
    const id = await createProposal(t.db, process, {
      authorId: author.id,
      title: 'Ventanilla abierta por la tarde',
      categoryId: process.categories[1]!.id,
    });
    await t.db.support.create({ data: { proposalId: id, participantId: reader.id } });
    expect(await getProposal(t.deps, { proposalId: id, participantId: reader.id, locale: 'en' })).toEqual({
      id,
      processId: process.id,
      title: 'Ventanilla abierta por la tarde',
      body: 'Texto de la propuesta de prueba, con detalle suficiente.',
      category: 'Service',
      status: 'published',
      supports: 1,
      supportedByMe: true,
      mine: false,
      comments: 0,
      followedByMe: false,
      canFollow: true,
      takenDown: false,
    });
    expect(
      await getProposal(t.deps, { proposalId: id, participantId: author.id, locale: 'es' }),
    ).toMatchObject({
      category: 'Atención',
      supportedByMe: false,
      mine: true,
    });
    expect(await getProposal(t.deps, { proposalId: id, locale: 'es' })).toMatchObject({
      supports: 1,
      supportedByMe: false,
      mine: false,
    });
  });

  it('counts the comments anyone can read, and says whether the reader follows it or may', async () => {
    const id = await createProposal(t.db, process, { authorId: author.id });
    const comment = (status: 'pending' | 'published' | 'rejected' | 'hidden', parentId?: number) =>
      t.db.comment.create({ data: { proposalId: id, parentId, body: 'Un comentario', status } });
    const thread = await comment('published');
    await comment('published', thread.id);
    await comment('pending', thread.id);
    await comment('pending');
    await comment('rejected');
    const hidden = await comment('hidden');
    await comment('published', hidden.id);
    await t.db.proposalFollow.create({ data: { proposalId: id, participantId: author.id } });
    expect(
      await getProposal(t.deps, { proposalId: id, participantId: author.id, locale: 'es' }),
    ).toMatchObject({
      comments: 2,
      mine: true,
      followedByMe: true,
      canFollow: true,
    });
    expect(
      await getProposal(t.deps, { proposalId: id, participantId: reader.id, locale: 'es' }),
    ).toMatchObject({
      comments: 2,
      mine: false,
      followedByMe: false,
      canFollow: false,
    });
    expect(await getProposal(t.deps, { proposalId: id, locale: 'es' })).toMatchObject({
      followedByMe: false,
      canFollow: false,
    });
  });

  it.each(['pending', 'rejected', 'withdrawn'] as const)(
    'shows a %s proposal to its author only',
    async (status) => {
      const id = await createProposal(t.db, process, { authorId: author.id, status });
      expect(
        await getProposal(t.deps, { proposalId: id, participantId: author.id, locale: 'es' }),
      ).toMatchObject({
        id,
        status,
        mine: true,
      });
      expect(
        await getProposal(t.deps, { proposalId: id, participantId: reader.id, locale: 'es' }),
      ).toBeUndefined();
      expect(await getProposal(t.deps, { proposalId: id, locale: 'es' })).toBeUndefined();
    },
  );

  it('hides a pending proposal whose author was erased', async () => {
    const id = await createProposal(t.db, process, { status: 'pending' });
    expect(
      await getProposal(t.deps, { proposalId: id, participantId: reader.id, locale: 'es' }),
    ).toBeUndefined();
  });

  it.each([0, -1, NaN, 1.5, 2_000_000_000])('finds nothing for id %s', async (proposalId) => {
    expect(await getProposal(t.deps, { proposalId, participantId: reader.id, locale: 'es' })).toBeUndefined();
  });

  it('finds nothing for id 2 ** 31 (beyond int4)', async () => {
    expect(await getProposal(t.deps, { proposalId: 2 ** 31, locale: 'es' })).toBeUndefined();
  });
});
