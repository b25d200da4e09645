import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseParticipant, type ChannelAccountRef } from '../../src/domain/erase-participant.ts';
import { eraseInactiveParticipants } from '../../src/domain/erase-inactive-participants.ts';
import { findInactiveParticipants } from '../../src/domain/find-inactive-participants.ts';
import { recordParticipantActivity } from '../../src/domain/record-participant-activity.ts';
import { warnInactiveParticipants } from '../../src/domain/warn-inactive-participants.ts';
import { createDomainTest, DAY, type DomainTest } from './harness.ts';

// Each test runs in its own far-off year, so the participants of other tests (seen "now") never qualify,
// and those of this test are the only ones old enough.
let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

let year = 2100;
function clock() {
  const start = new Date(Date.UTC(year++, 0, 1));
  return { start, day: (n: number) => new Date(start.getTime() + n * DAY) };
}

async function seen(at: Date) {
  const id: string = randomUUID();
  await t.db.participant.create({
    data: {
      id,
      createdAt: at,
      lastSeenAt: at,
      accounts: { create: { channel: 'telegram', externalId: String(Math.floor(Math.random() * 1e12)) } },
      consents: {
        create: { purpose: 'participation', action: 'given', noticeVersion: 1, channel: 'telegram' },
      },
    },
  });
  return id;
}

function recordingTraces() {
  const forgotten: ChannelAccountRef[] = [];
  return {
    forgotten,
    traces: { forget: async (a: readonly ChannelAccountRef[]) => void forgotten.push(...a) },
  };
}

const ids = (r: { toWarn: string[]; toErase: string[] }, mine: string[]) => ({
  toWarn: r.toWarn.filter((id) => mine.includes(id)),
  toErase: r.toErase.filter((id) => mine.includes(id)),
});

describe('retention of inactive participants', () => {
  it('warns 30 days before 365 days of absence, then erases those who did not come back', async () => {
    const { day } = clock();
    const gone = await seen(day(0));
    const recent = await seen(day(100));
    const mine = [gone, recent];

    expect(ids(await findInactiveParticipants(t.at(day(334))), mine)).toEqual({ toWarn: [], toErase: [] });
    expect(ids(await findInactiveParticipants(t.at(day(335))), mine)).toEqual({
      toWarn: [gone],
      toErase: [],
    });
    const warned = await warnInactiveParticipants(t.at(day(335)));
    expect(warned.warned.filter((id) => mine.includes(id))).toEqual([gone]);
    // Warned once only.
    expect((await warnInactiveParticipants(t.at(day(340)))).warned).not.toContain(gone);

    expect(ids(await findInactiveParticipants(t.at(day(364))), mine)).toEqual({ toWarn: [], toErase: [] });
    const { forgotten, traces } = recordingTraces();
    const erased = await eraseInactiveParticipants(t.at(day(365)), { traces });
    expect(erased).toMatchObject({ erased: 1, kept: 0, tracesLeft: 0 });
    expect(await t.db.participant.findUnique({ where: { id: gone } })).toBeNull();
    expect(forgotten).toHaveLength(1);
    expect(await t.db.participant.findUnique({ where: { id: recent } })).not.toBeNull();
  });

  it('keeps a participant who came back after the warning, and warns them again after a new absence', async () => {
    const { day } = clock();
    const back = await seen(day(0));
    await warnInactiveParticipants(t.at(day(335)));
    expect(await recordParticipantActivity(t.at(day(350)), { participantId: back })).toEqual({
      recorded: true,
    });
    const { traces } = recordingTraces();
    expect(ids(await findInactiveParticipants(t.at(day(400))), [back])).toEqual({ toWarn: [], toErase: [] });
    await eraseInactiveParticipants(t.at(day(400)), { traces });
    expect(await t.db.participant.findUnique({ where: { id: back } })).not.toBeNull();
    expect(ids(await findInactiveParticipants(t.at(day(350 + 335))), [back])).toEqual({
      toWarn: [back],
      toErase: [],
    });
  });

  it('does not erase someone who came back while the sweep was choosing (checked again under the lock)', async () => {
    const { day } = clock();
    const p = await seen(day(0));
    await warnInactiveParticipants(t.at(day(335)));
    // Seen after the warning, without the warning being cleared (as if only lastSeenAt moved on).
    await t.db.participant.update({ where: { id: p }, data: { lastSeenAt: day(360) } });
    const { traces } = recordingTraces();
    expect(ids(await findInactiveParticipants(t.at(day(400))), [p]).toErase).toEqual([]);
    expect(
      await eraseParticipant(t.at(day(400)), {
        participantId: p,
        channel: 'system',
        traces,
        onlyIfInactive: {},
      }),
    ).toEqual({ ok: false, reason: 'still-active' });
  });

  it('gives a late sweep its full warning period: erased 30 days after the warning, not before', async () => {
    const { day } = clock();
    const p = await seen(day(0));
    await warnInactiveParticipants(t.at(day(500)));
    expect(ids(await findInactiveParticipants(t.at(day(529))), [p]).toErase).toEqual([]);
    expect(ids(await findInactiveParticipants(t.at(day(530))), [p]).toErase).toEqual([p]);
  });

  it('tells each warned person in the same transaction: one notice per warning, delivered by a job of ids only', async () => {
    const { day } = clock();
    const withdrawnUpdates = await seen(day(0));
    // Subscribed once, then «baja»: the warning is about their data, not news, so they are told all the same.
    await t.db.consentRecord.createMany({
      data: [
        {
          participantId: withdrawnUpdates,
          purpose: 'updates',
          action: 'given',
          noticeVersion: 1,
          channel: 'telegram',
        },
        {
          participantId: withdrawnUpdates,
          purpose: 'updates',
          action: 'withdrawn',
          noticeVersion: 1,
          channel: 'telegram',
        },
      ],
    });
    // Withdrew participation: asked to receive nothing more; marked warned (and erased in time), not told.
    const withdrawn = await seen(day(0));
    await t.db.consentRecord.create({
      data: {
        participantId: withdrawn,
        purpose: 'participation',
        action: 'withdrawn',
        noticeVersion: 1,
        channel: 'telegram',
      },
    });
    t.notified.length = 0;
    const at = day(336);
    const r = await warnInactiveParticipants(t.at(at));
    expect(r.warned.filter((id) => [withdrawnUpdates, withdrawn].includes(id)).sort()).toEqual(
      [withdrawnUpdates, withdrawn].sort(),
    );
    const notices = await t.db.notice.findMany({
      where: { participantId: { in: [withdrawnUpdates, withdrawn] } },
    });
    expect(notices).toEqual([
      expect.objectContaining({
        participantId: withdrawnUpdates,
        kind: 'retention-warning',
        eventKey: `retention-warning:${at.toISOString()}`,
        channel: 'telegram',
        deliveredAt: null,
        payload: { warnedAt: at.getTime(), eraseAt: day(366).getTime(), days: 365 },
      }),
    ]);
    expect(t.notified).toContainEqual({ kind: 'retention-warning', at: at.getTime() });
    const warnedAt = await t.db.participant.findMany({
      where: { id: { in: [withdrawnUpdates, withdrawn] } },
      select: { retentionWarnedAt: true },
    });
    expect(warnedAt).toEqual([{ retentionWarnedAt: at }, { retentionWarnedAt: at }]);

    // A later sweep records nothing new, and enqueues the undelivered warning's job again (a no-op while kept).
    t.notified.length = 0;
    expect((await warnInactiveParticipants(t.at(day(337)))).warned).not.toContain(withdrawnUpdates);
    expect(await t.db.notice.count({ where: { participantId: withdrawnUpdates } })).toBe(1);
    expect(t.notified).toContainEqual({ kind: 'retention-warning', at: at.getTime() });
  });

  it('marks nobody warned when the notice cannot be recorded (one transaction)', async () => {
    const { day } = clock();
    const p = await seen(day(0));
    const at = day(335);
    // The process dies after the warning's statements, before commit: neither the mark nor the notice stays.
    const failing = {
      ...t.at(at),
      db: new Proxy(t.db, {
        get(target, prop, receiver) {
          if (prop !== '$transaction') return Reflect.get(target, prop, receiver);
          return (fn: (tx: unknown) => Promise<unknown>) =>
            target.$transaction(async (tx) => {
              await fn(tx);
              throw new Error('crash before commit');
            });
        },
      }),
    };
    await expect(warnInactiveParticipants(failing)).rejects.toThrow('crash before commit');
    expect(
      await t.db.participant.findUnique({ where: { id: p }, select: { retentionWarnedAt: true } }),
    ).toEqual({
      retentionWarnedAt: null,
    });
    expect(await t.db.notice.count({ where: { participantId: p } })).toBe(0);
  });

  it('keeps the date a warning announced when the periods are shortened afterwards', async () => {
    const { day } = clock();
    const p = await seen(day(0));
    await warnInactiveParticipants(t.at(day(335)));
    const shorter = { days: 340, warnDays: 5 };
    // Shortened: 340 days of absence and 5 of warning have passed, but the notice said day 365.
    expect(ids(await findInactiveParticipants(t.at(day(345)), shorter), [p]).toErase).toEqual([]);
    expect(ids(await findInactiveParticipants(t.at(day(365)), shorter), [p]).toErase).toEqual([p]);
  });

  it('leaves out of erasure the ids a sweep failed to erase, so the people after them are reached', async () => {
    const { day } = clock();
    const [first, second] = [await seen(day(0)), await seen(day(1))];
    await warnInactiveParticipants(t.at(day(336)));
    const mine = [first, second];
    const due = await findInactiveParticipants(t.at(day(367)));
    expect(ids(due, mine).toErase).toEqual([first, second]);
    const past = await findInactiveParticipants(t.at(day(367)), { skip: [first] });
    expect(ids(past, mine).toErase).toEqual([second]);
  });

  it('takes other periods', async () => {
    const { day } = clock();
    const p = await seen(day(0));
    expect(ids(await findInactiveParticipants(t.at(day(83)), { days: 90, warnDays: 7 }), [p]).toWarn).toEqual(
      [p],
    );
    await warnInactiveParticipants(t.at(day(83)), { days: 90, warnDays: 7 });
    expect(
      ids(await findInactiveParticipants(t.at(day(90)), { days: 90, warnDays: 7 }), [p]).toErase,
    ).toEqual([p]);
  });
});
