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

  it('skips a one-column header of any name (a first line without digits) and reports short codes', async () => {
    for (const header of ['codigo_censal', 'Invitacion', '"Código censal"']) {
      const process = await createProcess(t.db);
      const csv = `\n${header}\nHDR-0001\nHDR-01\n12345678\n`;
      expect(await importVerificationCodes(t.deps, { processId: process.id, csv })).toEqual({
        ok: true,
        imported: 2,
        malformed: [{ line: 4, reason: 'too-short' }],
        duplicatesInFile: [],
        alreadyImported: [],
      });
      expect(
        await t.db.verificationCode.count({
          where: {
            processId: process.id,
            codeHash: { notIn: ['HDR-0001', '12345678'].map((c) => hashVerificationCode(process.id, c)) },
          },
        }),
      ).toBe(0);
    }
    // A first line with a digit is a code.
    const process = await createProcess(t.db);
    expect(
      await importVerificationCodes(t.deps, { processId: process.id, csv: 'FIRST-001\nSECOND-01' }),
    ).toMatchObject({ ok: true, imported: 2, malformed: [] });
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
