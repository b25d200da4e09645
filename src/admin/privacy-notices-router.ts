// Admins publish a new privacy notice version: POST /admin/privacy-notices `{ texts: { es: { summary,
// fullText }, en: {…} } }` → 201 `{ version, locales }`. Participants who consented to an older version
// are asked to accept this one at their next message. Admins only (admin-router.ts checks the roles). Both
// languages are required: people are informed in the language of their conversation (GDPR arts. 12–13), so
// a notice without English is 422 naming `texts.en`, never shown in Spanish inside English messages. The
// texts of the version in force again (the same request sent twice) publish nothing: 409
// `{ error: 'unchanged', version }`.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { DomainDeps } from '../domain/deps.ts';
import {
  MAX_NOTICE_SUMMARY,
  MAX_NOTICE_TEXT,
  publishPrivacyNotice,
} from '../domain/publish-privacy-notice.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
import { staffOf } from './auth.ts';
import {
  ANSWERS,
  bodyParserErrors,
  fieldErrors,
  invalid,
  jsonBody,
  forbidden,
  storableText,
} from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

export const PRIVACY_NOTICE_ROLES: readonly StaffRole[] = ['admin'];

const text = (max: number) =>
  storableText()
    .refine((s) => s.trim().length > 0, 'Must not be empty')
    .refine((s) => [...s].length <= max, `At most ${max} characters`);
/** One language's notice; `missing` is what a request without it is told. */
const noticeTexts = (missing: string) =>
  z.strictObject(
    { summary: text(MAX_NOTICE_SUMMARY), fullText: text(MAX_NOTICE_TEXT) },
    { error: (issue) => (issue.input === undefined ? missing : undefined) },
  );
const ENGLISH_REQUIRED =
  'Required: participants who take part in English read the notice in English (GDPR arts. 12–13)';

export const publishBody = z.strictObject({
  texts: z.strictObject({
    es: noticeTexts('Required').meta({ description: 'The notice in Spanish. Required.' }),
    en: noticeTexts(ENGLISH_REQUIRED).meta({
      description:
        'The notice in English. Required: participants who take part in English are informed in English ' +
        '(GDPR arts. 12–13), never in Spanish inside English messages.',
    }),
  }),
});

export const privacyNoticeRoutes: AdminRouteSpec[] = [
  {
    method: 'post',
    path: '/privacy-notices',
    summary:
      'Publish a new privacy notice version; participants who consented to an older one are asked to accept it',
    roles: PRIVACY_NOTICE_ROLES,
    body: publishBody,
    responses: {
      201: '`{ version, locales }`',
      400: ANSWERS.invalidJson,
      409:
        'The notice in force has these very texts (the same languages, each summary and full text the same once ' +
        'trimmed): nothing published, nobody asked again: `{ "error": "unchanged", "version": <the version in force> }`',
      413: ANSWERS.tooLarge,
      422:
        `${ANSWERS.invalid}; a notice without its English text (or its Spanish) names the missing language: ` +
        '`{ "path": "texts.en", "message": "Required: …" }`',
    },
  },
];

export function createPrivacyNoticesRouter(deps: { domain: DomainDeps }): Router {
  const router = express.Router();
  router.use(jsonBody('128kb'));
  router.post('/', async (req, res) => {
    const body = publishBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const r = await publishPrivacyNotice(deps.domain, {
      staffMemberId: staffOf(res).id,
      texts: body.data.texts,
      sourceIp: req.ip,
    });
    if (r.ok) return void res.status(201).json({ version: r.version, locales: r.locales });
    if (r.reason === 'not-allowed') return forbidden(res);
    if (r.reason === 'unchanged')
      return void res.status(409).json({ error: 'unchanged', version: r.version });
    if (r.reason === 'missing-language')
      return invalid(res, [
        { path: `texts.${r.locale}`, message: r.locale === 'en' ? ENGLISH_REQUIRED : 'Required' },
      ]);
    return invalid(res, [{ path: 'texts', message: 'Must not be empty' }]);
  });
  router.use(bodyParserErrors);
  return router;
}
