// A participant supports a proposal: only while the process is in its voting phase, once per proposal, no
// more than the process's supports per participant, and in a binding process (requiresVerification) only
// once verified with one of its codes (redeem-verification-code). Concurrent requests of one participant are
// serialised on their participant row, so the limit holds under any concurrency.
//
// Only supports on proposals that are public now (PUBLIC_STATUSES) count against the limit: one hidden by
// reports or taken down cannot be opened by its supporter, so that support could never be withdrawn and
// would block them for good. The support row is kept, though: if the proposal is restored it counts again,
// which may leave someone over the limit (two supports for a limit of one) until they withdraw one; new
// supports are refused meanwhile ('limit-reached').
import { acceptsSupports, currentPhase } from './current-phase.ts';
import { isDbId } from './ids.ts';
import type { DomainDeps } from './deps.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { isPublic, PUBLIC_STATUSES } from './proposal-visibility.ts';
import type { PhaseKind, ProposalStatus } from '../generated/prisma/enums.ts';

export type SupportProposalResult =
  | { ok: true; used: number; limit: number }
  | { ok: false; reason: 'not-found' | 'voting-closed' | 'already-supported' | 'verification-required' }
  | { ok: false; reason: 'limit-reached'; limit: number };

export async function supportProposal(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; proposalId: number },
): Promise<SupportProposalResult> {
  if (!isDbId(input.proposalId)) return { ok: false, reason: 'not-found' };
  const publicStatuses = [...PUBLIC_STATUSES];
  try {
    return await deps.db.$transaction(async (tx) => {
      // Lock the participant's row first, in a statement of its own: it serialises their supports, and the
      // next statement then reads with a snapshot taken after the previous support committed (a lock taken
      // inside the same statement would leave the counts stale). The hot path of voting: SQL rather than
      // several Prisma reads.
      await tx.$executeRaw`SELECT 1 FROM "Participant" WHERE id = ${input.participantId}::uuid FOR UPDATE`;
      const [row] = await tx.$queryRaw<
        {
          status: ProposalStatus;
          limit: number;
          used: bigint;
          mine: boolean;
          unverified: boolean;
          phases: {
            kind: PhaseKind;
            position: number;
            startsAt: number;
            endsAt: number;
            acceptsProposals: boolean;
          }[];
        }[]
      >`
        WITH me AS (SELECT ${input.participantId}::uuid AS id)
        SELECT p.status::text AS status, pr."supportsPerParticipant" AS "limit",
          (SELECT count(*) FROM "Support" s JOIN "Proposal" q ON q.id = s."proposalId"
            WHERE s."participantId" = me.id AND q."processId" = p."processId"
              AND q.status::text = ANY(${publicStatuses}::text[])) AS used,
          EXISTS (SELECT 1 FROM "Support" s WHERE s."proposalId" = p.id AND s."participantId" = me.id) AS mine,
          pr."requiresVerification" AND NOT EXISTS (SELECT 1 FROM "VerificationCode" v
            WHERE v."redeemedById" = me.id AND v."processId" = p."processId") AS unverified,
          (SELECT coalesce(json_agg(json_build_object(
              'kind', ph.kind, 'position', ph.position, 'acceptsProposals', ph."acceptsProposals",
              'startsAt', floor(extract(epoch FROM ph."startsAt") * 1000),
              'endsAt', floor(extract(epoch FROM ph."endsAt") * 1000))), '[]'::json)
            FROM "Phase" ph WHERE ph."processId" = p."processId") AS phases
        FROM me, "Proposal" p JOIN "Process" pr ON pr.id = p."processId"
        WHERE p.id = ${input.proposalId}`;
      if (!row || !isPublic(row.status)) return { ok: false, reason: 'not-found' } as const;
      const phases = row.phases.map((ph) => ({
        ...ph,
        startsAt: new Date(ph.startsAt),
        endsAt: new Date(ph.endsAt),
      }));
      if (!acceptsSupports(currentPhase(phases, deps.now())))
        return { ok: false, reason: 'voting-closed' } as const;
      if (row.unverified) return { ok: false, reason: 'verification-required' } as const;
      if (row.mine) return { ok: false, reason: 'already-supported' } as const;
      const used = Number(row.used);
      if (used >= row.limit) return { ok: false, reason: 'limit-reached', limit: row.limit } as const;
      await tx.$executeRaw`
        INSERT INTO "Support" ("proposalId", "participantId", "createdAt")
        VALUES (${input.proposalId}, ${input.participantId}::uuid, ${deps.now()})`;
      return { ok: true, used: used + 1, limit: row.limit } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'already-supported' };
    throw error;
  }
}
