// POST /admin/privacy-notices over HTTP, mounted as admin-router.ts mounts it: behind bearerAuth and the
// roles privacyNoticeRoutes declares.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth, requireRole } from '../../src/admin/auth.ts';
import { createPrivacyNoticesRouter, PRIVACY_NOTICE_ROLES } from '../../src/admin/privacy-notices-router.ts';
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
});
