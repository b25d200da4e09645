// Importing verification codes: the file shapes staff actually send (a spreadsheet's export with a BOM,
// tabs, a quoted header in Spanish) and the limit. The basic cases are in verification-codes.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importVerificationCodes, MAX_IMPORTED_CODES } from '../../src/domain/import-verification-codes.ts';
import { hashVerificationCode } from '../../src/domain/verification-codes.ts';
import { createProcess } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('importVerificationCodes', () => {
  it('reads a tab-separated export with a BOM and a quoted «Código» header', async () => {
    const process = await createProcess(t.db);
    const csv = '\uFEFF"Nombre"\t"Código"\nAna\t"TAB-0001"\nLuis\t\nEva\tTAB-0002\n';
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
      ok: true,
      imported: 2,
      malformed: [{ line: 3, reason: 'not-a-code' }],
      duplicatesInFile: [],
      alreadyImported: [],
    });
    expect(
      (await t.db.verificationCode.findMany({ where: { processId: process.id }, select: { codeHash: true } }))
        .map((c) => c.codeHash)
        .sort(),
    ).toEqual(
      [hashVerificationCode(process.id, 'TAB-0001'), hashVerificationCode(process.id, 'TAB-0002')].sort(),
    );
  });

  it('the same code in two processes is two codes', async () => {
    const [a, b] = [await createProcess(t.db), await createProcess(t.db)];
    for (const p of [a, b])
      expect(await importVerificationCodes(t.deps, { processId: p.id, csv: 'SAME-0001' })).toMatchObject({
        ok: true,
        imported: 1,
        alreadyImported: [],
      });
  });

  it(`refuses more than ${MAX_IMPORTED_CODES} distinct codes and stores none`, async () => {
    const process = await createProcess(t.db);
    const csv = Array.from({ length: MAX_IMPORTED_CODES + 1 }, (_, i) => `BIG-${i}`).join('\n');
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
      ok: false,
      reason: 'too-many',
    });
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(0);
  });
});
