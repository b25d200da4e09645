// Smoke test of the public page in Debian's chromium: Web Chat loads, the join event brings the greeting,
// a typed message and a suggested-action click both reach the engine double and show its echo, and a reload
// in the same tab resumes the conversation without joining again.
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from '../../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoEngine, GREETING, startWebChatServer, type WebChatServer } from './harness.ts';

if (!hasChromium)
  console.warn(`browser.test.ts skipped: ${CHROMIUM} does not exist (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('the web chat page in chromium', () => {
  let server: WebChatServer;
  let browser: Browser;
  const engine = new EchoEngine();
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    server = await startWebChatServer({ engine, page: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 }, locale: 'es-ES' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(server.baseUrl + path);
    return page;
  }

  /** A message bubble in the transcript (not its screen-reader label). */
  const bubble = (page: Page, text: string) =>
    page.locator('.webchat__text-content').filter({ hasText: text }).last();

  const joins = () => engine.calls.filter((a) => a.type === 'event' && a.name === 'webchat/join');

  it('greets after the join event, echoes typed text and suggested-action clicks, resumes on reload', async () => {
    const page = await openPage('/');
    expect(await page.title()).toBe('Plaza — participación ciudadana');
    expect(await page.getAttribute('html', 'lang')).toBe('es');

    await bubble(page, GREETING).waitFor({ timeout: 20_000 });
    expect(joins()).toHaveLength(1);
    const join = joins()[0]!;
    expect(join.from.id).toMatch(/^dl_/);
    expect(join.locale).toBe('es-ES');
    expect(join.channelId).toBe('webchat');

    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('quiero proponer un parque');
    await input.press('Enter');
    await bubble(page, 'echo: quiero proponer un parque').waitFor({ timeout: 10_000 });
    const typed = engine.calls.find((a) => a.text === 'quiero proponer un parque');
    expect(typed?.from.id).toBe(join.from.id);

    await page.getByRole('button', { name: 'Ver procesos' }).last().click();
    await bubble(page, 'echo: ver procesos').waitFor({ timeout: 10_000 });

    // Same tab, reload: the conversation and its history come back, and the bot is not joined again.
    await page.reload();
    await bubble(page, 'echo: ver procesos').waitFor({ timeout: 20_000 });
    await bubble(page, GREETING).waitFor();
    expect(joins()).toHaveLength(1);
    await page.locator('[data-id="webchat-sendbox-input"]').fill('sigo aquí');
    await page.locator('[data-id="webchat-sendbox-input"]').press('Enter');
    await bubble(page, 'echo: sigo aquí').waitFor({ timeout: 10_000 });
    expect(engine.calls.find((a) => a.text === 'sigo aquí')?.conversation.id).toBe(join.conversation.id);

    // The buttons never take more than 40 % of the height (a long menu scrolls; the conversation stays).
    const maxHeight = await page
      .locator('.webchat__suggested-actions__flow-box')
      .last()
      .evaluate((el) => getComputedStyle(el).maxHeight);
    expect(maxHeight).toBe(`${0.4 * 800}px`);

    expect(pageErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    await page.close();
  });

  it('after a failed poll (a restart, a blip, a 503) says it is reconnecting, comes back by itself, keeps the draft', async () => {
    const page = await openPage('/');
    await bubble(page, GREETING).waitFor({ timeout: 20_000 });
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('antes del corte');
    await input.press('Enter');
    await bubble(page, 'echo: antes del corte').waitFor({ timeout: 10_000 });
    // The next poll fails as while Plaza restarts: the Direct Line client alone would never poll again.
    let failing = 0;
    await page.route(/\/activities\?watermark=/, async (route) => {
      if (route.request().method() === 'GET' && failing < 1) {
        failing++;
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: '{"error":{"code":"retry"}}',
        });
      } else await route.continue();
    });
    await input.fill('lo que escribía');
    await page
      .locator('#status')
      .filter({ hasText: /Reconectando/ })
      .waitFor({ timeout: 10_000 });
    // Back: the conversation resumed (its history), the draft in the send box, and messages go and come.
    await bubble(page, 'echo: antes del corte').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.locator('[data-id="webchat-sendbox-input"]').inputValue(), { timeout: 10_000 })
      .toBe('lo que escribía');
    await page.locator('[data-id="webchat-sendbox-input"]').press('Enter');
    await bubble(page, 'echo: lo que escribía').waitFor({ timeout: 10_000 });
    expect(await page.locator('#status').textContent()).toBe('');
    expect(joins().filter((j) => j.conversation.id === joins().at(-1)!.conversation.id)).toHaveLength(1);
    expect(pageErrors).toEqual([]);
    failedRequests.length = 0;
    await page.close();
  });

  it('speaks English with ?lang=en and serves the Web Chat bundle with a long cache', async () => {
    const page = await openPage('/?lang=en&embed=1');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toBe('Plaza — citizen participation');
    await bubble(page, GREETING).waitFor({ timeout: 20_000 });
    expect(engine.calls.filter((a) => a.name === 'webchat/join').at(-1)?.locale).toBe('en-US');
    expect(await page.locator('header.plaza-header').isVisible()).toBe(false);
    await page.close();

    const html = await (await fetch(server.baseUrl + '/')).text();
    expect(html).toContain('<noscript>');
    const src = /src="(\/webchat\/webchat-minimal\.js\?v=[^"]+)"/.exec(html)?.[1];
    expect(src).toBeTruthy();
    const bundle = await fetch(server.baseUrl + src!);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toContain('immutable');
    expect(bundle.headers.get('content-type')).toContain('javascript');
    // Gzipped for a client that accepts it (the same script once unpacked), as it is to one that does not.
    expect(bundle.headers.get('content-encoding')).toBe('gzip');
    expect(bundle.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const unpacked = await bundle.text();
    const plain = await fetch(server.baseUrl + src!, { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(unpacked);
    expect(unpacked.length).toBeGreaterThan(1_000_000);
    const unversioned = await fetch(server.baseUrl + '/webchat/webchat-minimal.js');
    expect(unversioned.headers.get('cache-control')).toBe('no-cache');
    expect(pageErrors).toEqual([]);
  });
});
