// The public page in Debian's chromium against the real server, engine, database and Redis: a citizen
// clicks through consent, opens a process by deep link, writes a proposal, and supports a published one,
// using the suggested-action buttons wherever the bot offers a choice. Leaves a screenshot in bench/out/.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcess, createProposals, type ProcessFixture } from '../support/fixtures.ts';
import { startPlazaServer, type PlazaServer } from './support.ts';
import { caseJobOf } from '../support/plaza.ts';

if (!hasChromium)
  console.warn(`webchat-browser.test.ts skipped: ${CHROMIUM} does not exist (apt-get install -y chromium)`);

const OUT_DIR = fileURLToPath(new URL('../../bench/out/', import.meta.url));
const SCREENSHOT = `${OUT_DIR}webchat.png`;

const TITLE = 'Más fuentes de agua potable en los parques';
const BODY = 'Instalar fuentes de agua potable en todos los parques del distrito antes del verano.';

describe.skipIf(!hasChromium)('the web chat page in chromium, real engine', () => {
  let server: PlazaServer;
  let browser: Browser;
  let budget: ProcessFixture;
  let published: number[];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const failedResponses: string[] = [];

  beforeAll(async () => {
    server = await startPlazaServer();
    const db = server.plaza.database.prisma;
    budget = await createProcess(db, {
      phase: 'voting',
      acceptsProposals: true,
      supportsPerParticipant: 3,
      title: 'Presupuestos de barrio',
    });
    published = await createProposals(db, budget, 2);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A message bubble in the transcript (not its screen-reader label). */
  const bubble = (page: Page, text: string) =>
    page.locator('.webchat__text-content').filter({ hasText: text }).last();

  /**
   * A suggested-action button. Scoped to the suggested actions: Web Chat's own send button is also named
   * "Enviar" in Spanish.
   */
  const button = (page: Page, title: string) =>
    page.locator('.webchat__suggested-actions').getByRole('button', { name: title, exact: true });

  /** Clicks a suggested action of the latest bot message, then waits for the bot's answer. */
  async function click(page: Page, title: string, answer: string): Promise<void> {
    await button(page, title).click({ timeout: 10_000 });
    await bubble(page, answer).waitFor({ timeout: 15_000 });
  }

  async function type(page: Page, text: string, answer: string): Promise<void> {
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill(text);
    await input.press('Enter');
    await bubble(page, answer).waitFor({ timeout: 15_000 });
  }

  /** The conversation, step by step; resolves with the number of the proposal sent. */
  async function converse(page: Page): Promise<number> {
    // Nobody typed anything: the page's webchat/join event brings the greeting and the language question.
    await bubble(page, '¿En qué idioma prefieres hablar?').waitFor({ timeout: 20_000 });
    await bubble(page, 'Soy Plaza').waitFor();
    await click(page, 'Español', '¿Tienes 14 años o más?');
    await click(page, 'Sí', '¿Aceptas que tratemos tus datos');
    await click(page, 'Sí, acepto', '¡Gracias! Ya puedes participar');

    await type(page, `/start process_${budget.slug}`, 'Puedes hacer propuestas');
    await click(page, 'Hacer una propuesta', 'Escribe el título de tu propuesta');
    await type(page, TITLE, 'Ahora explica tu propuesta');
    await type(page, BODY, '¿En qué categoría encaja mejor?');
    await click(page, 'Movilidad', '¿La envías?');
    await bubble(page, 'Así quedará tu propuesta').waitFor();
    await click(page, 'Enviar propuesta', 'la revisará el equipo de moderación');
    const sent = await bubble(page, '¡Recibida!').textContent();
    const sentId = Number(/#(\d+)/.exec(sent ?? '')?.[1]);

    await click(page, 'Ver y apoyar propuestas', 'Propuestas (página 1 de 1, 2 en total)');
    await click(page, 'Propuesta de prueba número 1', `#${published[0]} Propuesta de prueba número 1`);
    await click(page, 'Apoyar', '¡Apoyo registrado!');
    await bubble(page, 'Has usado 1 de 3 apoyos; te quedan 2').waitFor();
    await button(page, 'Retirar mi apoyo').waitFor();
    return sentId;
  }

  it('consents, proposes and supports by clicking the buttons', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 960 }, locale: 'es-ES' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) failedResponses.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(server.baseUrl + '/');
    expect(await page.title()).toBe('Plaza — participación ciudadana');
    let sentId: number;
    try {
      sentId = await converse(page);
    } catch (error) {
      // What the page showed when a step failed.
      mkdirSync(OUT_DIR, { recursive: true });
      await page.screenshot({ path: `${OUT_DIR}webchat-failure.png` }).catch(() => undefined);
      throw error;
    }

    mkdirSync(OUT_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // The rows behind what the page showed.
    const db = server.plaza.database.prisma;
    const proposal = await db.proposal.findUniqueOrThrow({
      where: { id: sentId },
      include: { author: { include: { accounts: true, supports: true } } },
    });
    expect(proposal).toMatchObject({
      processId: budget.id,
      title: TITLE,
      body: BODY,
      categoryId: budget.categories[0]!.id,
      status: 'pending',
    });
    expect(proposal.author?.accounts).toMatchObject([
      { channel: 'webchat', externalId: expect.stringMatching(/^dl_/) },
    ]);
    expect(proposal.author?.supports.map((s) => s.proposalId)).toEqual([published[0]]);
    expect(await caseJobOf(server.plaza, sentId)).toBeDefined();

    expect(pageErrors).toEqual([]);
    expect(failedResponses).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(server.answered.filter((a) => a.status >= 500)).toEqual([]);
    await page.close();
  });

  it('speaks the browser’s language first, and the page follows the language the person picks', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 960 }, locale: 'en-GB' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const header = page.locator('#title');
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await page.goto(server.baseUrl + '/'); // no ?lang: the browser prefers English
    await bubble(page, "Hello! 👋 I'm Plaza").waitFor({ timeout: 20_000 });
    expect(await header.textContent()).toBe('Plaza — citizen participation');
    expect(await input.getAttribute('placeholder')).toBe('Type your message');

    await click(page, 'Español', '¿Tienes 14 años o más?');
    await expect.poll(() => header.textContent()).toBe('Plaza — participación ciudadana');
    await expect.poll(() => input.getAttribute('placeholder')).toBe('Escribe tu mensaje');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    expect(await page.title()).toBe('Plaza — participación ciudadana');
    // Web Chat itself now speaks Spanish too (its timestamps), and the conversation goes on.
    await page.locator('text=Ahora mismo').first().waitFor({ timeout: 10_000 });
    await click(page, 'Sí', '¿Aceptas que tratemos tus datos');

    // A reload resumes the conversation in the language it reached.
    await page.reload();
    await bubble(page, '¿Aceptas que tratemos tus datos').waitFor({ timeout: 20_000 });
    expect(await header.textContent()).toBe('Plaza — participación ciudadana');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
