// Post-moderation as its authors live it: a proposal or comment is public from the start, so taking it down
// is "taken down", never "not published"; reports that hide it while its first review is still open send it
// back to the moderators as a reported case (a card of its own), and keeping it then tells its author it is
// visible again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { reportContent } from '../../src/domain/report-content.ts';
import { handleNotificationJob } from '../../src/queues/notifications/handler.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let post: ProcessFixture;
let pre: ProcessFixture;
let mod: { id: string };
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
  post = await createProcess(db(), { phase: 'proposals' });
  await db().process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
  pre = await createProcess(db(), { phase: 'proposals' });
  mod = await createStaffMember(db());
});
afterAll(() => plaza?.cleanup());

/** A proposal as submit-proposal leaves it: in a post process, public at once (publishedAt set). */
async function proposalCase(process: ProcessFixture, authorId: string | undefined, title: string) {
  const published = process === post;
  const c = await createCase(db(), process, { authorId, title, status: published ? 'published' : 'pending' });
  if (published)
    await db().proposal.update({ where: { id: c.proposalId }, data: { publishedAt: new Date() } });
  return c;
}

/** The author's notice of a case, as delivered (engine render), after its `case-decided` job. */
async function noticeOf(caseId: number, authorId: string): Promise<string | undefined> {
  await handleNotificationJob({ domain: plaza.domain, senders: {} }, { kind: 'case-decided', caseId });
  const notice = await db().notice.findFirst({
    where: { participantId: authorId, eventKey: `case:${caseId}` },
  });
  if (!notice) return undefined;
  return (await plaza.engine.render.notice(notice.id))?.text;
}

describe('post-moderation: taking down what was public', () => {
  it('a public proposal taken down is told "taken down", a pre-moderated one "not published"', async () => {
    const author = await createParticipant(db());
    const taken = await proposalCase(post, author.id, 'Ya pública');
    expect(
      await decideModeration(plaza.domain, {
        caseId: taken.caseId,
        staffMemberId: mod.id,
        decision: 'reject',
        reason: 'spam',
      }),
    ).toMatchObject({ ok: true });
    expect(await noticeOf(taken.caseId, author.id)).toBe(
      '✖ Tu propuesta «Ya pública» se ha retirado. Motivo: Publicidad o spam',
    );

    const never = await proposalCase(pre, author.id, 'Nunca pública');
    await decideModeration(plaza.domain, {
      caseId: never.caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'spam',
    });
    expect(await noticeOf(never.caseId, author.id)).toBe(
      '✖ Tu propuesta «Nunca pública» no se ha publicado. Motivo: Publicidad o spam',
    );
  });

  it('a public comment taken down is told "taken down"', async () => {
    const author = await createParticipant(db());
    const { proposalId } = await proposalCase(post, undefined, 'Con comentarios');
    const comment = await db().comment.create({
      data: {
        proposalId,
        authorId: author.id,
        body: 'Un comentario que ya se veía',
        status: 'published',
        publishedAt: new Date(),
        cases: { create: { processId: post.id, itemKind: 'comment', reason: 'submitted' } },
      },
      include: { cases: true },
    });
    const caseId = comment.cases[0]!.id;
    await decideModeration(plaza.domain, {
      caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'spam',
    });
    expect(await noticeOf(caseId, author.id)).toBe(
      '✖ Tu comentario en «Con comentarios» se ha retirado. Motivo: Publicidad o spam',
    );
  });
});

describe('post-moderation: reports while the first review is open', () => {
  it('hiding it sends it back as a reported case; keeping it tells the author it is visible again', async () => {
    const author = await createParticipant(db());
    const { caseId: submitted, proposalId } = await proposalCase(post, author.id, 'Pública y denunciada');
    await db().moderationCase.update({ where: { id: submitted }, data: { announcedAt: new Date() } });
    for (let i = 0; i < 3; i++) {
      const someone = await createParticipant(db());
      expect(
        await reportContent(plaza.domain, {
          participantId: someone.id,
          item: { kind: 'proposal', id: proposalId },
          reason: 'insults',
        }),
      ).toMatchObject({ ok: true });
    }
    const cases = await db().moderationCase.findMany({ where: { proposalId }, orderBy: { id: 'asc' } });
    expect(cases).toMatchObject([
      { id: submitted, reason: 'submitted', decision: null, decidedAt: expect.any(Date) },
      { reason: 'reported', decidedAt: null },
    ]);
    const reported = cases[1]!.id;
    // The first review's card is stale: a press on it decides nothing.
    expect(
      await decideModeration(plaza.domain, { caseId: submitted, staffMemberId: mod.id, decision: 'approve' }),
    ).toMatchObject({ ok: false, reason: 'already-decided' });
    expect((await db().proposal.findUniqueOrThrow({ where: { id: proposalId } })).status).toBe('hidden');
    // «Mantener» on the reported case's card.
    expect(
      await decideModeration(plaza.domain, { caseId: reported, staffMemberId: mod.id, decision: 'approve' }),
    ).toMatchObject({ ok: true, status: 'published' });
    expect(await noticeOf(reported, author.id)).toBe(
      '✅ Tu propuesta «Pública y denunciada» vuelve a estar visible tras la revisión.',
    );
  });

  it('a first review kept after reports hid the item (an older open case) tells its author too', async () => {
    const author = await createParticipant(db());
    const { caseId, proposalId } = await proposalCase(post, author.id, 'Oculta con caso antiguo');
    // As reports left it before a reported case superseded the first review.
    await db().proposal.update({
      where: { id: proposalId },
      data: { status: 'hidden', hiddenFrom: 'published' },
    });
    expect(
      await decideModeration(plaza.domain, { caseId, staffMemberId: mod.id, decision: 'approve' }),
    ).toMatchObject({ ok: true, status: 'published' });
    expect(await noticeOf(caseId, author.id)).toBe(
      '✅ Tu propuesta «Oculta con caso antiguo» vuelve a estar visible tras la revisión.',
    );
    // Kept without ever being hidden: nothing changed for the public, nobody is bothered.
    const quiet = await proposalCase(post, author.id, 'Nunca oculta');
    await decideModeration(plaza.domain, {
      caseId: quiet.caseId,
      staffMemberId: mod.id,
      decision: 'approve',
    });
    expect(await noticeOf(quiet.caseId, author.id)).toBeUndefined();
  });
});
