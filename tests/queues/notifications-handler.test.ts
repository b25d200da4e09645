import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { handleNotificationJob, type NoticeSender } from '../../src/queues/notifications/handler.ts';
import type { QuietHours } from '../../src/domain/quiet-hours.ts';
import { Chat, consentSteps, script } from '../support/conversation.ts';
import {
  createCase,
  createParticipant,
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let process: ProcessFixture;
let mod: { id: string };
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
  process = await createProcess(db(), { phase: 'proposals' });
  mod = await createStaffMember(db());
});
afterAll(() => plaza?.cleanup());

function recorder() {
  const sent: { noticeId: bigint; externalId: string }[] = [];
  const send: NoticeSender = async (noticeId, externalId) => {
    sent.push({ noticeId, externalId });
    return true;
  };
  return { sent, send };
}

/** Quiet hours around now (an hour each side), in the processes' time zone. */
function quietNow(): QuietHours {
  const [h, m] = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Madrid',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date())
    .split(':')
    .map(Number) as [number, number];
  const now = h * 60 + m;
  return { start: (now + 1440 - 60) % 1440, end: (now + 60) % 1440 };
}

const approve = (caseId: number) =>
  decideModeration(plaza.domain, { caseId, staffMemberId: mod.id, decision: 'approve' });

describe('case-decided notifications', () => {
  it('a web chat author reads the outcome at their next message, once', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const account = await db().channelAccount.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'webchat', externalId: chat.userId } },
    });
    const { caseId } = await createCase(db(), process, {
      authorId: account.participantId,
      title: 'Bancos a la sombra',
    });
    await approve(caseId);
    const telegram = recorder();
    expect(
      await handleNotificationJob(
        { domain: plaza.domain, senders: { telegram: telegram.send } },
        { kind: 'case-decided', caseId },
      ),
    ).toEqual({ delivered: 0, waiting: 1 });
    expect(telegram.sent).toEqual([]);
    await chat.say('hola');
    expect(chat.replies[0]?.text).toBe(
      '✅ Tu propuesta «Bancos a la sombra» ya está publicada. ¡Gracias por participar!',
    );
    await chat.say('hola');
    expect(chat.text()).not.toMatch(/ya está publicada/);
    expect((await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).settledAt).not.toBeNull();
  });

  it('a Telegram author is sent the outcome once, however often the job runs', async () => {
    const author = await createParticipant(db(), 'telegram');
    const { caseId } = await createCase(db(), process, { authorId: author.id });
    await decideModeration(plaza.domain, {
      caseId,
      staffMemberId: mod.id,
      decision: 'reject',
      reason: 'spam',
    });
    const telegram = recorder();
    const deps = { domain: plaza.domain, senders: { telegram: telegram.send } };
    await handleNotificationJob(deps, { kind: 'case-decided', caseId });
    await handleNotificationJob(deps, { kind: 'case-decided', caseId });
    expect(telegram.sent).toEqual([{ noticeId: expect.any(BigInt), externalId: author.externalId }]);
    const notice = await db().notice.findFirstOrThrow({ where: { participantId: author.id } });
    expect(notice).toMatchObject({
      kind: 'moderation-outcome',
      channel: 'telegram',
      deliveredVia: 'telegram',
    });
    expect(JSON.stringify(notice.payload)).toBe(JSON.stringify({ caseId }));
  });

  it('tells nobody who withdrew consent, and prefers web chat when Telegram is unreachable', async () => {
    const gone = await createParticipant(db(), 'telegram');
    await db().consentRecord.create({
      data: {
        participantId: gone.id,
        purpose: 'participation',
        action: 'withdrawn',
        noticeVersion: 1,
        channel: 'telegram',
      },
    });
    const first = await createCase(db(), process, { authorId: gone.id });
    await approve(first.caseId);
    const telegram = recorder();
    await handleNotificationJob(
      { domain: plaza.domain, senders: { telegram: telegram.send } },
      { kind: 'case-decided', caseId: first.caseId },
    );
    expect(telegram.sent).toEqual([]);
    expect(await db().notice.count({ where: { participantId: gone.id } })).toBe(0);

    const both = await createParticipant(db(), 'telegram');
    await db().channelAccount.update({
      where: { channel_externalId: { channel: 'telegram', externalId: both.externalId } },
      data: { unreachableAt: new Date() },
    });
    await db().channelAccount.create({
      data: { participantId: both.id, channel: 'webchat', externalId: `w-${both.id}` },
    });
    const second = await createCase(db(), process, { authorId: both.id });
    await approve(second.caseId);
    await handleNotificationJob(
      { domain: plaza.domain, senders: { telegram: telegram.send } },
      { kind: 'case-decided', caseId: second.caseId },
    );
    expect(telegram.sent).toEqual([]);
    expect(await db().notice.findFirstOrThrow({ where: { participantId: both.id } })).toMatchObject({
      channel: 'webchat',
      deliveredAt: null,
    });
  });

  it('a published comment reaches the proposal’s followers, not its own author', async () => {
    const proposalId = await createProposal(db(), process, { title: 'Fuentes en los parques' });
    const follower = await createParticipant(db(), 'telegram');
    const commenter = await createParticipant(db(), 'telegram');
    await db().proposalFollow.createMany({
      data: [follower, commenter].map((p) => ({ proposalId, participantId: p.id })),
    });
    const comment = await db().comment.create({
      data: {
        proposalId,
        authorId: commenter.id,
        body: 'Y que funcionen también en verano, por favor',
        cases: { create: { processId: process.id, itemKind: 'comment', reason: 'submitted' } },
      },
      include: { cases: true },
    });
    await approve(comment.cases[0]!.id);
    const telegram = recorder();
    await handleNotificationJob(
      { domain: plaza.domain, senders: { telegram: telegram.send } },
      { kind: 'case-decided', caseId: comment.cases[0]!.id },
    );
    expect(telegram.sent.map((s) => s.externalId).sort()).toEqual(
      [commenter.externalId, follower.externalId].sort(),
    );
    const texts = await Promise.all(telegram.sent.map((s) => plaza.engine.render.notice(s.noticeId)));
    expect(texts.map((a) => a?.text).sort()).toEqual([
      '✅ Tu comentario en «Fuentes en los parques» ya está publicado.',
      '💬 Nuevo comentario en «Fuentes en los parques»: «Y que funcionen también en verano, por favor»',
    ]);
  });

  it('edits the room’s card only once it was announced, and settles only after the edit', async () => {
    const { caseId } = await createCase(db(), process);
    await approve(caseId);
    const updated: number[] = [];
    const room = { update: async (id: number) => void updated.push(id) };
    await handleNotificationJob(
      { domain: plaza.domain, room, senders: {} },
      { kind: 'case-decided', caseId },
    );
    expect(updated).toEqual([]);

    const announced = await createCase(db(), process);
    await db().moderationCase.update({ where: { id: announced.caseId }, data: { announcedAt: new Date() } });
    await approve(announced.caseId);
    const failing = { update: async () => Promise.reject(new Error('card not sent yet')) };
    await expect(
      handleNotificationJob(
        { domain: plaza.domain, room: failing, senders: {} },
        { kind: 'case-decided', caseId: announced.caseId },
      ),
    ).rejects.toThrow(/card not sent yet/);
    expect(
      (await db().moderationCase.findUniqueOrThrow({ where: { id: announced.caseId } })).settledAt,
    ).toBeNull();
    await handleNotificationJob(
      { domain: plaza.domain, room, senders: {} },
      { kind: 'case-decided', caseId: announced.caseId },
    );
    expect(updated).toEqual([announced.caseId]);
    expect(
      (await db().moderationCase.findUniqueOrThrow({ where: { id: announced.caseId } })).settledAt,
    ).not.toBeNull();
  });

  it('in quiet hours a card edit that must wait does not hold the notices back: the job comes back in a minute', async () => {
    const author = await createParticipant(db(), 'telegram');
    const { caseId } = await createCase(db(), process, { authorId: author.id });
    await db().moderationCase.update({ where: { id: caseId }, data: { announcedAt: new Date() } });
    await approve(caseId);
    const telegram = recorder();
    const failing = { update: async () => Promise.reject(new Error('card not sent yet')) };
    const before = Date.now();
    const night = await handleNotificationJob(
      { domain: plaza.domain, room: failing, senders: { telegram: telegram.send }, quietHours: quietNow() },
      { kind: 'case-decided', caseId },
    );
    // Deferred, not failed (a failure would use up the job's tries and lose the morning's push).
    expect(night).toMatchObject({ delivered: 0, waiting: 1, deferUntil: expect.any(Date) });
    expect(night.deferUntil!.getTime()).toBeGreaterThan(before);
    expect(night.deferUntil!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(telegram.sent).toEqual([]);
    expect((await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).settledAt).toBeNull();
    // Morning: the notice is pushed, the card edited, the case settled.
    const updated: number[] = [];
    const room = { update: async (id: number) => void updated.push(id) };
    await handleNotificationJob(
      { domain: plaza.domain, room, senders: { telegram: telegram.send } },
      { kind: 'case-decided', caseId },
    );
    expect(telegram.sent).toEqual([{ noticeId: expect.any(BigInt), externalId: author.externalId }]);
    expect(updated).toEqual([caseId]);
    expect((await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).settledAt).not.toBeNull();
  });

  it('a comment published at once (post-moderation) reaches the followers too', async () => {
    const post = await createProcess(db(), { phase: 'proposals' });
    await db().process.update({ where: { id: post.id }, data: { moderationMode: 'post' } });
    const proposalId = await createProposal(db(), post, { title: 'Más sombra' });
    const follower = await createParticipant(db(), 'telegram');
    await db().proposalFollow.create({ data: { proposalId, participantId: follower.id } });
    const comment = await db().comment.create({
      data: { proposalId, body: 'Árboles en la plaza mayor', status: 'published', publishedAt: new Date() },
    });
    const telegram = recorder();
    const deps = { domain: plaza.domain, senders: { telegram: telegram.send } };
    await handleNotificationJob(deps, { kind: 'comment-published', commentId: comment.id });
    await handleNotificationJob(deps, { kind: 'comment-published', commentId: comment.id });
    expect(telegram.sent.map((s) => s.externalId)).toEqual([follower.externalId]);
  });
});
