// Test support for the admin API: the real express app (createApp) with the admin router mounted at
// `/admin`, listening on an ephemeral port of 127.0.0.1, over a database of the test file's own. Everything
// logged (down to trace) is kept in `logs`, so tests can check what never appears there.
import { randomInt } from 'node:crypto';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type { Router } from 'express';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import { createApiToken } from '../../src/domain/create-api-token.ts';
import type { DomainDeps } from '../../src/domain/deps.ts';
import { registerStaffMember } from '../../src/domain/register-staff-member.ts';
import type { StaffRole } from '../../src/generated/prisma/enums.ts';
import { createApp } from '../../src/http/app.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createDomainTest, type DomainTest } from '../domain/harness.ts';

export interface AdminTest extends DomainTest {
  /** The domain deps the app uses (logging into `logs`). */
  domain: DomainDeps;
  logger: Logger;
  /** Every log line written so far. */
  logs: string[];
  baseUrl: string;
  /** A staff member with a fresh API token. */
  staffWithToken(opts?: { role?: StaffRole; name?: string; days?: number; at?: Date }): Promise<{
    id: string;
    name: string;
    telegramUserId: string;
    token: string;
    tokenId: string;
  }>;
  request(
    path: string,
    opts?: {
      method?: string;
      token?: string;
      json?: unknown;
      body?: string;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; headers: Headers; body: unknown }>;
}

export async function createAdminTest(
  opts: { routes?: (deps: { domain: DomainDeps; logger: Logger }) => [string, Router][] } = {},
): Promise<AdminTest & { close(): Promise<void> }> {
  const t = await createDomainTest();
  const logs: string[] = [];
  const logger = createLogger(
    'trace',
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const domain: DomainDeps = { ...t.deps, logger };
  const routes = opts.routes?.({ domain, logger }) ?? [['/admin', createAdminRouter({ domain, logger })]];
  const app = createApp({ logger, readiness: {}, routes });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    ...t,
    domain,
    logger,
    logs,
    baseUrl,
    async staffWithToken(o = {}) {
      const s = await registerStaffMember(t.deps, {
        name: o.name ?? 'Moderadora',
        role: o.role ?? 'moderator',
        telegramUserId: String(randomInt(1, 2 ** 47)),
        actor: 'test',
      });
      if (!s.ok) throw new Error(s.reason);
      const r = await createApiToken(o.at ? t.at(o.at) : t.deps, {
        id: s.staff.id,
        days: o.days,
        actor: 'test',
      });
      if (!r.ok) throw new Error(r.reason);
      return {
        id: s.staff.id,
        name: s.staff.name,
        telegramUserId: s.staff.telegramUserId!,
        token: r.token,
        tokenId: r.tokenId,
      };
    },
    async request(path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body = o.body;
      if (o.json !== undefined) {
        body = JSON.stringify(o.json);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(baseUrl + path, {
        method: o.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Left as text: the test's expectation on `body` will show it.
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await t.cleanup();
    },
  };
}
