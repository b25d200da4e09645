import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markNoticeDelivered } from '../../src/domain/mark-notice-delivered.ts';
import { returnPendingNotices } from '../../src/domain/return-pending-notices.ts';
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
      eventKey: `case:return-${++key}`,
      payload: { caseId: key },
    },
  });
  return n.id;
}

const deliveredAt = async (id: bigint) =>
  (await t.db.notice.findUniqueOrThrow({ where: { id } })).deliveredAt;

describe('returnPendingNotices', () => {
  it('puts back the notices a failed turn took, to be taken by the next one', async () => {
    const p = await createParticipant(t.db, 'webchat');
    const ids = [await notice(p.id, 'webchat'), await notice(p.id, 'webchat')];
    const takenAt = new Date('2031-03-04T10:00:00.123Z');
    expect(await takePendingNotices(t.at(takenAt), { participantId: p.id, channel: 'webchat' })).toEqual(ids);
    expect(
      await returnPendingNotices(t.deps, {
        participantId: p.id,
        channel: 'webchat',
        noticeIds: ids,
        takenAt,
      }),
    ).toEqual({ ok: true, returned: 2 });
    for (const id of ids) expect(await deliveredAt(id)).toBeNull();
    expect(await takePendingNotices(t.deps, { participantId: p.id, channel: 'webchat' })).toEqual(ids);
    expect(await takePendingNotices(t.deps, { participantId: p.id, channel: 'webchat' })).toEqual([]);
  });

  it('leaves alone what that taking did not deliver: shown by another turn, pushed, or another person’s', async () => {
    const p = await createParticipant(t.db, 'webchat');
    const other = await createParticipant(t.db, 'webchat');
    const earlier = await notice(p.id, 'webchat');
    await takePendingNotices(t.at(new Date('2031-03-04T09:00:00.000Z')), {
      participantId: p.id,
      channel: 'webchat',
    });
    const taken = await notice(p.id, 'webchat');
    const takenAt = new Date('2031-03-04T10:00:00.000Z');
    expect(await takePendingNotices(t.at(takenAt), { participantId: p.id, channel: 'webchat' })).toEqual([
      taken,
    ]);
    const pushed = await notice(p.id, 'telegram');
    await markNoticeDelivered(t.at(takenAt), { noticeId: pushed, via: 'telegram' });
    const theirs = await notice(other.id, 'webchat');
    await takePendingNotices(t.at(takenAt), { participantId: other.id, channel: 'webchat' });
    const stillWaiting = await notice(p.id, 'webchat');

    const noticeIds = [earlier, taken, pushed, theirs, stillWaiting];
    expect(
      await returnPendingNotices(t.deps, { participantId: p.id, channel: 'webchat', noticeIds, takenAt }),
    ).toEqual({ ok: true, returned: 1 });
    expect(await deliveredAt(taken)).toBeNull();
    for (const id of [earlier, pushed, theirs]) expect(await deliveredAt(id)).not.toBeNull();
    expect(await deliveredAt(stillWaiting)).toBeNull();
    // Twice changes nothing more; nothing to put back is no statement at all.
    expect(
      await returnPendingNotices(t.deps, { participantId: p.id, channel: 'webchat', noticeIds, takenAt }),
    ).toEqual({ ok: true, returned: 0 });
    expect(
      await returnPendingNotices(t.deps, { participantId: p.id, channel: 'webchat', noticeIds: [], takenAt }),
    ).toEqual({ ok: true, returned: 0 });
  });
});
