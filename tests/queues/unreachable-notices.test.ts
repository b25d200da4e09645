// Notices and people who blocked the bot (notifications handler): a notice is recorded even when no channel can
// reach its person, is never pushed to an account marked unreachable — however late the push comes — and is
// pushed once per notice. A notice whose push failed and waits again (mark-notice-undelivered) is pushed
// anew only once the person is reachable again. (End to end through Telegram: blocked-notices.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideModeration } from '../../src/domain/decide-moderation.ts';
import { markAccountReachable } from '../../src/domain/mark-account-reachable.ts';
import { markAccountUnreachable } from '../../src/domain/mark-account-unreachable.ts';
import { markNoticeUndelivered } from '../../src/domain/mark-notice-undelivered.ts';
import { handleNotificationJob, type NoticeSender } from '../../src/queues/notifications/handler.ts';
import {
  createCase,
  createParticipant,
  createProcess,
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

/** A case of a proposal by `authorId`, rejected: its author must hear of it. */
async function rejectedCase(authorId: string): Promise<number> {
  const { caseId } = await createCase(db(), process, { authorId });
  await decideModeration(plaza.domain, { caseId, staffMemberId: mod.id, decision: 'reject', reason: 'spam' });
  return caseId;
}

const telegramOf = (p: { externalId: string }) => ({ channel: 'telegram', externalId: p.externalId });

/** Quiet hours around the present minute in the process's time zone (Europe/Madrid). */
function quietNow() {
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

describe('notices for people the bot cannot reach', () => {
  it('a Telegram-only author who blocked the bot: the notice is recorded on Telegram, not pushed, waiting', async () => {
    const author = await createParticipant(db(), 'telegram');
    await markAccountUnreachable(plaza.domain, telegramOf(author));
    const caseId = await rejectedCase(author.id);
    const telegram = recorder();
    const deps = { domain: plaza.domain, senders: { telegram: telegram.send } };
    expect(await handleNotificationJob(deps, { kind: 'case-decided', caseId })).toEqual({
      delivered: 0,
      waiting: 1,
    });
    expect(await handleNotificationJob(deps, { kind: 'case-decided', caseId })).toEqual({
      delivered: 0,
      waiting: 1,
    });
    expect(telegram.sent).toEqual([]);
    expect(await db().notice.findMany({ where: { participantId: author.id } })).toEqual([
      expect.objectContaining({ channel: 'telegram', eventKey: `case:${caseId}`, deliveredAt: null }),
    ]);
    expect((await db().moderationCase.findUniqueOrThrow({ where: { id: caseId } })).settledAt).not.toBeNull();
  });

  it('a block reported during quiet hours is honoured when they end: nothing pushed', async () => {
    const author = await createParticipant(db(), 'telegram');
    await db().channelAccount.create({
      data: { participantId: author.id, channel: 'webchat', externalId: `w-${author.id}` },
    });
    const caseId = await rejectedCase(author.id);
    const telegram = recorder();
    const night = await handleNotificationJob(
      { domain: plaza.domain, senders: { telegram: telegram.send }, quietHours: quietNow() },
      { kind: 'case-decided', caseId },
    );
    expect(night).toMatchObject({ delivered: 0, waiting: 1, deferUntil: expect.any(Date) });
    // Recorded on their Telegram account, reachable then; they block the bot before morning.
    await markAccountUnreachable(plaza.domain, telegramOf(author));
    expect(
      await handleNotificationJob(
        { domain: plaza.domain, senders: { telegram: telegram.send } },
        { kind: 'case-decided', caseId },
      ),
    ).toEqual({ delivered: 0, waiting: 1 });
    expect(telegram.sent).toEqual([]);
    expect(await db().notice.findFirstOrThrow({ where: { participantId: author.id } })).toMatchObject({
      channel: 'telegram',
      deliveredAt: null,
    });
  });

  it('pushes a notice once, even to a person with two Telegram accounts (merged)', async () => {
    const author = await createParticipant(db(), 'telegram');
    await db().channelAccount.create({
      data: { participantId: author.id, channel: 'telegram', externalId: `second-${author.externalId}` },
    });
    const caseId = await rejectedCase(author.id);
    const telegram = recorder();
    expect(
      await handleNotificationJob(
        { domain: plaza.domain, senders: { telegram: telegram.send } },
        { kind: 'case-decided', caseId },
      ),
    ).toEqual({ delivered: 1, waiting: 0 });
    expect(telegram.sent).toEqual([{ noticeId: expect.any(BigInt), externalId: author.externalId }]);
  });

  it('a notice whose push failed waits again: not pushed while they are unreachable, pushed once they are back', async () => {
    const author = await createParticipant(db(), 'telegram');
    const caseId = await rejectedCase(author.id);
    const telegram = recorder();
    const deps = { domain: plaza.domain, senders: { telegram: telegram.send } };
    await handleNotificationJob(deps, { kind: 'case-decided', caseId });
    expect(telegram.sent).toHaveLength(1);
    const noticeId = telegram.sent[0]!.noticeId;
    // Telegram refused it (403): the account is marked unreachable, the notice waits again.
    await markAccountUnreachable(plaza.domain, telegramOf(author));
    expect(await markNoticeUndelivered(plaza.domain, { noticeId, via: 'telegram' })).toEqual({
      ok: true,
      reopened: true,
    });
    expect(await handleNotificationJob(deps, { kind: 'case-decided', caseId })).toEqual({
      delivered: 0,
      waiting: 1,
    });
    expect(telegram.sent).toHaveLength(1);
    // They unblocked the bot (my_chat_member) and the job runs again before they write: pushed now, once.
    await markAccountReachable(plaza.domain, telegramOf(author));
    await handleNotificationJob(deps, { kind: 'case-decided', caseId });
    await handleNotificationJob(deps, { kind: 'case-decided', caseId });
    expect(telegram.sent).toEqual([
      { noticeId, externalId: author.externalId },
      { noticeId, externalId: author.externalId },
    ]);
    expect(await db().notice.findUniqueOrThrow({ where: { id: noticeId } })).toMatchObject({
      deliveredVia: 'telegram',
      deliveredAt: expect.any(Date),
    });
  });
});
