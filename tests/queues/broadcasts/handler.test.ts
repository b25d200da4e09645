// The broadcasts handler and quiet hours: a phase announcement due at night is not started — the job ends
// `held` until they end in its process's time zone — then reaches everyone once; one that was sending when
// they began hands nothing more over until morning; a run repeated at night or a cancellation meanwhile
// loses nobody and reaches nobody twice. An announcement due in the afternoon goes at once, and staff's
// broadcasts are never held. The worker started by `startWorker` delays held jobs with the configured
// QUIET_HOURS (no worker slot held overnight).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBroadcast } from '../../../src/domain/cancel-broadcast.ts';
import { createBroadcast } from '../../../src/domain/create-broadcast.ts';
import type { DomainDeps } from '../../../src/domain/deps.ts';
import { parseQuietHours } from '../../../src/domain/quiet-hours.ts';
import type { PhaseInput } from '../../../src/domain/process-rules.ts';
import { startWorker } from '../../../src/main.ts';
import {
  handleBroadcastJob,
  type BroadcastHandlerDeps,
  type BroadcastSender,
} from '../../../src/queues/broadcasts/handler.ts';
import { createStaffMember } from '../../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../../support/plaza.ts';
import { createSubscriber } from '../../support/subscribers.ts';
import { DAY, HOUR, newProcess } from '../../domain/process-support.ts';

let plaza: TestPlaza;
let admin: { id: string };
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
  admin = await createStaffMember(db(), { role: 'admin' });
});
afterAll(() => plaza?.cleanup());

const QUIET = parseQuietHours('22:00-09:00')!;
// Madrid is UTC+1 in early March 2030 (summer time starts on the 31st).
const madrid = (day: number, hh: number, mm = 0) => new Date(Date.UTC(2030, 2, day, hh - 1, mm));
const CREATED = madrid(4, 11);

let clock = CREATED;
const domain = (): DomainDeps => ({ ...plaza.domain, now: () => clock });

/** A process whose second phase starts at `startsAt` (its announcement is due then), with subscribers. */
async function announcedAt(startsAt: Date, people = { telegram: 2, webchat: 1 }) {
  clock = CREATED;
  const phases: PhaseInput[] = [
    { kind: 'information', startsAt: new Date(CREATED.getTime() - DAY), endsAt: startsAt },
    { kind: 'proposals', startsAt, endsAt: new Date(startsAt.getTime() + 10 * DAY) },
  ];
  const processId = await newProcess(domain(), admin.id, phases, { timeZone: 'Europe/Madrid' });
  const phase = await db().phase.findFirstOrThrow({ where: { processId, position: 2 } });
  for (let i = 0; i < people.telegram; i++) await createSubscriber(db(), processId, { channel: 'telegram' });
  for (let i = 0; i < people.webchat; i++) await createSubscriber(db(), processId, { channel: 'webchat' });
  return { processId, broadcastId: phase.announcementId! };
}

/** Senders that record who was reached, and the handler's deps around them. */
function sending(opts: { stopping?: () => boolean; onSend?: () => void; perSecond?: number } = {}) {
  const reached: string[] = [];
  const send: BroadcastSender = async (d) => {
    opts.onSend?.();
    reached.push(d.participantId);
    return d.channel === 'webchat' ? 'waiting' : 'sent';
  };
  const deps: BroadcastHandlerDeps = {
    domain: domain(),
    senders: { telegram: send, webchat: send },
    perSecond: opts.perSecond ?? 30,
    pollMs: 5,
    quietHours: QUIET,
    stopping: opts.stopping,
  };
  return { reached, deps };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statusOf = async (id: number) =>
  (await db().broadcast.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
const ledger = async (broadcastId: number) =>
  Object.fromEntries(
    (await db().broadcastDelivery.groupBy({ by: ['status'], where: { broadcastId }, _count: true })).map(
      (r) => [r.status, r._count],
    ),
  );
const once = (reached: string[]) => new Set(reached).size === reached.length;

describe('phase announcements and quiet hours', () => {
  it('one due at midnight is held until 09:00 in the process’s time zone, then reaches everyone once', async () => {
    const { broadcastId } = await announcedAt(madrid(6, 0));
    clock = madrid(6, 0);
    const { reached, deps } = sending();
    expect(await handleBroadcastJob(deps, { broadcastId })).toEqual({ held: madrid(6, 9) });
    // Nobody pinged at night, nothing started: its audience is frozen when it goes.
    expect(reached).toEqual([]);
    expect(await statusOf(broadcastId)).toBe('scheduled');
    expect(await db().broadcastDelivery.count({ where: { broadcastId } })).toBe(0);
    // Run again at night (a repeated job): held again, nobody reached.
    clock = madrid(6, 3);
    expect(await handleBroadcastJob(deps, { broadcastId })).toEqual({ held: madrid(6, 9) });
    expect(reached).toEqual([]);
    clock = madrid(6, 9);
    expect(await handleBroadcastJob(deps, { broadcastId })).toBe('done');
    expect(reached).toHaveLength(3);
    expect(once(reached)).toBe(true);
    expect(await ledger(broadcastId)).toEqual({ sent: 2, waiting: 1 });
    // Run again (a repeated job): nobody twice.
    expect(await handleBroadcastJob(deps, { broadcastId })).toBe('done');
    expect(reached).toHaveLength(3);
  });

  it('one cancelled while held ends at its next run, at night too', async () => {
    const { broadcastId } = await announcedAt(madrid(5, 23));
    clock = madrid(5, 23, 30);
    const { reached, deps } = sending();
    expect(await handleBroadcastJob(deps, { broadcastId })).toEqual({ held: madrid(6, 9) });
    expect(await cancelBroadcast(domain(), { broadcastId, staffMemberId: admin.id })).toMatchObject({
      ok: true,
    });
    expect(await handleBroadcastJob(deps, { broadcastId })).toBe('cancelled');
    expect(reached).toEqual([]);
  });

  it('quiet hours beginning while it is sending: the rest waits for the morning, nobody twice', async () => {
    const { broadcastId } = await announcedAt(madrid(5, 21), { telegram: 15, webchat: 0 });
    clock = madrid(5, 21, 59);
    // At 1 message a second, 10 are handed over at a time; the clock strikes 22:00 during the first 10.
    const { reached, deps } = sending({ perSecond: 1, onSend: () => void (clock = madrid(5, 22)) });
    expect(await handleBroadcastJob(deps, { broadcastId })).toEqual({ held: madrid(6, 9) });
    expect(reached).toHaveLength(10);
    expect(await ledger(broadcastId)).toEqual({ sent: 10, pending: 5 });
    expect(await statusOf(broadcastId)).toBe('sending');
    clock = madrid(6, 9);
    expect(await handleBroadcastJob(deps, { broadcastId })).toBe('done');
    expect(reached).toHaveLength(15);
    expect(once(reached)).toBe(true);
    expect(await ledger(broadcastId)).toEqual({ sent: 15 });
  });

  it('one whose phase ended while it was held is cancelled, not sent; the next phase’s goes', async () => {
    // A night-only phase: 23:00 to 08:00. Its announcement is held until 09:00, when it is over.
    clock = CREATED;
    const processId = await newProcess(
      domain(),
      admin.id,
      [
        { kind: 'information', startsAt: new Date(CREATED.getTime() - DAY), endsAt: madrid(5, 23) },
        { kind: 'proposals', startsAt: madrid(5, 23), endsAt: madrid(6, 8) },
        { kind: 'debate', startsAt: madrid(6, 8), endsAt: madrid(16, 0) },
      ],
      { timeZone: 'Europe/Madrid' },
    );
    await createSubscriber(db(), processId, { channel: 'webchat' });
    const [, night, morning] = await db().phase.findMany({
      where: { processId },
      orderBy: { position: 'asc' },
    });
    const { reached, deps } = sending();
    clock = madrid(5, 23);
    expect(await handleBroadcastJob(deps, { broadcastId: night!.announcementId! })).toEqual({
      held: madrid(6, 9),
    });
    clock = madrid(6, 9);
    expect(await handleBroadcastJob(deps, { broadcastId: night!.announcementId! })).toBe('cancelled');
    expect(reached).toEqual([]);
    expect(await statusOf(night!.announcementId!)).toBe('cancelled');
    expect(
      await db().auditLog.findFirst({
        where: { action: 'broadcast.cancel', targetId: String(night!.announcementId) },
        select: { actor: true, reason: true },
      }),
    ).toEqual({ actor: 'system', reason: 'phase-ended' });
    expect(await handleBroadcastJob(deps, { broadcastId: morning!.announcementId! })).toBe('done');
    expect(reached).toHaveLength(1);
  });

  it('one due at 14:00 goes at 14:00', async () => {
    const { broadcastId } = await announcedAt(madrid(5, 14));
    clock = madrid(5, 14);
    const { reached, deps } = sending();
    expect(await handleBroadcastJob(deps, { broadcastId })).toBe('done');
    expect(reached).toHaveLength(3);
  });

  it('staff’s own broadcasts go when staff said, even at night', async () => {
    const { processId } = await announcedAt(madrid(6, 0));
    clock = madrid(5, 23, 30);
    const r = await createBroadcast(domain(), {
      staffMemberId: admin.id,
      processId,
      texts: { es: 'Mañana se corta la calle' },
    });
    if (!r.ok) throw new Error(r.reason);
    const { reached, deps } = sending();
    expect(await handleBroadcastJob(deps, { broadcastId: r.broadcast.id })).toBe('done');
    expect(reached).toHaveLength(3);
  });
});

describe('the broadcasts worker', () => {
  it('holds phase announcements through the configured QUIET_HOURS, not staff’s broadcasts', async () => {
    // Quiet hours around this very moment in Madrid, whatever the time the test runs.
    const hhmm = (at: number) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Madrid',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(at);
    const quiet = `${hhmm(Date.now() - HOUR)}-${hhmm(Date.now() + HOUR)}`;
    const night = await createTestPlaza({ QUIET_HOURS: quiet });
    const workers = await startWorker(night);
    try {
      const ndb = night.database.prisma;
      const staff = await createStaffMember(ndb, { role: 'admin' });
      const startsAt = new Date(Date.now() + 500);
      const processId = await newProcess(night.domain, staff.id, [
        { kind: 'information', startsAt: new Date(Date.now() - DAY), endsAt: startsAt },
        { kind: 'proposals', startsAt, endsAt: new Date(startsAt.getTime() + 10 * DAY) },
      ]);
      const reader = await createSubscriber(ndb, processId, { channel: 'webchat' });
      const announcement = (await ndb.phase.findFirstOrThrow({ where: { processId, position: 2 } }))
        .announcementId!;
      const r = await createBroadcast(night.domain, {
        staffMemberId: staff.id,
        processId,
        texts: { es: 'Hoy' },
      });
      if (!r.ok) throw new Error(r.reason);
      const kept = (id: number) =>
        ndb.notice.count({ where: { participantId: reader.id, eventKey: `broadcast:${id}` } });
      for (let i = 0; i < 200 && (await kept(r.broadcast.id)) === 0; i++) await sleep(50);
      expect(await kept(r.broadcast.id)).toBe(1);
      // Its time came well before: still held.
      await sleep(Math.max(0, startsAt.getTime() + 1500 - Date.now()));
      expect(await kept(announcement)).toBe(0);
      expect(
        (await ndb.broadcast.findUniqueOrThrow({ where: { id: announcement }, select: { status: true } }))
          .status,
      ).toBe('scheduled');
      // Put back in the queue until quiet hours end: no worker slot is held meanwhile.
      const delayed = await night.queues.broadcasts.getJobs(['delayed']);
      expect(delayed.map((j) => (j.data as { broadcastId: number }).broadcastId)).toContain(announcement);
    } finally {
      await workers.close();
      await night.cleanup();
    }
  }, 30_000);
});
