// POST /admin/privacy-notices over HTTP, mounted as admin-router.ts mounts it: behind bearerAuth and the
// roles privacyNoticeRoutes declares.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, requireRole } from '../../src/admin/auth.ts';
import { buildOpenApiDocument } from '../../src/admin/openapi.ts';
import {
  createPrivacyNoticesRouter,
  PRIVACY_NOTICE_ROLES,
  privacyNoticeRoutes,
} from '../../src/admin/privacy-notices-router.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

let t: AdminTest & { close(): Promise<void> };
let admin: { token: string };
beforeAll(async () => {
  t = await createAdminTest({
    routes: ({ domain, logger }) => {
      const router = express.Router();
      router.use(bearerAuth({ domain, logger }));
      router.use(
        '/privacy-notices',
        requireRole(PRIVACY_NOTICE_ROLES),
        createPrivacyNoticesRouter({ domain }),
      );
      return [['/admin', router]];
    },
  });
  admin = await t.staffWithToken({ role: 'admin' });
});
afterAll(() => t?.close());

type JsonSchema = { properties?: Record<string, JsonSchema>; required?: string[]; description?: string };
const publish = (json: unknown) => t.request('/admin/privacy-notices', { token: admin.token, json });

describe('POST /admin/privacy-notices', () => {
  it('publishes a new version; the same texts again (a double click, a retry) are 409 unchanged', async () => {
    const json = {
      texts: {
        es: { summary: 'Guardamos lo mínimo.', fullText: 'Aviso de privacidad completo, versión de prueba.' },
        en: { summary: 'We keep the minimum.', fullText: 'Full privacy notice, test version.' },
      },
    };
    const first = await publish(json);
    expect(first).toMatchObject({
      status: 201,
      body: { version: expect.any(Number), locales: ['es', 'en'] },
    });
    const { version } = first.body as { version: number };
    const versions = () => t.db.privacyNotice.count();
    const before = await versions();
    expect(await publish(json)).toMatchObject({ status: 409, body: { error: 'unchanged', version } });
    expect(await versions()).toBe(before);
    // A changed text is a new version.
    expect(
      await publish({ texts: { ...json.texts, en: { ...json.texts.en, summary: 'We keep very little.' } } }),
    ).toMatchObject({ status: 201, body: { version: version + 1 } });
  });

  it('refuses a notice without English text (422, naming texts.en): English speakers would read it in Spanish', async () => {
    const es = {
      summary: 'Guardamos lo mínimo.',
      fullText: 'Aviso de privacidad completo, solo en español.',
    };
    const versions = () => t.db.privacyNotice.count();
    const before = await versions();
    for (const texts of [{ es }, { es, en: undefined }]) {
      const answer = await publish({ texts });
      expect(answer).toMatchObject({ status: 422, body: { error: 'invalid-request' } });
      expect((answer.body as { fields: { path: string }[] }).fields).toEqual([
        { path: 'texts.en', message: expect.stringMatching(/^Required/) },
      ]);
    }
    expect(await publish({ texts: { es, en: { summary: ' ', fullText: 'Full notice.' } } })).toMatchObject({
      status: 422,
      body: { fields: [{ path: 'texts.en.summary' }] },
    });
    expect(await versions()).toBe(before);
  });

  it('documents English as required in the OpenAPI document', () => {
    const doc = buildOpenApiDocument(privacyNoticeRoutes);
    const post = doc.paths['/privacy-notices']?.post as {
      requestBody: { content: { 'application/json': { schema: JsonSchema } } };
      responses: Record<string, { description: string }>;
    };
    const texts = post.requestBody.content['application/json'].schema.properties!.texts!;
    expect(texts.required).toEqual(['es', 'en']);
    expect(texts.properties!.en!.description).toMatch(/Required/);
    expect(post.responses['422']!.description).toMatch(/texts\.en/);
  });
});
