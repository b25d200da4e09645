// Test support for the web chat channel: a real HTTP server with the Direct Line router (and optionally the
// page) on a real Redis with a random key prefix, engine doubles for transport tests, and small clients.
// To run a test against the real engine, pass it as `engine` to `startWebChatServer`.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import express from 'express';
import {
  createDirectLineRouter,
  type DirectLineRouterDeps,
} from '../../../channels/webchat/directline-router.ts';
import { createWebChatPageRouter } from '../../../channels/webchat/webchat-page.ts';
import type { InboundActivity, OutboundActivity, TurnRunner } from '../../../src/engine/types.ts';
import { createLogger } from '../../../src/logger.ts';
import { connectRedis, type Redis } from '../../../src/redis/client.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_SECRET = 'test-secret-for-directline-0123456789abcdef';

export interface WebChatServer {
  baseUrl: string;
  directLineUrl: string;
  redis: Redis;
  keyPrefix: string;
  /** Every log line written so far (JSON lines, level trace and up). */
  logs(): string;
  close(): Promise<void>;
}

export interface WebChatServerOptions extends Partial<
  Omit<DirectLineRouterDeps, 'engine' | 'logger' | 'redis'>
> {
  engine: TurnRunner;
  /** Use this Redis client (not closed by `close`) instead of opening one. */
  redis?: Redis;
  /** Also mount the page router at `/`. */
  page?: boolean;
}

export async function startWebChatServer(opts: WebChatServerOptions): Promise<WebChatServer> {
  const ownRedis = !opts.redis;
  const redis = opts.redis ?? (await connectRedis({ url: REDIS_URL }));
  const keyPrefix = opts.keyPrefix ?? `test-webchat-${randomBytes(6).toString('hex')}`;
  let logText = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logText += String(chunk);
      done();
    },
  });
  const app = express();
  app.use(
    '/v3/directline',
    createDirectLineRouter({
      secret: TEST_SECRET,
      tokensPerMinute: 1000,
      allowedOrigins: '*',
      ...opts,
      keyPrefix,
      redis,
      logger: createLogger('trace', sink),
    }),
  );
  if (opts.page) app.use('/', createWebChatPageRouter());
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    directLineUrl: `${baseUrl}/v3/directline`,
    redis,
    keyPrefix,
    logs: () => logText,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (redis.isOpen) {
        await deleteKeys(redis, keyPrefix);
        if (ownRedis) await redis.quit();
      }
    },
  };
}

export async function deleteKeys(redis: Redis, keyPrefix: string): Promise<void> {
  for await (const keys of redis.scanIterator({ MATCH: `${keyPrefix}:*`, COUNT: 500 })) {
    if (keys.length > 0) await redis.del(keys);
  }
}

export const GREETING = '¡Hola! Soy Plaza, el chat de participación ciudadana.';
export const SUGGESTED = {
  to: [],
  actions: [{ type: 'imBack', title: 'Ver procesos', value: 'ver procesos' }],
};

/**
 * An engine double for transport tests: greets on `webchat/join`, answers a message with "echo: <text>"
 * (plus suggested actions), ignores typing, answers other types with "type: <type>". It records every
 * activity it was given; `failNext` makes the next calls reject as if Redis or the database were down.
 */
export class EchoEngine implements TurnRunner {
  readonly calls: InboundActivity[] = [];
  failNext = 0;
  delayMs = 0;

  async runTurn(activity: InboundActivity): Promise<OutboundActivity[]> {
    this.calls.push(structuredClone(activity));
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('database unreachable (test double)');
    }
    if (activity.type === 'event' && activity.name === 'webchat/join') {
      return [{ type: 'message', text: GREETING, suggestedActions: SUGGESTED }];
    }
    if (activity.type === 'message') {
      return [{ type: 'message', text: `echo: ${activity.text ?? ''}`, suggestedActions: SUGGESTED }];
    }
    if (activity.type === 'typing') return [];
    return [{ type: 'message', text: `type: ${activity.type}` }];
  }
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** A thin fetch-based Direct Line client that shows every status code (unlike the real client libraries). */
export class DirectLineHttp {
  constructor(readonly directLineUrl: string) {}

  async request(
    method: string,
    path: string,
    opts: { token?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.json !== undefined) body = JSON.stringify(opts.json);
    if (opts.raw !== undefined) body = opts.raw;
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    const response = await fetch(this.directLineUrl + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  async generate(): Promise<{ conversationId: string; token: string; expires_in: number; userId: string }> {
    const answer = await this.request('POST', '/tokens/generate');
    if (answer.status !== 200) throw new Error(`generate: ${answer.status} ${answer.text}`);
    return answer.body as { conversationId: string; token: string; expires_in: number; userId: string };
  }

  /** generate + POST /conversations. */
  async start(): Promise<{ conversationId: string; token: string; userId: string }> {
    const session = await this.generate();
    const answer = await this.request('POST', '/conversations', { token: session.token });
    if (answer.status !== 201) throw new Error(`start: ${answer.status} ${answer.text}`);
    return session;
  }

  post(session: { conversationId: string; token: string }, activity: unknown): Promise<HttpAnswer> {
    return this.request('POST', `/conversations/${session.conversationId}/activities`, {
      token: session.token,
      json: activity,
    });
  }

  async activities(
    session: { conversationId: string; token: string },
    watermark = '',
  ): Promise<{ activities: Array<Record<string, unknown>>; watermark: string }> {
    const answer = await this.request(
      'GET',
      `/conversations/${session.conversationId}/activities?watermark=${watermark}`,
      { token: session.token },
    );
    if (answer.status !== 200) throw new Error(`activities: ${answer.status} ${answer.text}`);
    return answer.body as { activities: Array<Record<string, unknown>>; watermark: string };
  }
}

/** A minimal view of botframework-directlinejs's DirectLine used by the tests. */
export interface DirectLineJs {
  activity$: { subscribe(next: (activity: Record<string, unknown>) => void): { unsubscribe(): void } };
  postActivity(activity: Record<string, unknown>): {
    subscribe(next: (id: string) => void, error?: (e: unknown) => void): unknown;
  };
  end(): void;
}

/**
 * Connects with the real client library (polling) and collects what it receives. The library needs
 * XMLHttpRequest and WebSocket globals in Node, installed here before it is first imported.
 */
export async function connectDirectLineJs(directLineUrl: string, token: string) {
  const require = createRequire(import.meta.url);
  const g = globalThis as Record<string, unknown>;
  g.XMLHttpRequest ??= require('xhr2');
  g.WebSocket ??= require('ws');
  const mod = (await import('botframework-directlinejs')) as unknown as {
    DirectLine?: new (options: Record<string, unknown>) => DirectLineJs;
    default?: { DirectLine: new (options: Record<string, unknown>) => DirectLineJs };
  };
  const DirectLine = mod.DirectLine ?? mod.default?.DirectLine;
  if (!DirectLine) throw new Error('botframework-directlinejs exports no DirectLine');
  const dl = new DirectLine({ token, domain: directLineUrl, webSocket: false, pollingInterval: 200 });
  const received: Array<Record<string, unknown>> = [];
  const subscription = dl.activity$.subscribe((activity) => received.push(activity));
  return {
    received,
    post(activity: Record<string, unknown>): Promise<string> {
      return new Promise((resolve, reject) => dl.postActivity(activity).subscribe(resolve, reject));
    },
    waitFor(predicate: (a: Record<string, unknown>) => boolean, timeoutMs = 10_000) {
      return waitUntil(() => received.find(predicate), timeoutMs);
    },
    end() {
      subscription.unsubscribe();
      dl.end();
    },
  };
}

export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
