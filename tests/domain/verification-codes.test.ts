import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importVerificationCodes } from '../../src/domain/import-verification-codes.ts';
import { isParticipantVerified } from '../../src/domain/is-participant-verified.ts';
import { redeemVerificationCode } from '../../src/domain/redeem-verification-code.ts';
import { supportProposal } from '../../src/domain/support-proposal.ts';
import { hashVerificationCode } from '../../src/domain/verification-codes.ts';
import { createParticipant, createProcess, createProposals } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

async function bindingProcess() {
  const process = await createProcess(t.db);
  await t.db.process.update({ where: { id: process.id }, data: { requiresVerification: true } });
  return process;
}

describe('importVerificationCodes', () => {
  it('reads one code per line, trims, and reports duplicates and malformed lines by number', async () => {
    const process = await bindingProcess();
    const csv = ['ABC-12340', '  abc-56780  ', '', 'ABC-12340', 'no vale!', 'abc-56780', 'x'].join('\n');
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
      ok: true,
      imported: 2,
      malformed: [
        { line: 5, reason: 'not-a-code' },
        { line: 7, reason: 'too-short' },
      ],
      duplicatesInFile: [
        { line: 4, firstLine: 1 },
        { line: 6, firstLine: 2 },
      ],
      alreadyImported: [],
      headerLine: null,
    });
    const stored = await t.db.verificationCode.findMany({ where: { processId: process.id } });
    expect(stored.map((s) => s.codeHash).sort()).toEqual(
      [hashVerificationCode(process.id, 'ABC-12340'), hashVerificationCode(process.id, 'ABC-56780')].sort(),
    );
    expect(JSON.stringify(stored)).not.toMatch(/ABC|abc/);
  });

  it('reads the `code` column of a table, and reports codes imported before', async () => {
    const process = await bindingProcess();
    await importVerificationCodes(t.deps, { processId: process.id, csv: 'KK-000001\nKK-000002' });
    const csv = 'name;code;district\r\n"Ana; B";KK-000002;Centro\r\nLuis;KK-000003;Norte\r\nSolo\r\n';
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
      ok: true,
      imported: 1,
      malformed: [{ line: 4, reason: 'missing-column' }],
      duplicatesInFile: [],
      alreadyImported: [2],
      headerLine: 1,
    });
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(3);
  });

  it('refuses a table without a code column, an empty text and an unknown process', async () => {
    const process = await bindingProcess();
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv: 'a,b\n1,2' })).toEqual({
      ok: false,
      reason: 'no-code-column',
    });
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv: '\n \n' })).toEqual({
      ok: false,
      reason: 'empty',
    });
    expect(await importVerificationCodes(t.deps, { processId: 2_000_000_000, csv: 'KK-1' })).toEqual({
      ok: false,
      reason: 'process-not-found',
    });
  });
});

describe('redeemVerificationCode and isParticipantVerified', () => {
  it('verifies a participant once per process, with a code used once', async () => {
    const process = await bindingProcess();
    await importVerificationCodes(t.deps, { processId: process.id, csv: 'VV-000001\nVV-000002' });
    const ana = await createParticipant(t.db);
    const luis = await createParticipant(t.db);
    const redeem = (participantId: string, code: string) =>
      redeemVerificationCode(t.deps, { participantId, processId: process.id, code });
    expect(await isParticipantVerified(t.deps, { participantId: ana.id, processId: process.id })).toEqual({
      ok: true,
      required: true,
      verified: false,
    });
    expect(await redeem(ana.id, 'VV-009999')).toMatchObject({ ok: false, reason: 'code-wrong' });
    expect(await redeem(ana.id, ' vv-000001 ')).toEqual({ ok: true });
    expect(await redeem(luis.id, 'VV-000001')).toMatchObject({ ok: false, reason: 'code-used' });
    expect(await redeem(ana.id, 'VV-000002')).toEqual({ ok: false, reason: 'already-verified' });
    expect(await isParticipantVerified(t.deps, { participantId: ana.id, processId: process.id })).toEqual({
      ok: true,
      required: true,
      verified: true,
    });
    expect(await redeem(luis.id, 'VV-000002')).toEqual({ ok: true });
  });

  it('reads a code typed in groups, with or without its dashes, as the same code', async () => {
    const process = await bindingProcess();
    await importVerificationCodes(t.deps, {
      processId: process.id,
      csv: 'ABCD-1234-EFGH\nJKLM5678NPQR\nSTUV_9012',
    });
    const redeem = async (code: string) =>
      redeemVerificationCode(t.deps, {
        participantId: (await createParticipant(t.db)).id,
        processId: process.id,
        code,
      });
    expect(await redeem('ABCD 1234 EFGH')).toEqual({ ok: true });
    expect(await redeem('abcd1234efgh')).toMatchObject({ ok: false, reason: 'code-used' });
    expect(await redeem(' jklm-5678-npqr ')).toEqual({ ok: true });
    expect(await redeem('stuv\u00a09012')).toEqual({ ok: true });
    expect(await t.db.verificationCode.count({ where: { processId: process.id, redeemedAt: null } })).toBe(0);
  });

  it('lets one of two people typing the same code at once have it', async () => {
    const process = await bindingProcess();
    await importVerificationCodes(t.deps, { processId: process.id, csv: 'WW-000001' });
    const people = await Promise.all([createParticipant(t.db), createParticipant(t.db)]);
    const results = await Promise.all(
      people.map((p) =>
        redeemVerificationCode(t.deps, { participantId: p.id, processId: process.id, code: 'WW-000001' }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results).toContainEqual(expect.objectContaining({ ok: false, reason: 'code-used' }));
  });

  it('says a process without verification does not need it', async () => {
    const process = await createProcess(t.db);
    const ana = await createParticipant(t.db);
    expect(
      await redeemVerificationCode(t.deps, {
        participantId: ana.id,
        processId: process.id,
        code: 'VV-000001',
      }),
    ).toEqual({ ok: false, reason: 'not-required' });
    expect(await isParticipantVerified(t.deps, { participantId: ana.id, processId: process.id })).toEqual({
      ok: true,
      required: false,
      verified: false,
    });
  });
});

describe('supportProposal in a binding process', () => {
  it('refuses an unverified participant and accepts them once verified', async () => {
    const process = await bindingProcess();
    const [a] = await createProposals(t.db, process, 1);
    await importVerificationCodes(t.deps, { processId: process.id, csv: 'SS-000001' });
    const ana = await createParticipant(t.db);
    expect(await supportProposal(t.deps, { participantId: ana.id, proposalId: a! })).toEqual({
      ok: false,
      reason: 'verification-required',
    });
    await redeemVerificationCode(t.deps, { participantId: ana.id, processId: process.id, code: 'SS-000001' });
    expect(await supportProposal(t.deps, { participantId: ana.id, proposalId: a! })).toEqual({
      ok: true,
      used: 1,
      limit: 3,
    });
  });

  it('does not count a verification of another process', async () => {
    const binding = await bindingProcess();
    const other = await bindingProcess();
    const [a] = await createProposals(t.db, binding, 1);
    await importVerificationCodes(t.deps, { processId: other.id, csv: 'OO-000001' });
    const ana = await createParticipant(t.db);
    await redeemVerificationCode(t.deps, { participantId: ana.id, processId: other.id, code: 'OO-000001' });
    expect(await supportProposal(t.deps, { participantId: ana.id, proposalId: a! })).toEqual({
      ok: false,
      reason: 'verification-required',
    });
  });
});
