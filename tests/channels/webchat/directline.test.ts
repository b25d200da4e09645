// The self-hosted Direct Line 3.0 subset, through real HTTP and a real Redis, with an engine double.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../../channels/webchat/tokens.ts';
import { connectRedis } from '../../../src/redis/client.ts';
import {
  connectDirectLineJs,
  deleteKeys,
  DirectLineHttp,
  EchoEngine,
  GREETING,
  REDIS_URL,
  startWebChatServer,
  TEST_SECRET,
  type WebChatServer,
} from './harness.ts';

let server: WebChatServer;
let dl: DirectLineHttp;
const engine = new EchoEngine();
let clockSkewMs = 0;

beforeAll(async () => {
  server = await startWebChatServer({ engine, now: () => Date.now() + clockSkewMs, maxActivities: 500 });
  dl = new DirectLineHttp(server.directLineUrl);
});

afterAll(async () => {
  await server?.close();
});

const lastCall = () => engine.calls[engine.calls.length - 1]!;
const errorCode = (body: unknown) => (body as { error?: { code?: string } } | undefined)?.error?.code;

describe('a conversation from token to replies', () => {
  it('generates a token bound to a new conversation and a server-chosen user id', async () => {
    const answer = await dl.request('POST', '/tokens/generate', { json: { user: { id: 'someone-else' } } });
    expect(answer.status).toBe(200);
    const body = answer.body as { conversationId: string; token: string; expires_in: number; userId: string };
    expect(body.conversationId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.token.split('.')).toHaveLength(3);
    expect(body.expires_in).toBe(3600);
    expect(body.userId).toMatch(/^dl_[A-Za-z0-9_-]{22}$/);
    expect(body.userId).not.toBe('someone-else');
    // The JWT-shaped token carries the user id, which is how Web Chat learns it.
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString()) as {
      user: string;
    };
    expect(claims.user).toBe(body.userId);
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('starts the conversation once (201), then finds it (200) and resumes it', async () => {
    const session = await dl.generate();
    const first = await dl.request('POST', '/conversations', { token: session.token });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ conversationId: session.conversationId, token: session.token });
    expect((first.body as { streamUrl?: string }).streamUrl).toBeUndefined();
    const again = await dl.request('POST', '/conversations', { token: session.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ conversationId: session.conversationId });
    const resume = await dl.request('GET', `/conversations/${session.conversationId}?watermark=3`, {
      token: session.token,
    });
    expect(resume.status).toBe(200);
    expect(resume.body).toMatchObject({ conversationId: session.conversationId, token: session.token });
  });

  it('echoes the user activity with its client id, runs the turn, and sequences watermarks', async () => {
    const session = await dl.start();
    const posted = await dl.post(session, {
      type: 'message',
      text: 'hola',
      locale: 'es-ES',
      from: { id: 'impostor', role: 'bot' },
      conversation: { id: 'another' },
      id: 'client-chosen',
      channelData: { clientActivityID: 'client-1', secret: 'dropped' },
      attachments: [{ contentType: 'image/png', contentUrl: 'http://example.org/x.png' }],
    });
    expect(posted.status).toBe(200);
    const { id } = posted.body as { id: string };
    expect(id.startsWith(`${session.conversationId}|`)).toBe(true);

    // What the engine saw: identity from the token, never from the client.
    expect(lastCall()).toMatchObject({
      type: 'message',
      id,
      text: 'hola',
      locale: 'es-ES',
      channelId: 'webchat',
      conversation: { id: session.conversationId },
      from: { id: session.userId, role: 'user' },
      recipient: { id: 'plaza', role: 'bot' },
    });
    expect(lastCall().attachments).toBeUndefined();
    expect(lastCall().channelData).toBeUndefined();

    const page1 = await dl.activities(session);
    expect(page1.watermark).toBe('2');
    expect(page1.activities).toHaveLength(2);
    const [echo, reply] = page1.activities as [Record<string, unknown>, Record<string, unknown>];
    expect(echo).toMatchObject({
      id,
      type: 'message',
      text: 'hola',
      from: { id: session.userId, role: 'user' },
      conversation: { id: session.conversationId },
      channelData: { clientActivityID: 'client-1' },
    });
    expect(echo.channelData).toEqual({ clientActivityID: 'client-1' });
    expect(echo.attachments).toBeUndefined();
    expect(reply).toMatchObject({
      type: 'message',
      text: 'echo: hola',
      from: { id: 'plaza', name: 'Plaza', role: 'bot' },
      recipient: { id: session.userId },
      conversation: { id: session.conversationId },
      replyToId: id,
      suggestedActions: { actions: [{ type: 'imBack', title: 'Ver procesos', value: 'ver procesos' }] },
    });
    expect(typeof reply.id).toBe('string');
    expect(reply.id).not.toBe(id);
    expect(Date.parse(reply.timestamp as string)).toBeGreaterThan(Date.parse(echo.timestamp as string));

    await dl.post(session, {
      type: 'message',
      text: 'segunda',
      channelData: { clientActivityId: 'client-2' },
    });
    const page2 = await dl.activities(session, page1.watermark);
    expect(page2.watermark).toBe('4');
    expect(page2.activities.map((a) => a.text)).toEqual(['segunda', 'echo: segunda']);
    expect(page2.activities[0]!.channelData).toEqual({ clientActivityId: 'client-2' });

    const page3 = await dl.activities(session, page2.watermark);
    expect(page3).toEqual({ activities: [], watermark: '4' });
    // The whole stream again from the start (a reload replays history).
    expect((await dl.activities(session, '0')).activities).toHaveLength(4);
  });

  it('drops a locale that is not a language tag', async () => {
    const session = await dl.start();
    await dl.post(session, { type: 'message', text: 'x', locale: 'es_ES<script>' });
    expect(lastCall().locale).toBeUndefined();
  });

  it('accepts unknown activity types and passes them to the engine, which decides', async () => {
    const session = await dl.start();
    for (const type of ['typing', 'event', 'foo']) {
      const answer = await dl.post(session, { type, name: type === 'event' ? 'webchat/join' : undefined });
      expect(answer.status, type).toBe(200);
      expect((answer.body as { id: string }).id).toBeTruthy();
      expect(lastCall().type).toBe(type);
    }
    expect(lastCall().type).toBe('foo');
    const texts = (await dl.activities(session)).activities.filter(
      (a) => a.from && (a.from as { role: string }).role === 'bot',
    );
    expect(texts.map((a) => a.text)).toEqual([GREETING, 'type: foo']);
  });

  it('keeps watermarks unique and ordered under concurrent posts', async () => {
    const session = await dl.start();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => dl.post(session, { type: 'message', text: `m${i}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const all = await dl.activities(session);
    expect(all.activities).toHaveLength(20);
    expect(all.watermark).toBe('20');
    expect(new Set(all.activities.map((a) => a.id)).size).toBe(20);
    // Each user activity is immediately followed by its reply.
    for (let i = 0; i < 20; i += 2) {
      expect(all.activities[i + 1]!.text).toBe(`echo: ${all.activities[i]!.text}`);
    }
  });

  it('keeps only the newest activities, and watermarks keep growing', async () => {
    const capped = await startWebChatServer({ engine, maxActivities: 6 });
    try {
      const client = new DirectLineHttp(capped.directLineUrl);
      const session = await client.start();
      for (let i = 0; i < 5; i++) await client.post(session, { type: 'message', text: `m${i}` });
      const all = await client.activities(session);
      expect(all.watermark).toBe('10');
      expect(all.activities.map((a) => a.text)).toEqual([
        'm2',
        'echo: m2',
        'm3',
        'echo: m3',
        'm4',
        'echo: m4',
      ]);
      const fromTrimmed = await client.activities(session, '3');
      expect(fromTrimmed.activities).toHaveLength(6);
      const later = await client.activities(session, '8');
      expect(later.activities.map((a) => a.text)).toEqual(['m4', 'echo: m4']);
      expect(later.watermark).toBe('10');
    } finally {
      await capped.close();
    }
  });

  it('stores the stream under the key prefix with a TTL', async () => {
    const session = await dl.start();
    await dl.post(session, { type: 'message', text: 'ttl' });
    const meta = `${server.keyPrefix}:dl:conv:{${session.conversationId}}`;
    expect(await server.redis.hGet(meta, 'user')).toBe(session.userId);
    expect(await server.redis.hGet(meta, 'seq')).toBe('2');
    expect(await server.redis.zCard(`${meta}:acts`)).toBe(2);
    const ttl = await server.redis.ttl(`${meta}:acts`);
    expect(ttl).toBeGreaterThan(23 * 3600);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);
  });
});

describe('tokens', () => {
  it('refresh gives a new token for the same conversation and user with a later expiry', async () => {
    const session = await dl.start();
    clockSkewMs = 10 * 60 * 1000;
    try {
      const answer = await dl.request('POST', '/tokens/refresh', { token: session.token });
      expect(answer.status).toBe(200);
      const refreshed = answer.body as {
        conversationId: string;
        token: string;
        expires_in: number;
        userId: string;
      };
      expect(refreshed).toMatchObject({
        conversationId: session.conversationId,
        userId: session.userId,
        expires_in: 3600,
      });
      expect(refreshed.token).not.toBe(session.token);
      const exp = (t: string) =>
        (JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
      // Expiries are whole seconds of a clock 600 s ahead plus however long the request took, so
      // the difference is 600, or 601 when the real clock crossed a second boundary in between.
      const gap = exp(refreshed.token) - exp(session.token);
      expect(gap).toBeGreaterThanOrEqual(600);
      expect(gap).toBeLessThanOrEqual(601);
      const posted = await dl.post(
        { ...session, token: refreshed.token },
        { type: 'message', text: 'again' },
      );
      expect(posted.status).toBe(200);
    } finally {
      clockSkewMs = 0;
    }
  });

  it('refresh says whether the conversation is still there (Redis lost it: the page greets anew)', async () => {
    const session = await dl.start();
    const refresh = () => dl.request('POST', '/tokens/refresh', { token: session.token });
    expect((await refresh()).body).toMatchObject({ conversationId: session.conversationId, started: true });
    for await (const keys of server.redis.scanIterator({
      MATCH: `${server.keyPrefix}:dl:conv:{${session.conversationId}}*`,
    }))
      for (const key of keys as unknown as string[]) await server.redis.del(key);
    expect((await refresh()).body).toMatchObject({ conversationId: session.conversationId, started: false });
  });

  it('a token for conversation A cannot touch conversation B (403)', async () => {
    const a = await dl.start();
    const b = await dl.start();
    const asA = { conversationId: b.conversationId, token: a.token };
    const answers = [
      await dl.post(asA, { type: 'message', text: 'intrusion' }),
      await dl.request('GET', `/conversations/${b.conversationId}/activities?watermark=`, { token: a.token }),
      await dl.request('GET', `/conversations/${b.conversationId}`, { token: a.token }),
      await dl.request('POST', `/conversations/${b.conversationId}/upload`, { token: a.token }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(errorCode(answer.body)).toBe('forbidden');
    }
    expect((await dl.activities(b)).activities).toEqual([]);
  });

  it('a valid token for a conversation bound to another user reads nothing of it (403)', async () => {
    const session = await dl.start();
    await dl.post(session, { type: 'message', text: 'mi dirección es calle Mayor 1' });
    // Signed with the right secret, for this conversation, but another user: never issued by Plaza, and
    // refused on every route alike.
    const stranger = createTokenService(TEST_SECRET).issue(session.conversationId, 'dl_someone-else').token;
    const answers = [
      await dl.request('GET', `/conversations/${session.conversationId}/activities?watermark=`, {
        token: stranger,
      }),
      await dl.request('GET', `/conversations/${session.conversationId}`, { token: stranger }),
      await dl.post(
        { conversationId: session.conversationId, token: stranger },
        { type: 'message', text: 'x' },
      ),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(errorCode(answer.body)).toBe('forbidden');
      expect(JSON.stringify(answer.body)).not.toContain('calle Mayor');
    }
  });

  it('refuses missing, malformed and forged tokens (401) and expired ones (403 token_expired)', async () => {
    const session = await dl.start();
    const path = `/conversations/${session.conversationId}/activities?watermark=`;
    const [h, p, s] = session.token.split('.') as [string, string, string];
    const flipped = s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`;
    const otherSecret = createTokenService('another-secret-another-secret-1234').issue(
      session.conversationId,
      session.userId,
    ).token;
    const forgedPayload = Buffer.from(
      JSON.stringify({
        iss: 'plaza-directline',
        conv: session.conversationId,
        user: 'dl_chosen',
        exp: 9999999999,
      }),
    ).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    for (const token of [
      undefined,
      '',
      'garbage',
      `${h}.${p}.${flipped}`,
      otherSecret,
      `${h}.${forgedPayload}.${s}`,
      unsigned,
    ]) {
      const answer = await dl.request('GET', path, { token });
      expect(answer.status, String(token)).toBe(401);
      expect(errorCode(answer.body)).toBe('unauthorized');
    }
    const expired = createTokenService(TEST_SECRET, { now: () => Date.now() - 2 * 3600 * 1000 }).issue(
      session.conversationId,
      session.userId,
    ).token;
    for (const [method, route] of [
      ['GET', path],
      ['POST', '/tokens/refresh'],
      ['POST', `/conversations/${session.conversationId}/activities`],
    ] as const) {
      const answer = await dl.request(method, route, {
        token: expired,
        json: method === 'POST' ? { type: 'message' } : undefined,
      });
      expect(answer.status, route).toBe(403);
      expect(errorCode(answer.body)).toBe('token_expired');
    }
  });

  it('limits token generation per client address (429 with Retry-After)', async () => {
    const limited = await startWebChatServer({ engine, tokensPerMinute: 3 });
    try {
      const client = new DirectLineHttp(limited.directLineUrl);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await client.request('POST', '/tokens/generate')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const refused = await client.request('POST', '/tokens/generate');
      expect(errorCode(refused.body)).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    } finally {
      await limited.close();
    }
  });
});

describe('bad input gets a JSON 4xx, never a 5xx, and changes nothing', () => {
  it('malformed JSON → 400 invalid_json', async () => {
    const session = await dl.start();
    const calls = engine.calls.length;
    const answer = await dl.request('POST', `/conversations/${session.conversationId}/activities`, {
      token: session.token,
      raw: '{"type": "message", "text": "hola',
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(errorCode(answer.body)).toBe('invalid_json');
    expect(answer.text).not.toContain('hola');
    expect(engine.calls.length).toBe(calls);
  });

  it('a 300 KB text → 413 payload_too_large; 70,000 characters → 413 text_too_long; a 25,000-character paste (emoji too) passes to the bot', async () => {
    const session = await dl.start();
    const calls = engine.calls.length;
    const huge = await dl.post(session, { type: 'message', text: 'a'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect(errorCode(huge.body)).toBe('payload_too_large');
    const long = await dl.post(session, { type: 'message', text: 'b'.repeat(70_000) });
    expect(long.status).toBe(413);
    expect(errorCode(long.body)).toBe('text_too_long');
    // A long paste is the bot's to answer («too long»), in the chat: Web Chat can only show a refusal as
    // «could not send», and retrying it fails alike.
    const fits = await dl.post(session, { type: 'message', text: 'c'.repeat(25_000) });
    expect(fits.status).toBe(200);
    const emoji = await dl.post(session, { type: 'message', text: '😀'.repeat(25_000) });
    expect(emoji.status).toBe(200);
    expect(engine.calls.length).toBe(calls + 2);
    expect((await dl.activities(session)).activities).toHaveLength(4);
  });

  it('a body that is not an activity → 400', async () => {
    const session = await dl.start();
    for (const json of [[1, 2], {}, { type: 7 }, { type: '<script>' }, { type: 'message', text: 5 }]) {
      const answer = await dl.post(session, json);
      expect(answer.status, JSON.stringify(json)).toBe(400);
      expect(errorCode(answer.body)).toBe('bad_activity');
    }
    // A bare JSON string or number is refused by the (strict) JSON parser itself.
    for (const json of ['text', 42]) {
      const answer = await dl.post(session, json);
      expect(answer.status, JSON.stringify(json)).toBe(400);
      expect(errorCode(answer.body)).toBe('invalid_json');
    }
    const noContentType = await dl.request('POST', `/conversations/${session.conversationId}/activities`, {
      token: session.token,
      raw: '{"type":"message","text":"hola"}',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(noContentType.status).toBe(400);
    const badWatermark = await dl.request(
      'GET',
      `/conversations/${session.conversationId}/activities?watermark=abc`,
      { token: session.token },
    );
    expect(badWatermark.status).toBe(400);
    expect(errorCode(badWatermark.body)).toBe('bad_watermark');
    expect((await dl.activities(session)).activities).toEqual([]);
  });

  it('a value nested 5,000 deep (10 KB) → 400 bad_activity before the turn; the conversation goes on', async () => {
    const session = await dl.start();
    const calls = engine.calls.length;
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    // Raw bodies: JSON.stringify in the test client would itself overflow on such a value.
    const post = (value: string, clientId: string) =>
      dl.request('POST', `/conversations/${session.conversationId}/activities`, {
        token: session.token,
        raw: `{"type":"message","text":"hola","value":${value},"channelData":{"clientActivityID":"${clientId}"}}`,
        headers: { 'Content-Type': 'application/json' },
      });
    for (const depth of [5000, 33]) {
      // Refused every time, the retry with the same client activity id too: never a 503 to retry forever.
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = await post(nested(depth), `deep-${depth}`);
        expect(answer.status, `depth ${depth}`).toBe(400);
        expect(errorCode(answer.body)).toBe('bad_activity');
      }
    }
    // A value over 16 KB once serialised is refused alike, even within the body limit.
    const wide = await post(JSON.stringify({ v: 'x'.repeat(17 * 1024) }), 'wide');
    expect(wide.status).toBe(400);
    expect(errorCode(wide.body)).toBe('bad_activity');
    expect(engine.calls.length).toBe(calls);
    expect((await dl.activities(session)).activities).toEqual([]);

    const ok = await post(nested(20), 'twenty');
    expect(ok.status).toBe(200);
    expect(lastCall().value).toEqual(JSON.parse(nested(20)));
    const normal = await dl.post(session, { type: 'message', text: 'sigo aquí' });
    expect(normal.status).toBe(200);
    const { activities } = await dl.activities(session);
    expect(activities.map((a) => a.text)).toEqual(['hola', 'echo: hola', 'sigo aquí', 'echo: sigo aquí']);
  });

  it('an unknown or not yet started conversation → 404', async () => {
    const session = await dl.generate();
    const read = await dl.request('GET', `/conversations/${session.conversationId}/activities`, {
      token: session.token,
    });
    expect(read.status).toBe(404);
    expect(errorCode(read.body)).toBe('not_found');
    const calls = engine.calls.length;
    const posted = await dl.post(session, { type: 'message', text: 'hola' });
    expect(posted.status).toBe(404);
    expect(engine.calls.length).toBe(calls);
    const resume = await dl.request('GET', `/conversations/${session.conversationId}`, {
      token: session.token,
    });
    expect(resume.status).toBe(404);
  });

  it('uploads → 415 attachments_unsupported; unknown endpoints → 404 JSON', async () => {
    const session = await dl.start();
    const upload = await dl.request('POST', `/conversations/${session.conversationId}/upload?userId=x`, {
      token: session.token,
      raw: '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nxx\r\n--b--',
      headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
    });
    expect(upload.status).toBe(415);
    expect(errorCode(upload.body)).toBe('attachments_unsupported');
    const unknown = await dl.request('GET', '/session/getsessionid', { token: session.token });
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown.body)).toBe('not_found');
  });
});

describe('failures of the engine or Redis', () => {
  it('engine failure → 503 retry, nothing appended; the retry runs with the same activity id', async () => {
    const session = await dl.start();
    engine.failNext = 1;
    const activity = {
      type: 'message',
      text: 'quiero proponer',
      channelData: { clientActivityID: 'retry-1' },
    };
    const failed = await dl.post(session, activity);
    expect(failed.status).toBe(503);
    expect(errorCode(failed.body)).toBe('retry');
    const failedId = lastCall().id;
    expect((await dl.activities(session)).activities).toEqual([]);

    const retried = await dl.post(session, activity);
    expect(retried.status).toBe(200);
    expect((retried.body as { id: string }).id).toBe(failedId);
    const { activities } = await dl.activities(session);
    expect(activities.map((a) => a.text)).toEqual(['quiero proponer', 'echo: quiero proponer']);
    expect(server.logs()).toContain('directline turn failed');
  });

  it('Redis unreachable → 503 retry', async () => {
    const redis = await connectRedis({ url: REDIS_URL });
    const broken = await startWebChatServer({ engine, redis });
    try {
      const client = new DirectLineHttp(broken.directLineUrl);
      const session = await client.start();
      redis.destroy();
      const generate = await client.request('POST', '/tokens/generate');
      expect(generate.status).toBe(503);
      expect(errorCode(generate.body)).toBe('retry');
      const post = await client.post(session, { type: 'message', text: 'hola' });
      expect(post.status).toBe(503);
      const read = await client.request('GET', `/conversations/${session.conversationId}/activities`, {
        token: session.token,
      });
      expect(read.status).toBe(503);
      // One line for the outage, not one (with a stack) per refused request.
      const lines = broken.logs().split('\n');
      const outage = lines.filter((l) => l.includes('web chat requests answered 503'));
      expect(outage).toHaveLength(1);
      expect(outage[0]).not.toContain('"stack"');
      expect(lines.filter((l) => l.includes('directline request failed'))).toEqual([]);
    } finally {
      await broken.close();
      const cleaner = await connectRedis({ url: REDIS_URL });
      await deleteKeys(cleaner, broken.keyPrefix);
      await cleaner.quit();
    }
  });
});

describe('CORS', () => {
  it("answers preflight for '*' with the headers Direct Line clients send", async () => {
    const answer = await dl.request('OPTIONS', '/conversations', {
      headers: {
        Origin: 'https://city.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-ms-bot-agent',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = answer.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const header of ['authorization', 'content-type', 'x-ms-bot-agent', 'x-requested-with']) {
      expect(allowed).toContain(header);
    }
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('with a list, allows only the listed origins', async () => {
    const listed = await startWebChatServer({
      engine,
      allowedOrigins: 'https://city.example, https://other.example/',
    });
    try {
      const client = new DirectLineHttp(listed.directLineUrl);
      const preflight = (origin: string) =>
        client.request('OPTIONS', '/tokens/generate', {
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
        });
      const ok = await preflight('https://other.example');
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://other.example');
      expect(ok.headers.get('vary')).toContain('Origin');
      const refused = await preflight('https://evil.example');
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      const simple = await client.request('POST', '/tokens/generate', {
        headers: { Origin: 'https://evil.example' },
      });
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await listed.close();
    }
  });
});

describe('logs', () => {
  it('carry ids and outcomes, never message text or tokens', async () => {
    const session = await dl.start();
    await dl.post(session, {
      type: 'message',
      text: 'mi-texto-privado-42',
      channelData: { clientActivityID: 'log-1' },
    });
    await dl.request('POST', `/conversations/${session.conversationId}/activities`, {
      token: session.token,
      raw: '{"text": "texto-roto-43"',
    });
    const logs = server.logs();
    expect(logs).toContain(session.conversationId);
    expect(logs).toContain('directline activity');
    expect(logs).not.toContain('mi-texto-privado-42');
    expect(logs).not.toContain('texto-roto-43');
    expect(logs).not.toContain(session.token);
    expect(logs).not.toContain(session.token.split('.')[2]);
  });
});

describe('the botframework-directlinejs client', () => {
  it('starts a conversation, posts, and receives the echo and the reply by polling', async () => {
    const session = await dl.generate();
    const client = await connectDirectLineJs(server.directLineUrl, session.token);
    try {
      const id = await client.post({
        type: 'message',
        text: 'desde directlinejs',
        from: { id: 'ignored-by-server' },
        channelData: { clientActivityID: 'djs-1' },
      });
      expect(id.startsWith(`${session.conversationId}|`)).toBe(true);
      const reply = await client.waitFor((a) => a.text === 'echo: desde directlinejs');
      expect(reply).toMatchObject({ from: { id: 'plaza', role: 'bot' }, replyToId: id });
      const echo = await client.waitFor((a) => a.id === id);
      expect(echo).toMatchObject({
        from: { id: session.userId },
        channelData: { clientActivityID: 'djs-1' },
      });
      expect(lastCall().from.id).toBe(session.userId);
    } finally {
      client.end();
    }
  });
});
