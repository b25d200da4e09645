// The right of access and portability (GDPR arts. 15 and 20): everything Plaza keeps linked to one
// participant, as one JSON-serialisable object (dates as ISO strings, 64-bit ids as strings). Read in one
// repeatable-read transaction, so the sections agree with each other. Code hashes are never exported (a
// link code's or a verification code's hash says nothing to the person and would help guess the code).
//
// Contract for whoever adds a table that links to Participant: add it to PARTICIPANT_DATA_SECTIONS and to
// the export below. The test discovers every foreign key to "Participant" in the database and fails for a
// table that is not exported (tests/domain/export-participant-data.test.ts).
import type { DomainDeps } from './deps.ts';
import { isUuid } from './staff-members.ts';

export const PARTICIPANT_EXPORT_FORMAT = 'plaza.participant-data';
export const PARTICIPANT_EXPORT_VERSION = 1;

/** Every table that links to Participant, and the section of the export that holds its rows. */
export const PARTICIPANT_DATA_SECTIONS = {
  ChannelAccount: 'accounts',
  ConsentRecord: 'consents',
  Proposal: 'proposals',
  Support: 'supports',
  Comment: 'comments',
  ContentReport: 'reports',
  ProposalFollow: 'follows',
  Notice: 'notices',
  Subscription: 'subscriptions',
  BroadcastDelivery: 'broadcastDeliveries',
  EventRegistration: 'eventRegistrations',
  LinkCode: 'linkCodes',
  LinkCodeAttempt: 'linkCodeAttempts',
  VerificationCode: 'verifications',
  VerificationAttempt: 'verificationAttempts',
} as const;

type Section = (typeof PARTICIPANT_DATA_SECTIONS)[keyof typeof PARTICIPANT_DATA_SECTIONS];
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Row = Record<string, Json>;

export interface ParticipantDataExport extends Record<Section, Row[]> {
  format: typeof PARTICIPANT_EXPORT_FORMAT;
  version: typeof PARTICIPANT_EXPORT_VERSION;
  generatedAt: string;
  participant: Row;
}

export type ExportParticipantDataResult =
  { ok: true; data: ParticipantDataExport } | { ok: false; reason: 'not-found' };

/** Dates become ISO strings and bigints strings; everything else is already JSON. */
function plain(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value as Json;
}

const rows = (list: object[]): Row[] => list.map((r) => plain(r) as Row);

export async function exportParticipantData(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string },
): Promise<ExportParticipantDataResult> {
  const id = input.participantId;
  if (!isUuid(id)) return { ok: false, reason: 'not-found' };
  return deps.db.$transaction(
    async (tx) => {
      const participant = await tx.participant.findUnique({
        where: { id },
        select: {
          id: true,
          locale: true,
          ageConfirmedAt: true,
          createdAt: true,
          lastSeenAt: true,
          retentionWarnedAt: true,
          erasedAt: true,
        },
      });
      if (!participant || participant.erasedAt) return { ok: false as const, reason: 'not-found' as const };
      const { erasedAt: _erased, ...person } = participant;
      const byMe = { participantId: id };
      const [
        accounts,
        consents,
        proposals,
        supports,
        comments,
        reports,
        follows,
        notices,
        subscriptions,
        broadcastDeliveries,
        eventRegistrations,
        linkCodes,
        linkCodeAttempts,
        verifications,
        verificationAttempts,
      ] = [
        await tx.channelAccount.findMany({
          where: byMe,
          orderBy: { createdAt: 'asc' },
          select: { channel: true, externalId: true, createdAt: true, unreachableAt: true },
        }),
        await tx.consentRecord.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: { purpose: true, action: true, noticeVersion: true, channel: true, createdAt: true },
        }),
        await tx.proposal.findMany({
          where: { authorId: id },
          orderBy: { id: 'asc' },
          select: {
            id: true,
            processId: true,
            category: { select: { key: true } },
            title: true,
            body: true,
            locale: true,
            status: true,
            createdAt: true,
            publishedAt: true,
            moderatedAt: true,
            rejectionReason: true,
            answer: true,
            answeredAt: true,
          },
        }),
        await tx.support.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: {
            proposalId: true,
            proposal: { select: { title: true, processId: true } },
            createdAt: true,
          },
        }),
        await tx.comment.findMany({
          where: { authorId: id },
          orderBy: { id: 'asc' },
          select: {
            id: true,
            proposalId: true,
            parentId: true,
            body: true,
            locale: true,
            status: true,
            createdAt: true,
            publishedAt: true,
            moderatedAt: true,
            rejectionReason: true,
          },
        }),
        await tx.contentReport.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: { itemKind: true, proposalId: true, commentId: true, reason: true, createdAt: true },
        }),
        await tx.proposalFollow.findMany({
          where: byMe,
          orderBy: { createdAt: 'asc' },
          select: { proposalId: true, proposal: { select: { title: true } }, createdAt: true },
        }),
        await tx.notice.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: {
            kind: true,
            eventKey: true,
            payload: true,
            channel: true,
            createdAt: true,
            deliveredAt: true,
            deliveredVia: true,
          },
        }),
        await tx.subscription.findMany({
          where: byMe,
          orderBy: { createdAt: 'asc' },
          select: { processId: true, process: { select: { slug: true } }, createdAt: true },
        }),
        await tx.broadcastDelivery.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: {
            broadcastId: true,
            channel: true,
            locale: true,
            status: true,
            attempts: true,
            error: true,
            queuedAt: true,
            sentAt: true,
          },
        }),
        await tx.eventRegistration.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: {
            eventId: true,
            event: { select: { title: true, place: true, startsAt: true } },
            status: true,
            createdAt: true,
            confirmedAt: true,
            cancelledAt: true,
          },
        }),
        // Codes shown to this person, and codes of someone else this person typed (a claim: the merge
        // waits for that code's owner).
        await tx.linkCode.findMany({
          where: { OR: [byMe, { claimedById: id }] },
          orderBy: { id: 'asc' },
          select: {
            participantId: true,
            channel: true,
            createdAt: true,
            expiresAt: true,
            usedAt: true,
            claimedChannel: true,
            claimedAt: true,
          },
        }),
        await tx.linkCodeAttempt.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: { succeeded: true, createdAt: true },
        }),
        await tx.verificationCode.findMany({
          where: { redeemedById: id },
          orderBy: { id: 'asc' },
          select: { processId: true, redeemedAt: true },
        }),
        await tx.verificationAttempt.findMany({
          where: byMe,
          orderBy: { id: 'asc' },
          select: { processId: true, succeeded: true, createdAt: true },
        }),
      ];
      const data: ParticipantDataExport = {
        format: PARTICIPANT_EXPORT_FORMAT,
        version: PARTICIPANT_EXPORT_VERSION,
        generatedAt: deps.now().toISOString(),
        participant: plain(person) as Row,
        accounts: rows(accounts),
        consents: rows(consents),
        proposals: rows(proposals.map(({ category, ...p }) => ({ ...p, category: category.key }))),
        supports: rows(
          supports.map(({ proposal, ...s }) => ({
            ...s,
            processId: proposal.processId,
            proposalTitle: proposal.title,
          })),
        ),
        comments: rows(comments),
        reports: rows(reports),
        // What each follow and registration is about, so the file reads on its own (not ids alone).
        follows: rows(follows.map(({ proposal, ...f }) => ({ ...f, proposalTitle: proposal.title }))),
        notices: rows(notices),
        subscriptions: rows(subscriptions.map(({ process, ...s }) => ({ ...s, processSlug: process.slug }))),
        broadcastDeliveries: rows(broadcastDeliveries),
        eventRegistrations: rows(
          eventRegistrations.map(({ event, ...r }) => ({
            ...r,
            eventTitle: event.title,
            eventPlace: event.place,
            eventStartsAt: event.startsAt,
          })),
        ),
        linkCodes: rows(
          linkCodes.map(({ participantId, ...c }) => ({
            ...c,
            shownToMe: participantId === id,
          })),
        ),
        linkCodeAttempts: rows(linkCodeAttempts),
        verifications: rows(verifications),
        verificationAttempts: rows(verificationAttempts),
      };
      return { ok: true as const, data };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
