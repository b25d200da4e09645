// The webhook's secret header is checked before anything else: a call without the right secret is answered
// 401 (JSON) and leaves no trace — no row written, no Redis key, and the secret never in the log, even at
// trace level. Calls carry updates that WOULD write (a consented person pressing "Apoyar", a new chat saying
// hello, a block), so a leak would show. With the right secret, unreadable JSON and non-updates are 400.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESP_TYPES } from 'redis';
import { MAX_UPDATE_BYTES, SECRET_HEADER } from '../../../channels/telegram/webhook-router.ts';
import { createLogger } from '../../../src/logger.ts';
import { consentSteps, script } from '../../support/conversation.ts';
import { createProcess, createProposals } from '../../support/fixtures.ts';
import {
  BOT_TOKEN,
  WEBHOOK_SECRET,
  callbackUpdate,
  newUpdateId,
  startTelegramPlaza,
  TelegramChat,
  textUpdate,
  type TelegramPlaza,
} from './harness.ts';

const logLines: string[] = [];
let t: TelegramPlaza;
let person: TelegramChat;
let proposalId: number;

beforeAll(async () => {
  t = await startTelegramPlaza({
    logger: createLogger('trace', { write: (line: string) => void logLines.push(line) }),
  });
  const process = await createProcess(t.plaza.database.prisma, { phase: 'voting' });
  [proposalId] = (await createProposals(t.plaza.database.prisma, process, 1)) as [number];
  // A consented person looking at a proposal: an "Apoyar" from them would write a Support row.
  person = new TelegramChat(t);
  await script(person, [...consentSteps, [`/start proposal_${proposalId}`, /0 apoyos/]]);
  expect(person.buttons()).toContain('Apoyar');
});
afterAll(() => t?.close());

type Headers = Record<string, string | string[]>;

const agent = new http.Agent({ keepAlive: true, maxSockets: 25 });
afterAll(() => agent.destroy());

/** A raw POST (fetch would trim header values and refuse some of them; Telegram's own client does not). */
function rawPost(
  url: string,
  headers: Headers,
  body: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          ...headers,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every row of every table, as a count and a digest (an update in place changes the digest). */
async function databaseSnapshot(): Promise<Record<string, string>> {
  const db = t.plaza.database.prisma;
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const snapshot: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await db.$queryRawUnsafe<{ n: number; digest: string }[]>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS digest
       FROM "${name}" r`,
    );
    snapshot[name] = `${row!.n} rows, ${row!.digest}`;
  }
  return snapshot;
}

/** Every key under the runtime's prefix, with its serialized value. */
async function redisSnapshot(): Promise<Map<string, string>> {
  const binary = t.plaza.redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const snapshot = new Map<string, string>();
  for await (const keys of t.plaza.redis.scanIterator({
    MATCH: `${t.plaza.config.REDIS_PREFIX}*`,
    COUNT: 500,
  }))
    for (const key of keys) {
      const dumped = (await binary.dump(key)) as Buffer | null;
      if (dumped) snapshot.set(key, dumped.toString('hex'));
    }
  return snapshot;
}

/** Keys that appeared or changed (keys that expired meanwhile are not writes). */
function redisChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([key, value]) => before.get(key) !== value).map(([key]) => key);
}

/** Updates that would each change something if they got through. */
function tempting(i: number): unknown {
  const apoyar = person.keyboard().find((b) => b.text.includes('Apoyar'))!.callback_data;
  const stranger = 300_000_000 + i;
  switch (i % 6) {
    case 0:
      return textUpdate(person.chatId, 'Apoyar');
    case 1:
      return callbackUpdate(person.chatId, apoyar);
    case 2:
      return textUpdate(stranger, 'hola');
    case 3:
      return textUpdate(person.chatId, 'retirar consentimiento');
    case 4:
      return textUpdate(person.chatId, `/start proposal_${proposalId}`);
    default:
      return {
        update_id: newUpdateId(),
        my_chat_member: {
          chat: { id: person.chatId, type: 'private', first_name: 'Ana' },
          from: { id: person.chatId, is_bot: false, first_name: 'Ana' },
          date: Math.floor(Date.now() / 1000),
          old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'Plaza' } },
          new_chat_member: { status: 'kicked', user: { id: 1, is_bot: true, first_name: 'Plaza' } },
        },
      };
  }
}

// Header values that are not the secret. A trailing space or tab is not among them: HTTP strips it from a
// header value (RFC 9110 §5.5, and Node's parser does), so it arrives as the right secret — see the last test.
const wrongSecrets: { label: string; headers: Headers }[] = [
  { label: 'missing header', headers: {} },
  { label: 'empty', headers: { [SECRET_HEADER]: '' } },
  { label: 'wrong value', headers: { [SECRET_HEADER]: 'not-the-secret' } },
  { label: 'trailing no-break space', headers: { [SECRET_HEADER]: `${WEBHOOK_SECRET}\u00a0` } },
  { label: 'leading no-break space', headers: { [SECRET_HEADER]: `\u00a0${WEBHOOK_SECRET}` } },
  { label: 'one character short', headers: { [SECRET_HEADER]: WEBHOOK_SECRET.slice(0, -1) } },
  { label: 'one character more', headers: { [SECRET_HEADER]: `${WEBHOOK_SECRET}x` } },
  { label: 'other case', headers: { [SECRET_HEADER]: WEBHOOK_SECRET.toUpperCase() } },
  { label: 'doubled', headers: { [SECRET_HEADER]: WEBHOOK_SECRET.repeat(2) } },
  {
    label: 'very long (8 KB)',
    headers: { [SECRET_HEADER]: `${WEBHOOK_SECRET}${'long-wrong-secret-'.repeat(440)}` },
  },
  { label: 'the bot token', headers: { [SECRET_HEADER]: BOT_TOKEN } },
  { label: 'twice: wrong, then right', headers: { [SECRET_HEADER]: ['wrong', WEBHOOK_SECRET] } },
  { label: 'twice: right, right', headers: { [SECRET_HEADER]: [WEBHOOK_SECRET, WEBHOOK_SECRET] } },
  { label: 'right value, header without -token', headers: { 'x-telegram-bot-api-secret': WEBHOOK_SECRET } },
  { label: 'right value, Authorization', headers: { authorization: `Bearer ${WEBHOOK_SECRET}` } },
  { label: 'right value, X-Secret-Token', headers: { 'x-secret-token': WEBHOOK_SECRET } },
  { label: 'right value, header with suffix', headers: { [`${SECRET_HEADER}-2`]: WEBHOOK_SECRET } },
];

describe('Telegram webhook secret', () => {
  it('answers 1,000 calls without the right secret 401 (JSON) and writes, stores and logs nothing', async () => {
    await new Promise((r) => setTimeout(r, 100)); // let the set-up's deliveries settle
    const dbBefore = await databaseSnapshot();
    const redisBefore = await redisSnapshot();
    const logBefore = logLines.length;

    const answers: { label: string; status: number; type: string; body: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < 1000) {
          const i = next++;
          const variant = wrongSecrets[i % wrongSecrets.length]!;
          // Some carry the right secret in the query string or the body too: only the header counts.
          const url = i % 7 === 0 ? `${t.webhookUrl}?secret_token=${WEBHOOK_SECRET}` : t.webhookUrl;
          const update = tempting(i) as Record<string, unknown>;
          const body = JSON.stringify(i % 5 === 0 ? { ...update, secret_token: WEBHOOK_SECRET } : update);
          answers.push({ label: variant.label, ...(await rawPost(url, variant.headers, body)) });
        }
      }),
    );

    expect(answers).toHaveLength(1000);
    const wrong = answers.filter((a) => a.status !== 401 || !a.type.startsWith('application/json'));
    expect(wrong.map((a) => `${a.label}: ${a.status} ${a.type}`)).toEqual([]);
    for (const a of answers) expect(JSON.parse(a.body)).toMatchObject({ error: { code: 'unauthorized' } });

    await new Promise((r) => setTimeout(r, 200)); // anything that slipped through would be writing now
    expect(await databaseSnapshot()).toEqual(dbBefore);
    expect(redisChanges(redisBefore, await redisSnapshot())).toEqual([]);
    expect(t.fake.sent(person.chatId).length).toBe(consentSteps.length + 1);

    const log = logLines.slice(logBefore).join('');
    expect(log.match(/wrong or missing secret/g)).toHaveLength(1000);
    // The whole log, from start-up on, at trace level.
    expect(logLines.join('')).not.toContain(WEBHOOK_SECRET);
    expect(logLines.join('')).not.toContain(BOT_TOKEN);
    expect(log).not.toContain('long-wrong-secret-');
  });

  it('answers 400 to unreadable JSON and to bodies that are not updates, with the right secret', async () => {
    const dbBefore = await databaseSnapshot();
    const redisBefore = await redisSnapshot();
    const cases: [label: string, body: string, contentType: string, code: string][] = [
      ['truncated JSON', '{"update_id": 1, "message": {"text": "hola"', 'application/json', 'invalid_json'],
      ['not JSON at all', 'hola', 'application/json', 'invalid_json'],
      ['a JSON string', '"hola"', 'application/json', 'invalid_json'],
      ['a JSON number', '42', 'application/json', 'invalid_json'],
      ['null', 'null', 'application/json', 'invalid_json'],
      ['an empty object', '{}', 'application/json', 'bad_update'],
      [
        'an array of updates',
        JSON.stringify([textUpdate(person.chatId, 'Apoyar')]),
        'application/json',
        'bad_update',
      ],
      [
        'update_id as a string',
        JSON.stringify({ ...textUpdate(person.chatId, 'Apoyar'), update_id: '77' }),
        'application/json',
        'bad_update',
      ],
      [
        'no update_id',
        JSON.stringify({ message: textUpdate(person.chatId, 'Apoyar').message }),
        'application/json',
        'bad_update',
      ],
      [
        'an update sent as text/plain',
        JSON.stringify(textUpdate(person.chatId, 'Apoyar')),
        'text/plain',
        'bad_update',
      ],
      ['an empty body', '', 'application/json', 'bad_update'],
    ];
    for (const [label, body, contentType, code] of cases) {
      const res = await rawPost(
        t.webhookUrl,
        { [SECRET_HEADER]: WEBHOOK_SECRET, 'content-type': contentType },
        body,
      );
      expect(`${label}: ${res.status} ${res.type}`).toBe(`${label}: 400 application/json; charset=utf-8`);
      expect(JSON.parse(res.body), label).toMatchObject({ error: { code } });
    }
    expect(await databaseSnapshot()).toEqual(dbBefore);
    expect(redisChanges(redisBefore, await redisSnapshot())).toEqual([]);
  });

  it('refuses bodies over 1 MB (413), compressed bodies and other charsets (415), and goes on answering', async () => {
    const dbBefore = await databaseSnapshot();
    const redisBefore = await redisSnapshot();
    const secret = { [SECRET_HEADER]: WEBHOOK_SECRET };
    const huge = JSON.stringify({
      ...textUpdate(person.chatId, 'Apoyar'),
      pad: 'x'.repeat(MAX_UPDATE_BYTES),
    });
    const tooLarge = await rawPost(t.webhookUrl, secret, huge);
    expect([tooLarge.status, JSON.parse(tooLarge.body).error.code]).toEqual([413, 'payload_too_large']);
    // Without a length announced (chunked), the limit holds while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(t.webhookUrl, {
        method: 'POST',
        headers: { ...secret, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(128 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    const update = JSON.stringify(textUpdate(person.chatId, 'Apoyar'));
    for (const headers of [
      { 'content-encoding': 'gzip' } as Headers,
      { 'content-type': 'application/json; charset=latin1' },
    ]) {
      const res = await rawPost(t.webhookUrl, { ...secret, ...headers }, update);
      expect([res.status, JSON.parse(res.body).error.code]).toEqual([415, 'unsupported_media_type']);
    }
    expect(await databaseSnapshot()).toEqual(dbBefore);
    expect(redisChanges(redisBefore, await redisSnapshot())).toEqual([]);
    // The charset spelled in capitals, quoted, is UTF-8 all the same; the update is taken.
    const ok = await rawPost(
      t.webhookUrl,
      { ...secret, 'content-type': 'application/json; charset="UTF-8"' },
      JSON.stringify(textUpdate(person.chatId, 'Menú')),
    );
    expect(ok.status).toBe(200);
  });

  it('takes a trailing space or tab after the right secret as HTTP does: not part of the value', async () => {
    for (const suffix of [' ', '\t']) {
      const chat = new TelegramChat(t);
      const res = await rawPost(
        t.webhookUrl,
        { [SECRET_HEADER]: `${WEBHOOK_SECRET}${suffix}` },
        JSON.stringify(textUpdate(chat.chatId, 'hola')),
      );
      expect(res.status).toBe(200);
    }
  });
});
