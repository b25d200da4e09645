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
        texts: { es: { summary: '  ', fullText: 'x' }, en: { summary: 'Summary', fullText: 'x' } },
      }),
    ).toEqual({ ok: false, reason: 'empty-text' });
  });

  it('refuses a notice without English text: English speakers would read it in Spanish', async () => {
    const admin = await createStaffMember(t.db, { role: 'admin' });
    const rows = () => t.db.privacyNotice.count();
    const before = await rows();
    const spanishOnly = { es: texts(6).es } as Parameters<typeof publishPrivacyNotice>[1]['texts'];
    expect(await publishPrivacyNotice(t.deps, { staffMemberId: admin.id, texts: spanishOnly })).toEqual({
      ok: false,
      reason: 'missing-language',
      locale: 'en',
    });
    expect(await rows()).toBe(before);
  });

  it('refuses a notice identical to the one in force (same texts in every language): nothing published', async () => {
    const admin = await createStaffMember(t.db, { role: 'admin' });
    const published = await publishPrivacyNotice(t.deps, { staffMemberId: admin.id, texts: texts(4) });
    if (!published.ok) throw new Error(published.reason);
    const { version } = published;
    const rows = () => t.db.privacyNotice.count();
    const audits = () => t.db.auditLog.count({ where: { action: 'privacy-notice.publish' } });
    const before = { rows: await rows(), audits: await audits() };
    expect(await publishPrivacyNotice(t.deps, { staffMemberId: admin.id, texts: texts(4) })).toEqual({
      ok: false,
      reason: 'unchanged',
      version,
    });
    // Compared as stored: trimmed.
    const spaced = {
      es: { summary: ' Resumen 4 ', fullText: 'Texto completo 4\n' },
      en: { summary: 'Summary 4', fullText: '  Full text 4' },
    };
    expect(await publishPrivacyNotice(t.deps, { staffMemberId: admin.id, texts: spaced })).toEqual({
      ok: false,
      reason: 'unchanged',
      version,
    });
    expect({ rows: await rows(), audits: await audits() }).toEqual(before);
    expect(await getPrivacyNotice(t.deps, { locale: 'es' })).toMatchObject({ version });

    // One text changed, in either language, is a new version.
    const edited = await publishPrivacyNotice(t.deps, {
      staffMemberId: admin.id,
      texts: { ...texts(4), en: { summary: 'Summary 4', fullText: 'Full text 4, corrected' } },
    });
    expect(edited).toMatchObject({ ok: true, version: version + 1 });
    const back = await publishPrivacyNotice(t.deps, { staffMemberId: admin.id, texts: texts(4) });
    expect(back).toMatchObject({ ok: true, version: version + 2 });
  });

  it('publishes one version when the same notice is sent several times at once', async () => {
    const admin = await createStaffMember(t.db, { role: 'admin' });
    const before = (await getPrivacyNotice(t.deps, { locale: 'es' }))?.version ?? 0;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        publishPrivacyNotice(t.deps, { staffMemberId: admin.id, texts: texts(5) }),
      ),
    );
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, version: before + 1, locales: ['es', 'en'] }]);
    expect(results.filter((r) => !r.ok)).toEqual(
      Array(3).fill({ ok: false, reason: 'unchanged', version: before + 1 }),
    );
  });
});
