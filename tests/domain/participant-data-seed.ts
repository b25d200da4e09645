// A participant with a row in every table that links to Participant (one seeder per table, keyed by the
// table's name: the export and erasure tests compare these names with the foreign keys the database has,
// so a table added later without a seeder here, and without export and erasure support, fails them).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import { createLinkCode } from '../../src/domain/create-link-code.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { hashVerificationCode } from '../../src/domain/verification-codes.ts';
import {
  createParticipant,
  createProcess,
  createProposal,
  type ProcessFixture,
} from '../support/fixtures.ts';

const DAY = 24 * 3600 * 1000;

export interface SeededPerson {
  id: string;
  telegramId: string;
  webchatId: string;
  process: ProcessFixture;
  /** Texts only this person and the moderators ever saw. */
  privateTexts: string[];
  publicProposalId: number;
  publicProposalTitle: string;
  publicCommentId: number;
  /** Someone else's published proposals this person supported. */
  supportedIds: number[];
  eventId: number;
  /** Waiting for the person's place in the event. */
  waitingParticipantId: string;
  broadcastId: number;
}

export const tag = () => randomBytes(6).toString('hex');

/** Table name → what puts one of the person's rows in it. */
type Seeder = (db: Db, p: SeededPerson, deps: Pick<DomainDeps, 'db' | 'now'>) => Promise<void>;

export const SEEDERS: Record<string, Seeder> = {
  ChannelAccount: async (db, p) => {
    await db.channelAccount.createMany({
      data: [
        { participantId: p.id, channel: 'telegram', externalId: p.telegramId },
        { participantId: p.id, channel: 'webchat', externalId: p.webchatId },
      ],
    });
  },
  ConsentRecord: async (db, p) => {
    await db.consentRecord.createMany({
      data: [
        {
          participantId: p.id,
          purpose: 'participation',
          action: 'given',
          noticeVersion: 1,
          channel: 'webchat',
        },
        { participantId: p.id, purpose: 'updates', action: 'given', noticeVersion: 1, channel: 'telegram' },
      ],
    });
  },
  Proposal: async (db, p) => {
    p.publicProposalTitle = `Propuesta pública ${tag()}`;
    p.publicProposalId = await createProposal(db, p.process, {
      authorId: p.id,
      title: p.publicProposalTitle,
    });
    const rejected = `Propuesta rechazada ${tag()}`;
    const rejectedId = await createProposal(db, p.process, {
      authorId: p.id,
      status: 'rejected',
      title: rejected,
    });
    const reason = `Motivo escrito por moderación ${tag()}`;
    await db.proposal.update({ where: { id: rejectedId }, data: { rejectionReason: reason } });
    const pending = `Propuesta pendiente ${tag()}`;
    await createProposal(db, p.process, { authorId: p.id, status: 'pending', title: pending });
    p.privateTexts.push(rejected, reason, pending);
  },
  Support: async (db, p) => {
    for (const proposalId of p.supportedIds)
      await db.support.create({ data: { proposalId, participantId: p.id } });
  },
  Comment: async (db, p) => {
    const target = p.supportedIds[0]!;
    const published = await db.comment.create({
      data: { proposalId: target, authorId: p.id, body: `Comentario público ${tag()}`, status: 'published' },
    });
    p.publicCommentId = published.id;
    const rejected = `Comentario rechazado ${tag()}`;
    await db.comment.create({
      data: { proposalId: target, authorId: p.id, body: rejected, status: 'rejected' },
    });
    p.privateTexts.push(rejected);
  },
  ContentReport: async (db, p) => {
    await db.contentReport.create({
      data: { itemKind: 'proposal', proposalId: p.supportedIds[1]!, participantId: p.id, reason: 'spam' },
    });
  },
  ProposalFollow: async (db, p) => {
    await db.proposalFollow.create({ data: { proposalId: p.supportedIds[0]!, participantId: p.id } });
  },
  Notice: async (db, p) => {
    await db.notice.create({
      data: {
        participantId: p.id,
        kind: 'comment-published',
        eventKey: `comment:${p.publicCommentId}`,
        payload: { commentId: p.publicCommentId },
        channel: 'telegram',
      },
    });
  },
  Subscription: async (db, p) => {
    await db.subscription.create({ data: { participantId: p.id, processId: p.process.id } });
  },
  BroadcastDelivery: async (db, p) => {
    const b = await db.broadcast.create({
      data: { processId: p.process.id, texts: { es: 'Novedades' }, audience: {}, status: 'sending' },
    });
    p.broadcastId = b.id;
    await db.broadcastDelivery.create({
      data: { broadcastId: b.id, participantId: p.id, channel: 'telegram', locale: 'es', status: 'pending' },
    });
  },
  EventRegistration: async (db, p) => {
    const e = await db.event.create({
      data: {
        processId: p.process.id,
        kind: 'workshop',
        title: { es: 'Taller' },
        place: 'Centro cívico',
        startsAt: new Date(Date.now() + 10 * DAY),
        capacity: 1,
      },
    });
    p.eventId = e.id;
    const other = await createParticipant(db);
    p.waitingParticipantId = other.id;
    await db.eventRegistration.create({
      data: {
        eventId: e.id,
        participantId: p.id,
        status: 'registered',
        createdAt: new Date(Date.now() - DAY),
      },
    });
    await db.eventRegistration.create({
      data: { eventId: e.id, participantId: other.id, status: 'waitlisted' },
    });
  },
  LinkCode: async (_db, p, deps) => {
    const r = await createLinkCode(deps, { participantId: p.id, channel: 'telegram' });
    if (!r.ok) throw new Error('link code not created');
  },
  LinkCodeAttempt: async (db, p) => {
    await db.linkCodeAttempt.create({ data: { participantId: p.id, succeeded: false } });
  },
  VerificationCode: async (db, p) => {
    await db.verificationCode.create({
      data: {
        processId: p.process.id,
        codeHash: hashVerificationCode(p.process.id, `CENSO-${tag()}`),
        redeemedById: p.id,
        redeemedAt: new Date(),
      },
    });
  },
  VerificationAttempt: async (db, p) => {
    await db.verificationAttempt.create({
      data: { participantId: p.id, processId: p.process.id, succeeded: true },
    });
  },
};

/** The tables that link to Participant, from the database's own foreign keys. */
export async function tablesLinkedToParticipant(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ table: string }[]>`
    SELECT DISTINCT cl.relname::text AS "table" FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
    WHERE c.contype = 'f' AND c.confrelid = '"Participant"'::regclass ORDER BY 1`;
  return rows.map((r) => r.table);
}

/** A consenting person with data everywhere (SEEDERS), in a voting process. */
export async function seedPerson(db: Db, deps: Pick<DomainDeps, 'db' | 'now'>): Promise<SeededPerson> {
  const process = await createProcess(db, { supportsPerParticipant: 5 });
  const supportedIds = [
    await createProposal(db, process, { title: `Ajena ${tag()}` }),
    await createProposal(db, process, { title: `Ajena ${tag()}` }),
  ];
  const id = randomUUID();
  await db.participant.create({ data: { id, locale: 'en', ageConfirmedAt: new Date() } });
  const p: SeededPerson = {
    id,
    telegramId: String(7_000_000_000 + Math.floor(Math.random() * 999_999_999)),
    webchatId: `u-${randomUUID()}`,
    process,
    privateTexts: [],
    publicProposalId: 0,
    publicProposalTitle: '',
    publicCommentId: 0,
    supportedIds,
    eventId: 0,
    waitingParticipantId: '',
    broadcastId: 0,
  };
  for (const seed of Object.values(SEEDERS)) await seed(db, p, deps);
  return p;
}
