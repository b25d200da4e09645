// The staff dashboard in Debian's chromium: a moderator signs in with a token, sees the queue (a proposal
// full of markup shown as text, no dialog), approves a case (checked in the database), finds the report link
// (as a staff member), and a form on another site cannot decide anything. Then signs out.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardTest, type DashboardTest } from '../admin/dashboard-support.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../support/browser.ts';
import { createCase, createProcess, type ProcessFixture } from '../support/fixtures.ts';

if (!hasChromium)
  console.warn(`dashboard-browser.test.ts skipped: ${CHROMIUM} does not exist (apt-get install -y chromium)`);

const OUT_DIR = fileURLToPath(new URL('../../bench/out/', import.meta.url));
const XSS_TITLE = '<img src=x onerror="alert(\'title\')">';
const XSS_BODY = '<script>alert("body")</script> y <b>negrita</b>';

describe.skipIf(!hasChromium)('the staff dashboard in chromium', () => {
  let t: DashboardTest;
  let browser: Browser;
  let process: ProcessFixture;
  let attacker: Server;
  let attackerUrl: string;

  beforeAll(async () => {
    t = await createDashboardTest();
    process = await createProcess(t.db, {
      phase: 'proposals',
      acceptsProposals: true,
      title: 'Calles tranquilas',
    });
    browser = await launchChromium();
    // Another site (localhost is not 127.0.0.1: another origin and another site) with a form aimed at the
    // dashboard; the case id comes in its address.
    const evil = express();
    evil.get('/', (req, res) => {
      const caseId = Number(req.query.case);
      res.type('html').send(`<!doctype html><title>Premio</title>
<form method="post" action="${t.baseUrl}/admin/ui/moderation/${caseId}/decide">
<input type="hidden" name="decision" value="approve"><button type="submit">Reclamar premio</button></form>`);
    });
    attacker = await new Promise<Server>((resolve) => {
      const s = evil.listen(0, '127.0.0.1', () => resolve(s));
    });
    attackerUrl = `http://localhost:${(attacker.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    await t?.close();
  });

  async function watch(page: Page) {
    const seen = {
      dialogs: [] as string[],
      pageErrors: [] as string[],
      console: [] as string[],
      failed: [] as string[],
    };
    page.on('dialog', (dialog) => {
      seen.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => seen.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') seen.console.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) seen.failed.push(`${response.status()} ${response.url()}`);
    });
    return seen;
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.goto(`${t.baseUrl}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/ui/login');
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Plaza — panel del equipo' }).waitFor({ timeout: 10_000 });
    // The token went in a POST body only.
    expect(page.url()).not.toContain(token);
  }

  it('signs in, shows markup as text, approves a case, and signs out', async () => {
    const moderator = await t.staffWithToken({ role: 'moderator', name: 'Lucía Moderadora' });
    const xss = await createCase(t.db, process, { title: XSS_TITLE, body: XSS_BODY });
    const plain = await createCase(t.db, process, { title: 'Más bancos a la sombra' });
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    const seen = await watch(page);
    try {
      await signIn(page, moderator.token);
      expect(await page.content()).not.toContain(moderator.token);

      // The queue, oldest first; the markup is text on the page, and nothing ran.
      const xssCase = page.locator(`#case-${xss.caseId}`);
      await expect.poll(() => xssCase.locator('.item-title').textContent()).toBe(XSS_TITLE);
      expect(await xssCase.locator('.item-body').textContent()).toBe(XSS_BODY);
      expect(await xssCase.locator('img, script, b').count()).toBe(0);
      const ids = await page.locator('article.case').evaluateAll((els) => els.map((e) => e.id));
      expect(ids.indexOf(`case-${xss.caseId}`)).toBeLessThan(ids.indexOf(`case-${plain.caseId}`));
      // The stylesheet loaded under the CSP (no inline style or script is allowed, none is needed).
      expect(await page.locator('header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
        'rgb(31, 59, 87)',
      );
      // Moderators see the moderation part only.
      expect(await page.locator('#figures, #broadcasts').count()).toBe(0);

      await page
        .locator(`#case-${plain.caseId}`)
        .getByRole('button', { name: 'Aprobar', exact: true })
        .click();
      await page
        .getByText(`Caso #${plain.caseId}: aprobado (Lucía Moderadora).`)
        .waitFor({ timeout: 10_000 });
      expect(await page.locator(`#case-${plain.caseId}`).count()).toBe(0);
      const decided = await t.db.moderationCase.findUniqueOrThrow({
        where: { id: plain.caseId },
        select: { decision: true, decidedById: true, proposal: { select: { status: true } } },
      });
      expect(decided).toEqual({
        decision: 'approve',
        decidedById: moderator.id,
        proposal: { status: 'published' },
      });

      await page.getByRole('button', { name: 'Salir' }).click();
      await page.getByRole('heading', { name: 'Entrar al panel' }).waitFor();
      await page.goto(`${t.baseUrl}/admin`);
      expect(new URL(page.url()).pathname).toBe('/admin/ui/login');

      expect(seen.dialogs).toEqual([]);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.failed).toEqual([]);
      expect(seen.console).toEqual([]);
    } catch (error) {
      mkdirSync(OUT_DIR, { recursive: true });
      await page
        .screenshot({ path: `${OUT_DIR}dashboard-failure.png`, fullPage: true })
        .catch(() => undefined);
      throw error;
    } finally {
      await context.close();
      await t.db.moderationCase.update({ where: { id: xss.caseId }, data: { decidedAt: new Date() } });
    }
  });

  it('links staff to each process report, and a form on another site decides nothing', async () => {
    const staff = await t.staffWithToken({ role: 'staff', name: 'Ana Gestora' });
    const target = await createCase(t.db, process);
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    const seen = await watch(page);
    try {
      await signIn(page, staff.token);
      const row = page.locator(`#figures tr[data-process="${process.id}"]`);
      await expect.poll(() => row.textContent()).toContain('Calles tranquilas');
      // The report opens from the link, on the dashboard's session (no token in the address).
      const report = row.getByRole('link', { name: 'Informe' });
      expect(await report.getAttribute('href')).toBe(`/admin/processes/${process.id}/report`);
      const reportPage = await context.newPage();
      const opened = await reportPage.goto(
        new URL((await report.getAttribute('href'))!, page.url()).toString(),
      );
      expect(opened?.status()).toBe(200);
      await expect.poll(() => reportPage.locator('h1').textContent()).toContain('Calles tranquilas');
      expect(reportPage.url()).not.toContain('token');
      await reportPage.close();
      expect(
        await page.getByRole('link', { name: 'Colas de trabajos (bull-board)' }).getAttribute('href'),
      ).toBe('/admin/queues/');

      // Signed in, the same browser visits another site whose form posts to the dashboard.
      const evil = await context.newPage();
      await evil.goto(`${attackerUrl}/?case=${target.caseId}`);
      const [answer] = await Promise.all([
        evil.waitForResponse((r) => r.url().includes(`/moderation/${target.caseId}/decide`)),
        evil.getByRole('button', { name: 'Reclamar premio' }).click(),
      ]);
      expect(answer.status()).toBe(403);
      const state = await t.db.moderationCase.findUniqueOrThrow({ where: { id: target.caseId } });
      expect(state.decidedAt).toBeNull();
      expect(seen.dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
