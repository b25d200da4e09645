// Two participants become one (account linking, confirm-link-claim): everything of `from` moves to `into`,
// inside the caller's transaction, with both participants locked by the caller:
// - accounts, proposals, comments, link codes and claims, attempts and redeemed verification codes move;
// - follows, subscriptions, notices, reports and broadcast deliveries move unless `into` has the same (then
//   `from`'s row goes: one person, one of each); event registrations keep the better of two (a place over
//   the waiting list), the other ends as a cancellation does before it goes: a place given up goes to the
//   waiting list (returned, to tell those promoted). Event by event in ascending id, after the participants
//   (the lock order of withdraw-consent and erase-participant), each status read under the event's lock: a
//   waiting-list spot may have become a place since, promoted by a cancellation that locks the event alone;
// - supports, where voting is open: one per proposal (the earlier stays), then each process's
//   supports-per-participant limit is checked again: beyond it the earliest supports stay and the rest are
//   dropped and reported (only supports on public proposals count, as in support-proposal). Elsewhere the counts stand (results may be out): a second support of the same
//   proposal stays counted under an anonymous holder (`keptApart`), and no limit is re-checked;
// - the consent ledgers are merged: ConsentRecord refuses UPDATE, so both ledgers are read, deleted and
//   inserted again under `into` in time order, with their contents unchanged; the current state of a purpose
//   is then the latest decision of either, and without a standing `updates` consent no subscription is kept;
// - the merged participant speaks `locale`, the language the caller decided it keeps (confirm-link-claim:
//   the one confirming's);
// - `from` is deleted.
// Not a use case: a part of one.
import { Prisma } from '../generated/prisma/client.ts';
import { cancelRegistrationOfLockedEvent } from './cancel-event-registration.ts';
import type { Tx } from './consent-ledger.ts';
import { lockEvent } from './events.ts';
import { PUBLIC_STATUSES } from './proposal-visibility.ts';

export interface DroppedSupports {
  processId: number;
  limit: number;
  proposalIds: number[];
}

const REGISTRATION_RANK = { registered: 2, waitlisted: 1, cancelled: 0 } as const;

export async function mergeParticipants(
  tx: Tx,
  input: {
    into: { id: string; lastSeenAt: Date; ageConfirmedAt: Date | null };
    from: { id: string; lastSeenAt: Date; ageConfirmedAt: Date | null };
    /** The language the merged participant keeps. */
    locale: string;
    now: Date;
  },
) {
  const S = input.into.id;
  const O = input.from.id;
  const { now } = input;

  await tx.$executeRaw`UPDATE "ChannelAccount" SET "participantId" = ${S}::uuid WHERE "participantId" = ${O}::uuid`;
  await tx.$executeRaw`UPDATE "Proposal" SET "authorId" = ${S}::uuid WHERE "authorId" = ${O}::uuid`;
  await tx.$executeRaw`UPDATE "Comment" SET "authorId" = ${S}::uuid WHERE "authorId" = ${O}::uuid`;
  await tx.$executeRaw`
    UPDATE "LinkCode" SET "participantId" = ${S}::uuid, "usedAt" = coalesce("usedAt", ${now})
    WHERE "participantId" = ${O}::uuid`;
  await tx.$executeRaw`UPDATE "LinkCode" SET "claimedById" = ${S}::uuid WHERE "claimedById" = ${O}::uuid`;
  await tx.$executeRaw`UPDATE "LinkCodeAttempt" SET "participantId" = ${S}::uuid WHERE "participantId" = ${O}::uuid`;
  await tx.$executeRaw`UPDATE "VerificationAttempt" SET "participantId" = ${S}::uuid WHERE "participantId" = ${O}::uuid`;
  await tx.$executeRaw`UPDATE "VerificationCode" SET "redeemedById" = ${S}::uuid WHERE "redeemedById" = ${O}::uuid`;

  // Rows unique per participant and something: the newer participant's duplicate goes.
  await tx.$executeRaw`
    INSERT INTO "ProposalFollow" ("proposalId", "participantId", "createdAt")
    SELECT "proposalId", ${S}::uuid, "createdAt" FROM "ProposalFollow" WHERE "participantId" = ${O}::uuid
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    INSERT INTO "Subscription" ("participantId", "processId", "createdAt")
    SELECT ${S}::uuid, "processId", "createdAt" FROM "Subscription" WHERE "participantId" = ${O}::uuid
    ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`
    UPDATE "Notice" n SET "participantId" = ${S}::uuid WHERE n."participantId" = ${O}::uuid
      AND NOT EXISTS (SELECT 1 FROM "Notice" m WHERE m."participantId" = ${S}::uuid AND m."eventKey" = n."eventKey")`;
  await tx.$executeRaw`
    UPDATE "ContentReport" r SET "participantId" = ${S}::uuid WHERE r."participantId" = ${O}::uuid
      AND NOT EXISTS (SELECT 1 FROM "ContentReport" m WHERE m."participantId" = ${S}::uuid
        AND (m."proposalId" = r."proposalId" OR m."commentId" = r."commentId"))`;
  // A broadcast one of them already received is not sent to the other account again.
  await tx.$executeRaw`
    UPDATE "BroadcastDelivery" s SET status = 'skipped' FROM "BroadcastDelivery" o
    WHERE s."participantId" = ${S}::uuid AND o."participantId" = ${O}::uuid AND o."broadcastId" = s."broadcastId"
      AND s.status IN ('pending', 'queued') AND o.status IN ('sent', 'waiting')`;
  await tx.$executeRaw`
    UPDATE "BroadcastDelivery" d SET "participantId" = ${S}::uuid WHERE d."participantId" = ${O}::uuid
      AND NOT EXISTS (SELECT 1 FROM "BroadcastDelivery" m WHERE m."participantId" = ${S}::uuid
        AND m."broadcastId" = d."broadcastId")`;
  for (const table of ['ProposalFollow', 'Subscription', 'Notice', 'ContentReport', 'BroadcastDelivery'])
    await tx.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "participantId" = $1::uuid`, O);

  const promoted = await mergeRegistrations(tx, S, O, now);

  // Supports. Where voting is open: one per proposal (the earlier kept), then each process's limit (the
  // earliest kept). Where it is not (before, or closed with results that may be published), the counts
  // stand: the newer one's support of a proposal both supported is kept, unlinked, by an anonymous holder
  // (a row like an erased participant's), and no limit is re-checked.
  const votingOpen = (processId: Prisma.Sql) => Prisma.sql`EXISTS (SELECT 1 FROM "Phase" ph
    WHERE ph."processId" = ${processId} AND ph.kind = 'voting' AND ph."startsAt" <= ${now}
      AND ph."endsAt" > ${now})`;
  await tx.$executeRaw`
    DELETE FROM "Support" d USING "Support" k, "Proposal" q
    WHERE d."proposalId" = k."proposalId" AND d."participantId" IN (${S}::uuid, ${O}::uuid)
      AND k."participantId" IN (${S}::uuid, ${O}::uuid) AND d."participantId" <> k."participantId"
      AND (d."createdAt", d.id) > (k."createdAt", k.id)
      AND q.id = d."proposalId" AND ${votingOpen(Prisma.sql`q."processId"`)}`;
  const [counted] = await tx.$queryRaw<{ twice: bigint }[]>`
    SELECT count(*) AS twice FROM "Support" d JOIN "Support" k ON k."proposalId" = d."proposalId"
    WHERE d."participantId" = ${O}::uuid AND k."participantId" = ${S}::uuid`;
  const keptApart = Number(counted?.twice ?? 0);
  if (keptApart > 0) {
    const holder = await tx.participant.create({
      data: { locale: '', createdAt: now, lastSeenAt: now, erasedAt: now },
      select: { id: true },
    });
    await tx.$executeRaw`
      UPDATE "Support" d SET "participantId" = ${holder.id}::uuid
      WHERE d."participantId" = ${O}::uuid AND EXISTS (SELECT 1 FROM "Support" k
        WHERE k."proposalId" = d."proposalId" AND k."participantId" = ${S}::uuid)`;
  }
  await tx.$executeRaw`UPDATE "Support" SET "participantId" = ${S}::uuid WHERE "participantId" = ${O}::uuid`;
  const dropped = await tx.$queryRaw<{ processId: number; limit: number; proposalId: number }[]>`
    WITH ranked AS (
      SELECT s.id, q."processId", pr."supportsPerParticipant" AS "limit",
        row_number() OVER (PARTITION BY q."processId" ORDER BY s."createdAt", s.id) AS n
      FROM "Support" s JOIN "Proposal" q ON q.id = s."proposalId" JOIN "Process" pr ON pr.id = q."processId"
      WHERE s."participantId" = ${S}::uuid AND ${votingOpen(Prisma.sql`q."processId"`)}
        AND q.status::text = ANY(${[...PUBLIC_STATUSES]}::text[]))
    DELETE FROM "Support" s USING ranked r WHERE s.id = r.id AND r.n > r."limit"
    RETURNING r."processId", r."limit", s."proposalId"`;
  const droppedSupports: DroppedSupports[] = [];
  for (const d of dropped) {
    let entry = droppedSupports.find((e) => e.processId === d.processId);
    if (!entry) {
      entry = { processId: d.processId, limit: d.limit, proposalIds: [] };
      droppedSupports.push(entry);
    }
    entry.proposalIds.push(d.proposalId);
  }
  for (const e of droppedSupports) e.proposalIds.sort((a, b) => a - b);

  // The ledgers, merged in time order (rows cannot be updated: read, delete, insert again).
  const ledger = await tx.consentRecord.findMany({
    where: { participantId: { in: [S, O] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { purpose: true, action: true, noticeVersion: true, channel: true, createdAt: true },
  });
  await tx.consentRecord.deleteMany({ where: { participantId: { in: [S, O] } } });
  if (ledger.length > 0)
    await tx.consentRecord.createMany({ data: ledger.map((r) => ({ ...r, participantId: S })) });
  const updates = ledger.filter((r) => r.purpose === 'updates').at(-1);
  if (updates?.action !== 'given') await tx.subscription.deleteMany({ where: { participantId: S } });

  const data: Prisma.ParticipantUpdateInput = {
    locale: input.locale,
    lastSeenAt: input.from.lastSeenAt > input.into.lastSeenAt ? input.from.lastSeenAt : input.into.lastSeenAt,
    ageConfirmedAt: input.into.ageConfirmedAt ?? input.from.ageConfirmedAt,
    retentionWarnedAt: null,
  };
  await tx.participant.update({ where: { id: S }, data });
  await tx.participant.delete({ where: { id: O } });
  return { droppedSupports, keptApart, promoted };
}

/** One registration per event: the better of two stays; a place given up goes to the waiting list. */
async function mergeRegistrations(tx: Tx, S: string, O: string, now: Date) {
  // The events only: no registration of either can appear meanwhile (both rows are locked, and registering
  // takes a share lock on the participant's row first), but their statuses can change until each event is
  // locked, so they are read under that lock.
  const events = await tx.eventRegistration.findMany({
    where: { participantId: O },
    orderBy: { eventId: 'asc' },
    select: { eventId: true },
  });
  const promoted: { eventId: number; list: { registrationId: number; at: Date }[] }[] = [];
  for (const { eventId } of events) {
    const event = await lockEvent(tx, eventId);
    if (!event) continue;
    const registrationOf = (participantId: string) =>
      tx.eventRegistration.findUnique({
        where: { eventId_participantId: { eventId, participantId } },
        select: { id: true, status: true },
      });
    const theirs = await registrationOf(O);
    if (!theirs) continue;
    const mine = await registrationOf(S);
    if (!mine) {
      await tx.eventRegistration.update({ where: { id: theirs.id }, data: { participantId: S } });
      continue;
    }
    const theirsWins = REGISTRATION_RANK[theirs.status] > REGISTRATION_RANK[mine.status];
    const given = theirsWins ? { ...mine, participantId: S } : { ...theirs, participantId: O };
    const ended = await cancelRegistrationOfLockedEvent(tx, event, given.participantId, now);
    if (ended.ok && ended.promoted.length > 0) promoted.push({ eventId, list: ended.promoted });
    await tx.eventRegistration.delete({ where: { id: given.id } });
    if (theirsWins)
      await tx.eventRegistration.update({ where: { id: theirs.id }, data: { participantId: S } });
  }
  return promoted;
}
