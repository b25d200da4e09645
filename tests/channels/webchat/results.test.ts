// Results on the web chat once voting has closed, over Direct Line with the real engine: the reply carries
// the text and the chart as an image/png attachment (a data: URL Web Chat shows, the text as its alt).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { press, script, type ChatLike } from '../../support/conversation.ts';
import { createClosedProcess, createResults, RESULTS_PLAN } from '../../support/closed-voting.ts';
import { consentSteps } from '../../support/scripts.ts';
import type { ProcessFixture } from '../../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../../support/plaza.ts';
import { DirectLineHttp, startWebChatServer, type WebChatServer } from './harness.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type StreamActivity = Record<string, unknown> & {
  text?: string;
  attachments?: { contentType?: string; contentUrl?: string; name?: string }[];
  suggestedActions?: { actions: { title: string }[] };
};

/** A person in the web chat: posts over Direct Line, reads the bot's replies from the stream. */
class DirectLineChat implements ChatLike {
  replies: StreamActivity[] = [];
  private watermark = '';
  private lastButtons: string[] = [];

  constructor(
    private readonly dl: DirectLineHttp,
    private readonly session: { conversationId: string; token: string; userId: string },
  ) {}

  async say(text: string): Promise<void> {
    const posted = await this.dl.post(this.session, { type: 'message', text, locale: 'es-ES' });
    expect(posted.status).toBe(200);
    const page = await this.dl.activities(this.session, this.watermark);
    this.watermark = page.watermark;
    this.replies = (page.activities as StreamActivity[]).filter(
      (a) => (a.from as { role?: string }).role === 'bot',
    );
    const withButtons = [...this.replies].reverse().find((r) => r.suggestedActions?.actions.length);
    if (withButtons) this.lastButtons = withButtons.suggestedActions!.actions.map((a) => a.title);
  }

  press(title: string): Promise<void> {
    const button = this.lastButtons.find((b) => b.includes(title));
    if (!button) throw new Error(`No button "${title}": ${JSON.stringify(this.lastButtons)}`);
    return this.say(button);
  }

  text(): string {
    return this.replies.map((r) => r.text ?? '').join('\n');
  }

  buttons(): string[] {
    return this.lastButtons;
  }
}

let plaza: TestPlaza;
let server: WebChatServer;
let closed: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  server = await startWebChatServer({ engine: plaza.engine, redis: plaza.redis });
  closed = await createClosedProcess(plaza.database.prisma, 'Barrios vivos');
  await createResults(plaza.database.prisma, closed, RESULTS_PLAN);
});
afterAll(async () => {
  await server?.close();
  await plaza?.cleanup();
});

describe('web chat results', () => {
  it('shows the results as text and as an image attachment with the text as its alt', async () => {
    const dl = new DirectLineHttp(server.directLineUrl);
    const chat = new DirectLineChat(dl, await dl.start());
    await script(chat, [
      ...consentSteps,
      [`/start process_${closed.slug}`, /Barrios vivos/],
      [
        press('Ranking'),
        [
          /Resultados de «Barrios vivos» \(la votación ha terminado\)/,
          /1\. Más autobuses nocturnos — 5 apoyos · 🏅 seleccionada/,
          '2. Carril bici <script>alert(1)</script> & más — 3 apoyos · no seleccionada',
        ],
      ],
    ]);
    const results = chat.replies.find((r) => (r.attachments ?? []).length > 0)!;
    expect(results).toMatchObject({ type: 'message', textFormat: 'plain' });
    expect(results.attachments).toHaveLength(1);
    const [image] = results.attachments!;
    expect(image!.contentType).toBe('image/png');
    expect(image!.name).toBe(results.text);
    const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(image!.contentUrl ?? '');
    expect(match).not.toBeNull();
    const png = Buffer.from(match![1]!, 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.readUInt32BE(16)).toBeGreaterThan(600);
    // The menu is asked again after the results.
    expect(chat.buttons()).toContain('Ranking');
  });
});
