// Bad input against the real app (`createHttpApp`: Direct Line, page, health) with the real engine: every
// mistake gets a 4xx JSON answer or a polite chat answer, never a 5xx, and the conversation it was aimed at
// carries on exactly where it was. The conversation under attack sits in the middle of writing a proposal
// (the bot has asked for the text), so "nothing lost" is checked by finishing that proposal at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from '../../channels/webchat/tokens.ts';
import { DirectLineHttp, type HttpAnswer } from '../channels/webchat/harness.ts';
import { createProcess, type ProcessFixture } from '../support/fixtures.ts';
import { startPlazaServer, type Activity, type PlazaServer } from './support.ts';

interface Session {
  conversationId: string;
  token: string;
  userId: string;
}

let server: PlazaServer;
let dl: DirectLineHttp;
let budget: ProcessFixture;
/** The conversation every bad request is aimed at. */
let a: Session;
/** Another user's conversation. */
let b: Session;

const TITLE = 'Aparcamiento seguro para bicicletas en la estación';
const BODY = 'Un aparcamiento cubierto y vigilado para 200 bicicletas junto a la estación de tren.';
const ASK_BODY = /Ahora explica tu propuesta/;
const UNSUPPORTED = 'Por ahora solo entiendo mensajes de texto y botones.';

/** Posts an activity that must succeed; returns the bot's replies to it (read from the stream). */
async function turn(session: Session, activity: Record<string, unknown>): Promise<Activity[]> {
  const posted = await dl.post(session, { locale: 'es-ES', ...activity });
  expect(posted.status, `${posted.status} ${posted.text}`).toBe(200);
  const { id } = posted.body as { id: string };
  const { activities } = await dl.activities(session);
  expect(activities.some((x) => x.id === id)).toBe(true);
  return activities.filter((x) => x.replyToId === id) as Activity[];
}

const textOf = (replies: Activity[]) => replies.map((r) => r.text ?? '').join('\n');

async function say(session: Session, text: string, ...expected: RegExp[]): Promise<Activity[]> {
  const replies = await turn(session, { type: 'message', text });
  for (const e of expected) expect(textOf(replies), `after "${text}"`).toMatch(e);
  return replies;
}

/** The last watermark of a conversation's stream: unchanged means nothing was appended. */
const watermarkOf = async (session: Session) => (await dl.activities(session)).watermark;

/** A normal message still gets the normal answer: help, then the pending question again. */
async function stillWorks(session: Session = a): Promise<void> {
  const replies = await say(session, 'ayuda', /«menú» para volver al inicio/, ASK_BODY);
  expect(replies.at(-1)?.suggestedActions).toBeUndefined();
}

function expectJsonError(answer: HttpAnswer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.body).toMatchObject({ error: { code, message: expect.any(String) } });
}

const activitiesPath = (session: Pick<Session, 'conversationId'>) =>
  `/conversations/${session.conversationId}/activities`;

beforeAll(async () => {
  server = await startPlazaServer();
  dl = new DirectLineHttp(server.directLineUrl);
  budget = await createProcess(server.plaza.database.prisma, {
    phase: 'voting',
    acceptsProposals: true,
    title: 'Movilidad sostenible',
  });
  a = await dl.start();
  b = await dl.start();
  const greeting = await turn(a, { type: 'event', name: 'webchat/join' });
  expect(textOf(greeting)).toMatch(/Soy Plaza/);
  await say(a, 'Español', /¿Tienes 14 años o más\?/);
  await say(a, 'Sí', /¿Aceptas que tratemos tus datos/);
  await say(a, 'Sí, acepto', /¡Gracias!/);
  await say(a, `/start process_${budget.slug}`, /Movilidad sostenible/, /Puedes hacer propuestas/);
  await say(a, 'Hacer una propuesta', /título/);
  await say(a, TITLE, ASK_BODY);
});

afterAll(async () => {
  await server?.close();
});

describe('bad input on the real app', () => {
  it('malformed JSON → 400 invalid_json; an empty or non-activity body → 400 bad_activity', async () => {
    const before = await watermarkOf(a);
    const broken = await dl.request('POST', activitiesPath(a), {
      token: a.token,
      raw: '{"type":"message","text":"hola"',
    });
    expectJsonError(broken, 400, 'invalid_json');
    const garbage = await dl.request('POST', activitiesPath(a), { token: a.token, raw: 'not json at all' });
    expectJsonError(garbage, 400, 'invalid_json');
    const empty = await dl.request('POST', activitiesPath(a), { token: a.token, raw: '' });
    expectJsonError(empty, 400, 'bad_activity');
    const notAnActivity = await dl.post(a, { text: 'sin tipo' });
    expectJsonError(notAnActivity, 400, 'bad_activity');
    expect(await watermarkOf(a)).toBe(before);
    await stillWorks();
  });

  it('a missing, malformed or forged token → 401 unauthorized', async () => {
    const before = await watermarkOf(a);
    const message = { type: 'message', text: 'hola' };
    const missing = await dl.request('POST', activitiesPath(a), { json: message });
    expectJsonError(missing, 401, 'unauthorized');
    const garbage = await dl.post({ ...a, token: 'not-a-token' }, message);
    expectJsonError(garbage, 401, 'unauthorized');
    // Same claims, signed with another secret.
    const otherSecret = createTokenService('another-secret-0123456789abcdef');
    const forged = await dl.post(
      { ...a, token: otherSecret.issue(a.conversationId, a.userId).token },
      message,
    );
    expectJsonError(forged, 401, 'unauthorized');
    // B's genuine token with its payload swapped for A's claims, B's signature kept.
    const [header, , signature] = b.token.split('.') as [string, string, string];
    const swapped = `${header}.${a.token.split('.')[1]}.${signature}`;
    expectJsonError(await dl.post({ ...a, token: swapped }, message), 401, 'unauthorized');
    const read = await dl.request('GET', activitiesPath(a), { token: 'Bearer-nothing' });
    expectJsonError(read, 401, 'unauthorized');
    expect(await watermarkOf(a)).toBe(before);
    await stillWorks();
  });

  it("a token of conversation A used on conversation B → 403 forbidden, B's stream untouched", async () => {
    const beforeA = await watermarkOf(a);
    const beforeB = await watermarkOf(b);
    const post = await dl.post({ ...b, token: a.token }, { type: 'message', text: 'hola' });
    expectJsonError(post, 403, 'forbidden');
    const read = await dl.request('GET', activitiesPath(b), { token: a.token });
    expectJsonError(read, 403, 'forbidden');
    const resume = await dl.request('GET', `/conversations/${b.conversationId}`, { token: a.token });
    expectJsonError(resume, 403, 'forbidden');
    expect(await watermarkOf(a)).toBe(beforeA);
    expect(await watermarkOf(b)).toBe(beforeB);
    await stillWorks();
  });

  it('an unknown conversation → 404 not_found, until it is started', async () => {
    const unstarted = await dl.generate();
    const read = await dl.request('GET', activitiesPath(unstarted), { token: unstarted.token });
    expectJsonError(read, 404, 'not_found');
    const post = await dl.post(unstarted, { type: 'message', text: 'hola' });
    expectJsonError(post, 404, 'not_found');
    const resume = await dl.request('GET', `/conversations/${unstarted.conversationId}`, {
      token: unstarted.token,
    });
    expectJsonError(resume, 404, 'not_found');
    // Started, it is an ordinary new conversation: the first message is greeted.
    expect((await dl.request('POST', '/conversations', { token: unstarted.token })).status).toBe(201);
    await say(unstarted, 'hola', /Soy Plaza/, /¿En qué idioma prefieres hablar\?/);
    await stillWorks();
  });

  it('a 300 KB text → 413 payload_too_large; 70,000 characters → 413 text_too_long (no bot turn)', async () => {
    const before = await watermarkOf(a);
    const huge = await dl.post(a, { type: 'message', text: 'a'.repeat(300 * 1024) });
    expectJsonError(huge, 413, 'payload_too_large');
    const long = await dl.post(a, { type: 'message', text: 'b'.repeat(70_000) });
    expectJsonError(long, 413, 'text_too_long');
    expect((long.body as { error: { message: string } }).error.message).toContain('60000');
    expect(await watermarkOf(a)).toBe(before);
    await stillWorks();
  });

  it('a 25,000-character paste is answered in the chat, «too long», and the question waits', async () => {
    await say(a, 'c'.repeat(25_000), /demasiado largo \(máximo 4096 caracteres\)/);
    await stillWorks();
  });

  it('a client retry of a delivered activity (same clientActivityID) adds nothing to the stream', async () => {
    const before = await watermarkOf(a);
    const body = { type: 'message', text: 'ayuda', channelData: { clientActivityID: 'retry-once-1' } };
    const first = await dl.post(a, body);
    const afterFirst = await watermarkOf(a);
    const again = await dl.post(a, body);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(Number(afterFirst)).toBeGreaterThan(Number(before));
    expect(await watermarkOf(a)).toBe(afterFirst);
  });

  it('5,000 characters reach the bot, which explains the limit and asks the same question again', async () => {
    const replies = await turn(a, { type: 'message', text: 'b'.repeat(5000) });
    expect(textOf(replies)).toMatch(/demasiado largo \(máximo 4096 caracteres\)/);
    await stillWorks();
  });

  it('an unknown activity type "foo" → 200 and a polite answer in the chat', async () => {
    const replies = await turn(a, { type: 'foo', text: 'qué es esto' });
    expect(textOf(replies)).toBe(UNSUPPORTED);
    await stillWorks();
  });

  it('typing, an event with an unknown name and conversationUpdate → 200, silently ignored', async () => {
    expect(await turn(a, { type: 'typing' })).toEqual([]);
    expect(await turn(a, { type: 'event', name: 'plaza/unknown-event', value: { x: 1 } })).toEqual([]);
    expect(await turn(a, { type: 'event', name: 'webchat/join-typo' })).toEqual([]);
    expect(
      await turn(a, { type: 'conversationUpdate', membersAdded: [{ id: 'someone' }], text: 'hola' }),
    ).toEqual([]);
    await stillWorks();
  });

  it('/healthz 200; /readyz 200 with postgres and redis ok; unknown paths → 404 JSON', async () => {
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });

    for (const [method, path] of [
      ['GET', '/no-such-page'],
      ['POST', '/api/messages'],
      ['GET', '/v3/directline/session/getsessionid'],
      ['DELETE', `/v3/directline${activitiesPath(a)}`],
    ] as const) {
      const answer = await fetch(server.baseUrl + path, { method });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await answer.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    await stillWorks();
  });

  it('nothing was lost: the proposal started before all of this is finished and stored', async () => {
    await say(a, BODY, /¿En qué categoría encaja mejor\?/);
    const preview = await say(a, 'Movilidad', /Así quedará tu propuesta/, /Categoría: Movilidad/);
    expect(textOf(preview)).toContain(TITLE);
    expect(textOf(preview)).toContain(BODY);
    const sent = await say(a, 'Enviar', /¡Recibida! Tu propuesta \(#\d+\)/);
    const id = Number(/#(\d+)/.exec(textOf(sent))![1]);
    const proposal = await server.plaza.database.prisma.proposal.findUniqueOrThrow({
      where: { id },
      include: { author: { include: { accounts: true } } },
    });
    expect(proposal).toMatchObject({ title: TITLE, body: BODY, status: 'pending', processId: budget.id });
    expect(proposal.author?.accounts).toMatchObject([{ channel: 'webchat', externalId: a.userId }]);
    // Exactly one proposal: none of the rejected requests reached the flow as text.
    expect(await server.plaza.database.prisma.proposal.count({ where: { processId: budget.id } })).toBe(1);
  });

  it('never answered a 5xx', () => {
    expect(server.answered.length).toBeGreaterThan(40);
    expect(server.answered.filter((x) => x.status >= 500)).toEqual([]);
  });
});
