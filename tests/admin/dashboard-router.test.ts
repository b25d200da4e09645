// The staff dashboard at /admin: sign-in with an API token exchanged for a Redis session, the cookie's
// flags, expiry and sign-out, CSRF refusals, the headers of every answer, what each role sees, and citizens'
// text shown as text.
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardRouter } from '../../src/admin/dashboard/dashboard-router.ts';
import { SESSION_COOKIE } from '../../src/admin/dashboard/session-store.ts';
import { revokeApiToken } from '../../src/domain/revoke-api-token.ts';
import { createApp } from '../../src/http/app.ts';
import { createCase, createParticipant, createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { DAY } from '../domain/harness.ts';
import {
  createDashboardTest,
  csrfOf,
  DashboardClient,
  type Answer,
  type DashboardTest,
} from './dashboard-support.ts';

let t: DashboardTest;
let process: ProcessFixture;
beforeAll(async () => {
  t = await createDashboardTest();
  process = await createProcess(t.db, {
    phase: 'proposals',
    acceptsProposals: true,
    title: 'Parques del barrio',
  });
});
afterAll(() => t?.close());

const sessionKey = (id: string) =>
  `${t.prefix}:dash:session:${createHash('sha256').update(id).digest('hex')}`;

function expectSecureHeaders(answer: Answer): void {
  const csp = answer.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
  expect(answer.headers.get('cache-control')).toBe('no-store');
}

async function signedIn(role: 'admin' | 'staff' | 'moderator', name?: string) {
  const staff = await t.staffWithToken({ role, name });
  const client = t.client();
  const answer = await client.signIn(staff.token);
  expect(answer.status).toBe(303);
  const page = await client.request('/admin');
  expect(page.status).toBe(200);
  return { staff, client, csrf: csrfOf(page.text), page };
}

const caseState = (caseId: number) =>
  t.db.moderationCase.findUniqueOrThrow({
    where: { id: caseId },
    select: { decidedAt: true, decision: true, decisionReason: true },
  });

describe('signing in', () => {
  it('sends visitors without a session to the sign-in form, which never shows a token', async () => {
    const client = t.client();
    const page = await client.request('/admin');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/ui/login?lang=es');
    expectSecureHeaders(page);
    const form = await client.request('/admin/ui/login');
    expect(form.status).toBe(200);
    expectSecureHeaders(form);
    expect(form.headers.get('content-type')).toMatch(/^text\/html/);
    expect(form.text).toContain('<form method="post" action="/admin/ui/login"');
    expect(form.text).toContain('type="password"');
    expect(form.text).not.toContain('<script');
    const login = form.setCookies.find((c) => c.startsWith('plaza_dashboard_login='))!;
    expect(login).toMatch(/HttpOnly/i);
    expect(login).toMatch(/SameSite=Strict/i);
  });

  it('exchanges a good token for a session: a random id in a strict HttpOnly cookie, the session in Redis for 8 h', async () => {
    const staff = await t.staffWithToken({ role: 'staff', name: 'Ana Gestora' });
    const client = t.client();
    const answer = await client.signIn(staff.token);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/admin?lang=es');
    expectSecureHeaders(answer);
    const cookie = answer.setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin(;|$)/);
    expect(cookie).toMatch(/Max-Age=28800/);
    expect(cookie).not.toMatch(/Secure/i);
    const id = client.cookies.get(SESSION_COOKIE)!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(id).not.toContain(staff.token);

    // Stored under the id's hash, with its expiry, holding the token's id and never the token.
    expect(await t.redis.exists(`${t.prefix}:dash:session:${id}`)).toBe(0);
    const stored = await t.redis.get(sessionKey(id));
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(staff.token);
    expect(JSON.parse(stored!)).toMatchObject({ staffId: staff.id, tokenId: staff.tokenId });
    const ttl = await t.redis.pTTL(sessionKey(id));
    expect(ttl).toBeGreaterThan(8 * 3600 * 1000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(8 * 3600 * 1000);

    const page = await client.request('/admin');
    expect(page.status).toBe(200);
    expectSecureHeaders(page);
    expect(page.text).toContain('Ana Gestora');
    expect(page.text).not.toContain(staff.token);
    expect(t.logs.join('')).not.toContain(staff.token);
    // The login form's cookie is spent.
    expect(client.cookies.has('plaza_dashboard_login')).toBe(false);
  });

  it('refuses bad, expired and revoked tokens alike, with no session', async () => {
    const expired = await t.staffWithToken({ role: 'staff', days: 1, at: new Date(Date.now() - 2 * DAY) });
    const revoked = await t.staffWithToken({ role: 'staff' });
    expect((await revokeApiToken(t.deps, { tokenId: revoked.tokenId, actor: 'test' })).ok).toBe(true);
    for (const token of ['plaza_' + 'x'.repeat(43), 'not a token', expired.token, revoked.token]) {
      const client = t.client();
      const answer = await client.signIn(token);
      expect(answer.status, token).toBe(401);
      expect(answer.text).toContain('Ese token no sirve');
      expect(answer.text).not.toContain(token);
      expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
      expect((await client.request('/admin')).status).toBe(303);
    }
  });

  it('marks the cookie Secure behind a trusted proxy that says the request was HTTPS', async () => {
    const app = createApp({
      logger: t.logger,
      readiness: {},
      trustProxy: 'loopback',
      routes: [
        [
          '/admin',
          createDashboardRouter({ domain: t.domain, logger: t.logger, redis: t.redis, prefix: t.prefix }),
        ],
      ],
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const staff = await t.staffWithToken({ role: 'moderator' });
      const client = new DashboardClient(base);
      const https = { 'x-forwarded-proto': 'https' };
      const form = await client.request('/admin/ui/login', { headers: https });
      expect(form.setCookies[0]).toMatch(/Secure/);
      // The browser's Origin is the public https one.
      const host = new URL(base).host;
      const answer = await client.request('/admin/ui/login', {
        form: { _csrf: csrfOf(form.text), token: staff.token },
        headers: { ...https, origin: `https://${host}`, 'sec-fetch-site': 'same-origin' },
      });
      expect(answer.status).toBe(303);
      expect(answer.setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/; Secure/);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});

describe('the session', () => {
  it('ends when it expires in Redis', async () => {
    const { client } = await signedIn('moderator');
    await t.redis.pExpire(sessionKey(client.cookies.get(SESSION_COOKIE)!), 1);
    await new Promise((r) => setTimeout(r, 20));
    const page = await client.request('/admin');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/admin\/ui\/login/);
  });

  it('ends when its token is revoked or expires, or its holder is disabled', async () => {
    const { client, staff } = await signedIn('staff');
    await revokeApiToken(t.deps, { tokenId: staff.tokenId, actor: 'test' });
    expect((await client.request('/admin')).status).toBe(303);
    expect(await t.redis.exists(sessionKey(client.cookies.get(SESSION_COOKIE)!))).toBe(0);

    const other = await signedIn('moderator');
    await t.db.staffMember.update({ where: { id: other.staff.id }, data: { disabledAt: new Date() } });
    expect((await other.client.request('/admin')).status).toBe(303);

    const third = await signedIn('moderator');
    await t.db.apiToken.update({ where: { id: third.staff.tokenId }, data: { expiresAt: new Date() } });
    expect((await third.client.request('/admin')).status).toBe(303);
  });

  it("follows the holder's role: staff demoted to moderator see the queue only at the next page", async () => {
    const { client, staff, page } = await signedIn('staff');
    expect(page.text).toContain('id="figures"');
    await t.db.staffMember.update({ where: { id: staff.id }, data: { role: 'moderator' } });
    const after = await client.request('/admin');
    expect(after.status).toBe(200);
    expect(after.text).not.toContain('id="figures"');
    expect(after.text).not.toContain('id="broadcasts"');
  });

  it('gets a new id at every sign-in, and the session held before ends', async () => {
    const { client, staff } = await signedIn('moderator');
    const before = client.cookies.get(SESSION_COOKIE)!;
    // Signed in, the form sends you to the page; fetched without the cookie, then posted with it.
    expect((await client.request('/admin/ui/login')).status).toBe(303);
    client.cookies.delete(SESSION_COOKIE);
    const form = await client.request('/admin/ui/login');
    client.cookies.set(SESSION_COOKIE, before);
    expect(
      (await client.post('/admin/ui/login', { _csrf: csrfOf(form.text), token: staff.token })).status,
    ).toBe(303);
    const after = client.cookies.get(SESSION_COOKIE)!;
    expect(after).not.toBe(before);
    expect(await t.redis.exists(sessionKey(before))).toBe(0);
    expect(await t.redis.exists(sessionKey(after))).toBe(1);
  });

  it('signs out: the session is deleted and the cookie cleared; not without the form token', async () => {
    const { client, csrf } = await signedIn('moderator');
    const id = client.cookies.get(SESSION_COOKIE)!;
    const stale = `${SESSION_COOKIE}=${id}`;

    expect((await client.post('/admin/ui/logout', { _csrf: 'wrong' })).status).toBe(403);
    expect(await t.redis.exists(sessionKey(id))).toBe(1);

    const out = await client.post('/admin/ui/logout', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/admin/ui/login?lang=es');
    expect(out.setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=;`))).toMatch(/Path=\/admin/);
    expect(await t.redis.exists(sessionKey(id))).toBe(0);
    // The old cookie, replayed, opens nothing.
    expect((await client.request('/admin', { headers: { cookie: stale } })).status).toBe(303);
  });

  it('reads the JSON API on its session, but never writes through it: writes want the Bearer token', async () => {
    const { client, staff } = await signedIn('admin');
    expect((await client.request('/admin/moderation')).status).toBe(200);
    const { caseId } = await createCase(t.db, process);
    const write = await client.request(`/admin/moderation/${caseId}/decision`, {
      method: 'POST',
      form: { decision: 'approve' },
      headers: { origin: t.baseUrl },
    });
    expect(write.status).toBe(401);
    expect(JSON.parse(write.text)).toEqual({ error: 'unauthorized' });
    expect((await t.db.moderationCase.findUniqueOrThrow({ where: { id: caseId } })).decidedAt).toBeNull();
    const bearer = await t.request('/admin/moderation', { token: staff.token });
    expect(bearer.status).toBe(200);
  });
});

describe('forged requests', () => {
  it('refuses a decision without the form token, with a wrong one, or from another site: nothing is decided', async () => {
    const { client, csrf } = await signedIn('moderator');
    const { caseId } = await createCase(t.db, process);
    const path = `/admin/ui/moderation/${caseId}/decide`;
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [{ decision: 'approve' }, {}],
      [{ decision: 'approve', _csrf: 'x'.repeat(43) }, {}],
      [{ decision: 'approve', _csrf: csrf }, { origin: 'https://evil.example' }],
      [
        { decision: 'approve', _csrf: csrf },
        { origin: 'null', 'sec-fetch-site': 'cross-site' },
      ],
      [
        { decision: 'approve', _csrf: csrf },
        { origin: 'null', 'sec-fetch-site': 'same-site' },
      ],
    ];
    for (const [form, headers] of attempts) {
      const answer = await client.post(path, form, headers);
      expect(answer.status, JSON.stringify([form, headers])).toBe(403);
      expectSecureHeaders(answer);
      expect(answer.text).toContain('CSRF');
    }
    // A cross-site form post as a browser sends it: no cookie at all (SameSite=Strict), no token.
    const bare = await fetch(t.baseUrl + path, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approve',
      redirect: 'manual',
    });
    expect(bare.status).toBe(403);
    expect(await caseState(caseId)).toMatchObject({ decidedAt: null, decision: null });
    expect(
      await t.db.auditLog.count({
        where: { targetId: String(caseId), action: { startsWith: 'moderation.' } },
      }),
    ).toBe(0);
  });

  it('accepts the same post from the page (Origin: null under no-referrer, Sec-Fetch-Site: same-origin)', async () => {
    const { client, csrf } = await signedIn('moderator');
    const { caseId } = await createCase(t.db, process);
    const answer = await client.post(
      `/admin/ui/moderation/${caseId}/decide`,
      { _csrf: csrf, decision: 'approve', lang: 'es' },
      { origin: 'null' },
    );
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/admin?lang=es&decided=${caseId}#moderation`);
    expect(await caseState(caseId)).toMatchObject({ decision: 'approve' });
  });

  it('refuses a sign-in whose form token does not match the sign-in cookie, or from another site', async () => {
    const staff = await t.staffWithToken({ role: 'staff' });
    const client = t.client();
    const form = await client.request('/admin/ui/login');
    const csrf = csrfOf(form.text);
    expect((await client.post('/admin/ui/login', { _csrf: 'forged', token: staff.token })).status).toBe(403);
    expect(
      (
        await client.post(
          '/admin/ui/login',
          { _csrf: csrf, token: staff.token },
          { origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    const noCookie = new DashboardClient(t.baseUrl);
    expect((await noCookie.post('/admin/ui/login', { _csrf: csrf, token: staff.token })).status).toBe(403);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await client.post('/admin/ui/login', { _csrf: csrf, token: staff.token })).status).toBe(303);
  });
});

describe('moderating from the page', () => {
  it('approves, rejects with a preset or typed reason, redacts; a rejection needs a reason', async () => {
    const { client, csrf, staff } = await signedIn('moderator', 'Lucía');
    const approve = await createCase(t.db, process);
    const preset = await createCase(t.db, process);
    const typed = await createCase(t.db, process);
    const redact = await createCase(t.db, process, { body: 'Llamadme al 612345678 para hablarlo.' });
    const nothing = await createCase(t.db, process);
    const decide = (caseId: number, form: Record<string, string>) =>
      client.post(`/admin/ui/moderation/${caseId}/decide`, { _csrf: csrf, ...form });

    const listed = await client.request('/admin');
    for (const c of [approve, preset, typed, redact]) expect(listed.text).toContain(`id="case-${c.caseId}"`);

    expect((await decide(approve.caseId, { decision: 'approve' })).status).toBe(303);
    const page = await client.request(`/admin?decided=${approve.caseId}`);
    expect(page.text).toContain(`Caso #${approve.caseId}: aprobado (<bdi>Lucía</bdi>).`);
    expect(page.text).not.toContain(`id="case-${approve.caseId}"`);

    const missing = await decide(preset.caseId, { decision: 'reject', preset: '', reason: '  ' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Para rechazar hace falta un motivo.');
    expect(await caseState(preset.caseId)).toMatchObject({ decidedAt: null });

    expect((await decide(preset.caseId, { decision: 'reject', preset: 'spam', reason: '' })).status).toBe(
      303,
    );
    expect(await caseState(preset.caseId)).toMatchObject({ decision: 'reject', decisionReason: 'spam' });
    expect(
      (await decide(typed.caseId, { decision: 'reject', preset: 'spam', reason: 'Fuera de plazo' })).status,
    ).toBe(303);
    expect(await caseState(typed.caseId)).toMatchObject({
      decision: 'reject',
      decisionReason: 'Fuera de plazo',
    });

    expect((await decide(redact.caseId, { decision: 'redact_approve' })).status).toBe(303);
    const redacted = await t.db.proposal.findUniqueOrThrow({ where: { id: redact.proposalId } });
    expect(redacted.body).not.toContain('612345678');
    expect(redacted.status).toBe('published');
    const nothingToRedact = await decide(nothing.caseId, { decision: 'redact_approve' });
    expect(nothingToRedact.status).toBe(422);
    expect(nothingToRedact.text).toContain('No hay datos personales que tapar');

    // Audited with who and from where, as every decision.
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: 'moderation.approve', targetId: String(approve.proposalId) },
    });
    expect(audit).toMatchObject({
      actor: `staff:${staff.id}`,
      sourceIp: expect.stringContaining('127.0.0.1'),
    });
  });

  it('tells the loser of a race who decided first', async () => {
    const first = await signedIn('moderator', 'Marta Primera');
    const second = await signedIn('staff', 'Pablo Segundo');
    const { caseId } = await createCase(t.db, process);
    expect(
      (
        await first.client.post(`/admin/ui/moderation/${caseId}/decide`, {
          _csrf: first.csrf,
          decision: 'approve',
        })
      ).status,
    ).toBe(303);
    const late = await second.client.post(`/admin/ui/moderation/${caseId}/decide`, {
      _csrf: second.csrf,
      decision: 'reject',
      preset: 'spam',
    });
    expect(late.status).toBe(409);
    expect(late.text).toContain(
      `El caso #${caseId} ya lo había decidido <bdi>Marta Primera</bdi>: aprobado.`,
    );
    expect(await caseState(caseId)).toMatchObject({ decision: 'approve' });
  });

  it('from a stale page, says a first review that reports closed is reviewed now as a report, and leads to it', async () => {
    const own = await createProcess(t.db, { phase: 'proposals', title: 'Denuncias' });
    const { client, csrf } = await signedIn('moderator', 'Marta Tardía');
    const { caseId, proposalId } = await createCase(t.db, own, { status: 'published' });
    expect((await client.request(`/admin?process=${own.id}`)).text).toContain(`id="case-${caseId}"`);
    // Meanwhile reports hide the proposal (reopenAsReported): the first review is closed without a
    // decision and a reported case opened in its place.
    const closedAt = new Date();
    await t.db.proposal.update({
      where: { id: proposalId },
      data: { status: 'hidden', hiddenFrom: 'published' },
    });
    await t.db.moderationCase.update({
      where: { id: caseId },
      data: { decidedAt: closedAt, settledAt: closedAt },
    });
    const reported = await t.db.moderationCase.create({
      data: { processId: own.id, itemKind: 'proposal', proposalId, reason: 'reported', openedAt: closedAt },
    });

    const late = await client.post(`/admin/ui/moderation/${caseId}/decide?process=${own.id}`, {
      _csrf: csrf,
      decision: 'approve',
    });
    expect(late.status).toBe(409);
    expect(late.text).not.toContain('ya lo había decidido');
    expect(late.text).toContain(
      `El caso #${caseId} se cerró sin decisión: las denuncias ocultaron el contenido antes de la revisión; ahora se revisa como denuncia en el caso #${reported.id}.`,
    );
    // Its card is on this page: the notice leads to it.
    expect(late.text).toContain(`id="case-${reported.id}"`);
    expect(late.text).toContain(`<a href="#case-${reported.id}">Ir al caso #${reported.id}</a>`);
    expect(await caseState(caseId)).toMatchObject({ decision: null });
    expect(await t.db.proposal.findUniqueOrThrow({ where: { id: proposalId } })).toMatchObject({
      status: 'hidden',
    });

    // A page that does not show it (new cases only): the link opens the process's reported cases.
    const elsewhere = await client.post(
      `/admin/ui/moderation/${caseId}/decide?process=${own.id}&reason=submitted`,
      { _csrf: csrf, decision: 'reject', preset: 'spam', lang: 'en' },
    );
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.text).not.toContain(`id="case-${reported.id}"`);
    expect(elsewhere.text).toContain(
      `Case #${caseId} was closed without a decision: reports hid the content before the review; it is now reviewed as a report in case #${reported.id}.`,
    );
    expect(elsewhere.text).toContain(
      `<a href="/admin?lang=en&amp;process=${own.id}&amp;reason=reported#case-${reported.id}">Go to case #${reported.id}</a>`,
    );

    // The reported case decided since: said where it went, with no card to lead to.
    await t.db.moderationCase.update({
      where: { id: reported.id },
      data: { decidedAt: new Date(), decision: 'reject', decisionReason: 'spam' },
    });
    const after = await client.post(`/admin/ui/moderation/${caseId}/decide`, {
      _csrf: csrf,
      decision: 'approve',
    });
    expect(after.status).toBe(409);
    expect(after.text).toContain(`como denuncia en el caso #${reported.id}.`);
    expect(after.text).not.toContain(`Ir al caso #${reported.id}`);
  });

  it("shows citizens' text as text: markup in a title or body is escaped", async () => {
    const { client } = await signedIn('moderator');
    const title = '<script>alert("xss")</script>';
    const body = '<img src=x onerror="alert(1)"> & <b>negrita</b> \'comillas\'';
    const { caseId } = await createCase(t.db, process, { title, body });
    const page = await client.request('/admin');
    expect(page.text).toContain(`id="case-${caseId}"`);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(page.text).toContain(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;negrita&lt;/b&gt; &#39;comillas&#39;',
    );
    expect(page.text).not.toContain('<script');
    expect(page.text).not.toContain('<img');
    expect(page.text).not.toContain('<b>');
    await t.db.moderationCase.update({ where: { id: caseId }, data: { decidedAt: new Date() } });
  });
});

describe('what each role sees', () => {
  it('staff see figures with report links, broadcasts with their progress and the queues board; moderators the queue only', async () => {
    const creator = await t.staffWithToken({ role: 'staff', name: 'Difusora' });
    const b = await t.db.broadcast.create({
      data: {
        processId: process.id,
        createdById: creator.id,
        texts: { es: 'Mañana <b>cerramos</b> las propuestas' },
        audience: {},
        status: 'sending',
        startedAt: new Date(),
        recipients: 2,
      },
    });
    const people = [await createParticipant(t.db), await createParticipant(t.db)];
    await t.db.broadcastDelivery.createMany({
      data: people.map((p, i) => ({
        broadcastId: b.id,
        participantId: p.id,
        channel: 'telegram',
        locale: 'es',
        status: i === 0 ? ('sent' as const) : ('pending' as const),
        sentAt: i === 0 ? new Date() : null,
      })),
    });

    const staff = await signedIn('staff');
    expect(staff.page.text).toContain('<section id="figures">');
    expect(staff.page.text).toContain(`href="/admin/processes/${process.id}/report"`);
    expect((await staff.client.request('/admin?lang=en')).text).toContain(
      `href="/admin/processes/${process.id}/report?locale=en"`,
    );
    expect(staff.page.text).toContain('Parques del barrio');
    expect(staff.page.text).toContain('<section id="broadcasts">');
    const row = new RegExp(`<tr data-broadcast="${b.id}">[\\s\\S]*?</tr>`).exec(staff.page.text)![0];
    expect(row).toContain('Difusora');
    expect(row).toContain('enviándose');
    expect(row).toContain('Mañana &lt;b&gt;cerramos&lt;/b&gt; las propuestas');
    expect(row).toMatch(/<td class="n">2<\/td>\s*<td class="n">1<\/td>/); // recipients, sent
    expect(staff.page.text).toContain('href="/admin/queues/"');
    expect(staff.page.text).toContain('<section id="moderation">');

    const moderator = await signedIn('moderator');
    expect(moderator.page.text).toContain('<section id="moderation">');
    expect(moderator.page.text).not.toContain('id="figures"');
    expect(moderator.page.text).not.toContain('id="broadcasts"');
    expect(moderator.page.text).not.toContain('Mañana');
    expect(moderator.page.text).not.toContain('/admin/queues');
    expect(moderator.page.text).not.toContain('/report"');
  });

  it("speaks Spanish by default, English with ?lang=en or the browser's Accept-Language", async () => {
    const { client } = await signedIn('moderator');
    expect((await client.request('/admin')).text).toContain('<html lang="es">');
    expect((await client.request('/admin?lang=en')).text).toContain('Plaza — staff dashboard');
    const byHeader = await client.request('/admin', {
      headers: { 'accept-language': 'en-GB,en;q=0.9,es;q=0.5' },
    });
    expect(byHeader.text).toContain('<html lang="en">');
    expect(byHeader.text).toContain('Moderation queue');
    const form = await t.client().request('/admin/ui/login', { headers: { 'accept-language': 'en-US' } });
    expect(form.text).toContain('Sign in to the dashboard');
  });
});

describe('bad input', () => {
  it('never reaches a 5xx: bad ids, queries, bodies and paths answer 4xx pages with the headers', async () => {
    const { client, csrf } = await signedIn('moderator');
    const { caseId } = await createCase(t.db, process);
    const checks: [Promise<Answer>, number][] = [
      [client.request('/admin?lang=fr'), 400],
      [client.request('/admin?decided=abc'), 400],
      [client.request('/admin?other=1'), 400],
      [client.request('/admin/ui/login?lang[]=es'), 400],
      [client.post('/admin/ui/moderation/abc/decide', { _csrf: csrf, decision: 'approve' }), 404],
      [client.post('/admin/ui/moderation/99999999999/decide', { _csrf: csrf, decision: 'approve' }), 404],
      [client.post('/admin/ui/moderation/2147483000/decide', { _csrf: csrf, decision: 'approve' }), 404],
      [client.post(`/admin/ui/moderation/${caseId}/decide`, { _csrf: csrf, decision: 'publish' }), 400],
      [
        client.post(`/admin/ui/moderation/${caseId}/decide`, {
          _csrf: csrf,
          decision: 'reject',
          preset: 'rude',
        }),
        400,
      ],
      [
        client.post(`/admin/ui/moderation/${caseId}/decide`, {
          _csrf: csrf,
          decision: 'reject',
          reason: 'x'.repeat(501),
        }),
        400,
      ],
      [
        client.post(`/admin/ui/moderation/${caseId}/decide`, {
          _csrf: csrf,
          decision: 'approve',
          extra: '1',
        }),
        400,
      ],
      [
        client.post(`/admin/ui/moderation/${caseId}/decide`, {
          _csrf: csrf,
          decision: 'approve',
          big: 'x'.repeat(20_000),
        }),
        413,
      ],
      [client.request('/admin/ui/nothing-here'), 404],
    ];
    for (const [pending, status] of checks) {
      const answer = await pending;
      expect(answer.status, answer.text.slice(0, 300)).toBe(status);
      expectSecureHeaders(answer);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(await caseState(caseId)).toMatchObject({ decidedAt: null });
    // Without a session, a decision is not taken either.
    const anonymous = await t
      .client()
      .post(`/admin/ui/moderation/${caseId}/decide`, { _csrf: csrf, decision: 'approve' });
    expect(anonymous.status).toBe(401);
    expect(await caseState(caseId)).toMatchObject({ decidedAt: null });
    await t.db.moderationCase.update({ where: { id: caseId }, data: { decidedAt: new Date() } });
  });

  it("leaves the JSON API's paths to it", async () => {
    const anonymous = t.client();
    for (const path of ['/admin/moderation', '/admin/broadcasts', '/admin/proposals/1/answer']) {
      const answer = await anonymous.request(path);
      expect(answer.status, path).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/json/);
    }
    expect((await anonymous.request('/admin', { method: 'POST' })).status).toBe(401);
  });
});
