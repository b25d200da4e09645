// The admin API, mounted once at `/admin`: every request is authenticated (Bearer API token) before any
// body is read; each part then checks the roles it admits. Answers are never cached.
import express, { type Router } from 'express';
import type { DomainDeps } from '../domain/deps.ts';
import type { Logger } from '../logger.ts';
import { bearerAuth, MODERATION_ROLES, requireRole } from './auth.ts';
import { createModerationRouter } from './moderation-router.ts';
import { BROADCAST_ROLES, createBroadcastsRouter } from './broadcasts-router.ts';
import { createQueuesBoard } from './queues-board.ts';
import { createProposalsRouter, PROPOSAL_ROLES } from './proposals-router.ts';
import type { Queue } from 'bullmq';

export interface AdminRouterDeps {
  domain: DomainDeps;
  logger: Logger;
  /** Shown on the queues board (bull-board) at /admin/queues. */
  queues?: Queue[];
}

export function createAdminRouter(deps: AdminRouterDeps): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // The board authenticates itself (a browser page: token once, then a cookie of its own).
  if (deps.queues) router.use('/queues', createQueuesBoard({ ...deps, queues: deps.queues }));
  router.use(bearerAuth(deps));
  router.use('/broadcasts', requireRole(BROADCAST_ROLES), createBroadcastsRouter(deps));
  router.use('/proposals', requireRole(PROPOSAL_ROLES), createProposalsRouter(deps));
  router.use(requireRole(MODERATION_ROLES), createModerationRouter(deps));
  return router;
}
