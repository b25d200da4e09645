// What log lines keep of errors and payloads: the type, code and frames an operator needs, none of the
// citizen's text, ids, bot tokens or passwords the errors carry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAdapter, TurnContext } from 'botbuilder';
import { DialogContext, DialogContextError, DialogSet } from 'botbuilder-dialogs';
import { createBotApi } from '../channels/telegram/bot-api.ts';
import { startFakeBotApi } from './fakes/telegram-bot-api.ts';
import { createLogger, serializeError } from '../src/logger.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

/** A logger writing into an array of parsed lines, and the raw text of them all. */
function capture() {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void raw.push(line) });
  return {
    logger,
    text: () => raw.join(''),
    lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown> & { err?: Record<string, unknown> }),
  };
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call was expected to fail');
}

const TITLE = 'Quiero un carril bici delante de mi casa, Ana García Pérez';
const BODY = 'Vivo en la calle Mayor 12, 3º B, y mi teléfono es 612 345 678';
const AUTHOR = '7f3e2a10-5b8c-4d2e-9a61-0c4b3f2e1d99';
const TELEGRAM_ID = '735201948';
const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_';

/** Every line of the stack an error keeps is a frame. */
function expectFramesOnly(stack: unknown) {
  expect(typeof stack).toBe('string');
  for (const line of (stack as string).split('\n')) expect(line).toMatch(/^\s+at \S/);
}

describe('the logger', () => {
  it("keeps a Prisma validation error's type and frames, not the arguments its message quotes", async () => {
    const error = await failure(() =>
      db.prisma.proposal.create({
        data: {
          title: TITLE,
          body: BODY,
          authorId: AUTHOR,
          processId: 'not-a-number' as never,
          categoryId: 1,
          locale: 'es',
        },
      }),
    );
    expect((error as Error).message, 'the message does quote the arguments').toContain(TITLE);
    const log = capture();
    log.logger.error({ err: error }, 'proposal not saved');
    for (const secret of [TITLE, BODY, AUTHOR, 'Ana García', 'calle Mayor', '612 345 678']) {
      expect(log.text()).not.toContain(secret);
    }
    const [line] = log.lines();
    expect(line!.err).toMatchObject({ type: 'PrismaClientValidationError' });
    expect(line!.err).not.toHaveProperty('message');
    expectFramesOnly(line!.err!.stack);
  });

  it("withholds the message botbuilder's DialogContextError copies from a Prisma error, and its dialog state", async () => {
    const error = await failure(() =>
      db.prisma.proposal.create({
        data: { title: TITLE, body: BODY, processId: 'x' as never, categoryId: 1, locale: 'es' },
      }),
    );
    // As a flow's failure reaches the engine: wrapped with the dialog stack and its state (the draft).
    const ctx = new TurnContext(new TestAdapter(), { type: 'message', text: TITLE });
    const dc = new DialogContext(new DialogSet(), ctx, {
      dialogStack: [{ id: 'submit-proposal', state: { draft: { title: TITLE, body: BODY } } }],
    });
    const wrapped = new DialogContextError(error as Error, dc);
    const log = capture();
    log.logger.error({ err: wrapped }, 'turn failed; dialog reset');
    for (const leak of [TITLE, BODY, 'Ana García']) expect(log.text()).not.toContain(leak);
    const [line] = log.lines();
    expect(line!.err).toMatchObject({
      type: 'DialogContextError',
      cause: { type: 'PrismaClientValidationError' },
    });
    expect(line!.err).not.toHaveProperty('message');
    expect(line!.err).not.toHaveProperty('dialogContext');

    // One level further out (as the Direct Line router wraps a failed turn to retry it): the wrapped
    // wrapper's copied message is withheld too, however deep the quoting error sits.
    const retry = new Error('turn failed', { cause: wrapped });
    const outer = capture();
    outer.logger.warn({ err: retry }, 'directline turn failed');
    for (const leak of [TITLE, BODY, 'Ana García']) expect(outer.text()).not.toContain(leak);
    expect(outer.lines()[0]!.err).toMatchObject({ type: 'Error', cause: { type: 'DialogContextError' } });
    expect(outer.lines()[0]!.err).not.toHaveProperty('message');
  });

  it("keeps a raw query error's codes and the driver's kind, not the value it repeats", async () => {
    const email = 'ana.garcia@example.org';
    const error = await failure(() => db.prisma.$executeRawUnsafe('SELECT $1::int', email));
    const log = capture();
    log.logger.error({ err: error }, 'query failed');
    expect(log.text()).not.toContain(email);
    expect(log.text()).not.toContain('ana.garcia');
    expect(log.lines()[0]!.err).toMatchObject({
      type: 'PrismaClientKnownRequestError',
      code: 'P2010',
      kind: 'InvalidInputValue',
      originalCode: '22P02',
    });
  });

  it("keeps a Prisma request error's model, not the ids of the call", async () => {
    const participantId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const error = await failure(() =>
      db.prisma.channelAccount.create({
        data: { channel: 'telegram', externalId: TELEGRAM_ID, participantId },
      }),
    );
    const log = capture();
    log.logger.error({ err: error }, 'account not saved');
    expect(log.text()).not.toContain(TELEGRAM_ID);
    expect(log.text()).not.toContain(participantId);
    expect(log.lines()[0]!.err).toMatchObject({
      type: 'PrismaClientKnownRequestError',
      code: 'P2003',
      modelName: 'ChannelAccount',
      kind: 'ForeignKeyConstraintViolation',
      originalCode: '23503',
    });
  });

  it("keeps a TelegramError's code, description and method, not its payload", async () => {
    const text = 'Hola, soy Ana García y vivo en la calle Mayor 12';
    const secret = 'a-webhook-secret-of-sufficient-length';
    // Real TelegramErrors, as telegraf throws them: `on` holds the method and the whole payload.
    const fake = await startFakeBotApi({ token: BOT_TOKEN });
    try {
      const api = createBotApi({ token: BOT_TOKEN, apiRoot: fake.apiRoot });
      fake.forbid(TELEGRAM_ID);
      const blocked = await failure(() => api.callApi('sendMessage', { chat_id: TELEGRAM_ID, text }));
      fake.failNext('setWebhook', {
        error_code: 400,
        description: 'Bad Request: bad webhook: Failed to resolve host',
      });
      const webhook = await failure(() =>
        api.callApi('setWebhook', {
          url: 'https://plaza.example.org/telegram/webhook',
          secret_token: secret,
        }),
      );
      expect((blocked as { on?: unknown }).on, 'the error does carry the payload').toMatchObject({
        payload: { text },
      });
      const log = capture();
      log.logger.warn({ err: blocked }, 'telegram delivery failed');
      log.logger.error({ err: webhook }, 'webhook not set');
      for (const leak of [TELEGRAM_ID, text, 'Ana García', secret, BOT_TOKEN]) {
        expect(log.text()).not.toContain(leak);
      }
      const [first, second] = log.lines();
      expect(first!.err).toMatchObject({
        type: 'TelegramError',
        code: 403,
        description: 'Forbidden: bot was blocked by the user',
        method: 'sendMessage',
      });
      expect(first!.err).not.toHaveProperty('on');
      expect(first!.err).not.toHaveProperty('response');
      expect(second!.err).toMatchObject({ type: 'TelegramError', code: 400, method: 'setWebhook' });
    } finally {
      await fake.close();
    }
  });

  it('hides bot tokens and URL passwords in the message, the frames and the cause', () => {
    // Like node-fetch's: the request URL, with the token, in the message (and so in the stack's first line).
    class FetchError extends Error {
      constructor(
        message: string,
        readonly type: string,
      ) {
        super(message);
        this.name = 'FetchError';
      }
    }
    const url = `https://api.telegram.org/bot${BOT_TOKEN}/sendMessage`;
    const error = new FetchError(
      `invalid json response body at ${url} reason: Unexpected token '<', "<html>" is not valid JSON`,
      'invalid-json',
    );
    const wrapped = new Error('delivery failed', {
      cause: new Error('connect to redis://plaza:hunter2-pass@redis.internal:6379/0 refused'),
    });
    const log = capture();
    log.logger.error({ err: error }, 'telegram call failed');
    log.logger.error({ err: wrapped }, 'delivery failed');
    expect(log.text()).not.toContain(BOT_TOKEN);
    expect(log.text()).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_');
    expect(log.text()).not.toContain('hunter2-pass');
    const [fetchLine, causeLine] = log.lines();
    expect(fetchLine!.err).toMatchObject({
      type: 'FetchError',
      message: expect.stringContaining('/bot<token>/sendMessage') as unknown,
    });
    expect(causeLine!.err).toMatchObject({
      type: 'Error',
      message: 'delivery failed',
      cause: { type: 'Error', message: 'connect to redis://<redacted>@redis.internal:6379/0 refused' },
    });
    expectFramesOnly((causeLine!.err!.cause as Record<string, unknown>).stack);
  });

  it("keeps a message's first line and the stack's frames only", () => {
    const error = new Error(`could not render\n${TITLE}\n    at ${BODY}`);
    const log = capture();
    log.logger.error({ err: error }, 'render failed');
    expect(log.text()).not.toContain(TITLE);
    expect(log.text()).not.toContain(BODY);
    expect(log.lines()[0]!.err).toMatchObject({ type: 'Error', message: 'could not render' });
    expectFramesOnly(log.lines()[0]!.err!.stack);
  });

  it("treats the summaries callers already make the same way, and keeps only a thrown value's type", () => {
    expect(serializeError({ name: 'PrismaClientKnownRequestError', code: 'P2000' })).toEqual({
      name: 'PrismaClientKnownRequestError',
      code: 'P2000',
    });
    expect(serializeError({ name: 'TypeError', message: `bad input\n${TITLE}` })).toEqual({
      name: 'TypeError',
      message: 'bad input',
    });
    expect(
      serializeError({ name: 'PrismaClientValidationError', message: `Invalid call: ${TITLE}` }),
    ).toEqual({
      name: 'PrismaClientValidationError',
    });
    expect(serializeError(`${TITLE} went wrong`)).toEqual({ type: 'string' });
  });

  it('removes payload keys wherever they are in a line', () => {
    const log = capture();
    log.logger.info(
      {
        call: {
          method: 'sendMessage',
          params: { chat_id: Number(TELEGRAM_ID), text: TITLE, caption: BODY },
        },
        payload: { chat_id: 1 },
        from: { id: 1, first_name: 'Ana', username: 'anagarcia' },
        password: 'hunter2-pass',
        redis: { password: 'hunter2-pass' },
      },
      'outgoing call',
    );
    for (const leak of [TELEGRAM_ID, TITLE, BODY, 'hunter2-pass', '"payload"', 'Ana', 'anagarcia']) {
      expect(log.text()).not.toContain(leak);
    }
    expect(log.lines()[0]).toMatchObject({ call: { method: 'sendMessage', params: {} } });
  });
});
