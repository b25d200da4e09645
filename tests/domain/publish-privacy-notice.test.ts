import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrivacyNotice } from '../../src/domain/get-privacy-notice.ts';
import { publishPrivacyNotice } from '../../src/domain/publish-privacy-notice.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

const texts = (n: number) => ({
  es: { summary: `Resumen ${n}`, fullText: `Texto completo ${n}` },
  en: { summary: `Summary ${n}`, fullText: `Full text ${n}` },
});

describe('publishPrivacyNotice', () => {
  it('numbers versions one after another, also when two admins publish at once, and audits each', async () => {
    const admin = await createStaffMember(t.db, { role: 'admin' });
    const before = (await getPrivacyNotice(t.deps, { locale: 'es' }))?.version ?? 0;
    const [a, b] = await Promise.all(
      [1, 2].map((n) =>
        publishPrivacyNotice(t.deps, { staffMemberId: admin.id, texts: texts(n), sourceIp: '10.0.0.9' }),
      ),
    );
    const versions = [a, b].map((r) => (r?.ok ? r.version : 0)).sort();
    expect(versions).toEqual([before + 1, before + 2]);
    expect(await getPrivacyNotice(t.deps, { locale: 'en' })).toMatchObject({ version: before + 2 });
    expect(
      await t.db.auditLog.count({ where: { action: 'privacy-notice.publish', sourceIp: '10.0.0.9' } }),
    ).toBe(2);
  });

  it('is for admins only, and refuses empty texts', async () => {
    const staff = await createStaffMember(t.db, { role: 'staff' });
    expect(await publishPrivacyNotice(t.deps, { staffMemberId: staff.id, texts: texts(3) })).toEqual({
      ok: false,
      reason: 'not-allowed',
    });
    const admin = await createStaffMember(t.db, { role: 'admin' });
    expect(
      await publishPrivacyNotice(t.deps, {
        staffMemberId: admin.id,
        texts: { es: { summary: '  ', fullText: 'x' } },
      }),
    ).toEqual({ ok: false, reason: 'empty-text' });
  });
});
