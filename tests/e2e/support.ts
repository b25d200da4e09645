// End-to-end support: the real HTTP app (`createHttpApp`) of a whole test Plaza (own database, own Redis
// prefix, real engine and queues), listening on a free loopback port, plus a Direct Line chat driven by the
// botframework-directlinejs client library that reads like the flow scripts.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createHttpApp } from '../../src/main.ts';
import { connectDirectLineJs, DirectLineHttp, waitUntil } from '../channels/webchat/harness.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

export interface PlazaServer {
  plaza: TestPlaza;
  baseUrl: string;
  directLineUrl: string;
  /** Every HTTP status the server answered, with method and path (for "never a 5xx"). */
  answered: { status: number; method: string; path: string }[];
  close(): Promise<void>;
}

export async function startPlazaServer(env: Record<string, string> = {}): Promise<PlazaServer> {
  const plaza = await createTestPlaza(env);
  const answered: PlazaServer['answered'] = [];
  let server: Server;
  try {
    const app = createHttpApp(plaza);
    server = app.listen(0, '127.0.0.1');
    server.on('request', (req, res) => {
      res.on('finish', () =>
        answered.push({ status: res.statusCode, method: req.method ?? '', path: req.url ?? '' }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await plaza.cleanup();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    plaza,
    baseUrl,
    directLineUrl: `${baseUrl}/v3/directline`,
    answered,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await plaza.cleanup();
    },
  };
}

export type Activity = Record<string, unknown> & {
  id?: string;
  type?: string;
  text?: string;
  replyToId?: string;
  suggestedActions?: { actions?: { type?: string; title?: string; value?: unknown }[] };
};

/**
 * A conversation through the real client library: each step posts one activity and waits until the bot's
 * replies to it (matched by `replyToId`) contain every expected text.
 */
export class DirectLineChat {
  replies: Activity[] = [];

  private constructor(
    readonly conversationId: string,
    readonly userId: string,
    private readonly client: Awaited<ReturnType<typeof connectDirectLineJs>>,
  ) {}

  /** POST /tokens/generate, then let the client library start the conversation and poll it. */
  static async open(directLineUrl: string): Promise<DirectLineChat> {
    const session = await new DirectLineHttp(directLineUrl).generate();
    const client = await connectDirectLineJs(directLineUrl, session.token);
    return new DirectLineChat(session.conversationId, session.userId, client);
  }

  get received(): Activity[] {
    return this.client.received as Activity[];
  }

  /** Posts an activity and waits for the replies to it that include every expected text. */
  async send(activity: Record<string, unknown>, expected: (RegExp | string)[] = []): Promise<Activity[]> {
    const id = await this.client.post({ locale: 'es-ES', from: { id: this.userId }, ...activity });
    const label = JSON.stringify(activity).slice(0, 80);
    try {
      this.replies = await waitUntil(() => {
        const replies = this.received.filter((a) => a.replyToId === id);
        const text = replies.map((r) => r.text ?? '').join('\n');
        const done = expected.every((e) => (typeof e === 'string' ? text.includes(e) : e.test(text)));
        return replies.length > 0 && done ? replies : undefined;
      }, 10_000);
      // The expected texts may come with the first replies of the turn: wait until no more arrive, so
      // text() and buttons() see the whole answer.
      for (let seen = -1, i = 0; i < 20 && seen !== this.replies.length; i++) {
        seen = this.replies.length;
        await new Promise((r) => setTimeout(r, 100));
        this.replies = this.received.filter((a) => a.replyToId === id);
      }
    } catch {
      const got = this.received.filter((a) => a.replyToId === id).map((a) => a.text);
      throw new Error(`after ${label}: expected ${expected.join(' & ')}; got ${JSON.stringify(got)}`);
    }
    return this.replies;
  }

  say(text: string, ...expected: (RegExp | string)[]): Promise<Activity[]> {
    return this.send({ type: 'message', text }, expected);
  }

  /** Presses a suggested action of the last reply, as Web Chat does: an imBack posts its value as text. */
  async press(title: string, ...expected: (RegExp | string)[]): Promise<Activity[]> {
    const action = this.lastActions().find((a) => a.title === title);
    expect(action, `button "${title}" in ${JSON.stringify(this.buttons())}`).toBeDefined();
    expect(action!.type).toBe('imBack');
    return this.send({ type: 'message', text: String(action!.value) }, expected);
  }

  text(): string {
    return this.replies.map((r) => r.text ?? '').join('\n');
  }

  buttons(): string[] {
    return this.lastActions().map((a) => String(a.title));
  }

  /** The choices of this turn: the last reply (the question) must carry them as suggested actions. */
  private lastActions() {
    return this.replies.at(-1)?.suggestedActions?.actions ?? [];
  }

  end(): void {
    this.client.end();
  }
}

export const participantOf = (plaza: TestPlaza, userId: string) =>
  plaza.database.prisma.participant.findFirst({
    where: { accounts: { some: { channel: 'webchat', externalId: userId } } },
    include: { supports: true, proposals: true, consents: true },
  });
