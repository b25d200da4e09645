// Web Chat in chromium shows a reply's image/png attachment (a data: URL) as an image whose alt is the
// reply's text: what the results chart relies on.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderResultsChart } from '../../../src/charts/results-chart.ts';
import { pngAttachment, type InboundActivity, type OutboundActivity } from '../../../src/engine/types.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../../support/browser.ts';
import { EchoEngine, GREETING, startWebChatServer, type WebChatServer } from './harness.ts';

if (!hasChromium)
  console.warn(`results-browser.test.ts skipped: ${CHROMIUM} does not exist (apt-get install -y chromium)`);

const TEXT =
  'Resultados de «Barrios vivos» (la votación ha terminado):\n\n1. Más autobuses — 5 apoyos · 🏅 seleccionada';

class ChartEngine extends EchoEngine {
  png: Buffer | undefined;
  override async runTurn(activity: InboundActivity): Promise<OutboundActivity[]> {
    if (activity.type !== 'message' || activity.text !== 'resultados') return super.runTurn(activity);
    return [{ type: 'message', text: TEXT, attachments: [pngAttachment(this.png!, TEXT)] }];
  }
}

describe.skipIf(!hasChromium)('an image attachment in the web chat page', () => {
  let server: WebChatServer;
  let browser: Browser;
  const engine = new ChartEngine();

  beforeAll(async () => {
    const chart = await renderResultsChart({
      title: 'Resultados de «Barrios vivos»',
      axisTitle: 'Apoyos',
      outcomeLabels: { selected: 'Seleccionada', not_selected: 'No seleccionada', undecided: 'Pendiente' },
      bars: [{ position: 1, title: 'Más autobuses', supports: 5, outcome: 'selected' }],
    });
    engine.png = chart.png;
    server = await startWebChatServer({ engine, page: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the chart with the text as its alt, and the text itself', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.baseUrl + '/');
    await page.locator('.webchat__text-content').filter({ hasText: GREETING }).waitFor({ timeout: 20_000 });
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('resultados');
    await input.press('Enter');
    const image = page
      .locator('img')
      .filter({ has: page.locator(':scope') })
      .and(page.getByAltText(TEXT));
    await image.first().waitFor({ timeout: 10_000 });
    const loaded = await image
      .first()
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0);
    expect(loaded).toBe(true);
    await page
      .locator('.webchat__text-content')
      .filter({ hasText: '1. Más autobuses — 5 apoyos' })
      .waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    if (process.env.PLAZA_SCREENSHOT) await page.screenshot({ path: process.env.PLAZA_SCREENSHOT });
    await page.close();
  });
});
