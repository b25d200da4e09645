// Web Chat in chromium offers a reply's JSON file attachment (a data: URL: «Mis datos») for download under
// its file name, and the download holds the file's bytes.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jsonFileAttachment,
  type InboundActivity,
  type OutboundActivity,
} from '../../../src/engine/types.ts';
import { CHROMIUM, hasChromium, launchChromium } from '../../support/browser.ts';
import { EchoEngine, GREETING, startWebChatServer, type WebChatServer } from './harness.ts';

if (!hasChromium)
  console.warn(
    `file-download-browser.test.ts skipped: ${CHROMIUM} does not exist (apt-get install -y chromium)`,
  );

const FILE = 'plaza-datos-2026-11-26.json';
const JSON_TEXT = JSON.stringify({
  format: 'plaza.participant-data',
  proposals: [{ title: 'Más bancos «ñ»' }],
});

class FileEngine extends EchoEngine {
  override async runTurn(activity: InboundActivity): Promise<OutboundActivity[]> {
    if (activity.type !== 'message' || activity.text !== 'mis datos') return super.runTurn(activity);
    return [
      {
        type: 'message',
        text: 'Aquí tienes todos tus datos en un archivo JSON.',
        attachments: [jsonFileAttachment(JSON_TEXT, FILE)],
      },
    ];
  }
}

describe.skipIf(!hasChromium)('a file attachment in the web chat page', () => {
  let server: WebChatServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWebChatServer({ engine: new FileEngine(), page: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is offered for download under its name, with its contents', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.baseUrl + '/');
    await page.locator('.webchat__text-content').filter({ hasText: GREETING }).waitFor({ timeout: 20_000 });
    const input = page.locator('[data-id="webchat-sendbox-input"]');
    await input.fill('mis datos');
    await input.press('Enter');
    const link = page.getByRole('link', { name: new RegExp(FILE.replace(/\./g, '\\.')) });
    await link.first().waitFor({ timeout: 10_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.first().click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(JSON_TEXT);
    expect(errors).toEqual([]);
    await context.close();
  });
});
