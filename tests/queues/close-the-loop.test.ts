// Closing the loop: when staff answer a proposal (selected, not selected, an official answer), its author,
// supporters and followers hear about it — once per change, in their language, never those who said «baja»;
// in quiet hours nothing is pushed until they end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from '../../src/domain/answer-proposal.ts';
import { parseQuietHours } from '../../src/domain/quiet-hours.ts';
import { handleNotificationJob, type NoticeSender } from '../../src/queues/notifications/handler.ts';
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

describe('answering a proposal', () => {
  it('tells the author, supporters and followers, once per change; not those who said baja', async () => {
    const author = await createParticipant(db(), 'telegram');
    const supporter = await createParticipant(db(), 'telegram');
    const follower = await createParticipant(db(), 'telegram');
    const gone = await createParticipant(db(), 'telegram');
    await db().consentRecord.create({
      data: {
        participantId: gone.id,
        purpose: 'updates',
        action: 'withdrawn',
        noticeVersion: 1,
        channel: 'telegram',
      },
    });
    const proposalId = await createProposal(db(), process, { authorId: author.id, title: 'Bus al hospital' });
    await db().support.createMany({
      data: [supporter, gone].map((p) => ({ proposalId, participantId: p.id })),
    });
    await db().proposalFollow.create({ data: { proposalId, participantId: follower.id } });

    const r = await answerProposal(plaza.domain, {
      staffMemberId: staff.id,
      proposalId,
      status: 'selected',
      answer: 'Se pondrá en marcha en 2027.',
    });
    expect(r).toMatchObject({ ok: true, proposal: { status: 'selected' } });
    const job = {
      kind: 'proposal-outcome' as const,
      proposalId,
      at: r.ok ? r.proposal.answeredAt.getTime() : 0,
    };
    const telegram = recorder();
    const deps = { domain: plaza.domain, senders: { telegram: telegram.send } };
    await handleNotificationJob(deps, job);
    await handleNotificationJob(deps, job);
    expect(telegram.sent.map((s) => s.externalId).sort()).toEqual(
      [author.externalId, supporter.externalId, follower.externalId].sort(),
    );
    const texts = await Promise.all(telegram.sent.map((s) => plaza.engine.render.notice(s.noticeId)));
    const byPerson = new Map(telegram.sent.map((s, i) => [s.externalId, texts[i]?.text]));
    expect(byPerson.get(author.externalId)).toBe(
      '🏅 ¡Tu propuesta «Bus al hospital» ha sido seleccionada!\n\nRespuesta: Se pondrá en marcha en 2027.',
    );
    expect(byPerson.get(supporter.externalId)).toMatch(
      /^🏅 La propuesta «Bus al hospital», que apoyas o sigues/,
    );
    expect(
      await db().auditLog.findFirst({ where: { targetId: String(proposalId), action: 'proposal.answer' } }),
    ).toMatchObject({ before: { status: 'published', answer: null }, after: { status: 'selected' } });
  });

  it('refuses moderators, non-public proposals and empty changes', async () => {
    const mod = await createStaffMember(db(), { role: 'moderator' });
    const proposalId = await createProposal(db(), process);
    const pending = await createProposal(db(), process, { status: 'pending' });
    expect(
      await answerProposal(plaza.domain, { staffMemberId: mod.id, proposalId, status: 'selected' }),
    ).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    expect(
      await answerProposal(plaza.domain, {
        staffMemberId: staff.id,
        proposalId: pending,
        status: 'selected',
      }),
    ).toEqual({ ok: false, reason: 'not-found' });
    expect(await answerProposal(plaza.domain, { staffMemberId: staff.id, proposalId, answer: '  ' })).toEqual(
      {
        ok: false,
        reason: 'nothing-to-change',
      },
    );
  });

  it('holds pushed notices during quiet hours and delivers them when the job runs again', async () => {
    const author = await createParticipant(db(), 'telegram');
    const proposalId = await createProposal(db(), process, { authorId: author.id });
    const r = await answerProposal(plaza.domain, {
      staffMemberId: staff.id,
      proposalId,
      status: 'not_selected',
    });
    if (!r.ok) throw new Error(r.reason);
    const job = { kind: 'proposal-outcome' as const, proposalId, at: r.proposal.answeredAt.getTime() };
    const telegram = recorder();
    const always = parseQuietHours('00:00-23:59')!;
    const night = await handleNotificationJob(
      { domain: plaza.domain, senders: { telegram: telegram.send }, quietHours: always },
      job,
    );
    expect(night.deferUntil).toBeInstanceOf(Date);
    expect(telegram.sent).toEqual([]);
    const morning = await handleNotificationJob(
      { domain: plaza.domain, senders: { telegram: telegram.send } },
      job,
    );
    expect(morning).toEqual({ delivered: 1, waiting: 0 });
    expect(telegram.sent.map((s) => s.externalId)).toEqual([author.externalId]);
  });
});
