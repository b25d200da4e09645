// Staff answer proposals: POST /admin/proposals/:id/answer `{ status?: 'selected' | 'not_selected',
// answer?: string }` (at least one). Staff and admins only (admin-router.ts checks proposalRoutes' roles).
// The author, supporters and followers are told. Answers as the other admin routers (http-answers.ts);
// a status given before the process's voting is over, or `not_selected` for a proposal with commitments
// linked to it, is a conflict: 409 `{ error: 'too-early' | 'has-commitments' }` (answer-proposal.ts).
import express, { type Router } from 'express';
import { z } from 'zod';
import { answerProposal, MAX_ANSWER } from '../domain/answer-proposal.ts';
import type { DomainDeps } from '../domain/deps.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
import { staffOf } from './auth.ts';
import {
  ANSWERS,
  bodyParserErrors,
  fieldErrors,
  idParam,
  idParams,
  invalid,
  jsonBody,
  notFound,
  forbidden,
  storableText,
} from './http-answers.ts';
import type { AdminRouteSpec } from './route-spec.ts';

export const PROPOSAL_ROLES: readonly StaffRole[] = ['admin', 'staff'];

export const answerBody = z
  .strictObject({
    status: z.enum(['selected', 'not_selected']).optional(),
    answer: storableText()
      .trim()
      .min(1)
      .refine((s) => [...s].length <= MAX_ANSWER, `At most ${MAX_ANSWER} characters`)
      .optional(),
  })
  .refine((b) => b.status !== undefined || b.answer !== undefined, {
    message: 'Give a status, an answer or both',
    path: ['answer'],
  })
  .meta({ description: 'Give a status, an answer or both.' });

/** The endpoints this router serves, relative to /admin (admin-router.ts mounts it at /proposals). */
export const proposalRoutes: AdminRouteSpec[] = [
  {
    method: 'post',
    path: '/proposals/:id/answer',
    summary:
      'Answer a proposal (selected or not, and/or a text); its author, supporters and followers are told',
    roles: PROPOSAL_ROLES,
    params: idParams,
    body: answerBody,
    responses: {
      200: '`{ id, status, answer, answeredAt }`',
      400: ANSWERS.invalidJson,
      404: ANSWERS.notFound,
      409: 'A status before the process\'s voting is over (or, without voting, its proposals phase), or `not_selected` for a proposal with commitments linked to it: `{ "error": "too-early" | "has-commitments" }`',
      413: ANSWERS.tooLarge,
      422: ANSWERS.invalid,
    },
  },
];

export function createProposalsRouter(deps: { domain: DomainDeps }): Router {
  const router = express.Router();
  router.use(jsonBody('16kb'));
  router.post('/:id/answer', async (req, res) => {
    const id = idParam(req);
    if (id === undefined) return notFound(res);
    const body = answerBody.safeParse(req.body ?? {});
    if (!body.success) return invalid(res, fieldErrors(body.error, 'body'));
    const r = await answerProposal(deps.domain, {
      staffMemberId: staffOf(res).id,
      proposalId: id,
      ...body.data,
      sourceIp: req.ip,
    });
    if (r.ok) return void res.json(r.proposal);
    if (r.reason === 'not-found') return notFound(res);
    if (r.reason === 'not-allowed') return forbidden(res);
    if (r.reason === 'too-early' || r.reason === 'has-commitments')
      return void res.status(409).json({ error: r.reason });
    return invalid(res, [{ path: 'answer', message: r.reason }]);
  });
  router.use(bodyParserErrors);
  return router;
}
