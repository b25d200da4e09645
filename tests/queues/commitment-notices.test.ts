// Commitments close the loop too: when staff make a commitment about selected proposals, or move its status
// or progress, the authors, supporters and followers of those proposals hear about it — once per change
// (even when linked to two of its proposals), in their language, never those who said «baja»; in quiet
// hours nothing is pushed until they end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitment } from '../../src/domain/create-commitment.ts';
import { parseQuietHours } from '../../src/domain/quiet-hours.ts';
import { updateCommitment } from '../../src/domain/update-commitment.ts';
import { handleNotificationJob, type NoticeSender } from '../../src/queues/notifications/handler.ts';
import type { NotificationJob } from '../../src/queues/notifications/job.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  createStaffMember,
  type ProcessFixture,
} from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
let process: ProcessFixture;
let staff: { id: string };
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
  process = await createProcess(db(), { phase: 'results' });
  staff = await createStaffMember(db(), { role: 'staff' });
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

/** The `commitment-changed` job a use case enqueued (the real queue of this Plaza). */
async function lastJob(commitmentId: number): Promise<NotificationJob> {
  const jobs = await plaza.queues.notifications.getJobs(['waiting', 'delayed', 'completed', 'active']);
  const mine = jobs
    .map((j) => j.data)
    .filter((d) => d.kind === 'commitment-changed' && d.commitmentId === commitmentId)
    .sort((a, b) =>
      a.kind === 'commitment-changed' && b.kind === 'commitment-changed' ? a.updateId - b.updateId : 0,
    );
  const job = mine.at(-1);
  if (!job) throw new Error('no commitment-changed job');
  return job;
}

describe('commitment notices', () => {
  it('tells authors, supporters and followers once per change, in their language; not those who said baja', async () => {
    const author = await createParticipant(db(), 'telegram');
    const supporter = await createParticipant(db(), 'telegram');
    const follower = await createParticipant(db(), 'telegram');
    const gone = await createParticipant(db(), 'telegram');
    const stranger = await createParticipant(db(), 'telegram');
    await db().participant.update({ where: { id: follower.id }, data: { locale: 'en' } });
    await db().consentRecord.create({
      data: {
        participantId: gone.id,
        purpose: 'updates',
        action: 'withdrawn',
        noticeVersion: 1,
        channel: 'telegram',
      },
    });
    const bus = await createProposal(db(), process, {
      authorId: author.id,
      status: 'selected',
      title: 'Bus al hospital',
    });
    const night = await createProposal(db(), process, { status: 'selected', title: 'Bus nocturno' });
    // The supporter backs both linked proposals: still one notice per change.
    await db().support.createMany({
      data: [
        { proposalId: bus, participantId: supporter.id },
        { proposalId: night, participantId: supporter.id },
        { proposalId: bus, participantId: gone.id },
      ],
    });
    await db().proposalFollow.create({ data: { proposalId: night, participantId: follower.id } });
    await createProposal(db(), process, { authorId: stranger.id, status: 'selected' });

    const made = await createCommitment(plaza.domain, {
      staffMemberId: staff.id,
      processId: process.id,
      title: { es: 'Línea 7 al hospital', en: 'Line 7 to the hospital' },
      department: 'Movilidad',
      dueDate: '2027-06-30',
      proposalIds: [bus, night],
    });
    if (!made.ok) throw new Error(made.reason);
    const telegram = recorder();
    const deps = { domain: plaza.domain, senders: { telegram: telegram.send } };
    const created = await lastJob(made.commitment.id);
    await handleNotificationJob(deps, created);
    await handleNotificationJob(deps, created);
    expect(telegram.sent.map((s) => s.externalId).sort()).toEqual(
      [author.externalId, supporter.externalId, follower.externalId].sort(),
    );
    const text = async (i: number) => (await plaza.engine.render.notice(telegram.sent[i]!.noticeId))?.text;
    const byPerson = new Map(
      await Promise.all(telegram.sent.map(async (s, i) => [s.externalId, await text(i)] as const)),
    );
    expect(byPerson.get(author.externalId)).toBe(
      '🏗 Nuevo compromiso sobre tu propuesta «Bus al hospital»: «Línea 7 al hospital» (Movilidad).\n' +
        'Estado: previsto · 0 %\nFecha prevista: 30 de junio de 2027',
    );
    expect(byPerson.get(supporter.externalId)).toMatch(
      /^🏗 Nuevo compromiso sobre la propuesta «Bus al hospital», que apoyas o sigues/,
    );
    expect(byPerson.get(follower.externalId)).toBe(
      '🏗 New commitment about the proposal "Bus nocturno", which you support or follow: "Line 7 to the hospital" (Movilidad).\n' +
        'Status: planned · 0%\nDue: 30 June 2027',
    );

    // A progress change: told again, once, with the note.
    const moved = await updateCommitment(plaza.domain, {
      staffMemberId: staff.id,
      commitmentId: made.commitment.id,
      progress: 60,
      note: 'Paradas instaladas',
    });
    if (!moved.ok) throw new Error(moved.reason);
    const changed = await lastJob(made.commitment.id);
    expect(changed).not.toEqual(created);
    const again = recorder();
    await handleNotificationJob({ domain: plaza.domain, senders: { telegram: again.send } }, changed);
    await handleNotificationJob({ domain: plaza.domain, senders: { telegram: again.send } }, changed);
    expect(again.sent).toHaveLength(3);
    const authorNotice = again.sent.find((s) => s.externalId === author.externalId)!;
    expect((await plaza.engine.render.notice(authorNotice.noticeId))?.text).toBe(
      '🏗 Novedades del compromiso «Línea 7 al hospital» sobre tu propuesta «Bus al hospital».\n' +
        'Estado: en marcha · 60 %\nFecha prevista: 30 de junio de 2027\nNovedad: Paradas instaladas',
    );
    expect(
      await db().notice.count({
        where: { kind: 'commitment-changed', participantId: { in: [gone.id, stranger.id] } },
      }),
    ).toBe(0);
  });

  it('holds pushed notices during quiet hours and delivers them when the job runs again', async () => {
    const author = await createParticipant(db(), 'telegram');
    const proposalId = await createProposal(db(), process, { authorId: author.id, status: 'selected' });
    const made = await createCommitment(plaza.domain, {
      staffMemberId: staff.id,
      processId: process.id,
      title: { es: 'Algo' },
      department: 'Obras',
      proposalIds: [proposalId],
    });
    if (!made.ok) throw new Error(made.reason);
    const job = await lastJob(made.commitment.id);
    const telegram = recorder();
    const night = await handleNotificationJob(
      {
        domain: plaza.domain,
        senders: { telegram: telegram.send },
        quietHours: parseQuietHours('00:00-23:59')!,
      },
      job,
    );
    expect(night.deferUntil).toBeInstanceOf(Date);
    expect(telegram.sent).toEqual([]);
    expect(
      await handleNotificationJob({ domain: plaza.domain, senders: { telegram: telegram.send } }, job),
    ).toEqual({
      delivered: 1,
      waiting: 0,
    });
    expect(telegram.sent.map((s) => s.externalId)).toEqual([author.externalId]);
  });
});
