// A participant proves they may take part in a binding process by typing one of its codes. A code is
// redeemed once (a conditional UPDATE: of two people typing it at once, one gets it); a participant is
// verified once per process (a second code is refused and stays unused). A code whose redeemer was erased
// stays redeemed (`redeemedAt` is kept).
//
// Guessing is bounded (verification-codes.ts has the numbers and their reasons): each code typed is a
// VerificationAttempt, recorded in a transaction of its own before the code is looked up, so it counts even
// if what follows fails. Beyond MAX_VERIFICATION_ATTEMPTS per participant and process in the window the
// answer is `too-many-attempts`; once the process has had MAX_FAILED_PROCESS_ATTEMPTS wrong codes in its
// window, or MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY in a day, by anyone, it is `paused`. Neither looks at the
// code, and neither is recorded as an attempt (a refusal that counted would keep a person locked out for as
// long as they kept trying). Answers that need no code (unknown, not required, already verified) come first
// and are not attempts either. The counting and the recording are serialised per participant (their row's
// lock) and per process (a transaction-scoped advisory lock on the process id), so neither the person's
// limit nor the process's caps can be overshot by attempts made at the same moment.
//
// A pause must not become a denial of service: anyone with throwaway identities could otherwise keep a
// process paused for as long as they liked. While it is paused, a participant whose row is at least
// ESTABLISHED_PARTICIPANT_AGE_MS old and who has typed no wrong code in this process within a day is still
// let through (their attempt is recorded and counts). The trade-off, accepted: throwaway identities are new,
// and so is a voter who joined today, who waits like them until the attack stops and the pause lifts.
//
// `code-used` is kept apart from `code-wrong`, deliberately. It tells whoever typed it that the code exists
// and was redeemed by someone else, but a used code cannot be redeemed again, so that knowledge gives a
// guesser nothing to take, and the attempt limits bound how often they can ask. For an honest person it is
// the answer that helps: a household sharing one letter, or someone who redeemed it from another account,
// learns to ask the organisers for their own code instead of retyping it until the attempts run out.
import { lockParticipant, type Tx } from './consent-ledger.ts';
import type { DomainDeps } from './deps.ts';
import { isDbId } from './ids.ts';
import { isUuid } from './staff-members.ts';
import {
  ESTABLISHED_PARTICIPANT_AGE_MS,
  FAILED_PROCESS_DAY_MS,
  FAILED_PROCESS_WINDOW_MS,
  hashVerificationCode,
  MAX_FAILED_PROCESS_ATTEMPTS,
  MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY,
  MAX_VERIFICATION_ATTEMPTS,
  normaliseVerificationCode,
  VERIFICATION_ATTEMPT_WINDOW_MS,
  legacyVerificationCodeHash,
} from './verification-codes.ts';

/**
 * A wrong or used code says how many more this participant may type in this process now (`attemptsLeft`);
 * when none, `retryAt` says when the next one will be read (the oldest attempt of the window leaves it), as
 * does `too-many-attempts`. The other refusals carry nothing more.
 */
export type RedeemVerificationCodeResult =
  | { ok: true }
  | { ok: false; reason: 'code-wrong' | 'code-used'; attemptsLeft: number; retryAt?: Date }
  | { ok: false; reason: 'too-many-attempts'; retryAt: Date }
  | { ok: false; reason: 'not-found' | 'not-required' | 'already-verified' | 'paused' };

type Refusal = Extract<
  RedeemVerificationCodeResult,
  { reason: 'not-found' | 'not-required' | 'already-verified' | 'paused' }
>;
const fail = (reason: Refusal['reason']): Refusal => ({ ok: false, reason });

export async function redeemVerificationCode(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  input: { participantId: string; processId: number; code: string },
): Promise<RedeemVerificationCodeResult> {
  const { participantId, processId } = input;
  if (!isUuid(participantId) || !isDbId(processId)) return fail('not-found');

  // The attempt, committed on its own (the locks make counting and recording one step).
  const attempt = await deps.db.$transaction(async (tx) => {
    await lockParticipant(tx, participantId);
    const refusal = await refusalWithoutCode(tx, participantId, processId);
    if (refusal) return refusal;
    const now = deps.now();
    const inWindow = {
      participantId,
      processId,
      createdAt: { gt: new Date(now.getTime() - VERIFICATION_ATTEMPT_WINDOW_MS) },
    };
    const mine = await tx.verificationAttempt.count({ where: inWindow });
    if (mine >= MAX_VERIFICATION_ATTEMPTS)
      return {
        ok: false as const,
        reason: 'too-many-attempts' as const,
        retryAt: await retryAt(tx, inWindow),
      };
    // Taken after the participant's lock, as every attempt does: one order, no deadlock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('plaza-verification'), ${processId}::int)`;
    if ((await isPaused(tx, processId, now)) && !(await isEstablished(tx, participantId, processId, now)))
      return fail('paused');
    const row = await tx.verificationAttempt.create({
      data: { participantId, processId, succeeded: false, createdAt: now },
      select: { id: true },
    });
    const attemptsLeft = MAX_VERIFICATION_ATTEMPTS - (mine + 1);
    return {
      ok: true as const,
      id: row.id,
      attemptsLeft,
      // Should this one be wrong: when the next will be read.
      retryAt: attemptsLeft === 0 ? await retryAt(tx, inWindow) : undefined,
    };
  });
  if (!attempt.ok) return attempt;
  const wrong = (reason: 'code-wrong' | 'code-used'): RedeemVerificationCodeResult => ({
    ok: false,
    reason,
    attemptsLeft: attempt.attemptsLeft,
    ...(attempt.retryAt && { retryAt: attempt.retryAt }),
  });

  const code = normaliseVerificationCode(input.code);
  if (code === undefined) return wrong('code-wrong');
  // The code's digest, and the one it had if imported before dashes stopped counting (see the function).
  const legacy = legacyVerificationCodeHash(processId, input.code);
  const codeHash = { in: [hashVerificationCode(processId, code), ...(legacy ? [legacy] : [])] };
  return deps.db.$transaction(async (tx) => {
    // Again under the lock: the participant may have been verified or erased since the attempt committed.
    await lockParticipant(tx, participantId);
    const refusal = await refusalWithoutCode(tx, participantId, processId);
    if (refusal) return refusal;
    const spent = await tx.verificationCode.updateMany({
      where: { processId, codeHash, redeemedAt: null },
      data: { redeemedById: participantId, redeemedAt: deps.now() },
    });
    if (spent.count >= 1) {
      await tx.verificationAttempt.update({ where: { id: attempt.id }, data: { succeeded: true } });
      return { ok: true as const };
    }
    const exists = await tx.verificationCode.findFirst({
      where: { processId, codeHash },
      select: { id: true },
    });
    return wrong(exists ? 'code-used' : 'code-wrong');
  });
}

/**
 * When the participant's count in the window drops below the limit: when the MAX_VERIFICATION_ATTEMPTS-th
 * most recent of their attempts in it (the oldest, since no more are allowed) leaves the window.
 */
async function retryAt(
  tx: Tx,
  inWindow: { participantId: string; processId: number; createdAt: { gt: Date } },
): Promise<Date> {
  const [limiting] = await tx.verificationAttempt.findMany({
    where: inWindow,
    orderBy: { createdAt: 'desc' },
    skip: MAX_VERIFICATION_ATTEMPTS - 1,
    take: 1,
    select: { createdAt: true },
  });
  // (Always found when called: the window holds MAX_VERIFICATION_ATTEMPTS attempts or more.)
  return new Date((limiting?.createdAt ?? inWindow.createdAt.gt).getTime() + VERIFICATION_ATTEMPT_WINDOW_MS);
}

/** Whether the process has had its cap of wrong codes in the short window or in the day. */
async function isPaused(tx: Tx, processId: number, now: Date): Promise<boolean> {
  const failedSince = (ms: number, cap: number) =>
    tx.verificationAttempt.count({
      where: { processId, succeeded: false, createdAt: { gt: new Date(now.getTime() - ms) } },
      // Enough to decide; under attack the window may hold many more rows than that.
      take: cap,
    });
  return (
    (await failedSince(FAILED_PROCESS_WINDOW_MS, MAX_FAILED_PROCESS_ATTEMPTS)) >=
      MAX_FAILED_PROCESS_ATTEMPTS ||
    (await failedSince(FAILED_PROCESS_DAY_MS, MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY)) >=
      MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY
  );
}

/** Let through a pause: a participant from before the attack, with no wrong code in this process for a day. */
async function isEstablished(tx: Tx, participantId: string, processId: number, now: Date): Promise<boolean> {
  const me = await tx.participant.findUnique({ where: { id: participantId }, select: { createdAt: true } });
  if (!me || me.createdAt.getTime() > now.getTime() - ESTABLISHED_PARTICIPANT_AGE_MS) return false;
  const failed = await tx.verificationAttempt.findFirst({
    where: {
      participantId,
      processId,
      succeeded: false,
      createdAt: { gt: new Date(now.getTime() - FAILED_PROCESS_DAY_MS) },
    },
    select: { id: true },
  });
  return failed === null;
}

/** The answers that need no code: no such participant or process, nothing required, already verified. */
async function refusalWithoutCode(
  tx: Tx,
  participantId: string,
  processId: number,
): Promise<Refusal | undefined> {
  const me = await tx.participant.findUnique({ where: { id: participantId }, select: { erasedAt: true } });
  const process = await tx.process.findUnique({
    where: { id: processId },
    select: { requiresVerification: true },
  });
  if (!me || me.erasedAt || !process) return fail('not-found');
  if (!process.requiresVerification) return fail('not-required');
  const mine = await tx.verificationCode.findFirst({
    where: { processId, redeemedById: participantId },
    select: { id: true },
  });
  return mine ? fail('already-verified') : undefined;
}
