// Redeeming verification codes: the attempt limits (per participant and process; per process for everyone,
// in ten minutes and in a day, under concurrency; who a pause lets through), what is recorded, and the answers. The basic contract (once per code, once per participant, concurrency,
// the gate on support) is in verification-codes.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { importVerificationCodes } from '../../src/domain/import-verification-codes.ts';
import { isParticipantVerified } from '../../src/domain/is-participant-verified.ts';
import { redeemVerificationCode } from '../../src/domain/redeem-verification-code.ts';
import {
  ESTABLISHED_PARTICIPANT_AGE_MS,
  FAILED_PROCESS_DAY_MS,
  FAILED_PROCESS_WINDOW_MS,
  MAX_FAILED_PROCESS_ATTEMPTS,
  MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY,
  MAX_VERIFICATION_ATTEMPTS,
  VERIFICATION_ATTEMPT_WINDOW_MS,
} from '../../src/domain/verification-codes.ts';
import { createParticipant, createProcess } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

const T0 = new Date('2026-03-02T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

async function bindingProcess(codes: string[]) {
  const process = await createProcess(t.db);
  await t.db.process.update({ where: { id: process.id }, data: { requiresVerification: true } });
  await importVerificationCodes(t.deps, { processId: process.id, csv: codes.join('\n') });
  return process;
}

const redeemAt = (at: Date, participantId: string, processId: number, code: string) =>
  redeemVerificationCode(t.at(at), { participantId, processId, code });

const attemptsOf = (participantId: string, processId?: number) =>
  t.db.verificationAttempt.findMany({
    where: { participantId, processId },
    orderBy: { id: 'asc' },
    select: { processId: true, succeeded: true, createdAt: true },
  });

describe('what redeemVerificationCode records', () => {
  it('records each code typed, right or wrong, and marks the right one succeeded', async () => {
    const process = await bindingProcess(['RR-000001']);
    const ana = await createParticipant(t.db);
    expect(await redeemAt(T0, ana.id, process.id, 'RR-009999')).toEqual({
      ok: false,
      reason: 'code-wrong',
      attemptsLeft: MAX_VERIFICATION_ATTEMPTS - 1,
    });
    expect(await redeemAt(T0, ana.id, process.id, 'no vale!')).toEqual({
      ok: false,
      reason: 'code-wrong',
      attemptsLeft: MAX_VERIFICATION_ATTEMPTS - 2,
    });
    expect(await redeemAt(later(1000), ana.id, process.id, 'rr-000001')).toEqual({ ok: true });
    expect(await attemptsOf(ana.id)).toEqual([
      { processId: process.id, succeeded: false, createdAt: T0 },
      { processId: process.id, succeeded: false, createdAt: T0 },
      { processId: process.id, succeeded: true, createdAt: later(1000) },
    ]);
  });

  it('does not count answers that need no code: already verified, not required, unknown', async () => {
    const process = await bindingProcess(['NN-000001', 'NN-000002']);
    const open = await createProcess(t.db);
    const ana = await createParticipant(t.db);
    expect(await redeemAt(T0, ana.id, process.id, 'NN-000001')).toEqual({ ok: true });
    for (let i = 0; i < MAX_VERIFICATION_ATTEMPTS + 1; i++)
      expect(await redeemAt(T0, ana.id, process.id, 'NN-000002')).toEqual({
        ok: false,
        reason: 'already-verified',
      });
    expect(await redeemAt(T0, ana.id, open.id, 'NN-000002')).toEqual({ ok: false, reason: 'not-required' });
    expect(await redeemAt(T0, ana.id, 2_000_000_000, 'NN-000002')).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await redeemAt(T0, 'not-a-uuid', process.id, 'NN-000002')).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await attemptsOf(ana.id)).toHaveLength(1);
    expect(await t.db.verificationCode.count({ where: { processId: process.id, redeemedAt: null } })).toBe(1);
  });

  it('keeps a failed attempt counted when the lookup after it fails', async () => {
    const process = await bindingProcess(['FF-000001']);
    const ana = await createParticipant(t.db);
    let transactions = 0;
    const db = new Proxy(t.db, {
      get(target, key, receiver) {
        if (key === '$transaction')
          return (...args: unknown[]) => {
            if (++transactions === 2) return Promise.reject(new Error('database went away'));
            return (target.$transaction as (...a: unknown[]) => unknown)(...args);
          };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const deps: DomainDeps = { ...t.at(T0), db };
    await expect(
      redeemVerificationCode(deps, { participantId: ana.id, processId: process.id, code: 'FF-000001' }),
    ).rejects.toThrow('database went away');
    expect(await attemptsOf(ana.id)).toEqual([{ processId: process.id, succeeded: false, createdAt: T0 }]);
    expect(await t.db.verificationCode.count({ where: { processId: process.id, redeemedAt: null } })).toBe(1);
  });
});

describe('attempts per participant', () => {
  it(`allows ${MAX_VERIFICATION_ATTEMPTS} codes per process in the window; then refuses unread until it passes`, async () => {
    const process = await bindingProcess(['LL-000001']);
    const other = await bindingProcess(['LL-000001']);
    const ana = await createParticipant(t.db);
    for (let i = 0; i < MAX_VERIFICATION_ATTEMPTS; i++)
      expect(await redeemAt(later(i * 60_000), ana.id, process.id, `LL-00900${i}`)).toMatchObject({
        ok: false,
        reason: 'code-wrong',
        attemptsLeft: MAX_VERIFICATION_ATTEMPTS - 1 - i,
      });
    // The right code, refused without being looked at: it stays unused.
    const lastWrong = later((MAX_VERIFICATION_ATTEMPTS - 1) * 60_000);
    expect(await redeemAt(lastWrong, ana.id, process.id, 'LL-000001')).toEqual({
      ok: false,
      reason: 'too-many-attempts',
      retryAt: later(VERIFICATION_ATTEMPT_WINDOW_MS),
    });
    expect(await t.db.verificationCode.count({ where: { processId: process.id, redeemedAt: null } })).toBe(1);
    expect(await attemptsOf(ana.id, process.id)).toHaveLength(MAX_VERIFICATION_ATTEMPTS);
    // Another process has a count of its own.
    expect(await redeemAt(lastWrong, ana.id, other.id, 'LL-000001')).toEqual({ ok: true });
    // Once the first attempt is older than the window, one more is allowed.
    const firstOut = later(VERIFICATION_ATTEMPT_WINDOW_MS);
    expect(await redeemAt(firstOut, ana.id, process.id, 'LL-000001')).toEqual({ ok: true });
    expect(await isParticipantVerified(t.deps, { participantId: ana.id, processId: process.id })).toEqual({
      ok: true,
      required: true,
      verified: true,
    });
  });

  it('holds under concurrency: of many codes typed at once by one person, only the allowed number are read', async () => {
    const process = await bindingProcess(['CC-000001', 'CC-000002']);
    const ana = await createParticipant(t.db);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => redeemAt(T0, ana.id, process.id, `CC-00900${i}`)),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'code-wrong')).toHaveLength(MAX_VERIFICATION_ATTEMPTS);
    expect(results.filter((r) => !r.ok && r.reason === 'too-many-attempts')).toHaveLength(
      10 - MAX_VERIFICATION_ATTEMPTS,
    );
    const luis = await createParticipant(t.db);
    const both = await Promise.all(
      ['CC-000001', 'CC-000002'].map((c) => redeemAt(T0, luis.id, process.id, c)),
    );
    expect(both).toContainEqual({ ok: true });
    expect(both).toContainEqual({ ok: false, reason: 'already-verified' });
    expect(
      await t.db.verificationCode.count({ where: { processId: process.id, redeemedById: luis.id } }),
    ).toBe(1);
  });
});

describe('attempts left', () => {
  it('says how many attempts are left after each wrong or used code, and when the next is allowed after the last', async () => {
    const process = await bindingProcess(['AA-000001', 'AA-000002']);
    const [ana, luis] = [await createParticipant(t.db), await createParticipant(t.db)];
    expect(await redeemAt(T0, luis.id, process.id, 'AA-000002')).toEqual({ ok: true });
    for (let i = 0; i < MAX_VERIFICATION_ATTEMPTS - 1; i++)
      expect(
        await redeemAt(later(i * 60_000), ana.id, process.id, i === 1 ? 'AA-000002' : `AA-00900${i}`),
      ).toEqual({
        ok: false,
        reason: i === 1 ? 'code-used' : 'code-wrong',
        attemptsLeft: MAX_VERIFICATION_ATTEMPTS - 1 - i,
      });
    // The last one: none left, and the wait ends when the first of them leaves the window.
    const firstOut = later(VERIFICATION_ATTEMPT_WINDOW_MS);
    expect(
      await redeemAt(later((MAX_VERIFICATION_ATTEMPTS - 1) * 60_000), ana.id, process.id, 'AA-009999'),
    ).toEqual({ ok: false, reason: 'code-wrong', attemptsLeft: 0, retryAt: firstOut });
    expect(
      await redeemAt(later(MAX_VERIFICATION_ATTEMPTS * 60_000), ana.id, process.id, 'AA-000001'),
    ).toEqual({
      ok: false,
      reason: 'too-many-attempts',
      retryAt: firstOut,
    });
    // Then one is allowed again (and the next wait is counted from the second attempt).
    expect(await redeemAt(firstOut, ana.id, process.id, 'AA-009998')).toEqual({
      ok: false,
      reason: 'code-wrong',
      attemptsLeft: 0,
      retryAt: later(60_000 + VERIFICATION_ATTEMPT_WINDOW_MS),
    });
    expect(
      await redeemAt(later(60_000 + VERIFICATION_ATTEMPT_WINDOW_MS), ana.id, process.id, 'aa000001'),
    ).toEqual({
      ok: true,
    });
  });
});

describe('attempts per process', () => {
  async function failedAttempts(processId: number, count: number, at: Date, succeeded = false) {
    const someone = await createParticipant(t.db);
    await t.db.verificationAttempt.createMany({
      data: Array.from({ length: count }, () => ({
        participantId: someone.id,
        processId,
        succeeded,
        createdAt: at,
      })),
    });
  }

  it(`pauses a process once it has ${MAX_FAILED_PROCESS_ATTEMPTS} wrong codes in its window, for everyone, until they age out`, async () => {
    const process = await bindingProcess(['PP-000001', 'PP-000002']);
    const other = await bindingProcess(['PP-000001']);
    await failedAttempts(process.id, MAX_FAILED_PROCESS_ATTEMPTS - 2, T0);
    // Successful attempts do not count towards the pause.
    await failedAttempts(process.id, 50, T0, true);
    const ana = await createParticipant(t.db);
    // One short of the cap: still read (and, wrong, it is one short no more).
    expect(await redeemAt(later(1000), ana.id, process.id, 'PP-009999')).toMatchObject({
      ok: false,
      reason: 'code-wrong',
    });
    expect(await redeemAt(later(2000), ana.id, process.id, 'PP-000001')).toEqual({ ok: true });
    // One more wrong code from a throwaway identity reaches the cap.
    await failedAttempts(process.id, 1, later(2000));
    const luis = await createParticipant(t.db);
    expect(await redeemAt(later(3000), luis.id, process.id, 'PP-000002')).toEqual({
      ok: false,
      reason: 'paused',
    });
    expect(await attemptsOf(luis.id)).toEqual([]);
    expect(await t.db.verificationCode.count({ where: { processId: process.id, redeemedAt: null } })).toBe(1);
    // Other processes are not paused.
    expect(await redeemAt(later(3000), luis.id, other.id, 'PP-000001')).toEqual({ ok: true });
    // When the first wrong codes are older than the window, the process reads codes again.
    expect(await redeemAt(later(FAILED_PROCESS_WINDOW_MS), luis.id, process.id, 'PP-000002')).toEqual({
      ok: true,
    });
  });

  it(`also pauses a process with ${MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY} wrong codes in a day, however slowly typed`, async () => {
    const process = await bindingProcess(['DD-000001']);
    // Spread over the day, never MAX_FAILED_PROCESS_ATTEMPTS in ten minutes.
    const hours = 20;
    const perHour = Math.ceil((MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY - 1) / hours);
    expect(perHour).toBeLessThan(MAX_FAILED_PROCESS_ATTEMPTS);
    let left = MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY - 1;
    for (let h = hours; h > 0; h--) {
      const n = Math.min(perHour, left);
      await failedAttempts(process.id, n, later(-h * 3_600_000));
      left -= n;
    }
    expect(left).toBe(0);
    const ana = await createParticipant(t.db);
    expect(await redeemAt(T0, ana.id, process.id, 'DD-009999')).toMatchObject({
      ok: false,
      reason: 'code-wrong',
    });
    const luis = await createParticipant(t.db);
    expect(await redeemAt(later(1000), luis.id, process.id, 'DD-000001')).toEqual({
      ok: false,
      reason: 'paused',
    });
    expect(await attemptsOf(luis.id)).toEqual([]);
    // Once the oldest hour of them is a day old, codes are read again.
    const dayAfterFirst = new Date(later(-hours * 3_600_000).getTime() + FAILED_PROCESS_DAY_MS);
    expect(await redeemAt(dayAfterFirst, luis.id, process.id, 'DD-000001')).toEqual({ ok: true });
  });

  it('lets a participant from before the attack through a pause, once a day, but not a new one', async () => {
    const process = await bindingProcess(['EE-000001', 'EE-000002', 'EE-000003']);
    await failedAttempts(process.id, MAX_FAILED_PROCESS_ATTEMPTS_PER_DAY, later(-3_600_000));
    await failedAttempts(process.id, MAX_FAILED_PROCESS_ATTEMPTS, T0);
    const established = async (age: number) => {
      const p = await createParticipant(t.db);
      await t.db.participant.update({ where: { id: p.id }, data: { createdAt: later(-age) } });
      return p;
    };
    const ana = await established(ESTABLISHED_PARTICIPANT_AGE_MS);
    const eva = await established(ESTABLISHED_PARTICIPANT_AGE_MS + 3_600_000);
    const joinedToday = await established(ESTABLISHED_PARTICIPANT_AGE_MS - 60_000);
    const fresh = await createParticipant(t.db);
    expect(await redeemAt(later(1000), ana.id, process.id, 'EE-000001')).toEqual({ ok: true });
    // A wrong code is read and counted; after it the pause applies to them too, for a day.
    expect(await redeemAt(later(1000), eva.id, process.id, 'EE-009999')).toMatchObject({
      ok: false,
      reason: 'code-wrong',
    });
    expect(await redeemAt(later(2000), eva.id, process.id, 'EE-000002')).toEqual({
      ok: false,
      reason: 'paused',
    });
    // The trade-off: someone who joined today waits like the throwaway identities.
    for (const p of [joinedToday, fresh])
      expect(await redeemAt(later(2000), p.id, process.id, 'EE-000003')).toEqual({
        ok: false,
        reason: 'paused',
      });
    // A day after their wrong code, still in a pause (new wrong codes by others), they get another try.
    const dayLater = later(FAILED_PROCESS_DAY_MS + 1000);
    await failedAttempts(process.id, MAX_FAILED_PROCESS_ATTEMPTS, later(FAILED_PROCESS_DAY_MS));
    expect(await redeemAt(dayLater, fresh.id, process.id, 'EE-000002')).toEqual({
      ok: false,
      reason: 'paused',
    });
    expect(await redeemAt(dayLater, eva.id, process.id, 'EE-000002')).toEqual({ ok: true });
    expect(await attemptsOf(eva.id)).toEqual([
      { processId: process.id, succeeded: false, createdAt: later(1000) },
      { processId: process.id, succeeded: true, createdAt: dayLater },
    ]);
  });

  it('holds the cap under concurrency: of many wrong codes typed at once by different people, only what it allows are read', async () => {
    const process = await bindingProcess(['ZZ-000001']);
    await failedAttempts(process.id, MAX_FAILED_PROCESS_ATTEMPTS - 1, T0);
    const people = await Promise.all(Array.from({ length: 20 }, () => createParticipant(t.db)));
    const results = await Promise.all(
      people.map((p, i) => redeemAt(later(1000), p.id, process.id, `ZZ-${String(900_000 + i)}`)),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'code-wrong')).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'paused')).toHaveLength(19);
    expect(await t.db.verificationAttempt.count({ where: { processId: process.id, succeeded: false } })).toBe(
      MAX_FAILED_PROCESS_ATTEMPTS,
    );
  });
});

describe('used codes', () => {
  it('tells a used code from a wrong one (a household sharing one letter), without spending anything', async () => {
    const process = await bindingProcess(['HH-000001']);
    const [ana, luis] = [await createParticipant(t.db), await createParticipant(t.db)];
    expect(await redeemAt(T0, ana.id, process.id, 'HH-000001')).toEqual({ ok: true });
    expect(await redeemAt(T0, luis.id, process.id, 'hh-000001')).toMatchObject({
      ok: false,
      reason: 'code-used',
    });
    expect(await redeemAt(T0, luis.id, process.id, 'HH-000002')).toMatchObject({
      ok: false,
      reason: 'code-wrong',
    });
    expect(await attemptsOf(luis.id)).toEqual([
      { processId: process.id, succeeded: false, createdAt: T0 },
      { processId: process.id, succeeded: false, createdAt: T0 },
    ]);
    expect(
      await t.db.verificationCode.findMany({
        where: { processId: process.id },
        select: { redeemedById: true },
      }),
    ).toEqual([{ redeemedById: ana.id }]);
  });
});

describe('codes imported before dashes stopped counting', () => {
  it('are still found by their former digest when typed as printed, and spent once', async () => {
    const process = await bindingProcess([]);
    const printed = 'OLD-2026-ABCD';
    // As the import stored it then: the digest of the code as written (trimmed, upper case).
    const { createHash } = await import('node:crypto');
    await t.db.verificationCode.create({
      data: {
        processId: process.id,
        codeHash: createHash('sha256')
          .update(`plaza-verification:${process.id}:${printed}`, 'utf8')
          .digest('hex'),
      },
    });
    const ana = await createParticipant(t.db);
    const eva = await createParticipant(t.db);
    expect(await redeemAt(T0, ana.id, process.id, 'old-2026-abcd')).toEqual({ ok: true });
    expect(await redeemAt(T0, eva.id, process.id, printed)).toMatchObject({ ok: false, reason: 'code-used' });
  });
});
