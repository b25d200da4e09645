// `plaza serve` with Telegram, as an operator starts it (a real process, the fake Bot API): at start it
// publishes the «/» command menu, in Spanish and in English.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { startFakeBotApi, type FakeBotApi } from '../fakes/telegram-bot-api.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { deleteKeys, REDIS_URL } from '../support/plaza.ts';
import { BOT_TOKEN } from '../channels/telegram/harness.ts';

let fake: FakeBotApi;
let testDb: TestDatabase;
let redis: Redis;
const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fake = await startFakeBotApi({ token: BOT_TOKEN });
  testDb = await createTestDatabase();
  redis = await connectRedis({ url: REDIS_URL });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  if (redis) await deleteKeys({ redis }, `${prefix}:*`);
  await redis?.quit();
  await testDb?.drop();
  await fake?.close();
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe('plaza serve with Telegram', () => {
  it('publishes the command menu at start, Spanish by default and English for English users', async () => {
    const child = spawn(process.execPath, ['bin/plaza.mjs', 'serve'], {
      env: {
        ...process.env,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATABASE_URL: testDb.url,
        REDIS_URL,
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: 'a-webhook-secret-of-sufficient-length',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 45_000;
    while (fake.callsOf('setMyCommands').length < 2) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no command menu:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const calls = fake.callsOf('setMyCommands');
    expect(calls.map((c) => [c.response.ok, c.params.language_code])).toEqual([
      [true, undefined],
      [true, 'en'],
    ]);
    expect(JSON.stringify(calls[0]!.params.commands)).toContain('"command":"ayuda"');
    expect(JSON.stringify(calls[1]!.params.commands)).toContain('"command":"help"');
    child.kill('SIGTERM');
  });
});
