// Test support for the staff dashboard: the admin API as admin-router.ts will mount it (the dashboard's
// router first, then the JSON API behind bearer tokens) on the real express app, sessions in Redis under a
// random prefix of the test's own (deleted at the end), and a small cookie-keeping client that posts forms
// the way a browser does.
import { randomBytes } from 'node:crypto';
import express from 'express';
import { createAdminRouter } from '../../src/admin/admin-router.ts';
import {
  createDashboardRouter,
  type DashboardRouterDeps,
} from '../../src/admin/dashboard/dashboard-router.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { withQueues } from '../domain/harness.ts';
import { createAdminTest, type AdminTest } from './harness.ts';

const REDIS_URL = process.env.PLAZA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface DashboardTest extends AdminTest {
  redis: Redis;
  prefix: string;
  client(): DashboardClient;
  close(): Promise<void>;
}

export async function createDashboardTest(
  opts: Partial<Pick<DashboardRouterDeps, 'sessionTtlMs'>> = {},
): Promise<DashboardTest> {
  const redis = await connectRedis({ url: REDIS_URL });
  const prefix = `plazatest-${randomBytes(5).toString('hex')}`;
  const queues = await withQueues();
  const t = await createAdminTest({
    // Mounted as main.ts mounts it: the admin router brings the dashboard (and its session) along.
    routes: ({ domain, logger }) => {
      const admin = express.Router();
      if (opts.sessionTtlMs !== undefined)
        admin.use(createDashboardRouter({ domain, logger, redis, prefix, queuesBoard: true, ...opts }));
      admin.use(
        createAdminRouter({
          domain,
          logger,
          redis,
          redisPrefix: prefix,
          queues: [queues.moderation, queues.notifications, queues.broadcasts],
        }),
      );
      return [['/admin', admin]];
    },
  });
  return {
    ...t,
    redis,
    prefix,
    client: () => new DashboardClient(t.baseUrl),
    async close() {
      await t.close();
      await queues.cleanup();
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
        if (keys.length > 0) await redis.del(keys);
      }
      await redis.quit().catch(() => undefined);
    },
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Set-Cookie lines of this answer. */
  setCookies: string[];
}

/** A browser, minus the browser: keeps cookies (by name; the tests use one path each) and posts forms. */
export class DashboardClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  get origin(): string {
    return this.baseUrl;
  }

  async request(
    path: string,
    opts: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size > 0)
      headers.cookie ??= [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (opts.form) {
      body = new URLSearchParams(opts.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.baseUrl + path, {
      method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), setCookies };
  }

  /** A form post as a browser sends it from one of the server's own pages. */
  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, {
      form,
      headers: { origin: this.origin, 'sec-fetch-site': 'same-origin', ...headers },
    });
  }

  /** Opens the sign-in form and posts the token with the form's CSRF token. */
  async signIn(token: string): Promise<Answer> {
    const form = await this.request('/admin/ui/login');
    return this.post('/admin/ui/login', { _csrf: csrfOf(form.text), token });
  }
}

/** The CSRF token written into a page's forms. */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error(`no CSRF token in the page: ${page.slice(0, 500)}`);
  return match[1]!;
}
