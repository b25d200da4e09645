// Importing verification codes: the file shapes staff actually send (a spreadsheet's export with a BOM,
// tabs, a quoted header in Spanish, a one-column list under a header of its own), short codes, atomicity
// and the limit. The basic cases are in verification-codes.test.ts.
import { randomUUID } from 'node:crypto';
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
    const csv = '\uFEFF"Nombre"\t"Código"\nAna\t"TAB-00010"\nLuis\t\nEva\tTAB-00020\n';
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
      ok: true,
      imported: 2,
      malformed: [{ line: 3, reason: 'not-a-code' }],
      duplicatesInFile: [],
      alreadyImported: [],
      headerLine: 1,
    });
    expect(
      (await t.db.verificationCode.findMany({ where: { processId: process.id }, select: { codeHash: true } }))
        .map((c) => c.codeHash)
        .sort(),
    ).toEqual(
      [hashVerificationCode(process.id, 'TAB-00010'), hashVerificationCode(process.id, 'TAB-00020')].sort(),
    );
  });

  it('skips a first line only when it is a header word, says so, and reports short codes', async () => {
    for (const header of ['code', 'CODES', '"Código"', ' códigos ', 'Codigo', '"codigos"']) {
      const process = await createProcess(t.db);
      const csv = `\uFEFF\n${header}\nHDR-00010\nHDR-01\n12345678\n`;
      expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
        ok: true,
        imported: 2,
        malformed: [{ line: 4, reason: 'too-short' }],
        duplicatesInFile: [],
        alreadyImported: [],
        headerLine: 2,
      });
      expect(
        await t.db.verificationCode.count({
          where: {
            processId: process.id,
            codeHash: { notIn: ['HDR-00010', '12345678'].map((c) => hashVerificationCode(process.id, c)) },
          },
        }),
      ).toBe(0);
    }
  });

  it('reads any other first line as a code, letters only or not, and says no line was skipped', async () => {
    const letters = await createProcess(t.db);
    // A list of letter-only codes: its first code is a code (it used to be taken for a header, unsaid).
    expect(
      await importVerificationCodes(t.deps, { processId: letters.id, csv: 'ABCDEFGHJK\nLMNPQRSTUV' }),
    ).toEqual({
      ok: true,
      imported: 2,
      malformed: [],
      duplicatesInFile: [],
      alreadyImported: [],
      headerLine: null,
    });
    expect(
      await t.db.verificationCode.count({
        where: { processId: letters.id, codeHash: hashVerificationCode(letters.id, 'ABCDEFGHJK') },
      }),
    ).toBe(1);
    // A header of another name is not guessed at: the answer says every line was read as a code, and one
    // that cannot be a code is reported by its line.
    const named = await createProcess(t.db);
    expect(
      await importVerificationCodes(t.deps, {
        processId: named.id,
        csv: 'census_2025\nABCD-0001-XYZ\nABCD-0002-XYZ',
      }),
    ).toMatchObject({ ok: true, imported: 3, malformed: [], headerLine: null });
    const spaced = await createProcess(t.db);
    expect(
      await importVerificationCodes(t.deps, { processId: spaced.id, csv: 'Código censal\nABCD-0001-XYZ' }),
    ).toMatchObject({
      ok: true,
      imported: 1,
      malformed: [{ line: 1, reason: 'not-a-code' }],
      headerLine: null,
    });
  });

  it('imports a code however it is written (groups, dashes, case) once, and reports the others as duplicates', async () => {
    const process = await createProcess(t.db);
    const csv = 'codigo\nABCD 1234 EFGH\nabcd-1234-efgh\nABCD1234EFGH\nAB-12\nA-B-C-D-1-2-3-4';
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
      ok: true,
      imported: 2,
      malformed: [{ line: 5, reason: 'too-short' }],
      duplicatesInFile: [
        { line: 3, firstLine: 2 },
        { line: 4, firstLine: 2 },
      ],
      alreadyImported: [],
      headerLine: 1,
    });
    expect(
      await importVerificationCodes(t.deps, { processId: process.id, csv: 'abcd_1234_efgh\nABCD1234' }),
    ).toMatchObject({ imported: 0, alreadyImported: [1, 2] });
  });

  it('imports nothing when the import fails before its end (the audit row included)', async () => {
    const process = await createProcess(t.db);
    const failingAudit = new Proxy(t.db, {
      get(target, key, receiver) {
        if (key === '$transaction')
          return (fn: (tx: unknown) => Promise<unknown>, options?: unknown) =>
            target.$transaction(
              (tx) =>
                fn(
                  new Proxy(tx, {
                    get(txTarget, txKey, txReceiver) {
                      if (txKey === 'auditLog')
                        return { create: () => Promise.reject(new Error('audit log went away')) };
                      return Reflect.get(txTarget, txKey, txReceiver) as unknown;
                    },
                  }),
                ),
              options as Parameters<typeof target.$transaction>[1],
            );
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    await expect(
      importVerificationCodes(
        { ...t.deps, db: failingAudit },
        { processId: process.id, csv: 'ATOM-0001\nATOM-0002', staffMemberId: randomUUID() },
      ),
    ).rejects.toThrow('audit log went away');
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(0);
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
    const csv = Array.from({ length: MAX_IMPORTED_CODES + 1 }, (_, i) => `BIG-CODE-${i}`).join('\n');
    expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
      ok: false,
      reason: 'too-many',
    });
    expect(await t.db.verificationCode.count({ where: { processId: process.id } })).toBe(0);
  });
});
