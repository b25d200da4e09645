// "Vincular cuentas", second step: a participant types, in another channel, the code shown to them in the
// first one (create-link-code). A right code does not merge anything yet: it is *claimed* — the typer is
// given two digits, and the code's owner must type them in the channel the code was shown in
// (confirm-link-claim). So a code guessed by someone else cannot take over anyone's data: its owner is asked
// and cannot confirm digits they were never shown (number matching, as in sign-in approvals).
//
// Guessing is bounded three ways: at most MAX_LINK_ATTEMPTS codes per typing participant in ten minutes,
// right or wrong (each is a LinkCodeAttempt, recorded in a transaction of its own, before the code is looked
// at, so a failure further on still counts); at most MAX_FAILED_LINK_ATTEMPTS failures by everyone in ten
// minutes ('paused', except for long-standing participants: see isLongStanding); and one answer,
// 'code-wrong', for every code that is not a live, unclaimed code of someone else shown in another channel —
// so the answers never tell a guesser that a code exists.
import { randomInt } from 'node:crypto';
import { lockParticipant, type Tx } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import {
  ATTEMPT_WINDOW_MS,
  hashLinkCode,
  LINK_CLAIM_TTL_MS,
  MAX_FAILED_LINK_ATTEMPTS,
  MAX_LINK_ATTEMPTS,
  normaliseLinkCode,
} from './link-codes.ts';
import { isUuid } from './staff-members.ts';

export type ClaimLinkCodeResult =
  | {
      ok: true;
      /** Two digits for the typer to type in the first channel (only they were shown them). */
      checkDigits: string;
      /** The channel the code was shown in, where the owner confirms. */
      ownerChannel: string;
      expiresAt: Date;
    }
  | {
      ok: false;
      reason: 'not-found' | 'too-many-attempts' | 'paused' | 'code-wrong' | 'own-code';
    };

type Failure = Extract<ClaimLinkCodeResult, { ok: false }>;
const DAY_MS = 24 * 3600 * 1000;

/**
 * During a pause, someone who has been a participant for a day and has failed no code in that day still
 * gets their try (it counts like any other): the throwaway identities that cause a pause are new, so they
 * cannot keep everyone else from linking. Someone who joined today waits for the pause to pass.
 */
async function isLongStanding(tx: Tx, participantId: string, createdAt: Date, now: Date) {
  if (createdAt.getTime() > now.getTime() - DAY_MS) return false;
  const failedToday = await tx.linkCodeAttempt.count({
    where: { participantId, succeeded: false, createdAt: { gt: new Date(now.getTime() - DAY_MS), lte: now } },
  });
  return failedToday === 0;
}
const fail = (reason: Failure['reason']): Failure => ({ ok: false, reason });

export async function claimLinkCode(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; channel: string; code: string },
): Promise<ClaimLinkCodeResult> {
  const typer = input.participantId;
  if (!isUuid(typer)) return fail('not-found');

  const attempt = await deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, typer);
    const me = await tx.participant.findUnique({
      where: { id: typer },
      select: { erasedAt: true, createdAt: true },
    });
    if (!me || me.erasedAt) return fail('not-found');
    const now = deps.now();
    const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS);
    const window = { gt: since, lte: now };
    // Everyone's failures are counted under one lock, so attempts at once cannot overshoot the pause.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('plaza-link-attempts'))`;
    const recent = await tx.linkCodeAttempt.count({ where: { participantId: typer, createdAt: window } });
    if (recent >= MAX_LINK_ATTEMPTS) return fail('too-many-attempts');
    const failed = await tx.linkCodeAttempt.count({ where: { succeeded: false, createdAt: window } });
    if (failed >= MAX_FAILED_LINK_ATTEMPTS && !(await isLongStanding(tx, typer, me.createdAt, now)))
      return fail('paused');
    const row = await tx.linkCodeAttempt.create({
      data: { participantId: typer, succeeded: false, createdAt: now },
      select: { id: true },
    });
    return { ok: true as const, id: row.id };
  });
  if (!attempt.ok) return attempt;

  const code = normaliseLinkCode(input.code);
  if (code === undefined) return fail('code-wrong');
  const now = deps.now();
  const found = await deps.db.linkCode.findUnique({
    where: { codeHash: hashLinkCode(code) },
    select: { id: true, participantId: true, channel: true },
  });
  if (!found) return fail('code-wrong');
  // Their own code (typed in the channel it was shown in, or the accounts are already one): it tells them
  // nothing about anyone else.
  if (found.participantId === typer) return fail('own-code');
  if (found.channel === input.channel) return fail('code-wrong');
  const checkDigits = String(randomInt(10, 100));
  const expiresAt = new Date(now.getTime() + LINK_CLAIM_TTL_MS);
  // Single use under concurrency: of two claims at once, one finds the code claimed.
  const claimed = await deps.db.linkCode.updateMany({
    where: { id: found.id, usedAt: null, claimedAt: null, expiresAt: { gt: now } },
    data: { claimedById: typer, claimedChannel: input.channel, claimedAt: now, checkDigits, expiresAt },
  });
  if (claimed.count === 0) return fail('code-wrong');
  await deps.db.linkCodeAttempt.update({ where: { id: attempt.id }, data: { succeeded: true } });
  return { ok: true, checkDigits, ownerChannel: found.channel, expiresAt };
}
