import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrivacyNotice } from '../../src/domain/get-privacy-notice.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('getPrivacyNotice', () => {
  it('gives the seeded notice in the asked language', async () => {
    expect(await getPrivacyNotice(t.deps, { locale: 'en' })).toMatchObject({
      version: 1,
      locale: 'en',
      summary: expect.stringMatching(/^• Controller: /),
    });
    expect(await getPrivacyNotice(t.deps, { locale: 'es' })).toMatchObject({ version: 1, locale: 'es' });
  });

  it('gives the highest version, in Spanish when it has no translation yet', async () => {
    await t.db.privacyNotice.create({
      data: { version: 2, locale: 'es', summary: 'Resumen v2', fullText: 'Texto completo v2' },
    });
    expect(await getPrivacyNotice(t.deps, { locale: 'en' })).toEqual({
      version: 2,
      locale: 'es',
      summary: 'Resumen v2',
      fullText: 'Texto completo v2',
    });
  });

  it('gives nothing when no notice exists', async () => {
    await t.db.privacyNotice.deleteMany();
    expect(await getPrivacyNotice(t.deps, { locale: 'es' })).toBeUndefined();
  });
});
