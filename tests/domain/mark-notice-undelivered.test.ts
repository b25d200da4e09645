import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPushableNotices } from '../../src/domain/find-pushable-notices.ts';
import { markAccountUnreachable } from '../../src/domain/mark-account-unreachable.ts';
import { markNoticeDelivered } from '../../src/domain/mark-notice-delivered.ts';
import { markNoticeUndelivered } from '../../src/domain/mark-notice-undelivered.ts';
import { takePendingNotices } from '../../src/domain/take-pending-notices.ts';
import { createParticipant } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

let key = 0;
async function notice(participantId: string, channel: string): Promise<bigint> {
  const n = await t.db.notice.create({
    data: {
      participantId,
      channel,
      kind: 'moderation-outcome',
      eventKey: `case:test-${++key}`,
      payload: { caseId: key },
    },
  });
  return n.id;
}

describe('markNoticeUndelivered', () => {
  it('a notice Telegram took back waits again, once, and is then taken at the next turn', async () => {
    const p = await createParticipant(t.db, 'telegram');
    const id = await notice(p.id, 'telegram');
    await markNoticeDelivered(t.deps, { noticeId: id, via: 'telegram' });
    expect(await markNoticeUndelivered(t.deps, { noticeId: id, via: 'telegram' })).toEqual({
      ok: true,
      reopened: true,
    });
    expect(await markNoticeUndelivered(t.deps, { noticeId: id, via: 'telegram' })).toEqual({
      ok: true,
      reopened: false,
    });
    expect(await takePendingNotices(t.deps, { participantId: p.id, channel: 'telegram' })).toEqual([id]);
    expect(await takePendingNotices(t.deps, { participantId: p.id, channel: 'telegram' })).toEqual([]);
  });

  it('with a web chat account too, it waits there once their Telegram is unreachable (as when recorded)', async () => {
    const p = await createParticipant(t.db, 'telegram');
    await t.db.channelAccount.create({
      data: { participantId: p.id, channel: 'webchat', externalId: `w-${p.id}` },
    });
    const id = await notice(p.id, 'telegram');
    await markNoticeDelivered(t.deps, { noticeId: id, via: 'telegram' });
    await markAccountUnreachable(t.deps, { channel: 'telegram', externalId: p.externalId });
    expect(await markNoticeUndelivered(t.deps, { noticeId: id, via: 'telegram' })).toMatchObject({
      reopened: true,
    });
    expect(await t.db.notice.findUniqueOrThrow({ where: { id } })).toMatchObject({
      channel: 'webchat',
      deliveredAt: null,
    });
    expect(await takePendingNotices(t.deps, { participantId: p.id, channel: 'telegram' })).toEqual([]);
    expect(await takePendingNotices(t.deps, { participantId: p.id, channel: 'webchat' })).toEqual([id]);
  });

  it('leaves alone a notice shown elsewhere, one with nothing to say, and one never delivered', async () => {
    const p = await createParticipant(t.db, 'webchat');
    const shown = await notice(p.id, 'webchat');
    expect(await takePendingNotices(t.deps, { participantId: p.id, channel: 'webchat' })).toEqual([shown]);
    const nothing = await notice(p.id, 'telegram');
    await markNoticeDelivered(t.deps, { noticeId: nothing, via: 'nothing' });
    const waiting = await notice(p.id, 'telegram');
    for (const noticeId of [shown, nothing, waiting])
      expect(await markNoticeUndelivered(t.deps, { noticeId, via: 'telegram' })).toEqual({
        ok: true,
        reopened: false,
      });
    expect(await t.db.notice.findUniqueOrThrow({ where: { id: shown } })).toMatchObject({
      deliveredVia: 'webchat',
      deliveredAt: expect.any(Date),
    });
    expect(await t.db.notice.findUniqueOrThrow({ where: { id: nothing } })).toMatchObject({
      deliveredVia: 'nothing',
    });
  });
});

describe('findPushableNotices', () => {
  it('gives the undelivered notices whose account is reachable, with that account', async () => {
    const reachable = await createParticipant(t.db, 'telegram');
    const blocked = await createParticipant(t.db, 'telegram');
    await markAccountUnreachable(t.deps, { channel: 'telegram', externalId: blocked.externalId });
    const toReachable = await notice(reachable.id, 'telegram');
    const delivered = await notice(reachable.id, 'telegram');
    await markNoticeDelivered(t.deps, { noticeId: delivered, via: 'telegram' });
    const toBlocked = await notice(blocked.id, 'telegram');
    expect(await findPushableNotices(t.deps, { noticeIds: [toReachable, delivered, toBlocked] })).toEqual([
      {
        id: toReachable,
        participantId: reachable.id,
        channel: 'telegram',
        externalId: reachable.externalId,
      },
    ]);
    expect(await findPushableNotices(t.deps, { noticeIds: [] })).toEqual([]);
  });
});
